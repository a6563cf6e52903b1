/**
 * The one CSV writer of the portal (voter list export, open data, the commission's result):
 * RFC 4180 — a field with a comma, quote, CR or LF is quoted and quotes inside are doubled;
 * lines end CRLF; UTF-8.
 *
 * Formula injection (OWASP "CSV Injection"): a text cell that starts with `=`, `+`, `-`, `@`,
 * a tab or a CR is written with a leading apostrophe (`'=1+1`), so that a spreadsheet shows
 * it as text instead of running it as a formula. Numbers are numbers and are written as
 * they are (a count is never negative). The files' column descriptions say so (README).
 */

export type CsvValue = string | number | boolean | null | undefined | readonly (string | number)[];

/** What a spreadsheet would read as the start of a formula. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: text neutralised against formulas, then quoted if it needs to be. */
export function csvField(value: CsvValue): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	const raw = typeof value === 'string' ? value : value.join(' ');
	const text = FORMULA_START.test(raw) ? `'${raw}` : raw;
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One line of a file, CRLF-terminated. */
export function csvLine(values: readonly CsvValue[]): string {
	return `${values.map(csvField).join(',')}\r\n`;
}

/** A whole file from its rows (the header first). */
export function csvDocument(rows: readonly (readonly CsvValue[])[]): string {
	return rows.map(csvLine).join('');
}
