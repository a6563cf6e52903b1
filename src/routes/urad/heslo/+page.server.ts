import { fail } from '@sveltejs/kit';
import { formFields, passwordChangeErrors, passwordChangeForm, STAFF_PASSWORD_MAX, STAFF_PASSWORD_MIN } from '$lib/forms/staff-auth';
import { ANY_STAFF_ROLE, requireStaff } from '$lib/server/auth/guards';
import { changeStaffPassword } from '$lib/server/auth/staff';
import { clearRateLimit, heldView, rateLimited, securityInstant } from '$lib/server/auth/staff-routes';
import { clock } from '$lib/server/clock';
import { findStaffUserById } from '$lib/server/db/queries/staff-users';
import { db } from '$lib/server/db/runtime';
import type { Actions, PageServerLoad } from './$types';

/** GET /urad/heslo: a new password (current one, new one twice); any staff role. */
export const load: PageServerLoad = async ({ locals }) => {
	const staff = requireStaff(locals, ANY_STAFF_ROLE);
	const row = await findStaffUserById(db(), staff.id);
	return { min: STAFF_PASSWORD_MIN, max: STAFF_PASSWORD_MAX, mustChange: row?.must_change_password ?? false };
};

export const actions: Actions = {
	default: async ({ request, locals, setHeaders, getClientAddress }) => {
		const staff = requireStaff(locals, ANY_STAFF_ROLE);
		const now = clock().now();
		const database = db();
		const input = passwordChangeForm.parse(formFields(await request.formData()));
		const row = await findStaffUserById(database, staff.id);
		// Passwords are never sent back to the page.
		const errors = passwordChangeErrors(input, row?.username ?? '');
		if (Object.keys(errors).length) return fail(400, { values: {}, errors });
		const rateKey = `password ${staff.id}`;
		const limited = await rateLimited('staff-login', rateKey, setHeaders);
		if (limited) return limited;
		const result = await changeStaffPassword(
			database,
			{ staffId: staff.id, sessionId: locals.session!.id, currentPassword: input.current, newPassword: input.next, clientAddress: getClientAddress(), securityAt: securityInstant(now) },
			now
		);
		switch (result.kind) {
			case 'wrong-password':
			case 'not-found':
				return fail(400, { values: {}, errors: { current: 'current_wrong' } });
			case 'throttled':
			case 'locked':
				return fail(400, { values: {}, errors: {}, ...heldView(result) });
			case 'ok':
				await clearRateLimit('staff-login', rateKey);
				return { changed: true as const, otherSessionsEnded: result.otherSessionsEnded };
		}
	}
};
