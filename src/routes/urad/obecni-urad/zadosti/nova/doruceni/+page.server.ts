import { MUNICIPAL_GROUP } from '$lib/server/staff-pages/context';
import { deliveryStepActions, loadDeliveryStep } from '$lib/server/staff-pages/entry-flow';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadDeliveryStep(event, MUNICIPAL_GROUP);
export const actions: Actions = deliveryStepActions(MUNICIPAL_GROUP);
