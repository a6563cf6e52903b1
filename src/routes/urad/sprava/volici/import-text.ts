/** Words of the voter list pages: the file's columns, upload errors and import errors. */
import { m } from '$lib/paraglide/messages';
import type { ImportError, ImportErrorCode, VoterCsvColumn } from '$lib/domain/voter-import';

export const COLUMN_DOCS: { column: VoterCsvColumn; meaning: () => string; example: string }[] = [
	{ column: 'given_name', meaning: m.imp_col_given_name, example: 'Jana' },
	{ column: 'family_name', meaning: m.imp_col_family_name, example: 'Nováková' },
	{ column: 'birth_date', meaning: m.imp_col_birth_date, example: '1980-05-17' },
	{ column: 'address_line', meaning: m.imp_col_address_line, example: 'Masarykova 12' },
	{ column: 'city', meaning: m.imp_col_city, example: 'Brno' },
	{ column: 'postal_code', meaning: m.imp_col_postal_code, example: '602 00' },
	{ column: 'country_code', meaning: m.imp_col_country_code, example: 'CZ' },
	{ column: 'municipality_code', meaning: m.imp_col_municipality_code, example: '582786' },
	{ column: 'special_district', meaning: m.imp_col_special_district, example: '1' },
	{ column: 'eid_subject', meaning: m.imp_col_eid_subject, example: '' }
];

const UPLOAD_ERRORS: Record<string, () => string> = {
	required: m.imp_error_required,
	empty: m.imp_error_empty,
	'not-csv': m.imp_error_not_csv,
	unreadable: m.imp_error_unreadable
};

export function uploadErrorText(code: string | undefined): string | undefined {
	return code ? UPLOAD_ERRORS[code]?.() : undefined;
}

const IMPORT_ERRORS: Record<ImportErrorCode, () => string> = {
	encoding: m.imp_err_encoding,
	header: m.imp_err_header,
	'no-rows': m.imp_err_no_rows,
	'unterminated-quote': m.imp_err_unterminated_quote,
	'stray-quote': m.imp_err_stray_quote,
	'field-count': m.imp_err_field_count,
	required: m.imp_err_required,
	'too-long': m.imp_err_too_long,
	'invalid-characters': m.imp_err_invalid_characters,
	'formula-start': m.imp_err_formula_start,
	'date-invalid': m.imp_err_date_invalid,
	'date-in-future': m.imp_err_date_in_future,
	'date-too-early': m.imp_err_date_too_early,
	'country-invalid': m.imp_err_country_invalid,
	'country-outside-area': m.imp_err_country_outside_area,
	'municipality-code-invalid': m.imp_err_municipality_code_invalid,
	'municipality-unknown': m.imp_err_municipality_unknown,
	'special-district-invalid': m.imp_err_special_district_invalid,
	'special-district-unknown': m.imp_err_special_district_unknown,
	'list-missing': m.imp_err_list_missing,
	'duplicate-voter': m.imp_err_duplicate_voter,
	'duplicate-eid': m.imp_err_duplicate_eid,
	'eid-taken': m.imp_err_eid_taken
};

/** One import error in words; a duplicate names the line it repeats. */
export function importErrorText(error: ImportError): string {
	const text = IMPORT_ERRORS[error.code]?.() ?? error.code;
	return error.otherLine ? `${text} ${m.imp_err_same_as_line({ line: error.otherLine })}` : text;
}
