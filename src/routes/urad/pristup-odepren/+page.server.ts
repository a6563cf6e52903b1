import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { ANY_STAFF_ROLE, requireStaff } from '$lib/server/auth/guards';
import type { PageServerLoad } from './$types';

/**
 * The 403 page of the staff workspace: hooks.server.ts shows it (status 403) instead of a
 * route group's page when a staff member of another role asks for it.
 */
export const load: PageServerLoad = ({ locals }) => {
	requireStaff(locals, ANY_STAFF_ROLE);
	error(403, m.staff_forbidden_text());
};
