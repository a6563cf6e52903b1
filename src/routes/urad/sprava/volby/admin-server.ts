/**
 * What every page of the administration (/urad/sprava, issue 7) starts from on the server:
 * the administrator (checked again here, besides the access table of hooks.server.ts), the
 * services' actor, the database and the one reading of the clock for the request. Also the
 * parsing of the form values the administration's forms share (dates, numbers, countries).
 */
import { getLocale } from '$lib/paraglide/runtime';
import { requireStaff } from '$lib/server/auth/guards';
import { countryName, ISO_COUNTRY_CODES } from '$lib/server/countries';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { staffActorFrom } from '$lib/server/services/staff-actor';
import { parseIsoDate } from '$lib/domain';
import { cleanFreeText } from '$lib/forms/free-text';

export function adminContext(locals: App.Locals) {
	const staff = requireStaff(locals, ['administrator']);
	return { db: db(), actor: staffActorFrom(staff), now: clock().now(), staff };
}

/** A form's text fields, trimmed, at most `max` characters each (longer input is cut, then refused by length checks). */
export function text(form: FormData, name: string, max = 500): string {
	const value = form.get(name);
	return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

/**
 * A free-text field (names, titles, addresses) under the rule of every form
 * (src/lib/forms/free-text.ts): the value as stored (NFC, trimmed, cut at `max`), or the value
 * as typed with `invalid` when it holds control or bidi characters.
 */
export function freeTextValue(form: FormData, name: string, max = 500): { value: string; invalid: boolean } {
	const typed = text(form, name, max);
	const clean = cleanFreeText(typed);
	return clean === null ? { value: typed, invalid: true } : { value: clean, invalid: false };
}

/** Every value of a repeated field (checkboxes, hidden lists). */
export function texts(form: FormData, name: string, max = 200): string[] {
	return form
		.getAll(name)
		.filter((v): v is string => typeof v === 'string')
		.map((v) => v.trim().slice(0, max))
		.filter(Boolean);
}

export type DateField = { ok: true; value: string | null } | { ok: false };

/** A GOV.UK date (three boxes `${prefix}Day|Month|Year`) as YYYY-MM-DD; all empty is null. */
export function dateField(form: FormData, prefix: string, values: Record<string, string>): DateField {
	const day = text(form, `${prefix}Day`, 4);
	const month = text(form, `${prefix}Month`, 4);
	const year = text(form, `${prefix}Year`, 6);
	values[`${prefix}Day`] = day;
	values[`${prefix}Month`] = month;
	values[`${prefix}Year`] = year;
	if (!day && !month && !year) return { ok: true, value: null };
	if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return { ok: false };
	const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
	return parseIsoDate(iso) ? { ok: true, value: iso } : { ok: false };
}

/** The three boxes of a date for the form, from YYYY-MM-DD (or empty). */
export function dateValues(prefix: string, iso: string | null): Record<string, string> {
	const [y, mo, d] = iso ? iso.split('-') : ['', '', ''];
	return { [`${prefix}Day`]: d ? String(Number(d)) : '', [`${prefix}Month`]: mo ? String(Number(mo)) : '', [`${prefix}Year`]: y ?? '' };
}

/** A whole number of at most 6 digits, or null when empty; undefined when not a number. */
export function wholeNumber(value: string): number | null | undefined {
	if (!value) return null;
	return /^\d{1,6}$/.test(value) ? Number(value) : undefined;
}

/** ISO 3166-1 alpha-2 codes typed as a list ("AF, YE KP"): upper case, each once, in the order typed. */
export function countryCodes(value: string): string[] {
	return [
		...new Set(
			value
				.split(/[\s,;]+/)
				.map((c) => c.trim().toUpperCase())
				.filter(Boolean)
		)
	];
}

/** Every country's name by ISO code, in the page's language (for lists of countries typed as codes). */
export function countryNames(): Record<string, string> {
	const locale = getLocale() === 'en' ? 'en' : 'cs';
	return Object.fromEntries(ISO_COUNTRY_CODES.map((c) => [c, countryName(c, locale)]));
}
