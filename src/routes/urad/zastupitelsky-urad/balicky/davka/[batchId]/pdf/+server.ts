import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { db } from '$lib/server/db/runtime';
import { getBatchPdf } from '$lib/server/services/packages';
import { EMBASSY_ROLES, staffActorFrom } from '$lib/server/services/staff-actor';
import type { RequestHandler } from './$types';

/** The batch's PDF as stored once rendered: ID slips, return-envelope labels and instructions (§57b). */
export const GET: RequestHandler = async ({ locals, params }) => {
	const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
	const result = await getBatchPdf(db(), { batchId: params.batchId }, actor);
	if (result.kind === 'forbidden') error(403);
	if (result.kind === 'not-found') error(404);
	return new Response(new Uint8Array(result.pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="pisemnosti-davka-${params.batchId.slice(0, 8)}.pdf"`,
			'cache-control': 'no-store'
		}
	});
};
