import { error, fail, redirect } from '@sveltejs/kit';
import { createEmbassy } from '$lib/server/services/admin-offices';
import { adminContext, countryNames } from '../../volby/admin-server';
import { parseEmbassyForm } from '../office-form';
import type { Actions, PageServerLoad } from './$types';

/** A new embassy; its windows in every election held abroad are proposed from its time zone (§2(3)). */
export const load: PageServerLoad = ({ locals }) => {
	adminContext(locals);
	return { countryNames: countryNames() };
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const ctx = adminContext(locals);
		const parsed = parseEmbassyForm(await request.formData());
		if (!parsed.data) return fail(400, { values: parsed.values, errors: parsed.errors, countriesTaken: [] as string[] });
		const result = await createEmbassy(ctx.db, parsed.data, ctx.actor, ctx.now);
		if (result.kind === 'forbidden') error(403, 'Forbidden');
		if (result.kind === 'invalid') return fail(400, { values: parsed.values, errors: result.errors, countriesTaken: result.countriesTaken ?? [] });
		if (result.kind !== 'ok') error(404, 'Not found');
		redirect(303, `/urad/sprava/urady/${result.id}?vytvoreno=1`);
	}
};
