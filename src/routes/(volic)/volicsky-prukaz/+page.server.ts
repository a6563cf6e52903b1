import { voterContext } from '$lib/server/flows/context';
import { listVoterCardElections } from '$lib/server/flows/elections';
import { VOTER_CARD_PATHS } from '$lib/server/flows/voter-card';
import type { PageServerLoad } from './$types';

/** Start page: what a voter card is (§56) and the deadlines of each election it can still be asked for in (§57(3)). */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const elections = await listVoterCardElections(ctx.db, ctx.now, ctx.locale, { testIdentity: ctx.testIdentity });
	return { elections: elections.map((e) => e.view), startHref: VOTER_CARD_PATHS.election, rehearsal: elections.some((e) => e.view.rehearsal) };
};
