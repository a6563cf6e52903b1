import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { DASHBOARD_ROLES, loadDashboard } from '$lib/server/services/dashboard';
import { staffActorFrom } from '$lib/server/services/staff-actor';
import type { PageServerLoad } from './$types';

/**
 * The dashboard: `?volby=<election id>` and, for administrators, `?urad=<office code>`.
 * An office that is not the staff member's own is a 404, as an unknown one.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = staffActorFrom(requireStaff(locals, DASHBOARD_ROLES));
	const result = await loadDashboard(
		db(),
		{ electionId: url.searchParams.get('volby') || null, officeCode: url.searchParams.get('urad') || null },
		actor,
		clock().now()
	);
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	if (result.kind === 'not-found') error(404, 'Not found');
	return { dashboard: result.kind === 'ok' ? result.data : null, administrator: actor.role === 'administrator' };
};
