import { fail, redirect } from '@sveltejs/kit';
import { formFields, totpCodeErrors, totpCodeForm } from '$lib/forms/staff-auth';
import { confirmTotpEnrolment, startTotpEnrolment } from '$lib/server/auth/staff';
import {
	enrolmentView,
	heldView,
	loginPath,
	rateLimited,
	securityInstant,
	setStaffSessionCookie,
	STAFF_CODE_PATH,
	STAFF_PASSWORD_PATH,
	staffDestination,
	staffReturnPath,
	withReturn
} from '$lib/server/auth/staff-routes';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import type { Actions, PageServerLoad } from './$types';

/**
 * GET /urad/prihlaseni/aplikace: the first login's second step. The QR code of a new key
 * (the same one on every view until a code confirms it) and the key as text.
 */
export const load: PageServerLoad = async ({ locals, url, request }) => {
	const returnTo = staffReturnPath(url.searchParams.get('zpet'));
	// After a form post, the action's answer is the page (the recovery codes, shown once): no redirects.
	const posted = request.method === 'POST';
	if (locals.staff && !posted) redirect(303, staffDestination(returnTo, locals.staff.role));
	const start = locals.session ? await startTotpEnrolment(db(), { sessionId: locals.session.id }) : ({ kind: 'no-login' } as const);
	if (start.kind === 'ok') return { returnTo, setup: enrolmentView(start.key, start.username) };
	if (posted) return { returnTo, setup: null };
	redirect(303, start.kind === 'already-enrolled' ? withReturn(STAFF_CODE_PATH, returnTo) : loginPath(returnTo));
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

		const result = await confirmTotpEnrolment(db(), { sessionId: locals.session.id, code, clientAddress: getClientAddress(), securityAt: securityInstant(now) }, now);
		switch (result.kind) {
			case 'invalid':
				return fail(400, { values: {}, errors: { code: 'code_invalid' } });
			case 'throttled':
			case 'locked':
				return fail(400, { values: {}, errors: {}, ...heldView(result) });
			case 'no-login':
				redirect(303, loginPath(returnTo));
			case 'already-enrolled':
				redirect(303, withReturn(STAFF_CODE_PATH, returnTo));
			case 'ok':
				setStaffSessionCookie(cookies, result.session.token);
				// The recovery codes are shown this once, in this answer; nothing keeps them.
				return {
					done: true as const,
					recoveryCodes: result.recoveryCodes,
					next: result.mustChangePassword ? STAFF_PASSWORD_PATH : staffDestination(returnTo, result.role)
				};
		}
	}
};
