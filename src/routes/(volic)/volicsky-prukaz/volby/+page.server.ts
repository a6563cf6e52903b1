import { electionAction, electionLoad } from '$lib/server/flows/election-steps';
import { VOTER_CARD } from '$lib/server/flows/voter-card';
import type { Actions, PageServerLoad } from './$types';

/** §57(3): the elections with voter cards whose last request deadline is still ahead. */
export const load: PageServerLoad = electionLoad(VOTER_CARD);

export const actions: Actions = { default: electionAction(VOTER_CARD) };
