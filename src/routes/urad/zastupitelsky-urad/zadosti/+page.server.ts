import { EMBASSY_GROUP } from '$lib/server/staff-pages/context';
import { loadQueue } from '$lib/server/staff-pages/queue';
import type { PageServerLoad } from './$types';

/** The office's request queue (shared with the other office kind: staff-pages/queue.ts). */
export const load: PageServerLoad = (event) => loadQueue(event, EMBASSY_GROUP);
