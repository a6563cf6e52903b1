import { batchCardsDocument } from '$lib/server/staff-pages/batches';
import { MUNICIPAL_GROUP } from '$lib/server/staff-pages/context';
import type { RequestHandler } from './$types';

/** Every voter card of the batch, one per page in the postal sheet's order (issue 12). */
export const GET: RequestHandler = (event) => batchCardsDocument(event, MUNICIPAL_GROUP);
