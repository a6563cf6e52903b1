import { describe, expect, it } from 'vitest';
import { CORRECTION_FIELDS, correctionSchema } from './corrections';
import { parseForm } from './requests';

const form = (values: Record<string, string>) => {
	const data = new FormData();
	for (const [k, v] of Object.entries(values)) data.set(k, v);
	return data;
};

describe('the correction forms (§23(5))', () => {
	it('reads a name with what is wrong', () => {
		const parsed = parseForm(correctionSchema('name'), form({ givenName: ' Řehoř ', familyName: 'Dvořáková', statement: 'Chybí koncovka.' }), CORRECTION_FIELDS.name);
		expect(parsed).toEqual({ ok: true, data: { statement: 'Chybí koncovka.', requested: { field: 'name', givenName: 'Řehoř', familyName: 'Dvořáková' } } });
	});

	it('asks for what is wrong, and keeps what was typed', () => {
		const parsed = parseForm(correctionSchema('name'), form({ givenName: 'Řehoř', familyName: '', statement: '' }), CORRECTION_FIELDS.name);
		expect(parsed).toMatchObject({ ok: false, errors: { familyName: 'family_name_required', statement: 'correction_statement_required' }, values: { givenName: 'Řehoř' } });
	});

	it('reads a real date of birth from day, month and year only', () => {
		const ok = parseForm(correctionSchema('birth-date'), form({ birthDay: '3', birthMonth: '4', birthYear: '1984', statement: 'Den je špatně.' }), CORRECTION_FIELDS['birth-date']);
		expect(ok).toMatchObject({ ok: true, data: { requested: { field: 'birth-date', birthDate: '1984-04-03' } } });
		const bad = parseForm(correctionSchema('birth-date'), form({ birthDay: '31', birthMonth: '2', birthYear: '1984', statement: 'x' }), CORRECTION_FIELDS['birth-date']);
		expect(bad).toMatchObject({ ok: false, errors: { birthDay: 'birth_date_invalid' } });
	});

	it('reads an address with its country, Czech postcodes checked', () => {
		const ok = parseForm(correctionSchema('address'), form({ line: 'Torstraße 1', city: 'Berlin', postalCode: '10119', country: 'de', statement: 'Nová adresa.' }), CORRECTION_FIELDS.address);
		expect(ok).toMatchObject({ ok: true, data: { requested: { field: 'address', country: 'DE', postalCode: '10119' } } });
		const bad = parseForm(correctionSchema('address'), form({ line: 'Dlouhá 5', city: 'Olomouc', postalCode: '12', country: 'CZ', statement: 'x' }), CORRECTION_FIELDS.address);
		expect(bad).toMatchObject({ ok: false, errors: { postalCode: 'postal_code_cz' } });
	});

	it('refuses control and bidi characters in the statement', () => {
		const parsed = parseForm(correctionSchema('name'), form({ givenName: 'A', familyName: 'B', statement: 'Nov\u202Eák' }), CORRECTION_FIELDS.name);
		expect(parsed).toMatchObject({ ok: false, errors: { statement: 'text_invalid_characters' } });
	});
});
