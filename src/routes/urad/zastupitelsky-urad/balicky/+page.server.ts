import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { db } from '$lib/server/db/runtime';
import { listPackageElections } from '$lib/server/services/packages';
import { EMBASSY_ROLES, staffActorFrom } from '$lib/server/services/staff-actor';
import type { PageServerLoad } from './$types';

/** §57a(1): the elections with correspondence voting, to choose where to work on packages. */
export const load: PageServerLoad = async ({ locals }) => {
	const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
	const result = await listPackageElections(db(), actor);
	if (result.kind === 'forbidden') error(403);
	return {
		elections: result.elections.map((e) => ({ id: e.id, titleCs: e.title_cs, titleEn: e.title_en, firstDay: e.rounds[0]?.first_day ?? null }))
	};
};
