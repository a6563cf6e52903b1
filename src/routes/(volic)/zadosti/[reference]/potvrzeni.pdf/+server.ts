import { error, redirect } from '@sveltejs/kit';
import { requestReceiptPdf } from '$lib/server/documents';
import { voterContext } from '$lib/server/flows/context';
import { normalizeReference } from '$lib/server/reference';
import type { RequestHandler } from './$types';

/**
 * The receipt of one of the logged-in voter's requests, as a PDF in the voter's language.
 * Another voter's reference, or one that does not exist, is the same 404.
 */
export const GET: RequestHandler = async (event) => {
	const ctx = voterContext(event);
	const reference = normalizeReference(event.params.reference);
	if (!reference) error(404, 'Not found');
	if (reference !== event.params.reference) redirect(308, `/zadosti/${reference}/potvrzeni.pdf`);
	const pdf = await requestReceiptPdf(ctx.db, { voterId: ctx.voterId, reference, locale: ctx.locale, now: ctx.now });
	if (!pdf) error(404, 'Not found');
	return new Response(new Uint8Array(pdf), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `inline; filename="potvrzeni-${reference}.pdf"`,
			'Content-Length': String(pdf.length),
			// personal data: never kept by a shared browser cache or a proxy
			'Cache-Control': 'private, no-store'
		}
	});
};
