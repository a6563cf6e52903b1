import { jsonError } from '$lib/server/feed/http';
import type { RequestHandler } from './$types';

/** Any other address under /api/open-data is a JSON 404 that points to the list. */
export const GET: RequestHandler = () =>
	jsonError(404, 'Not found; the list of elections is at /api/open-data/elections. / Nenalezeno; seznam voleb je na /api/open-data/elections.');
