import { batchCardsStatus } from '$lib/server/staff-pages/batches';
import { MUNICIPAL_GROUP } from '$lib/server/staff-pages/context';
import type { RequestHandler } from './$types';

/** The batch page's poll: how far the voter cards' PDF is (services/document-job.ts). */
export const GET: RequestHandler = (event) => batchCardsStatus(event, MUNICIPAL_GROUP);
