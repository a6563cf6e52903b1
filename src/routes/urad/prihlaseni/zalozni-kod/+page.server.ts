import { fail, redirect } from '@sveltejs/kit';
import { formFields, recoveryCodeErrors, recoveryCodeForm } from '$lib/forms/staff-auth';
import { verifyLoginRecoveryCode } from '$lib/server/auth/staff';
import {
	heldView,
	loginPath,
	rateLimited,
	securityInstant,
	setStaffSessionCookie,
	STAFF_ENROL_PATH,
	STAFF_PASSWORD_PATH,
	staffDestination,
	staffReturnPath,
	withReturn
} from '$lib/server/auth/staff-routes';
import { clock } from '$lib/server/clock';
import { requirePendingSecondFactor } from '$lib/server/staff-pages/second-factor';
import { db } from '$lib/server/db/runtime';
import type { Actions, PageServerLoad } from './$types';

/** GET /urad/prihlaseni/zalozni-kod: a recovery code instead of the app's code (each works once). */
export const load: PageServerLoad = async ({ locals, url, request }) => {
	const returnTo = staffReturnPath(url.searchParams.get('zpet'));
	// After a form post, the action's answer is the page (how many codes are left): no redirects.
	if (request.method === 'POST') return { returnTo };
	await requirePendingSecondFactor(locals, returnTo);
	return { returnTo };
};

export const actions: Actions = {
	default: async ({ request, locals, cookies, url, setHeaders, getClientAddress }) => {
		const now = clock().now();
		const returnTo = staffReturnPath(url.searchParams.get('zpet'));
		const { code } = recoveryCodeForm.parse(formFields(await request.formData()));
		const errors = recoveryCodeErrors(code);
		// A recovery code is a secret like a password: it is not shown again.
		if (Object.keys(errors).length) return fail(400, { values: {}, errors });
		if (!locals.session) redirect(303, loginPath(returnTo));
		const limited = await rateLimited('totp', locals.session.id, setHeaders);
		if (limited) return limited;

		const result = await verifyLoginRecoveryCode(db(), { sessionId: locals.session.id, code, clientAddress: getClientAddress(), securityAt: securityInstant(now) }, now);
		switch (result.kind) {
			case 'invalid':
			case 'replayed':
				return fail(400, { values: {}, errors: { code: 'recovery_invalid' } });
			case 'throttled':
			case 'locked':
				return fail(400, { values: {}, errors: {}, ...heldView(result) });
			case 'no-login':
				redirect(303, loginPath(returnTo));
			case 'not-enrolled':
				redirect(303, withReturn(STAFF_ENROL_PATH, returnTo));
			case 'ok':
				setStaffSessionCookie(cookies, result.session.token);
				return {
					done: true as const,
					recoveryCodesLeft: result.recoveryCodesLeft ?? 0,
					next: result.mustChangePassword ? STAFF_PASSWORD_PATH : staffDestination(returnTo, result.role)
				};
		}
	}
};
