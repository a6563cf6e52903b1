import { isHttpError } from '@sveltejs/kit';
import type { Temporal } from 'temporal-polyfill';
import { log } from '$lib/server/log';
import type { Rendered } from '$lib/server/services/open-data';

/**
 * HTTP for the open data feeds: strong ETags, Last-Modified and Cache-Control from the
 * snapshot, 304 for a matching conditional request, and JSON errors that are never cached.
 *
 * Each answer is made as a plain {@link FeedAnswer} first, so that the same answer can be sent
 * by a SvelteKit route (as a Response) and by the results feed's front in the portal's server
 * (results-front.ts, straight onto Node's response), byte for byte the same.
 */

export const CONTENT_TYPES = {
	json: 'application/json; charset=utf-8',
	csv: 'text/csv; charset=utf-8; header=present',
	xml: 'application/xml; charset=utf-8'
} as const;

export type FeedFormat = keyof typeof CONTENT_TYPES;

/** An answer before it is a Response: status, headers and the body (null for 304). */
export interface FeedAnswer {
	status: number;
	headers: Record<string, string>;
	body: string | null;
}

/** The conditional headers of a request. */
export interface Conditional {
	ifNoneMatch: string | null;
	ifModifiedSince: string | null;
}

/** RFC 9110 §13.1.2: If-None-Match compares weakly, so a W/ prefix is ignored. */
function matchesIfNoneMatch(header: string, etag: string): boolean {
	return header.split(',').some((tag) => {
		const t = tag.trim();
		return t === '*' || t.replace(/^W\//, '') === etag;
	});
}

/** RFC 9110 §13.1.3: Last-Modified has whole seconds; If-Modified-Since counts only without If-None-Match. */
function notModifiedSince(header: string, generated: Temporal.Instant): boolean {
	const since = Date.parse(header);
	return Number.isFinite(since) && Math.floor(generated.epochMilliseconds / 1000) * 1000 <= since;
}

export function feedAnswer(
	conditional: Conditional,
	rendered: Rendered,
	meta: { format: FeedFormat; generated: Temporal.Instant; maxAgeSeconds: number; intervalSeconds: number; filename?: string }
): FeedAnswer {
	const headers: Record<string, string> = {
		'Content-Type': CONTENT_TYPES[meta.format],
		// max-age is what is left of this snapshot's interval, so no cache keeps it past the next update
		'Cache-Control': `public, max-age=${meta.maxAgeSeconds}, stale-while-revalidate=${meta.intervalSeconds}, stale-if-error=600`,
		ETag: rendered.etag,
		'Last-Modified': new Date(meta.generated.epochMilliseconds).toUTCString(),
		// open data: any web page may read it
		'Access-Control-Allow-Origin': '*',
		'Access-Control-Expose-Headers': 'ETag, Last-Modified'
	};
	if (meta.filename) headers['Content-Disposition'] = `inline; filename="${meta.filename}"`;
	const { ifNoneMatch, ifModifiedSince } = conditional;
	const notModified = ifNoneMatch !== null ? matchesIfNoneMatch(ifNoneMatch, rendered.etag) : ifModifiedSince !== null && notModifiedSince(ifModifiedSince, meta.generated);
	if (notModified) {
		const { 'Content-Type': _type, 'Content-Disposition': _disposition, ...rest } = headers;
		return { status: 304, headers: rest, body: null };
	}
	return { status: 200, headers, body: rendered.body };
}

/** `{ "error": "…" }` with a status; never cached. */
export function jsonErrorAnswer(status: number, message: string, extra: Record<string, unknown> = {}): FeedAnswer {
	const headers: Record<string, string> = {
		'Content-Type': CONTENT_TYPES.json,
		'Cache-Control': 'no-store',
		'Access-Control-Allow-Origin': '*'
	};
	if (status === 503) headers['Retry-After'] = '10';
	return { status, headers, body: JSON.stringify({ error: message, ...extra }) };
}

export function toResponse(answer: FeedAnswer): Response {
	return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

export function conditionalOf(request: Request): Conditional {
	return { ifNoneMatch: request.headers.get('if-none-match'), ifModifiedSince: request.headers.get('if-modified-since') };
}

export function feedResponse(request: Request, rendered: Rendered, meta: Parameters<typeof feedAnswer>[2]): Response {
	return toResponse(feedAnswer(conditionalOf(request), rendered, meta));
}

/** `{ "error": "…" }` with a status; never cached. */
export function jsonError(status: number, message: string, extra: Record<string, unknown> = {}): Response {
	return toResponse(jsonErrorAnswer(status, message, extra));
}

/** A failure of a feed's handler: logged unless it is an outage, answered 503 JSON. */
function failed(error: unknown): FeedAnswer {
	if (!(isHttpError(error) && error.status === 503)) {
		log.error({ err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) }, 'open data: request failed');
	}
	return jsonErrorAnswer(503, 'The open data feed is temporarily unavailable. / Otevřená data jsou dočasně nedostupná.');
}

/** Runs a handler so that no failure becomes a 500: an outage or a bug answers 503 JSON. */
export async function neverFailsAnswer(handler: () => Promise<FeedAnswer>): Promise<FeedAnswer> {
	try {
		return await handler();
	} catch (error) {
		return failed(error);
	}
}

/** The same for a route that makes a Response. */
export async function neverFails(handler: () => Promise<Response>): Promise<Response> {
	try {
		return await handler();
	} catch (error) {
		return toResponse(failed(error));
	}
}
