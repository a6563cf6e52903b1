import { describe, expect, it } from 'vitest';
import { addressSchema, countrySchema, emailSchema, parseForm, proxySchema, roundsOf, roundsSchema, submitSchema } from './requests';

function form(values: Record<string, string>): FormData {
	const data = new FormData();
	for (const [k, v] of Object.entries(values)) data.set(k, v);
	return data;
}

describe('request forms', () => {
	it('keep what was typed and give one error code per field', () => {
		const result = parseForm(addressSchema, form({ line: ' ', city: 'Olomouc', postalCode: '12', country: 'cz' }), ['line', 'city', 'postalCode', 'country']);
		expect(result).toEqual({
			ok: false,
			values: { line: ' ', city: 'Olomouc', postalCode: '12', country: 'cz' },
			errors: { line: 'address_line_required', postalCode: 'postal_code_cz' }
		});
	});

	it('accept a Czech address with or without the space in the postcode, and a foreign one without a postcode', () => {
		const cz = parseForm(addressSchema, form({ line: 'Dlouhá 5', city: 'Olomouc', postalCode: '77900', country: 'cz' }), ['line', 'city', 'postalCode', 'country']);
		expect(cz).toEqual({ ok: true, data: { line: 'Dlouhá 5', city: 'Olomouc', postalCode: '77900', country: 'CZ' } });
		const so = parseForm(addressSchema, form({ line: 'Maka Al Mukarama Rd 27', city: 'Mogadishu', postalCode: '', country: 'SO' }), ['line', 'city', 'postalCode', 'country']);
		expect(so.ok).toBe(true);
		const missing = parseForm(addressSchema, form({ line: 'Dlouhá 5', city: 'Olomouc', postalCode: '', country: 'CZ' }), ['line', 'city', 'postalCode', 'country']);
		expect(missing.ok || missing.errors).toEqual({ postalCode: 'postal_code_required' });
	});

	it('§57(5): round 1, round 2 or both', () => {
		expect(roundsOf('both')).toEqual([1, 2]);
		expect(roundsOf('2')).toEqual([2]);
		expect(parseForm(roundsSchema, form({}), ['rounds'])).toMatchObject({ ok: false, errors: { rounds: 'rounds_required' } });
		expect(parseForm(roundsSchema, form({ rounds: '3' }), ['rounds'])).toMatchObject({ ok: false });
	});

	it('offer only the listed countries', () => {
		const schema = countrySchema(['KE', 'SO']);
		expect(parseForm(schema, form({ country: 'so' }), ['country'])).toEqual({ ok: true, data: { country: 'SO' } });
		expect(parseForm(schema, form({ country: 'DE' }), ['country'])).toMatchObject({ ok: false, errors: { country: 'country_not_offered' } });
		expect(parseForm(schema, form({ country: '' }), ['country'])).toMatchObject({ ok: false, errors: { country: 'country_required' } });
	});

	it('check the proxy name, the e-mail and the idempotency key', () => {
		expect(parseForm(proxySchema, form({ proxyName: '  ' }), ['proxyName'])).toMatchObject({ ok: false, errors: { proxyName: 'proxy_name_required' } });
		expect(parseForm(emailSchema, form({ email: ' jan@example.cz ' }), ['email'])).toEqual({ ok: true, data: { email: 'jan@example.cz' } });
		expect(parseForm(emailSchema, form({ email: 'jan@' }), ['email'])).toMatchObject({ ok: false, errors: { email: 'email_invalid' } });
		expect(submitSchema.safeParse({ idempotencyKey: 'abcdefghijklmnopqrstuvwx' }).success).toBe(true);
		expect(submitSchema.safeParse({ idempotencyKey: '<script>' }).success).toBe(false);
	});
});
