import { batchPageActions, loadBatchPage } from '$lib/server/staff-pages/batches';
import { MUNICIPAL_GROUP } from '$lib/server/staff-pages/context';
import type { Actions, PageServerLoad } from './$types';

/** A batch (issue 12): its confirmation while a draft, the consignment numbers of a dispatch, then its result. */
export const load: PageServerLoad = (event) => loadBatchPage(event, MUNICIPAL_GROUP);
export const actions: Actions = batchPageActions(MUNICIPAL_GROUP);
