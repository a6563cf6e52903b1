import { error, redirect } from '@sveltejs/kit';
import { voterRefusalNoticePdf } from '$lib/server/documents/refusal-notice';
import { voterContext } from '$lib/server/flows/context';
import { normalizeReference } from '$lib/server/reference';
import type { RequestHandler } from './$types';

/**
 * The written notice of the refusal (§77) of one of the logged-in voter's own requests, as
 * the office issued it (in Czech). Another voter's reference, one that does not exist, or a
 * request that was not refused is the same 404.
 */
export const GET: RequestHandler = async (event) => {
	const ctx = voterContext(event);
	const reference = normalizeReference(event.params.reference);
	if (!reference) error(404, 'Not found');
	if (reference !== event.params.reference) redirect(308, `/zadosti/${reference}/oznameni.pdf`);
	const pdf = await voterRefusalNoticePdf(ctx.db, { voterId: ctx.voterId, reference, now: ctx.now });
	if (!pdf) error(404, 'Not found');
	return new Response(new Uint8Array(pdf), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `inline; filename="oznameni-${reference}.pdf"`,
			'Content-Length': String(pdf.length),
			// personal data: never kept by a shared browser cache or a proxy
			'Cache-Control': 'private, no-store'
		}
	});
};
