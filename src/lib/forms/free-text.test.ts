import { describe, expect, it } from 'vitest';
import { cleanFreeText, freeText, hasForbiddenCharacter, normalizeFreeText } from './free-text';
import { addressSchema, parseForm, proxySchema } from './requests';
import { handOverSchema, parseStaffForm, refusalSchema, voterSearchSchema } from './decisions';

const form = (fields: Record<string, string>) => {
	const data = new FormData();
	for (const [k, v] of Object.entries(fields)) data.set(k, v);
	return data;
};

const FORBIDDEN = ['\u0000', '\u0007', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u009f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];

describe('free text (issue 19, point 8)', () => {
	it('normalises to NFC and trims', () => {
		expect(normalizeFreeText('  Nova\u0301k \n')).toBe('Novák');
		expect(cleanFreeText('Dlouha\u0301 5')).toBe('Dlouhá 5');
	});

	it('refuses every control and bidi character inside a line', () => {
		for (const c of FORBIDDEN) {
			expect(cleanFreeText(`Nov${c}ák`), JSON.stringify(c)).toBeNull();
			expect(hasForbiddenCharacter(`a${c}b`), JSON.stringify(c)).toBe(true);
		}
		// Letters, spaces, dashes, apostrophes, the zero-width joiner of some scripts: fine.
		for (const ok of ['Nováková-Dvořáková', "O'Brien", 'Müller Straße 5/12', 'محمد', '\u05e9\u05dc\u05d5\u05dd', 'a\u200db']) {
			expect(cleanFreeText(ok), ok).toBe(ok);
		}
	});

	it('keeps line feeds in a multi-line field, CRLF and CR as LF, and still refuses the rest', () => {
		expect(cleanFreeText('první\r\ndruhý\rtřetí\nčtvrtý', { multiline: true })).toBe('první\ndruhý\ntřetí\nčtvrtý');
		expect(cleanFreeText('a\u202eb', { multiline: true })).toBeNull();
		expect(cleanFreeText('a\tb', { multiline: true })).toBeNull();
		expect(cleanFreeText('a\u0000b', { multiline: true })).toBeNull();
	});

	it('chains like a zod string', () => {
		const schema = freeText('bad').min(1, 'required').max(3, 'long');
		expect(schema.safeParse(' ab ').data).toBe('ab');
		expect(schema.safeParse('a\u202eb').error?.issues.map((i) => i.message)).toEqual(['bad']);
		expect(schema.safeParse('  ').error?.issues.map((i) => i.message)).toEqual(['required']);
		expect(schema.safeParse('abcd').error?.issues.map((i) => i.message)).toEqual(['long']);
	});

	it('is the rule of the voter forms: address and proxy name', () => {
		const address = parseForm(addressSchema, form({ line: 'Dlouhá 5\r\nSet: x', city: 'Br\u202eno', postalCode: '602 00', country: 'CZ' }), ['line', 'city', 'postalCode', 'country']);
		expect(address).toMatchObject({ ok: false, errors: { line: 'text_invalid_characters', city: 'text_invalid_characters' } });
		// What was typed comes back to the page unchanged.
		expect(!address.ok && address.values.city).toBe('Br\u202eno');
		expect(parseForm(proxySchema, form({ proxyName: 'Jan\u2066 Novák' }), ['proxyName'])).toMatchObject({ ok: false, errors: { proxyName: 'text_invalid_characters' } });
		expect(parseForm(proxySchema, form({ proxyName: 'Jan Nova\u0301k' }), ['proxyName'])).toEqual({ ok: true, data: { proxyName: 'Jan Novák' } });
	});

	it('is the rule of the staff forms: names on one line, notes and refusal texts on several', () => {
		const search = parseStaffForm(voterSearchSchema, form({ familyName: 'Nov\u0000ák', givenName: 'Jan', birthDateDay: '1', birthDateMonth: '1', birthDateYear: '1980' }), [
			'familyName',
			'givenName',
			'birthDateDay',
			'birthDateMonth',
			'birthDateYear'
		]);
		expect(search).toMatchObject({ ok: false, errors: { familyName: 'text_invalid_characters' } });
		const refusal = parseStaffForm(refusalSchema, form({ reason: 'other', text: 'Řádek 1\r\nŘádek 2' }), ['reason', 'text']);
		expect(refusal).toMatchObject({ ok: true, data: { text: 'Řádek 1\nŘádek 2' } });
		expect(parseStaffForm(refusalSchema, form({ reason: 'other', text: 'x\u202ey' }), ['reason', 'text'])).toMatchObject({ ok: false, errors: { text: 'text_invalid_characters' } });
		const handOver = parseStaffForm(
			handOverSchema,
			form({ method: 'proxy', proxyName: 'Eva\nNová', proxyBirthDateDay: '', proxyBirthDateMonth: '', proxyBirthDateYear: '', note: 'Plná moc\r\nověřena' }),
			['method', 'proxyName', 'proxyBirthDateDay', 'proxyBirthDateMonth', 'proxyBirthDateYear', 'note']
		);
		expect(handOver).toMatchObject({ ok: false, errors: { proxyName: 'text_invalid_characters' } });
		expect(!handOver.ok && handOver.errors.note).toBeUndefined();
	});
});
