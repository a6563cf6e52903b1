/**
 * How large a request body the portal takes (issue 8), decided from the declared Content-Length
 * before anything else runs: hooks.server.ts refuses a body declared too large with 413 before
 * the session is looked up or a rate-limit bucket is counted, so that an oversized submission is
 * told it is too large (not "too many requests") and costs the sender none of their attempts.
 *
 * A body sent without a length (chunked) is counted as it arrives: by adapter-node against
 * BODY_SIZE_LIMIT, and by readJsonBody (api/json-api.ts) against its own, smaller limit.
 */
import { MAX_JSON_BODY_BYTES } from './api/json-api';

/** adapter-node's default BODY_SIZE_LIMIT. */
export const DEFAULT_BODY_SIZE_LIMIT = '512K';

/**
 * BODY_SIZE_LIMIT as adapter-node reads it: bytes, or a number with K, M or G (binary); `Infinity`
 * for none. NaN for anything else (adapter-node refuses to start on it).
 */
export function parseBodySizeLimit(value: string | undefined): number {
	const text = (value ?? '').trim() || DEFAULT_BODY_SIZE_LIMIT;
	const multiplier = ({ K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as Record<string, number>)[text.slice(-1).toUpperCase()] ?? 1;
	const number = multiplier === 1 ? text : text.slice(0, -1);
	return /^\s*$/.test(number) ? NaN : Number(number) * multiplier;
}

/** The largest body a path takes: the voters' JSON API reads small documents only; the rest, the server's limit. */
export function bodyLimitFor(pathname: string, serverLimit: number): number {
	if (pathname === '/api/voter' || pathname.startsWith('/api/voter/')) return Math.min(MAX_JSON_BODY_BYTES, serverLimit);
	return serverLimit;
}

/** True when the request declares (Content-Length) a body larger than `limit`. */
export function declaresTooLarge(headers: Headers, limit: number): boolean {
	const header = headers.get('content-length');
	if (header === null || !/^\s*\d+\s*$/.test(header)) return false;
	return Number(header) > limit;
}
