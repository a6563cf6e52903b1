/**
 * How large a request body the portal takes (issues 8 and 19), decided per route:
 *
 * - every route: 512 KiB (a form is a few KiB; the largest, an office's details, well under 64);
 * - the voters' JSON API: 16 KiB (readJsonBody counts it again);
 * - the voter-list import (/urad/sprava/volici/import), for an administrator past the second
 *   factor only: the server's limit, BODY_SIZE_LIMIT (scripts/start.sh: 200M). Its action
 *   streams the file to DATA_DIR/imports (never the whole file in memory).
 *
 * adapter-node applies BODY_SIZE_LIMIT to every body, so it must admit the import; the smaller
 * limits are the portal's (hooks.server.ts, bodySize): a body declared (Content-Length) larger
 * than its route takes is refused with 413 before a byte of it is read and before a rate-limit
 * bucket counts it; a body sent without a length (chunked) is counted as it arrives and refused
 * when it passes the route's limit (limitBody).
 */
import { error } from '@sveltejs/kit';
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

/** The limit of every route but the two below. */
export const ROUTE_BODY_LIMIT = 512 * 1024;

/** The route of the voter-list upload: the one route that takes the server's (large) limit. */
export const VOTER_IMPORT_ROUTE = '/urad/sprava/volici/import';

/**
 * The largest body a route takes (`route`: SvelteKit's route id, request-checks.ts routeKey;
 * null for a path no route matched). The import's large limit is for an administrator whose
 * session has passed the second factor (`administrator`); anyone else gets the small one.
 */
export function bodyLimitFor(route: string | null, administrator: boolean, serverLimit: number): number {
	if (route !== null && (route === '/api/voter' || route.startsWith('/api/voter/'))) return Math.min(MAX_JSON_BODY_BYTES, serverLimit);
	if (route === VOTER_IMPORT_ROUTE && administrator) return serverLimit;
	return Math.min(ROUTE_BODY_LIMIT, serverLimit);
}

/**
 * The error a body counted past its limit ends with: SvelteKit's 413 (an HttpError, so that a form
 * action or endpoint that meets it answers 413, worded by hooks.server.ts's handleError).
 */
function tooLarge(limit: number): unknown {
	try {
		error(413, `request body over ${limit} bytes`);
	} catch (e) {
		return e;
	}
}

/**
 * The request with its body counted as it is read: past `limit` bytes the body errors with
 * SvelteKit's 413 (request.formData() and the like reject with it) and the rest is read and thrown
 * away, so that the answer can still be sent on the connection. A request with a declared
 * length is returned as it is (bodySize has compared it; adapter-node stops at the declared length).
 */
export function limitBody(request: Request, limit: number): Request {
	if (!request.body || request.headers.has('content-length') || !Number.isFinite(limit)) return request;
	const reader = request.body.getReader();
	let size = 0;
	const counted = new ReadableStream<Uint8Array>({
		async pull(controller) {
			const { done, value } = await reader.read();
			if (done) return controller.close();
			size += value.byteLength;
			if (size <= limit) return controller.enqueue(value);
			controller.error(tooLarge(limit));
			void (async () => {
				while (!(await reader.read()).done) {
					/* drained, not kept */
				}
			})().catch(() => {});
		},
		cancel(reason) {
			return reader.cancel(reason);
		}
	});
	return new Request(request, { body: counted, duplex: 'half' } as RequestInit);
}

/** True when the request declares (Content-Length) a body larger than `limit`. */
export function declaresTooLarge(headers: Headers, limit: number): boolean {
	const header = headers.get('content-length');
	if (header === null || !/^\s*\d+\s*$/.test(header)) return false;
	return Number(header) > limit;
}
