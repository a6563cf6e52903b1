import { EMBASSY_GROUP } from '$lib/server/staff-pages/context';
import { checkStepActions, loadCheckStep } from '$lib/server/staff-pages/entry-flow';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadCheckStep(event, EMBASSY_GROUP);
export const actions: Actions = checkStepActions(EMBASSY_GROUP);
