import { EMBASSY_GROUP } from '$lib/server/staff-pages/context';
import { refusalNoticeDocument } from '$lib/server/staff-pages/request-forms';
import type { RequestHandler } from './$types';

/** The written notice of a refusal (§77), of the office's own request only. */
export const GET: RequestHandler = (event) => refusalNoticeDocument(event, EMBASSY_GROUP);
