import { error, redirect } from '@sveltejs/kit';
import { findRequestOfVoter } from '$lib/server/db/queries/requests';
import { voterContext } from '$lib/server/flows/context';
import { normalizeReference } from '$lib/server/reference';
import { requestIcs } from '$lib/server/services/request-calendar';
import type { RequestHandler } from './$types';

/**
 * The voter's own calendar of one request (issue 15): its deadlines as iCalendar, in the
 * page's language. Another voter's reference, or one that does not exist, is the same 404.
 */
export const GET: RequestHandler = async (event) => {
	const ctx = voterContext(event);
	const reference = normalizeReference(event.params.reference);
	if (!reference) error(404, 'Not found');
	if (reference !== event.params.reference) redirect(308, `/zadosti/${reference}/kalendar.ics`);
	const request = await findRequestOfVoter(ctx.db, ctx.voterId, reference);
	if (!request) error(404, 'Not found');
	const body = await requestIcs(ctx.db, request, ctx.locale, `${event.url.origin}/zadosti/${reference}`, ctx.now);
	return new Response(body, {
		headers: {
			'Content-Type': 'text/calendar; charset=utf-8',
			'Content-Disposition': `attachment; filename="zadost-${reference}.ics"`,
			// personal: never kept by a shared cache
			'Cache-Control': 'private, no-store'
		}
	});
};
