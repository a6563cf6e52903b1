import { MUNICIPAL_GROUP } from '$lib/server/staff-pages/context';
import { checkStepActions, loadCheckStep } from '$lib/server/staff-pages/entry-flow';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadCheckStep(event, MUNICIPAL_GROUP);
export const actions: Actions = checkStepActions(MUNICIPAL_GROUP);
