import { error, fail } from '@sveltejs/kit';
import { createStaffUser, STAFF_ROLES } from '$lib/server/services/admin-staff';
import { adminContext } from '../../volby/admin-server';
import { officeOptions, parseStaffForm } from '../staff-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const ctx = adminContext(locals);
	return { roles: STAFF_ROLES, offices: await officeOptions(ctx.db) };
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const ctx = adminContext(locals);
		const parsed = parseStaffForm(await request.formData(), true);
		if (Object.keys(parsed.errors).length) return fail(400, { values: parsed.values, errors: parsed.errors });
		const result = await createStaffUser(ctx.db, parsed.data, ctx.actor, ctx.now);
		if (result.kind === 'forbidden') error(403, 'Forbidden');
		if (result.kind === 'invalid') return fail(400, { values: parsed.values, errors: result.errors });
		// The temporary password is shown this once, on this response; it is stored only as a hash.
		return { created: { id: result.id, username: parsed.data.username.trim().toLowerCase(), temporaryPassword: result.temporaryPassword } };
	}
};
