import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db/runtime';
import { listElections } from '$lib/server/db/queries/elections';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const locale = getLocale();
	const elections = await listElections(db());
	return {
		elections: elections.map((e) => ({
			id: e.id,
			title: locale === 'en' ? e.title_en : e.title_cs,
			rounds: e.rounds.map((r) => ({ round: r.round, firstDay: r.first_day }))
		}))
	};
};
