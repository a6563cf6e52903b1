/**
 * The voter's request to correct the voter list (§23(5)): one field of §23(2) per request,
 * what is wrong in the voter's own words, and the corrected value. Shared by the server
 * (which always validates) and the page; error messages are codes (forms/messages.ts).
 */
import { z } from 'zod';
import { parseIsoDate } from '../domain/elections';
import { freeText } from './free-text';
import { addressSchema, ADDRESS_FIELDS, type FormErrorCode } from './requests';

export type CorrectionFieldName = 'name' | 'birth-date' | 'address';

/** The URL segment of each field: /muj-zaznam/oprava/<slug>. */
export const CORRECTION_SLUGS: Readonly<Record<string, CorrectionFieldName>> = {
	jmeno: 'name',
	'datum-narozeni': 'birth-date',
	adresa: 'address'
};

export function correctionSlug(field: CorrectionFieldName): string {
	return Object.entries(CORRECTION_SLUGS).find(([, f]) => f === field)![0];
}

export const CORRECTION_STATEMENT_MAX = 1000;

const code = (c: FormErrorCode) => c;

const statement = freeText(code('text_invalid_characters'), { multiline: true })
	.min(1, code('correction_statement_required'))
	.max(CORRECTION_STATEMENT_MAX, code('correction_statement_too_long'));

const name = (required: FormErrorCode) => freeText(code('text_invalid_characters')).min(1, required).max(100, code('name_too_long'));

/** A date of birth typed as day, month and year (GOV.UK date input, staff/DateInput.svelte): 'YYYY-MM-DD' or ''. */
function isoBirthDate(day: string, month: string, year: string): string {
	const [d, m, y] = [day.trim(), month.trim(), year.trim()];
	if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return '';
	const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
	return parseIsoDate(iso) ? iso : '';
}

export const CORRECTION_FIELDS: Readonly<Record<CorrectionFieldName, readonly string[]>> = {
	name: ['givenName', 'familyName', 'statement'],
	'birth-date': ['birthDay', 'birthMonth', 'birthYear', 'statement'],
	address: [...ADDRESS_FIELDS, 'statement']
};

export type CorrectionRequested =
	| { field: 'name'; givenName: string; familyName: string }
	| { field: 'birth-date'; birthDate: string }
	| { field: 'address'; line: string; city: string; postalCode: string; country: string };

/** The schema of one field's correction form; its data is the statement and the requested value. */
export function correctionSchema(field: CorrectionFieldName) {
	switch (field) {
		case 'name':
			return z
				.object({ givenName: name(code('given_name_required')), familyName: name(code('family_name_required')), statement })
				.transform((v) => ({ statement: v.statement, requested: { field, givenName: v.givenName, familyName: v.familyName } as CorrectionRequested }));
		case 'birth-date':
			return z
				.object({ birthDay: z.string(), birthMonth: z.string(), birthYear: z.string(), statement })
				.transform((v, ctx) => {
					const birthDate = isoBirthDate(v.birthDay, v.birthMonth, v.birthYear);
					if (!birthDate) {
						ctx.addIssue({ code: 'custom', path: ['birthDay'], message: code('birth_date_invalid') });
						return z.NEVER;
					}
					return { statement: v.statement, requested: { field, birthDate } as CorrectionRequested };
				});
		case 'address':
			return z
				.intersection(addressSchema, z.object({ statement }))
				.transform((v) => ({
					statement: v.statement,
					requested: { field, line: v.line, city: v.city, postalCode: v.postalCode, country: v.country } as CorrectionRequested
				}));
	}
}

/** The requested value as the record's columns would hold it, for the audit and the clerk. */
export function requestedValues(requested: CorrectionRequested): Record<string, string> {
	const { field: _field, ...values } = requested;
	return values;
}
