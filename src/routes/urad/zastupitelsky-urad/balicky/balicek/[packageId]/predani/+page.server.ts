import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { getLocale } from '$lib/paraglide/runtime';
import { requireStaff } from '$lib/server/auth/guards';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { getPackageDetail, recordPackageHandOver } from '$lib/server/services/packages';
import { EMBASSY_ROLES, staffActorFrom } from '$lib/server/services/staff-actor';
import { handOverErrorText, localeOf } from '../../../texts';
import { packageView } from '../package-view';
import type { Actions, PageServerLoad } from './$types';

/** §57b(1): who collects the package at the embassy: the voter, or a proxy (next page). */
export const load: PageServerLoad = async ({ locals, params }) => {
	const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
	const result = await getPackageDetail(db(), { packageId: params.packageId }, actor, clock().now());
	if (result.kind === 'forbidden') error(403);
	if (result.kind === 'not-found') error(404);
	return { pkg: packageView(result) };
};

const schema = z.object({ recipient: z.enum(['volic', 'zmocnenec']) });

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
		const form = await request.formData();
		const parsed = schema.safeParse({ recipient: form.get('komu') });
		if (!parsed.success) return fail(400, { values: { komu: '' }, errors: { komu: 'required' as const } });
		if (parsed.data.recipient === 'zmocnenec') redirect(303, `/urad/zastupitelsky-urad/balicky/balicek/${params.packageId}/zmocnenec`);
		const result = await recordPackageHandOver(db(), { packageId: params.packageId, method: 'in-person' }, actor, clock().now());
		switch (result.kind) {
			case 'dispatched':
				redirect(303, `/urad/zastupitelsky-urad/balicky/balicek/${params.packageId}?hotovo`);
			case 'forbidden':
				error(403);
			case 'not-found':
				error(404);
			// A consignment number is given only by the batch dispatch (issue 12).
			case 'invalid':
			case 'number-used':
				error(400);
			case 'invalid-proxy':
				error(400);
			default:
				return fail(result.kind === 'already-dispatched' ? 409 : 400, {
					values: { komu: 'volic' },
					errors: { form: handOverErrorText(result, localeOf(getLocale())) }
				});
		}
	}
};
