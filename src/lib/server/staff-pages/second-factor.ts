/**
 * The pages of a later login's second step (the app's code, a recovery code): open only while
 * a login of an enrolled account waits for its second factor; anyone else is sent on.
 */
import { redirect } from '@sveltejs/kit';
import { findPendingLogin } from '../auth/staff';
import { loginPath, STAFF_ENROL_PATH, staffDestination, withReturn, type staffReturnPath } from '../auth/staff-routes';
import { db } from '../db/runtime';

export async function requirePendingSecondFactor(locals: App.Locals, returnTo: ReturnType<typeof staffReturnPath>): Promise<void> {
	if (locals.staff) redirect(303, staffDestination(returnTo, locals.staff.role));
	const pending = locals.session ? await findPendingLogin(db(), locals.session.id) : null;
	if (!pending) redirect(303, loginPath(returnTo));
	if (!pending.enrolled) redirect(303, withReturn(STAFF_ENROL_PATH, returnTo));
}
