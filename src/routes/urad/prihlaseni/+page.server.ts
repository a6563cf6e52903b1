import { fail, redirect } from '@sveltejs/kit';
import { formFields, loginErrors, loginForm } from '$lib/forms/staff-auth';
import { loginWithPassword } from '$lib/server/auth/staff';
import {
	clearRateLimit,
	heldView,
	rateLimited,
	securityInstant,
	setStaffSessionCookie,
	STAFF_CODE_PATH,
	STAFF_ENROL_PATH,
	staffDestination,
	staffReturnPath,
	withReturn
} from '$lib/server/auth/staff-routes';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import type { Actions, PageServerLoad } from './$types';

/** GET /urad/prihlaseni?zpet=<path>: the username and password (step 1 of the staff login). */
export const load: PageServerLoad = ({ locals, url }) => {
	const returnTo = staffReturnPath(url.searchParams.get('zpet'));
	// Logged in already: straight on.
	if (locals.staff) redirect(303, staffDestination(returnTo, locals.staff.role));
	return { returnTo };
};

export const actions: Actions = {
	default: async ({ request, locals, cookies, getClientAddress, setHeaders }) => {
		const now = clock().now();
		const fields = formFields(await request.formData());
		const input = loginForm.parse(fields);
		const returnTo = staffReturnPath(fields.zpet);
		// The username is shown again; the password never is.
		const values = { username: input.username, zpet: returnTo ?? '' };
		const errors = loginErrors(input);
		if (Object.keys(errors).length) return fail(400, { values, errors });
		const rateKey = `${getClientAddress()} ${input.username}`;
		const limited = await rateLimited('staff-login', rateKey, setHeaders, values);
		if (limited) return limited;

		const result = await loginWithPassword(db(), { ...input, previousSessionId: locals.session?.id ?? null, clientAddress: getClientAddress(), securityAt: securityInstant(now) }, now);
		switch (result.kind) {
			case 'invalid':
				// One answer for an unknown username and a wrong password.
				return fail(400, { values, errors: { password: 'invalid_credentials' } });
			case 'disabled':
				return fail(403, { values, errors: { username: 'account_disabled' } });
			case 'throttled':
			case 'locked':
				return fail(400, { values, errors: {}, ...heldView(result) });
			case 'ok':
				await clearRateLimit('staff-login', rateKey);
				setStaffSessionCookie(cookies, result.session.token);
				redirect(303, withReturn(result.next === 'enrol' ? STAFF_ENROL_PATH : STAFF_CODE_PATH, returnTo));
		}
	}
};
