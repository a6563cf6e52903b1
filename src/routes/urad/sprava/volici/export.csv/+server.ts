import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { staffActorFrom } from '$lib/server/services/staff-actor';
import { exportVoterList, VOTER_LIST_ROLES } from '$lib/server/services/voter-import';
import type { RequestHandler } from './$types';

/**
 * The voter list in the import's CSV shape, streamed as it is read (never built in memory):
 * `?urad=<office code>` for one office's lists, none (or empty) for all.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	const actor = staffActorFrom(requireStaff(locals, VOTER_LIST_ROLES));
	const officeCode = url.searchParams.get('urad') || null;
	const result = await exportVoterList(db(), { officeCode }, actor, clock().now());
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
