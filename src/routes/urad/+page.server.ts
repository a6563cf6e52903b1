import { redirect } from '@sveltejs/kit';
import { staffHome } from '$lib/server/auth/access';
import { ANY_STAFF_ROLE, requireStaff } from '$lib/server/auth/guards';
import type { PageServerLoad } from './$types';

/** /urad sends each staff member to the home of their role. */
export const load: PageServerLoad = ({ locals }) => {
	const staff = requireStaff(locals, ANY_STAFF_ROLE);
	redirect(303, staffHome(staff.role));
};
