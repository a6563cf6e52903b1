import { redirect } from '@sveltejs/kit';
import { deleteSessionCookie } from '$lib/server/auth/cookies';
import { logout } from '$lib/server/auth/logout';
import { clock } from '$lib/server/clock';
import { config } from '$lib/server/config';
import { db } from '$lib/server/db/runtime';
import type { Actions, PageServerLoad } from './$types';

/** GET shows the confirmation (or, without a session, that the person is logged out). */
export const load: PageServerLoad = ({ locals }) => ({ loggedIn: locals.session !== null });

export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		if (locals.session) {
			await logout(
				db(),
				{
					sessionId: locals.session.id,
					voterId: locals.voter?.id ?? null,
					staff: locals.staff ? { id: locals.staff.id, officeId: locals.staff.officeId } : null
				},
				clock().now()
			);
		}
		deleteSessionCookie(cookies, config());
		redirect(303, '/odhlaseni');
	}
};
