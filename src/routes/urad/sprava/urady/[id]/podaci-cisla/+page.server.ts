import { error, fail, redirect } from '@sveltejs/kit';
import { findOfficeById } from '$lib/server/db/queries/offices';
import { isUuid } from '$lib/server/services/requests';
import { addConsignmentRange, listOfficeConsignmentRanges } from '$lib/server/services/consignments';
import { adminContext, text } from '../../../volby/admin-server';
import type { Actions, PageServerLoad } from './$types';

/** Issue 12: the consignment number ranges (UPU S10) a postal operator allotted to the office. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const ctx = adminContext(locals);
	const office = isUuid(params.id) ? await findOfficeById(ctx.db, params.id) : undefined;
	if (!office) error(404, 'Not found');
	const ranges = await listOfficeConsignmentRanges(ctx.db, office.id);
	return {
		office: { id: office.id, name: office.name_cs, nameEn: office.name_en },
		ranges: ranges.map((r) => ({ id: r.id, service: r.service, country: r.country, first: r.first_serial, last: r.last_serial, next: r.next_serial })),
		added: url.searchParams.has('pridano')
	};
};

const SERIAL = /^\d{1,8}$/;

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const ctx = adminContext(locals);
		const form = await request.formData();
		const values = { sluzba: text(form, 'sluzba', 10), zeme: text(form, 'zeme', 10), od: text(form, 'od', 20), do: text(form, 'do', 20) };
		const errors: Record<string, string> = {};
		if (!SERIAL.test(values.od)) errors.od = 'serial';
		if (!SERIAL.test(values.do)) errors.do = 'serial';
		if (Object.keys(errors).length) return fail(400, { values, errors });
		const result = await addConsignmentRange(
			ctx.db,
			{ officeId: params.id, service: values.sluzba, country: values.zeme, first: Number(values.od), last: Number(values.do) },
			ctx.actor,
			ctx.now
		);
		if (result.kind === 'forbidden') error(403, 'Forbidden');
		if (result.kind === 'not-found') error(404, 'Not found');
		if (result.kind === 'invalid') {
			const field = { service: 'sluzba', country: 'zeme', first: 'od', last: 'do' }[result.field];
			return fail(400, { values, errors: { [field]: result.field === 'last' ? 'order' : result.field } });
		}
		redirect(303, `/urad/sprava/urady/${params.id}/podaci-cisla?pridano`);
	}
};
