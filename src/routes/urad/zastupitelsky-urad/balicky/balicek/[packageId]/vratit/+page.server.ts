import { error, fail, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { clock } from '$lib/server/clock';
import { findConsignmentOfRequest } from '$lib/server/db/queries/batches';
import { db } from '$lib/server/db/runtime';
import { getPackageDetail, undoPackageDispatch } from '$lib/server/services/packages';
import { EMBASSY_ROLES, staffActorFrom } from '$lib/server/services/staff-actor';
import type { Actions, PageServerLoad } from './$types';

/** Issue 12: a package's dispatch or hand-over recorded by mistake, undone the same day with the reason. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
	const result = await getPackageDetail(db(), { packageId: params.packageId }, actor, clock().now());
	if (result.kind === 'forbidden') error(403);
	if (result.kind === 'not-found') error(404);
	const pkg = result.pkg;
	const back = `/urad/zastupitelsky-urad/balicky/balicek/${pkg.id}`;
	if (!pkg.dispatched_at) redirect(303, back);
	const consignment = await findConsignmentOfRequest(db(), pkg.request_id);
	return {
		base: '/urad/zastupitelsky-urad',
		back,
		kind: 'correspondence-package' as const,
		request: { id: pkg.request_id, reference: pkg.reference, voterName: `${pkg.given_name} ${pkg.family_name}` },
		handedOverAt: pkg.dispatched_at.toISOString(),
		method: pkg.dispatch_method,
		consignmentNumber: consignment?.number ?? null
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
		const form = await request.formData();
		const reason = String(form.get('duvod') ?? '').slice(0, 501);
		const result = await undoPackageDispatch(db(), { packageId: params.packageId, reason }, actor, clock().now());
		switch (result.kind) {
			case 'done':
				redirect(303, `/urad/zastupitelsky-urad/balicky/balicek/${params.packageId}?hotovo`);
			case 'forbidden':
				error(403);
			case 'not-found':
				error(404);
			case 'not-dispatched':
				redirect(303, `/urad/zastupitelsky-urad/balicky/balicek/${params.packageId}`);
			case 'undo-too-late':
				return fail(409, { values: { duvod: reason }, errors: { duvod: 'too-late' } as Record<string, string> });
			case 'invalid':
				return fail(400, { values: { duvod: reason }, errors: { duvod: reason.trim().length > 500 ? 'too-long' : 'required' } as Record<string, string> });
		}
	}
};
