import { voterContext } from '$lib/server/flows/context';
import { CORRESPONDENCE_PATHS, loadCorrespondenceState } from '$lib/server/flows/correspondence';
import type { PageServerLoad } from './$types';

/**
 * Start page: who may vote by correspondence (§57a(1)), how (§57c(1): the ballot is printed
 * from the web), what goes in which envelope (§57b, §57d(2)) and the deadlines (§57a(3)).
 */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const state = await loadCorrespondenceState(ctx);
	return {
		embassy: state.embassy
			? { name: ctx.locale === 'en' ? state.embassy.name_en : state.embassy.name_cs, specialDistrictNumber: state.embassy.special_district_number }
			: null,
		elections: state.elections.map((e) => e.view),
		startHref: CORRESPONDENCE_PATHS.election
	};
};
