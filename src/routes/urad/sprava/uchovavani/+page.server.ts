import { error } from '@sveltejs/kit';
import { getRetentionOverview, runRetention } from '$lib/server/services/retention';
import { adminContext } from '../volby/admin-server';
import type { Actions, PageServerLoad } from './$types';

/** §22(6): where each election's voter data stands, the last runs, and "run now". */
export const load: PageServerLoad = async ({ locals }) => {
	const ctx = adminContext(locals);
	const overview = await getRetentionOverview(ctx.db, ctx.actor, ctx.now);
	if (!overview) error(403, 'Forbidden');
	return overview;
};

export const actions: Actions = {
	default: async ({ locals }) => {
		const ctx = adminContext(locals);
		const result = await runRetention(ctx.db, ctx.actor, ctx.now);
		if (result.kind !== 'ok') error(403, 'Forbidden');
		return { report: result.report };
	}
};
