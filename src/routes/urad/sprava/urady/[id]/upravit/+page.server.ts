import { error, fail, redirect } from '@sveltejs/kit';
import { getOfficeForAdmin, REGIONS, updateEmbassy, updateMunicipalOffice, type OfficeChangeResult } from '$lib/server/services/admin-offices';
import { adminContext, countryNames, text } from '../../../volby/admin-server';
import { officeValues, parseEmbassyForm, parseMunicipalForm } from '../../office-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const ctx = adminContext(locals);
	const detail = await getOfficeForAdmin(ctx.db, ctx.actor, params.id);
	if (!detail) error(404, 'Not found');
	return {
		office: { id: detail.office.id, kind: detail.office.kind, nameCs: detail.office.name_cs, nameEn: detail.office.name_en },
		values: { ...officeValues(detail.office), version: detail.version },
		regions: Object.entries(REGIONS).map(([value, label]) => ({ value, label })),
		countryNames: countryNames()
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const ctx = adminContext(locals);
		const detail = await getOfficeForAdmin(ctx.db, ctx.actor, params.id);
		if (!detail) error(404, 'Not found');
		const form = await request.formData();
		const version = text(form, 'version', 80);
		let result: OfficeChangeResult;
		let values: Record<string, string>;
		if (detail.office.kind === 'embassy') {
			const parsed = parseEmbassyForm(form);
			values = { ...parsed.values, version };
			if (!parsed.data) return fail(400, { values, errors: parsed.errors, countriesTaken: [] as string[] });
			result = await updateEmbassy(ctx.db, { ...parsed.data, id: detail.office.id, version }, ctx.actor, ctx.now);
		} else {
			const parsed = parseMunicipalForm(form);
			values = { ...parsed.values, version };
			if (!parsed.data) return fail(400, { values, errors: parsed.errors, countriesTaken: [] as string[] });
			result = await updateMunicipalOffice(ctx.db, { ...parsed.data, id: detail.office.id, version }, ctx.actor, ctx.now);
		}
		switch (result.kind) {
			case 'forbidden':
				error(403, 'Forbidden');
			case 'not-found':
				error(404, 'Not found');
			case 'invalid':
				return fail(400, { values, errors: result.errors, countriesTaken: result.countriesTaken ?? [] });
			case 'changed-meanwhile':
				return fail(409, { values, errors: {}, countriesTaken: [] as string[], problem: 'changed-meanwhile' });
			case 'ok':
				redirect(303, `/urad/sprava/urady/${detail.office.id}?upraveno=1`);
		}
	}
};
