import { error, json } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { staffActorFrom } from '$lib/server/services/staff-actor';
import { getVoterImportStatus, VOTER_LIST_ROLES } from '$lib/server/services/voter-import';
import type { RequestHandler } from './$types';

/** The import page's progress poll. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const actor = staffActorFrom(requireStaff(locals, VOTER_LIST_ROLES));
	const result = await getVoterImportStatus(db(), { importId: params.id }, actor, () => clock().now());
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	if (result.kind === 'not-found') error(404, 'Not found');
	const { status, phase, percent } = result.view;
	return json({ status, phase, percent }, { headers: { 'cache-control': 'no-store' } });
};
