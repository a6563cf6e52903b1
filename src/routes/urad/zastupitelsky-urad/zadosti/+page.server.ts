import { queueBatchAction } from '$lib/server/staff-pages/batches';
import { EMBASSY_GROUP } from '$lib/server/staff-pages/context';
import { loadQueue } from '$lib/server/staff-pages/queue';
import type { Actions, PageServerLoad } from './$types';

/** The office's request queue (shared with the other office kind: staff-pages/queue.ts). */
export const load: PageServerLoad = (event) => loadQueue(event, EMBASSY_GROUP);
/** Issue 12: the selected requests (or all that match the filter) as a batch, to confirm. */
export const actions: Actions = { default: (event) => queueBatchAction(event, EMBASSY_GROUP) };
