import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { securityInstant } from '$lib/server/auth/staff-routes';
import { listStaffLoginLocks } from '$lib/server/services/admin-staff';
import { DASHBOARD_ROLES, loadDashboard } from '$lib/server/services/dashboard';
import { staffActorFrom } from '$lib/server/services/staff-actor';
import type { PageServerLoad } from './$types';

/**
 * The dashboard: `?volby=<election id>` and, for administrators, `?urad=<office code>`.
 * An office that is not the staff member's own is a 404, as an unknown one.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = staffActorFrom(requireStaff(locals, DASHBOARD_ROLES));
	const now = clock().now();
	const result = await loadDashboard(
		db(),
		{ electionId: url.searchParams.get('volby') || null, officeCode: url.searchParams.get('urad') || null },
		actor,
		now
	);
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	if (result.kind === 'not-found') error(404, 'Not found');
	// Administrators see every staff account locked for everyone, read on each view (issue 19).
	const locks = (await listStaffLoginLocks(db(), actor, securityInstant(now))) ?? [];
	return {
		dashboard: result.kind === 'ok' ? result.data : null,
		administrator: actor.role === 'administrator',
		loginLocks: locks.map((l) => ({
			staffId: l.staff_id,
			username: l.username,
			displayName: l.display_name,
			officeCs: l.office_name_cs,
			officeEn: l.office_name_en,
			lockedAt: l.locked_at.toISOString(),
			lockedUntil: l.locked_until.toISOString(),
			failures: l.failures,
			addresses: l.addresses
		}))
	};
};
