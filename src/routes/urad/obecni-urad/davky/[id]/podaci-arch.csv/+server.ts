import { postalSheetDocument } from '$lib/server/staff-pages/batches';
import { MUNICIPAL_GROUP } from '$lib/server/staff-pages/context';
import type { RequestHandler } from './$types';

/** The postal submission sheet (podací arch) of a dispatch batch (issue 12). */
export const GET: RequestHandler = (event) => postalSheetDocument(event, MUNICIPAL_GROUP, 'csv');
