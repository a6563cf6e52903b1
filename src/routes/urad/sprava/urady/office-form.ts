/**
 * The office forms of the administration (municipal office, embassy): parsing of the posted
 * values into the services' input and the values of an existing office for the form.
 * Server side.
 */
import type { AdminOfficeRow } from '$lib/server/db/queries/admin';
import type { EmbassyInput, MunicipalOfficeInput, OfficeFormErrors } from '$lib/server/services/admin-offices';
import { countryCodes, freeTextValue, text, wholeNumber } from '../volby/admin-server';

export { EMBASSY_FIELDS, MUNICIPAL_FIELDS } from './office-fields';

export interface Parsed<T> {
	values: Record<string, string>;
	errors: OfficeFormErrors;
	data: T | null;
}

function common(form: FormData, values: Record<string, string>, errors: OfficeFormErrors) {
	freeText(form, 'nameCs', 200, values, errors);
	freeText(form, 'address', 300, values, errors);
}

/** A free-text field: its value for the form, refused for control/bidi characters or beyond `max` characters. */
function freeText(form: FormData, field: 'nameCs' | 'nameEn' | 'address' | 'municipalityName', max: number, values: Record<string, string>, errors: OfficeFormErrors) {
	const typed = freeTextValue(form, field, max + 100);
	values[field] = typed.value;
	if (typed.invalid) errors[field] = 'invalid-characters';
	else if (typed.value.length > max) errors[field] = 'too-long';
}

export function parseMunicipalForm(form: FormData): Parsed<MunicipalOfficeInput> {
	const values: Record<string, string> = {};
	const errors: OfficeFormErrors = {};
	common(form, values, errors);
	values.municipalityCode = text(form, 'municipalityCode', 20).replace(/\s/g, '');
	freeText(form, 'municipalityName', 200, values, errors);
	values.regionCode = text(form, 'regionCode', 10);
	values.senateConstituency = text(form, 'senateConstituency', 10);
	const senate = wholeNumber(values.senateConstituency);
	if (senate === undefined) errors.senateConstituency = 'senate-constituency-range';
	if (Object.keys(errors).length) return { values, errors, data: null };
	return {
		values,
		errors,
		data: {
			nameCs: values.nameCs ?? '',
			address: values.address ?? '',
			municipalityCode: values.municipalityCode,
			municipalityName: values.municipalityName ?? '',
			regionCode: values.regionCode,
			senateConstituency: senate ?? null
		}
	};
}

export function parseEmbassyForm(form: FormData): Parsed<EmbassyInput> {
	const values: Record<string, string> = {};
	const errors: OfficeFormErrors = {};
	common(form, values, errors);
	freeText(form, 'nameEn', 200, values, errors);
	values.specialDistrictNumber = text(form, 'specialDistrictNumber', 10);
	const n = wholeNumber(values.specialDistrictNumber);
	if (n === undefined) errors.specialDistrictNumber = 'number-invalid';
	values.countries = text(form, 'countries', 1000);
	const countries = countryCodes(values.countries);
	if (countries.some((c) => !/^[A-Z]{2}$/.test(c))) errors.countries = 'country-unknown';
	values.timeZone = text(form, 'timeZone', 100);
	if (Object.keys(errors).length) return { values, errors, data: null };
	return {
		values,
		errors,
		data: {
			nameCs: values.nameCs ?? '',
			nameEn: values.nameEn ?? '',
			address: values.address ?? '',
			specialDistrictNumber: n ?? null,
			countries,
			timeZone: values.timeZone
		}
	};
}

export function officeValues(office: AdminOfficeRow): Record<string, string> {
	return {
		nameCs: office.name_cs,
		nameEn: office.name_en,
		address: office.address,
		municipalityCode: office.municipality_code ?? '',
		municipalityName: office.municipality_name ?? '',
		regionCode: office.region_code ?? '',
		senateConstituency: office.senate_constituency === null ? '' : String(office.senate_constituency),
		specialDistrictNumber: office.special_district_number === null ? '' : String(office.special_district_number),
		countries: office.countries.join(' '),
		timeZone: office.time_zone
	};
}
