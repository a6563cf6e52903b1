import { roundsAction, roundsLoad } from '$lib/server/flows/election-steps';
import { VOTER_CARD } from '$lib/server/flows/voter-card';
import type { Actions, PageServerLoad } from './$types';

/** §57(5): a two-round election — round 1, round 2 or both. */
export const load: PageServerLoad = roundsLoad(VOTER_CARD, '');

export const actions: Actions = { default: roundsAction(VOTER_CARD) };
