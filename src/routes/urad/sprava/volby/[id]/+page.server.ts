import { error } from '@sveltejs/kit';
import { getElectionForAdmin } from '$lib/server/services/admin-elections';
import { adminContext, countryNames } from '../admin-server';
import type { PageServerLoad } from './$types';

/** One election: settings, calendar (§57–§57b) and the embassies' windows (§2(3)). */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const ctx = adminContext(locals);
	const election = await getElectionForAdmin(ctx.db, ctx.actor, params.id, ctx.now);
	if (!election) error(404, 'Not found');
	return {
		election,
		countryNames: countryNames(),
		created: url.searchParams.has('vytvoreno'),
		updated: url.searchParams.has('upraveno')
	};
};
