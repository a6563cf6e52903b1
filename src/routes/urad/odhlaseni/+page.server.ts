import { redirect } from '@sveltejs/kit';
import { deleteSessionCookie } from '$lib/server/auth/cookies';
import { logout } from '$lib/server/auth/logout';
import { clock } from '$lib/server/clock';
import { config } from '$lib/server/config';
import { findSessionStaff, findStaffUserById } from '$lib/server/db/queries/staff-users';
import { db } from '$lib/server/db/runtime';
import type { Actions, PageServerLoad } from './$types';

/** GET shows the logout button (or, without a session, that the staff member is logged out). */
export const load: PageServerLoad = ({ locals }) => ({ loggedIn: locals.session !== null });

export const actions: Actions = {
	/** Logging out is a POST: a link could be prefetched or forged. */
	default: async ({ locals, cookies }) => {
		if (locals.session) {
			const database = db();
			// A session still waiting for the second factor has no locals.staff, but is a staff member's all the same.
			let staff = locals.staff ? { id: locals.staff.id, officeId: locals.staff.officeId } : null;
			if (!staff && !locals.voter) {
				const pending = await findSessionStaff(database, locals.session.id);
				const row = pending ? await findStaffUserById(database, pending.staff_id) : undefined;
				staff = row ? { id: row.id, officeId: row.office_id } : null;
			}
			await logout(database, { sessionId: locals.session.id, voterId: locals.voter?.id ?? null, staff }, clock().now());
		}
		deleteSessionCookie(cookies, config());
		redirect(303, '/urad/odhlaseni');
	}
};
