import { EMBASSY_GROUP } from '$lib/server/staff-pages/context';
import { loadRequestDetail, requestDetailActions } from '$lib/server/staff-pages/request-detail';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadRequestDetail(event, EMBASSY_GROUP);
export const actions: Actions = requestDetailActions(EMBASSY_GROUP);
