import { csvLine, FORMULA_START } from '../csv';
import { FORBIDDEN_CHARACTER } from '../forms/free-text';

/**
 * The voter list file (issue 7): one CSV shape for import and export, its parsing and the
 * checks of each row. Pure: no I/O, no clock (the caller passes `today`), no database (the
 * caller passes the lists it knows). Checks that need every row at once (duplicates within
 * the file, eID subjects already on the voter list) are made by the service over the staged
 * rows; their error codes are defined here so that one report names every kind.
 *
 * The file (documented in README, "Voter list import"):
 * - UTF-8, with or without a byte order mark; RFC 4180: comma-separated, fields with a comma,
 *   quote or line break in double quotes, a quote inside doubled; line ends CRLF or LF.
 * - A header row with exactly the columns of VOTER_CSV_COLUMNS, in that order.
 * - One row per voter. `municipality_code` names the municipal office's list (§56(4): the
 *   list of residents kept by the municipal office), `special_district` the number of an
 *   embassy's special district (§56(4)); at least one of the two. A voter on a special
 *   district's list lives abroad in that embassy's area (§57(6)), so the address is in one of
 *   its countries; a voter on a municipal list only lives in Czechia (country CZ).
 * - `birth_date` as YYYY-MM-DD; `country_code` ISO 3166-1 alpha-2; `postal_code` may be empty
 *   (some countries have none); `eid_subject` (the national eID's subject identifier, §23(5))
 *   may be empty.
 * - Line numbers are those of the file as an editor shows them, the header being line 1; a
 *   row with a quoted line break is reported at the line where it starts.
 */

export const VOTER_CSV_COLUMNS = [
	'given_name',
	'family_name',
	'birth_date',
	'address_line',
	'city',
	'postal_code',
	'country_code',
	'municipality_code',
	'special_district',
	'eid_subject'
] as const;

export type VoterCsvColumn = (typeof VOTER_CSV_COLUMNS)[number];

/**
 * Longest accepted value of each free-text column (the same limits as the portal's own
 * forms); the other columns have a format that bounds them.
 */
export const VOTER_CSV_MAX_LENGTH: Readonly<Partial<Record<VoterCsvColumn, number>>> = {
	given_name: 100,
	family_name: 100,
	address_line: 200,
	city: 100,
	postal_code: 20,
	eid_subject: 255
};

/** The earliest date of birth accepted; anything before is a typing error, not a voter. */
export const EARLIEST_BIRTH_DATE = '1900-01-01';

export type ImportErrorCode =
	/** The file is not UTF-8. */
	| 'encoding'
	/** The first row is not exactly the header of VOTER_CSV_COLUMNS. */
	| 'header'
	/** The file has a header but no voter rows. */
	| 'no-rows'
	/** A quoted field is never closed. */
	| 'unterminated-quote'
	/** A quote inside an unquoted field, or text after a closing quote. */
	| 'stray-quote'
	/** A row with more or fewer fields than the header. */
	| 'field-count'
	| 'required'
	| 'too-long'
	/** Control characters other than line breaks and tabs, or bidi overrides and isolates. */
	| 'invalid-characters'
	/** A name or address starting with = + - @: a spreadsheet would run it as a formula (OWASP). */
	| 'formula-start'
	| 'date-invalid'
	| 'date-in-future'
	| 'date-too-early'
	| 'country-invalid'
	/** §57(6): a special-district voter's address lies in the embassy's area; a municipal voter's in Czechia. */
	| 'country-outside-area'
	| 'municipality-code-invalid'
	| 'municipality-unknown'
	| 'special-district-invalid'
	| 'special-district-unknown'
	/** Neither a municipality nor a special district: the row puts the voter on no list. */
	| 'list-missing'
	/** The same voter (lists, name, date of birth and address) twice in the file. */
	| 'duplicate-voter'
	/** One eID subject on two rows of the file. */
	| 'duplicate-eid'
	/** The eID subject belongs to another voter already on the voter list. */
	| 'eid-taken';

export interface ImportError {
	/** Line of the file (the header is line 1); 0 for the file as a whole. */
	line: number;
	field: VoterCsvColumn | null;
	code: ImportErrorCode;
	/** For duplicates: the line where the same value first appears. */
	otherLine?: number;
}

// ---------------------------------------------------------------------------------------
// CSV records

export interface CsvRecord {
	/** Line of the file where the record starts (1-based). */
	line: number;
	fields: string[];
	/** A record that is not well-formed CSV. */
	error?: 'unterminated-quote' | 'stray-quote';
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const BOM = 0xfeff;

/** No field of a voter row is longer than this; beyond it the text is no longer kept. */
const MAX_FIELD_CHARS = 10_000;

const State = {
	FieldStart: 0,
	Unquoted: 1,
	Quoted: 2,
	/** A quote inside a quoted field: either the first of a doubled quote or the closing one. */
	QuoteInQuoted: 3
} as const;
type State = (typeof State)[keyof typeof State];

/**
 * An RFC 4180 parser fed in chunks (a 100 MB file never has to be in memory at once):
 * `push` returns the records completed by the chunk, `end` the last one. Blank lines are
 * skipped. A byte order mark at the very start is dropped.
 */
export class CsvParser {
	private state: State = State.FieldStart;
	private field = '';
	private fields: string[] = [];
	private hasContent = false;
	private error: CsvRecord['error'];
	private line = 1;
	private recordLine = 1;
	private pendingCr = false;
	private started = false;

	/** The line the parser has reached (for a problem found between records, such as bad UTF-8). */
	get lineNumber(): number {
		return this.line;
	}

	push(text: string): CsvRecord[] {
		const out: CsvRecord[] = [];
		let i = 0;
		const n = text.length;
		if (!this.started && n > 0) {
			this.started = true;
			if (text.charCodeAt(0) === BOM) i = 1;
		}
		if (this.pendingCr && i < n) {
			this.pendingCr = false;
			if (text.charCodeAt(i) === LF) i++;
		}
		while (i < n) {
			switch (this.state) {
				case State.FieldStart:
					if (text.charCodeAt(i) === QUOTE) {
						this.state = State.Quoted;
						this.hasContent = true;
						i++;
					} else {
						this.state = State.Unquoted;
					}
					break;
				case State.Unquoted: {
					let j = i;
					while (j < n) {
						const c = text.charCodeAt(j);
						if (c === COMMA || c === LF || c === CR || c === QUOTE) break;
						j++;
					}
					if (j > i) this.append(text, i, j);
					if (j === n) {
						i = n;
						break;
					}
					const c = text.charCodeAt(j);
					if (c === COMMA) {
						this.endField();
						i = j + 1;
					} else if (c === QUOTE) {
						this.error ??= 'stray-quote';
						this.append(text, j, j + 1);
						i = j + 1;
					} else {
						i = this.lineEnd(text, j, out);
					}
					break;
				}
				case State.Quoted: {
					let j = i;
					while (j < n) {
						const c = text.charCodeAt(j);
						if (c === QUOTE) break;
						if (c === LF) this.line++;
						j++;
					}
					if (j > i) this.append(text, i, j);
					if (j === n) {
						i = n;
						break;
					}
					this.state = State.QuoteInQuoted;
					i = j + 1;
					break;
				}
				case State.QuoteInQuoted: {
					const c = text.charCodeAt(i);
					if (c === QUOTE) {
						this.append(text, i, i + 1);
						this.state = State.Quoted;
						i++;
					} else if (c === COMMA) {
						this.endField();
						i++;
					} else if (c === LF || c === CR) {
						i = this.lineEnd(text, i, out);
					} else {
						// Text after the closing quote: kept, but the record is malformed.
						this.error ??= 'stray-quote';
						this.state = State.Unquoted;
					}
					break;
				}
			}
		}
		return out;
	}

	/** The record still open at the end of the input, if any. */
	end(): CsvRecord[] {
		if (this.state === State.Quoted) {
			this.fields.push(this.field);
			const record: CsvRecord = { line: this.recordLine, fields: this.fields, error: 'unterminated-quote' };
			this.reset();
			return [record];
		}
		const out: CsvRecord[] = [];
		this.endRecord(out);
		return out;
	}

	private append(text: string, from: number, to: number): void {
		this.hasContent = true;
		if (this.field.length < MAX_FIELD_CHARS) this.field += text.slice(from, Math.min(to, from + MAX_FIELD_CHARS));
	}

	private endField(): void {
		this.fields.push(this.field);
		this.field = '';
		this.hasContent = true;
		this.state = State.FieldStart;
	}

	/** A CR, LF or CRLF at `at` ends the record; returns the index after it. */
	private lineEnd(text: string, at: number, out: CsvRecord[]): number {
		let next = at + 1;
		if (text.charCodeAt(at) === CR) {
			if (next < text.length) {
				if (text.charCodeAt(next) === LF) next++;
			} else {
				this.pendingCr = true;
			}
		}
		this.endRecord(out);
		this.line++;
		this.recordLine = this.line;
		return next;
	}

	private endRecord(out: CsvRecord[]): void {
		if (this.hasContent || this.fields.length > 0) {
			this.fields.push(this.field);
			out.push(this.error ? { line: this.recordLine, fields: this.fields, error: this.error } : { line: this.recordLine, fields: this.fields });
		}
		this.reset();
	}

	private reset(): void {
		this.state = State.FieldStart;
		this.field = '';
		this.fields = [];
		this.hasContent = false;
		this.error = undefined;
	}
}

/** Parses a whole text at once (tests, small files). */
export function parseCsv(text: string): CsvRecord[] {
	const parser = new CsvParser();
	return [...parser.push(text), ...parser.end()];
}

// ---------------------------------------------------------------------------------------
// Writing (src/lib/csv.ts: the portal's one CSV writer)

export const VOTER_CSV_HEADER = csvLine(VOTER_CSV_COLUMNS);

// ---------------------------------------------------------------------------------------
// Checking the rows

/** Whether the first record is exactly the header (names compared ignoring case and surrounding spaces). */
export function checkHeader(record: CsvRecord | undefined): ImportError | null {
	if (!record || record.error) return { line: record?.line ?? 1, field: null, code: 'header' };
	const names = record.fields.map((f) => f.trim().toLowerCase());
	const ok = names.length === VOTER_CSV_COLUMNS.length && VOTER_CSV_COLUMNS.every((c, i) => names[i] === c);
	return ok ? null : { line: record.line, field: null, code: 'header' };
}

/** What the caller knows about the lists: the municipal offices by municipality code, the embassies by special district number. */
export interface ImportLists {
	municipality(code: string): { officeId: string } | undefined;
	specialDistrict(number: number): { officeId: string; countries: readonly string[] } | undefined;
}

/** A row that passed every check of its own, normalised. */
export interface ImportVoter {
	line: number;
	municipalityCode: string | null;
	specialDistrict: number | null;
	municipalOfficeId: string | null;
	specialDistrictOfficeId: string | null;
	givenName: string;
	familyName: string;
	birthDate: string;
	addressLine: string;
	city: string;
	postalCode: string;
	countryCode: string;
	eidSubject: string | null;
}

export type RowCheck = { ok: true; voter: ImportVoter } | { ok: false; errors: ImportError[] };

/** Control characters (line breaks and tabs are white space here) and bidi overrides/isolates: the rule of every form (src/lib/forms/free-text.ts). */
const CONTROL = new RegExp(`(?![\\t\\n\\r])${FORBIDDEN_CHARACTER.source}`, 'u');

/** Names and addresses, which the export writes for spreadsheets and the cards print. */
const NO_FORMULA_START: readonly VoterCsvColumn[] = ['given_name', 'family_name', 'address_line', 'city', 'postal_code'];

const NEEDS_SPACING = /\s\s|[\t\n\r\f\v\u00a0\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]|^\s|\s$/;
const ASCII = /^[\u0000-\u007f]*$/;

/** Unicode NFC, runs of white space (line breaks and tabs included) as one space, trimmed. */
export function normalizeText(value: string): string {
	// Fast paths: a file of a million rows mostly needs neither step.
	const nfc = ASCII.test(value) ? value : value.normalize('NFC');
	return NEEDS_SPACING.test(nfc) ? nfc.replace(/\s+/g, ' ').trim() : nfc;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A real calendar date written YYYY-MM-DD (the proleptic Gregorian calendar, as ISO 8601). */
export function isIsoCalendarDate(value: string): boolean {
	if (value.length !== 10 || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const year = Number(value.slice(0, 4));
	const month = Number(value.slice(5, 7));
	const day = Number(value.slice(8, 10));
	if (month < 1 || month > 12 || day < 1) return false;
	const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
	return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

const REQUIRED: readonly VoterCsvColumn[] = ['given_name', 'family_name', 'birth_date', 'address_line', 'city', 'country_code'];

/**
 * The checks of one row on its own: every field, then the list it puts the voter on and the
 * address that list requires (§56(4), §57(6)). `today` is the Prague calendar date
 * 'YYYY-MM-DD' of the import, for dates of birth in the future.
 */
export function checkVoterRow(record: CsvRecord, lists: ImportLists, today: string): RowCheck {
	const line = record.line;
	if (record.error) return { ok: false, errors: [{ line, field: null, code: record.error }] };
	if (record.fields.length !== VOTER_CSV_COLUMNS.length) return { ok: false, errors: [{ line, field: null, code: 'field-count' }] };

	const errors: ImportError[] = [];
	const fail = (field: VoterCsvColumn, code: ImportErrorCode) => errors.push({ line, field, code });
	const value = {} as Record<VoterCsvColumn, string>;
	VOTER_CSV_COLUMNS.forEach((column, i) => {
		const raw = record.fields[i] ?? '';
		const text = normalizeText(raw);
		value[column] = text;
		if (CONTROL.test(raw)) fail(column, 'invalid-characters');
		else if (NO_FORMULA_START.includes(column) && FORMULA_START.test(text)) fail(column, 'formula-start');
		else if (text.length > (VOTER_CSV_MAX_LENGTH[column] ?? Infinity)) fail(column, 'too-long');
		else if (text === '' && REQUIRED.includes(column)) fail(column, 'required');
	});
	const bad = (column: VoterCsvColumn) => errors.some((e) => e.field === column);

	if (!bad('birth_date')) {
		if (!isIsoCalendarDate(value.birth_date)) fail('birth_date', 'date-invalid');
		else if (value.birth_date > today) fail('birth_date', 'date-in-future');
		else if (value.birth_date < EARLIEST_BIRTH_DATE) fail('birth_date', 'date-too-early');
	}

	const countryCode = value.country_code.toUpperCase();
	if (!bad('country_code') && !/^[A-Z]{2}$/.test(countryCode)) fail('country_code', 'country-invalid');

	let municipality: { officeId: string } | undefined;
	if (!bad('municipality_code') && value.municipality_code !== '') {
		if (!/^[0-9]{6}$/.test(value.municipality_code)) fail('municipality_code', 'municipality-code-invalid');
		else if (!(municipality = lists.municipality(value.municipality_code))) fail('municipality_code', 'municipality-unknown');
	}
	let district: { officeId: string; countries: readonly string[] } | undefined;
	let districtNumber: number | null = null;
	if (!bad('special_district') && value.special_district !== '') {
		if (!/^[1-9][0-9]{0,5}$/.test(value.special_district)) fail('special_district', 'special-district-invalid');
		else if (!(district = lists.specialDistrict((districtNumber = Number(value.special_district))))) fail('special_district', 'special-district-unknown');
	}
	if (value.municipality_code === '' && value.special_district === '') fail('municipality_code', 'list-missing');

	// §57(6): registered in a special district = living abroad in the embassy's area; on a
	// municipal list only = living in Czechia.
	if (!bad('country_code')) {
		if (district && !district.countries.includes(countryCode)) fail('country_code', 'country-outside-area');
		if (!district && value.special_district === '' && municipality && countryCode !== 'CZ') fail('country_code', 'country-outside-area');
	}

	if (errors.length) return { ok: false, errors };
	return {
		ok: true,
		voter: {
			line,
			municipalityCode: municipality ? value.municipality_code : null,
			specialDistrict: district ? districtNumber : null,
			municipalOfficeId: municipality?.officeId ?? null,
			specialDistrictOfficeId: district?.officeId ?? null,
			givenName: value.given_name,
			familyName: value.family_name,
			birthDate: value.birth_date,
			addressLine: value.address_line,
			city: value.city,
			postalCode: value.postal_code,
			countryCode,
			eidSubject: value.eid_subject === '' ? null : value.eid_subject
		}
	};
}

/**
 * What makes a row the same voter on a re-import: the lists, the name, the date of birth
 * and the address, normalised (the eID subject is not part of it). Two rows with the same
 * identity are one voter twice; the service keeps a hash of it as `voter.import_key`.
 */
export function voterIdentity(voter: Omit<ImportVoter, 'line' | 'municipalOfficeId' | 'specialDistrictOfficeId' | 'eidSubject'>): string {
	return JSON.stringify([
		voter.municipalityCode ?? '',
		voter.specialDistrict ?? '',
		voter.givenName,
		voter.familyName,
		voter.birthDate,
		voter.addressLine,
		voter.city,
		voter.postalCode,
		voter.countryCode
	]);
}

/** One row of the file as the export writes it (the same shape the import reads). */
export function voterCsvRow(voter: {
	givenName: string;
	familyName: string;
	birthDate: string;
	addressLine: string;
	city: string;
	postalCode: string;
	countryCode: string;
	municipalityCode: string | null;
	specialDistrict: number | null;
	eidSubject: string | null;
}): string {
	return csvLine([
		voter.givenName,
		voter.familyName,
		voter.birthDate,
		voter.addressLine,
		voter.city,
		voter.postalCode,
		voter.countryCode,
		voter.municipalityCode ?? '',
		voter.specialDistrict === null ? '' : String(voter.specialDistrict),
		voter.eidSubject ?? ''
	]);
}

/** The report shows at most this many errors; every error is counted. */
export const IMPORT_ERROR_REPORT_LIMIT = 200;

/**
 * Keeps the first `limit` errors in file order from lists that are each in file order (so
 * that each list may itself be cut at `limit` and the result is still exact).
 */
export function firstErrors(lists: readonly (readonly ImportError[])[], limit: number = IMPORT_ERROR_REPORT_LIMIT): ImportError[] {
	return lists
		.flat()
		.sort((a, b) => a.line - b.line || VOTER_CSV_COLUMNS.indexOf(a.field ?? 'given_name') - VOTER_CSV_COLUMNS.indexOf(b.field ?? 'given_name'))
		.slice(0, limit);
}
