import { MUNICIPAL_GROUP } from '$lib/server/staff-pages/context';
import { invalidationActions, loadInvalidation } from '$lib/server/staff-pages/request-forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadInvalidation(event, MUNICIPAL_GROUP);
export const actions: Actions = invalidationActions(MUNICIPAL_GROUP);
