import { db } from '$lib/server/db/runtime';
import { calendarJson, findElectionCalendar } from '$lib/server/services/calendar';
import { cachedJson, jsonError } from '../../cached-json';
import type { RequestHandler } from './$types';

/**
 * Public: `{ election: { id, type, rounds }, deadlines: [{ key, round, at, section }] }`,
 * `at` in Prague time with its offset (§78(2)). `?office=<embassyId>` adds that embassy's
 * return-envelope deadline (§57c(4)).
 */
export const GET: RequestHandler = async ({ params, url, request }) => {
	const officeId = url.searchParams.get('office') || null;
	const lookup = await findElectionCalendar(db(), params.id, { officeId });
	if (!lookup.ok) {
		return lookup.error === 'office-not-found'
			? jsonError(400, 'office must be the id of an embassy')
			: jsonError(404, 'election not found');
	}
	return cachedJson(request, calendarJson(lookup.calendar));
};
