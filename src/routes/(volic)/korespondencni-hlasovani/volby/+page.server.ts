import { CORRESPONDENCE } from '$lib/server/flows/correspondence';
import { electionAction, electionLoad } from '$lib/server/flows/election-steps';
import type { Actions, PageServerLoad } from './$types';

/** §57a(3): the elections with correspondence voting whose written deadline is still ahead. */
export const load: PageServerLoad = electionLoad(CORRESPONDENCE);

export const actions: Actions = { default: electionAction(CORRESPONDENCE) };
