import { EMBASSY_GROUP } from '$lib/server/staff-pages/context';
import { refusalActions, loadRefusal } from '$lib/server/staff-pages/request-forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadRefusal(event, EMBASSY_GROUP);
export const actions: Actions = refusalActions(EMBASSY_GROUP);
