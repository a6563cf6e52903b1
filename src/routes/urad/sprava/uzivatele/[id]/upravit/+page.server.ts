import { error, fail, redirect } from '@sveltejs/kit';
import type { StaffRole } from '$lib/server/db/schema';
import { getStaffForAdmin, STAFF_ROLES, updateStaffAccount } from '$lib/server/services/admin-staff';
import { adminContext, text } from '../../../volby/admin-server';
import { officeOptions, parseStaffForm } from '../../staff-form';
import type { Actions, PageServerLoad } from './$types';

/** A new role and office (and name and e-mail), against the role and office the administrator saw. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const ctx = adminContext(locals);
	const s = await getStaffForAdmin(ctx.db, ctx.actor, params.id);
	if (!s) error(404, 'Not found');
	return {
		account: { id: s.id, username: s.username },
		self: s.id === ctx.actor.id,
		values: { displayName: s.display_name, email: s.email ?? '', role: s.role, officeId: s.office_id ?? '', expectedRole: s.role, expectedOfficeId: s.office_id ?? '' },
		roles: STAFF_ROLES,
		offices: await officeOptions(ctx.db)
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const ctx = adminContext(locals);
		const form = await request.formData();
		const parsed = parseStaffForm(form, false);
		const expectedRole = text(form, 'expectedRole', 40) as StaffRole;
		const expectedOfficeId = text(form, 'expectedOfficeId', 40);
		const values = { ...parsed.values, expectedRole, expectedOfficeId };
		if (Object.keys(parsed.errors).length) return fail(400, { values, errors: parsed.errors });
		if (!STAFF_ROLES.includes(expectedRole)) return fail(409, { values, errors: {}, problem: 'changed-meanwhile' });
		const result = await updateStaffAccount(ctx.db, { ...parsed.data, id: params.id, expectedRole, expectedOfficeId: expectedOfficeId || null }, ctx.actor, ctx.now);
		switch (result.kind) {
			case 'ok':
				redirect(303, `/urad/sprava/uzivatele/${params.id}?upraveno=1`);
			case 'forbidden':
				error(403, 'Forbidden');
			case 'not-found':
				error(404, 'Not found');
			case 'invalid':
				return fail(400, { values, errors: result.errors });
			case 'self':
				return fail(409, { values, errors: {}, problem: 'self' });
			default:
				return fail(409, { values, errors: {}, problem: 'changed-meanwhile' });
		}
	}
};
