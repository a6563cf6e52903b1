import { CORRESPONDENCE } from '$lib/server/flows/correspondence';
import { roundsAction, roundsLoad } from '$lib/server/flows/election-steps';
import type { Actions, PageServerLoad } from './$types';

/** §57b(2): a presidential voter gets papers for both rounds unless they ask for one. */
export const load: PageServerLoad = roundsLoad(CORRESPONDENCE, 'both');

export const actions: Actions = { default: roundsAction(CORRESPONDENCE) };
