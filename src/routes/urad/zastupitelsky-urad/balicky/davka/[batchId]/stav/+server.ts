import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { progressResponse } from '$lib/server/services/document-job';
import { getBatchStatus } from '$lib/server/services/packages';
import { EMBASSY_ROLES, staffActorFrom } from '$lib/server/services/staff-actor';
import type { RequestHandler } from './$types';

/** The batch page's progress poll: how many packages of the PDF are rendered. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
	const result = await getBatchStatus(db(), { batchId: params.batchId }, actor, () => clock().now());
	if (result.kind === 'forbidden') error(403);
	if (result.kind === 'not-found') error(404);
	const { status, rendered, total } = result.batch;
	return progressResponse({ status, rendered, total });
};
