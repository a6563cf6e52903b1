import { createHash } from 'node:crypto';

/**
 * A public JSON answer that caches may keep for a minute, with a strong ETag of the
 * body so that a client revalidating an unchanged calendar gets 304 without the body.
 */
export function cachedJson(request: Request, value: unknown): Response {
	const body = JSON.stringify(value);
	const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
	const headers = {
		'Content-Type': 'application/json; charset=utf-8',
		'Cache-Control': 'public, max-age=60',
		ETag: etag
	};
	const ifNoneMatch = request.headers.get('if-none-match');
	if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*')) {
		return new Response(null, { status: 304, headers });
	}
	return new Response(body, { headers });
}

/** `{ "error": "..." }` with a status; never cached. */
export function jsonError(status: number, message: string): Response {
	return new Response(JSON.stringify({ error: message }), {
		status,
		headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }
	});
}
