import { EMBASSY_GROUP } from '$lib/server/staff-pages/context';
import { voterCardDocument } from '$lib/server/staff-pages/request-forms';
import type { RequestHandler } from './$types';

/** The voter card to print (decree 353/2025 §6), of the office's own request only. */
export const GET: RequestHandler = (event) => voterCardDocument(event, EMBASSY_GROUP);
