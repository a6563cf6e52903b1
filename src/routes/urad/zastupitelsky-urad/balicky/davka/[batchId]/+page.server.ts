import { error, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { getBatchStatus, retryBatchRendering } from '$lib/server/services/packages';
import { EMBASSY_ROLES, staffActorFrom } from '$lib/server/services/staff-actor';
import type { Actions, PageServerLoad } from './$types';

/**
 * A batch of packages and its PDF. Without JavaScript the page says how far the PDF is and
 * offers a link to look again; with JavaScript a progress bar polls ./stav.
 */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
	const result = await getBatchStatus(db(), { batchId: params.batchId }, actor, () => clock().now());
	if (result.kind === 'forbidden') error(403);
	if (result.kind === 'not-found') error(404);
	const issued = Number(url.searchParams.get('vydano'));
	return { batch: result.batch, justIssued: Number.isInteger(issued) && issued > 0 };
};

export const actions: Actions = {
	default: async ({ locals, params }) => {
		const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
		const result = await retryBatchRendering(db(), { batchId: params.batchId }, actor, () => clock().now());
		if (result.kind === 'forbidden') error(403);
		if (result.kind === 'not-found') error(404);
		redirect(303, `/urad/zastupitelsky-urad/balicky/davka/${params.batchId}`);
	}
};
