/**
 * The one rule for free text a voter or a clerk types (names, addresses, notes, refusal
 * texts, titles): what is stored is what a clerk sees and what is printed (issue 19, point 8).
 *
 * - Normalised to Unicode NFC, so "é" typed as e + combining accent is the same stored text.
 * - Refused, with the form's own message: C0 and C1 control characters (U+0000–U+001F,
 *   U+007F–U+009F) and the bidi embeddings and overrides (U+202A–U+202E) and isolates
 *   (U+2066–U+2069), which make a name read differently from what is stored
 *   ("Nov\u202Eákov" shows reversed).
 * - Single-line fields (every name, address line, city, postal code, title) refuse line
 *   breaks and tabs too. A multi-line field (`multiline: true`: a clerk's note or refusal
 *   text, a textarea) keeps line feeds; CRLF and a lone CR become LF first.
 *
 * Pure: the browser and the server use the same function.
 */
import { z } from 'zod';

/** C0/C1 controls, DEL, bidi embeddings/overrides and isolates. */
export const FORBIDDEN_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const FORBIDDEN_EXCEPT_LF = /(?!\n)[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export interface FreeTextOptions {
	/** A textarea whose line breaks matter. */
	multiline?: boolean;
}

/** The text as stored: without surrounding white space (a pasted line break included), line ends LF (multi-line only), NFC. */
export function normalizeFreeText(value: string, options: FreeTextOptions = {}): string {
	const lines = options.multiline ? value.replace(/\r\n?/g, '\n') : value;
	return lines.trim().normalize('NFC');
}

/** Whether a normalised text holds a character the rule refuses. */
export function hasForbiddenCharacter(value: string, options: FreeTextOptions = {}): boolean {
	return (options.multiline ? FORBIDDEN_EXCEPT_LF : FORBIDDEN_CHARACTER).test(value);
}

/** A free-text check for code outside zod (the administration's forms): the cleaned text, or null if refused. */
export function cleanFreeText(value: string, options: FreeTextOptions = {}): string | null {
	const text = normalizeFreeText(value, options);
	return hasForbiddenCharacter(text, options) ? null : text;
}

/**
 * A zod string for free text: normalised, then refused with `message` (the form's error code)
 * when it holds a forbidden character. Chain `.trim()`, `.min()`, `.max()` after it as usual.
 */
export function freeText(message: string, options: FreeTextOptions = {}) {
	return z
		.string()
		.overwrite((v) => normalizeFreeText(v, options))
		.refine((v) => !hasForbiddenCharacter(v, options), { message, abort: true });
}
