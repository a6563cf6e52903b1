import { EMBASSY_GROUP } from '$lib/server/staff-pages/context';
import { handOverActions, loadHandOver } from '$lib/server/staff-pages/request-forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadHandOver(event, EMBASSY_GROUP);
export const actions: Actions = handOverActions(EMBASSY_GROUP);
