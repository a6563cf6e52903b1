import { error, fail, redirect } from '@sveltejs/kit';
import { CORRECTION_FIELDS, CORRECTION_SLUGS, correctionSchema } from '$lib/forms/corrections';
import { parseForm } from '$lib/forms/requests';
import { countryName, countryOptions, ISO_COUNTRY_CODES } from '$lib/server/countries';
import { findOfficeById } from '$lib/server/db/queries/offices';
import { findVoterById } from '$lib/server/db/queries/voters';
import { voterContext } from '$lib/server/flows/context';
import { competentOfficeFor, currentValues, requestCorrection } from '$lib/server/services/corrections';
import type { Actions, PageServerLoad } from './$types';

function fieldOf(slug: string) {
	const field = CORRECTION_SLUGS[slug];
	if (!field) error(404, 'Not found');
	return field;
}

/**
 * §23(5): the voter asks the office that keeps the list to correct one field of §23(2): what
 * is wrong in their own words and the corrected value. It becomes a request in the office's
 * queue (services/corrections.ts).
 */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const field = fieldOf(event.params.pole);
	const voter = await findVoterById(ctx.db, ctx.voterId);
	if (!voter) error(404, 'Not found');
	const officeId = competentOfficeFor(voter, field);
	const office = officeId ? await findOfficeById(ctx.db, officeId) : undefined;
	const current = currentValues(voter, field);
	const [year, month, day] = voter.birth_date.split('-');
	return {
		field,
		current: field === 'address' ? { ...current, country: countryName(current.country ?? '', ctx.locale) } : current,
		office: office ? { name: ctx.locale === 'en' ? office.name_en : office.name_cs, embassy: office.kind === 'embassy' } : null,
		values:
			field === 'birth-date'
				? { birthDay: String(Number(day)), birthMonth: String(Number(month)), birthYear: year ?? '', statement: '' }
				: { ...current, statement: '' },
		countries: field === 'address' ? countryOptions(ISO_COUNTRY_CODES, ctx.locale) : []
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = voterContext(event);
		const field = fieldOf(event.params.pole);
		const form = await event.request.formData();
		const typed = Object.fromEntries(CORRECTION_FIELDS[field].map((f) => [f, String(form.get(f) ?? '')]));
		const parsed = parseForm(correctionSchema(field), form, CORRECTION_FIELDS[field]);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors, problem: null });
		const { requested } = parsed.data;
		if (requested.field === 'address' && !ISO_COUNTRY_CODES.includes(requested.country)) {
			return fail(400, { values: typed, errors: { country: 'country_not_offered' as const }, problem: null });
		}
		const result = await requestCorrection(ctx.db, { voterId: ctx.voterId, statement: parsed.data.statement, requested }, ctx.actor, ctx.now);
		if (!result.ok) {
			return fail(409, {
				values: typed,
				errors: {},
				problem: { code: result.code, reference: result.code === 'already-pending' ? result.reference : null }
			});
		}
		redirect(303, `/zadosti/${result.reference}?podano`);
	}
};
