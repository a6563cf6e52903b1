import { error, fail, redirect } from '@sveltejs/kit';
import { createMunicipalOffice, REGIONS } from '$lib/server/services/admin-offices';
import { adminContext } from '../../volby/admin-server';
import { parseMunicipalForm } from '../office-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	adminContext(locals);
	return { regions: Object.entries(REGIONS).map(([value, label]) => ({ value, label })) };
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const ctx = adminContext(locals);
		const parsed = parseMunicipalForm(await request.formData());
		if (!parsed.data) return fail(400, { values: parsed.values, errors: parsed.errors });
		const result = await createMunicipalOffice(ctx.db, parsed.data, ctx.actor, ctx.now);
		if (result.kind === 'forbidden') error(403, 'Forbidden');
		if (result.kind !== 'ok') return fail(400, { values: parsed.values, errors: result.kind === 'invalid' ? result.errors : {} });
		redirect(303, `/urad/sprava/urady/${result.id}?vytvoreno=1`);
	}
};
