import { fail } from '@sveltejs/kit';
import { formFields, reenrolForm, totpCodeErrors } from '$lib/forms/staff-auth';
import { ANY_STAFF_ROLE, requireStaff } from '$lib/server/auth/guards';
import { confirmTotpReenrolment, startTotpReenrolment } from '$lib/server/auth/staff';
import { enrolmentView, heldView, rateLimited, securityInstant } from '$lib/server/auth/staff-routes';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import type { Actions, PageServerLoad } from './$types';

/**
 * GET /urad/heslo/aplikace: a new authenticator app (a new phone, or after logging in with a
 * recovery code). The old app and recovery codes work until the new app is confirmed.
 */
export const load: PageServerLoad = async ({ locals, request }) => {
	const staff = requireStaff(locals, ANY_STAFF_ROLE);
	// After a successful post the key is confirmed: no new one is made for the answer page.
	const start = await startTotpReenrolment(db(), { staffId: staff.id, create: request.method !== 'POST' });
	return { setup: start.kind === 'ok' ? enrolmentView(start.key, start.username) : null };
};

export const actions: Actions = {
	default: async ({ request, locals, setHeaders, getClientAddress }) => {
		const staff = requireStaff(locals, ANY_STAFF_ROLE);
		const now = clock().now();
		const input = reenrolForm.parse(formFields(await request.formData()));
		const errors = { ...(input.current ? {} : { current: 'current_required' as const }), ...totpCodeErrors(input.code) };
		if (Object.keys(errors).length) return fail(400, { values: {}, errors });
		const limited = await rateLimited('totp', locals.session!.id, setHeaders);
		if (limited) return limited;
		const result = await confirmTotpReenrolment(
			db(),
			{ staffId: staff.id, currentPassword: input.current, code: input.code, clientAddress: getClientAddress(), securityAt: securityInstant(now) },
			now
		);
		switch (result.kind) {
			case 'wrong-password':
				return fail(400, { values: {}, errors: { current: 'current_wrong' } });
			case 'invalid':
			case 'not-found':
				return fail(400, { values: {}, errors: { code: 'code_invalid' } });
			case 'throttled':
			case 'locked':
				return fail(400, { values: {}, errors: {}, ...heldView(result) });
			case 'ok':
				return { done: true as const, recoveryCodes: result.recoveryCodes };
		}
	}
};
