import { error } from '@sveltejs/kit';
import { resultCsv } from '$lib/server/services/commission';
import { COMMISSION_GROUP, envelopePageContext } from '$lib/server/staff-pages/envelopes';
import type { RequestHandler } from './$types';

/** §57d: the result as CSV (RFC 4180, UTF-8), one row per outcome and ground. */
export const GET: RequestHandler = async (event) => {
	const ctx = await envelopePageContext(event, COMMISSION_GROUP);
	if (!ctx.selected) error(404, 'Not found');
	const result = await resultCsv(ctx.db, { electionId: ctx.selected.electionId, round: ctx.selected.round }, ctx.actor);
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	if (result.kind === 'not-found') error(404, 'Not found');
	return new Response(result.body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${result.filename}"`,
			'cache-control': 'no-store'
		}
	});
};
