import { fail, redirect } from '@sveltejs/kit';
import { formFields, totpCodeErrors, totpCodeForm } from '$lib/forms/staff-auth';
import { verifyLoginCode } from '$lib/server/auth/staff';
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

/** GET /urad/prihlaseni/overeni: the code from the authenticator app (step 2 of every later login). */
export const load: PageServerLoad = async ({ locals, url }) => {
	const returnTo = staffReturnPath(url.searchParams.get('zpet'));
	await requirePendingSecondFactor(locals, returnTo);
	return { returnTo };
};

export const actions: Actions = {
	default: async ({ request, locals, cookies, url, setHeaders, getClientAddress }) => {
		const now = clock().now();
		const returnTo = staffReturnPath(url.searchParams.get('zpet'));
		const { code } = totpCodeForm.parse(formFields(await request.formData()));
		const errors = totpCodeErrors(code);
		if (Object.keys(errors).length) return fail(400, { values: {}, errors });
		if (!locals.session) redirect(303, loginPath(returnTo));
		const limited = await rateLimited('totp', locals.session.id, setHeaders);
		if (limited) return limited;

		const result = await verifyLoginCode(db(), { sessionId: locals.session.id, code, clientAddress: getClientAddress(), securityAt: securityInstant(now) }, now);
		switch (result.kind) {
			case 'invalid':
				return fail(400, { values: {}, errors: { code: 'code_invalid' } });
			case 'replayed':
				return fail(400, { values: {}, errors: { code: 'code_replayed' } });
			case 'throttled':
			case 'locked':
				return fail(400, { values: {}, errors: {}, ...heldView(result) });
			case 'no-login':
				redirect(303, loginPath(returnTo));
			case 'not-enrolled':
				redirect(303, withReturn(STAFF_ENROL_PATH, returnTo));
			case 'ok':
				setStaffSessionCookie(cookies, result.session.token);
				redirect(303, result.mustChangePassword ? STAFF_PASSWORD_PATH : staffDestination(returnTo, result.role));
		}
	}
};
