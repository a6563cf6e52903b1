import { EMBASSY_GROUP } from '$lib/server/staff-pages/context';
import { searchActions, loadSearch } from '$lib/server/staff-pages/entry-flow';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadSearch(event, EMBASSY_GROUP);
export const actions: Actions = searchActions(EMBASSY_GROUP);
