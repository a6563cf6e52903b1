import { COMMISSION_GROUP, handoverPdfResponse } from '$lib/server/staff-pages/envelopes';
import type { RequestHandler } from './$types';

/** §57c(4): the hand-over record with both confirmations as far as given, as a PDF. */
export const GET: RequestHandler = (event) => handoverPdfResponse(event, COMMISSION_GROUP);
