import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { db } from '$lib/server/db/runtime';
import { getPackagePdf } from '$lib/server/services/packages';
import { EMBASSY_ROLES, staffActorFrom } from '$lib/server/services/staff-actor';
import type { RequestHandler } from './$types';

/** One package's three pages again, from its stored row (a spoilt print); same numbers, same code. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
	const result = await getPackagePdf(db(), { packageId: params.packageId }, actor);
	if (result.kind === 'forbidden') error(403);
	if (result.kind === 'not-found') error(404);
	return new Response(new Uint8Array(result.pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="pisemnosti-${result.idSlipNumber}.pdf"`,
			'cache-control': 'no-store'
		}
	});
};
