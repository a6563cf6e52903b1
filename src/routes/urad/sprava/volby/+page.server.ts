import { error } from '@sveltejs/kit';
import { listElectionsForAdmin } from '$lib/server/services/admin-elections';
import { adminContext } from './admin-server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const ctx = adminContext(locals);
	const elections = await listElectionsForAdmin(ctx.db, ctx.actor, ctx.now);
	if (!elections) error(403, 'Forbidden');
	return { elections };
};
