import { MUNICIPAL_GROUP } from '$lib/server/staff-pages/context';
import { searchActions, loadSearch } from '$lib/server/staff-pages/entry-flow';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadSearch(event, MUNICIPAL_GROUP);
export const actions: Actions = searchActions(MUNICIPAL_GROUP);
