/**
 * The one check of a path to go back to (`zpet` on the language switch, the eID login, the
 * staff login steps and any page that accepts one): a value that could lead off the portal,
 * or that cannot be written into a `Location` header as it is, is refused, and the caller
 * falls back to its page's default. Never an open redirect (issue 19, point 2).
 *
 * Refused:
 * - anything that is not a string starting with a single "/", or longer than RETURN_PATH_MAX;
 * - control characters anywhere (C0, DEL, C1: a browser drops TAB/CR/LF inside a URL, so
 *   "/<TAB>/evil.example" becomes "//evil.example"; CR/LF would also split the header);
 * - backslashes anywhere (browsers read "\" as "/");
 * - in the path (before "?"): "//" and encoded slashes or backslashes ("%2F", "%5C"), which
 *   a proxy or a second decoding could turn into a host; the query may carry them, as
 *   `zpet=%2Furad` on a login page does, since a query cannot change the origin;
 * - anything whose `new URL(value, origin).origin` is not the portal's.
 * What is kept is the path and query as the URL parser serialises them (the fragment is dropped).
 */

export const RETURN_PATH_MAX = 512;

/** A stand-in origin: only "same as the base" matters, never which host the portal runs on. */
const BASE = 'http://portal.invalid';

const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f-\u009f\\]/;
const DOUBLE_OR_ENCODED_SLASH = /\/\/|%2f|%5c/i;

/** `value` as a same-site path and query to redirect to, else `fallback`. */
export function returnPath<F extends string | null>(value: unknown, fallback: F): string | F {
	if (typeof value !== 'string' || value.length === 0 || value.length > RETURN_PATH_MAX) return fallback;
	if (value[0] !== '/' || CONTROL_OR_BACKSLASH.test(value)) return fallback;
	const query = value.indexOf('?');
	if (DOUBLE_OR_ENCODED_SLASH.test(query === -1 ? value : value.slice(0, query))) return fallback;
	let url: URL;
	try {
		url = new URL(value, BASE);
	} catch {
		return fallback;
	}
	if (url.origin !== BASE) return fallback;
	const path = url.pathname + url.search;
	// The serialised form must pass the same checks (the parser resolves "/..//x" to "//x").
	if (path[0] !== '/' || path.startsWith('//') || CONTROL_OR_BACKSLASH.test(path)) return fallback;
	return path;
}

/** The pathname of a path that returnPath kept. */
export function returnPathname(path: string): string {
	return new URL(path, BASE).pathname;
}
