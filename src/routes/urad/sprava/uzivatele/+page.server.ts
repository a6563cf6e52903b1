import { error } from '@sveltejs/kit';
import { listStaffForAdmin } from '$lib/server/services/admin-staff';
import { adminContext } from '../volby/admin-server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const ctx = adminContext(locals);
	const staff = await listStaffForAdmin(ctx.db, ctx.actor);
	if (!staff) error(403, 'Forbidden');
	return {
		staff: staff.map((s) => ({
			id: s.id,
			username: s.username,
			displayName: s.display_name,
			role: s.role,
			officeCs: s.office_name_cs,
			officeEn: s.office_name_en,
			disabled: s.disabled_at !== null,
			enrolled: s.totp_enrolled_at !== null
		}))
	};
};
