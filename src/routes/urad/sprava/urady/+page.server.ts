import { error } from '@sveltejs/kit';
import { listOfficesForAdmin } from '$lib/server/services/admin-offices';
import { adminContext } from '../volby/admin-server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const ctx = adminContext(locals);
	const offices = await listOfficesForAdmin(ctx.db, ctx.actor);
	if (!offices) error(403, 'Forbidden');
	return { offices };
};
