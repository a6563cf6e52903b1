import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { parseIsoDate } from '$lib/domain';
import { freeText } from '$lib/forms/free-text';
import { getLocale } from '$lib/paraglide/runtime';
import { requireStaff } from '$lib/server/auth/guards';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { getPackageDetail, recordPackageHandOver } from '$lib/server/services/packages';
import { EMBASSY_ROLES, staffActorFrom } from '$lib/server/services/staff-actor';
import { handOverErrorText, localeOf } from '../../../texts';
import { packageView } from '../package-view';
import type { Actions, PageServerLoad } from './$types';

/** §57b(1): the proxy who collects the package; at most 7 voters per proxy, embassy and election. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
	const result = await getPackageDetail(db(), { packageId: params.packageId }, actor, clock().now());
	if (result.kind === 'forbidden') error(403);
	if (result.kind === 'not-found') error(404);
	return { pkg: packageView(result) };
};

/** '5. 11. 1978', '5.11.1978' or '1978-11-05' as YYYY-MM-DD; null when it is no real date. */
function parseBirthDate(value: string): string | null {
	const czech = /^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})$/.exec(value.trim());
	const iso = czech ? `${czech[3]}-${czech[2]!.padStart(2, '0')}-${czech[1]!.padStart(2, '0')}` : value.trim();
	return parseIsoDate(iso)?.toString() ?? null;
}

const schema = z.object({
	jmeno: freeText('characters').min(1, 'name').max(200, 'name'),
	narozeni: z.string().transform((v, ctx) => {
		const date = parseBirthDate(v);
		if (!date) ctx.addIssue({ code: 'custom', message: 'birth' });
		return date ?? '';
	}),
	doklad: freeText('characters').max(100, 'document').optional()
});

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
		const form = await request.formData();
		const raw = {
			jmeno: String(form.get('jmeno') ?? ''),
			narozeni: String(form.get('narozeni') ?? ''),
			doklad: String(form.get('doklad') ?? '')
		};
		const parsed = schema.safeParse(raw);
		if (!parsed.success) {
			const errors: { jmeno?: 'name' | 'characters'; narozeni?: 'birth'; doklad?: 'document' | 'characters' } = {};
			for (const issue of parsed.error.issues) {
				if (issue.path[0] === 'jmeno') errors.jmeno ??= issue.message === 'characters' ? 'characters' : 'name';
				if (issue.path[0] === 'narozeni') errors.narozeni = 'birth';
				if (issue.path[0] === 'doklad') errors.doklad ??= issue.message === 'characters' ? 'characters' : 'document';
			}
			return fail(400, { values: raw, errors });
		}
		const result = await recordPackageHandOver(
			db(),
			{
				packageId: params.packageId,
				method: 'proxy',
				proxy: { fullName: parsed.data.jmeno, birthDate: parsed.data.narozeni, identityDocument: parsed.data.doklad || null }
			},
			actor,
			clock().now()
		);
		switch (result.kind) {
			case 'dispatched':
				redirect(303, `/urad/zastupitelsky-urad/balicky/balicek/${params.packageId}?hotovo`);
			case 'forbidden':
				error(403);
			case 'not-found':
				error(404);
			// A consignment number is given only by the batch dispatch (issue 12).
			case 'invalid':
			case 'number-used':
				error(400);
			case 'invalid-proxy':
				return fail(400, { values: raw, errors: { jmeno: 'name' as const, narozeni: 'birth' as const } });
			default:
				return fail(result.kind === 'already-dispatched' ? 409 : 400, {
					values: raw,
					errors: { form: handOverErrorText(result, localeOf(getLocale())) }
				});
		}
	}
};
