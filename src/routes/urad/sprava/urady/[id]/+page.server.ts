import { error } from '@sveltejs/kit';
import { getOfficeForAdmin, REGIONS } from '$lib/server/services/admin-offices';
import { adminContext, countryNames } from '../../volby/admin-server';
import type { PageServerLoad } from './$types';

/** One office; for an embassy, its windows in every election held abroad (§2(3)). */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const ctx = adminContext(locals);
	const detail = await getOfficeForAdmin(ctx.db, ctx.actor, params.id);
	if (!detail) error(404, 'Not found');
	return {
		office: detail.office,
		elections: detail.elections,
		regionName: detail.office.region_code ? (REGIONS[detail.office.region_code] ?? detail.office.region_code) : null,
		countryNames: countryNames(),
		created: url.searchParams.has('vytvoreno'),
		updated: url.searchParams.has('upraveno'),
		windowsSaved: url.searchParams.has('casy')
	};
};
