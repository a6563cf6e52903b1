import { MUNICIPAL_GROUP } from '$lib/server/staff-pages/context';
import { requestStepActions, loadRequestStep } from '$lib/server/staff-pages/entry-flow';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadRequestStep(event, MUNICIPAL_GROUP);
export const actions: Actions = requestStepActions(MUNICIPAL_GROUP);
