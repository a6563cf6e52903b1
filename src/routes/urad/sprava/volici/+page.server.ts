import { error } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { requireStaff } from '$lib/server/auth/guards';
import { db } from '$lib/server/db/runtime';
import { listAllStatisticsOffices } from '$lib/server/db/queries/statistics';
import { staffActorFrom } from '$lib/server/services/staff-actor';
import { listRecentVoterImports, VOTER_LIST_ROLES } from '$lib/server/services/voter-import';
import type { PageServerLoad } from './$types';

/** The voter list for administrators: import a file, export the list, the latest imports. */
export const load: PageServerLoad = async ({ locals }) => {
	const actor = staffActorFrom(requireStaff(locals, VOTER_LIST_ROLES));
	const recent = await listRecentVoterImports(db(), actor);
	if (recent.kind === 'forbidden') error(403, 'Forbidden');
	const en = getLocale() === 'en';
	const offices = (await listAllStatisticsOffices(db())).map((o) => ({ value: o.code, label: en ? o.name_en : o.name_cs }));
	return { imports: recent.imports, offices };
};
