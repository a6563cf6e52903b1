import { EMBASSY_GROUP } from '$lib/server/staff-pages/context';
import { deliveryStepActions, loadDeliveryStep } from '$lib/server/staff-pages/entry-flow';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadDeliveryStep(event, EMBASSY_GROUP);
export const actions: Actions = deliveryStepActions(EMBASSY_GROUP);
