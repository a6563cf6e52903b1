/** The text of each form error code (src/lib/forms/requests.ts), in the page's language. */
import { m } from '$lib/paraglide/messages';
import type { FieldErrors, FormErrorCode } from './requests';

const TEXT: Record<FormErrorCode, () => string> = {
	election_required: m.form_error_election_required,
	rounds_required: m.form_error_rounds_required,
	delivery_required: m.form_error_delivery_required,
	address_line_required: m.form_error_address_line_required,
	address_line_too_long: m.form_error_address_line_too_long,
	city_required: m.form_error_city_required,
	city_too_long: m.form_error_city_too_long,
	postal_code_required: m.form_error_postal_code_required,
	postal_code_cz: m.form_error_postal_code_cz,
	postal_code_too_long: m.form_error_postal_code_too_long,
	country_required: m.form_error_country_required,
	country_not_offered: m.form_error_country_not_offered,
	proxy_name_required: m.form_error_proxy_name_required,
	proxy_name_too_long: m.form_error_proxy_name_too_long,
	text_invalid_characters: m.form_error_text_invalid_characters,
	email_invalid: m.form_error_email_invalid,
	correction_statement_required: m.form_error_correction_statement_required,
	correction_statement_too_long: m.form_error_correction_statement_too_long,
	given_name_required: m.form_error_given_name_required,
	family_name_required: m.form_error_family_name_required,
	name_too_long: m.form_error_name_too_long,
	birth_date_invalid: m.form_error_birth_date_invalid
};

export function formErrorText(code: FormErrorCode | undefined): string | undefined {
	return code ? TEXT[code]() : undefined;
}

/** The error summary's items, in the order of the page's fields, each linking to its field. */
export function errorItems(errors: FieldErrors | undefined, fieldOrder: readonly string[]): { href: string; text: string }[] {
	if (!errors) return [];
	return fieldOrder.flatMap((field) => {
		const code = errors[field];
		return code ? [{ href: `#${field}`, text: TEXT[code]() }] : [];
	});
}

/** "Chyba: " before the title of a page with errors (GOV.UK). */
export function pageTitle(title: string, hasErrors: boolean): string {
	return `${hasErrors ? m.form_error_title_prefix() + ' ' : ''}${title} – ${m.site_name()}`;
}
