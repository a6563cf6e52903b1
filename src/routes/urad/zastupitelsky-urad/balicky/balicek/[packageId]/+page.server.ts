import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { getPackageDetail } from '$lib/server/services/packages';
import { EMBASSY_ROLES, staffActorFrom } from '$lib/server/services/staff-actor';
import { packageView } from './package-view';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
	const result = await getPackageDetail(db(), { packageId: params.packageId }, actor, clock().now());
	if (result.kind === 'forbidden') error(403);
	if (result.kind === 'not-found') error(404);
	return { pkg: packageView(result), done: url.searchParams.has('hotovo') };
};
