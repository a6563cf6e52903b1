/**
 * What the portal's JSON endpoints for voters share: one error shape, `{ error: { code,
 * message } }`, and a body reader that refuses anything but a small UTF-8 JSON document
 * with a 4xx that says why (issue 8: hostile input never reaches a service as a 5xx).
 */
import { isHttpError, json } from '@sveltejs/kit';
import { m } from '../../paraglide/messages';

export interface ApiErrorBody {
	error: { code: string; message: string; [extra: string]: unknown };
}

/** The voters' API error body; refusals made before any route runs (refusal.ts) use it too. */
export function apiErrorBody(code: string, message: string, extra: Record<string, unknown> = {}): ApiErrorBody {
	return { error: { code, message, ...extra } };
}

export function apiError(status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
	return json(apiErrorBody(code, message, extra), { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}

/** Voter JSON bodies are small: a request with an address is well under 2 KiB. */
export const MAX_JSON_BODY_BYTES = 16 * 1024;

export type JsonBody = { ok: true; value: unknown } | { ok: false; response: Response };

/**
 * The request body as JSON: Content-Type application/json, at most `limit` bytes (counted as
 * they arrive, whatever Content-Length says), valid UTF-8, valid JSON.
 */
export async function readJsonBody(request: Request, limit = MAX_JSON_BODY_BYTES): Promise<JsonBody> {
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/json\s*(;|$)/i.test(type)) {
		return { ok: false, response: apiError(415, 'unsupported-media-type', m.rel_api_json_required()) };
	}
	const tooLarge = (): JsonBody => ({ ok: false, response: apiError(413, 'too-large', m.rel_api_too_large({ kib: Math.floor(limit / 1024) })) });
	const declared = Number(request.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > limit) return tooLarge();
	const chunks: Uint8Array[] = [];
	let size = 0;
	if (request.body) {
		const reader = request.body.getReader();
		for (;;) {
			let read;
			try {
				read = await reader.read();
			} catch (e) {
				// The body counted past its route's limit by hooks.server.ts (body-limit.ts, limitBody).
				if (isHttpError(e, 413)) return tooLarge();
				throw e;
			}
			const { done, value } = read;
			if (done) break;
			size += value.byteLength;
			if (size > limit) {
				await reader.cancel().catch(() => {});
				return tooLarge();
			}
			chunks.push(value);
		}
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
	} catch {
		return { ok: false, response: apiError(400, 'invalid-json', m.rel_api_invalid_json()) };
	}
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false, response: apiError(400, 'invalid-json', m.rel_api_invalid_json()) };
	}
}

/** zod's issues as `{ path, message }`, the path joined with dots; at most 20 of them. */
export function issueList(issues: readonly { path: readonly PropertyKey[]; message: string }[]): { path: string; message: string }[] {
	return issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
