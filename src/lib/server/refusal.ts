/**
 * A request the hooks refuse before any page runs (a body too large, a URL that cannot be read,
 * a cross-site write, a route that does not exist here), answered in the shape its sender reads:
 * the voters' JSON API its `{ error: { code, message } }`, a form sent by the page's JavaScript
 * SvelteKit's action result, any other script plain JSON, and a browser a page made without
 * Svelte (unavailable-page.ts). Returned, never thrown: SvelteKit calls `handle` outside its own
 * error handling for a URL it cannot decode (issue 19), where a thrown error ends the process.
 */
import { json } from '@sveltejs/kit';
import { apiError } from './api/json-api';
import { unavailablePage } from './unavailable-page';

export interface Refusal {
	status: number;
	code: string;
	/** The sentence the sender reads. */
	message: string;
	/** The page's heading (browsers only). */
	title: string;
	/** The page's language and texts of its frame (browsers only). */
	page: { lang: string; site: string; home: string };
	headers?: Record<string, string>;
	/** More fields of the JSON answers (e.g. retryAfterSeconds). */
	extra?: Record<string, unknown>;
}

export function refusal(event: { url: URL; request: Request; isDataRequest: boolean }, r: Refusal): Response {
	const headers = { 'Cache-Control': 'no-store', ...r.headers };
	const extra = r.extra ?? {};
	if (event.url.pathname.startsWith('/api/voter/')) return apiError(r.status, r.code, r.message, extra, headers);
	if (event.request.headers.has('x-sveltekit-action')) return json({ type: 'error', error: { message: r.message, code: r.code } }, { status: r.status, headers });
	const wantsPage = !event.isDataRequest && (event.request.headers.get('accept') ?? '').includes('text/html');
	if (!wantsPage) return json({ message: r.message, code: r.code, ...extra }, { status: r.status, headers });
	const html = unavailablePage({ lang: r.page.lang, site: r.page.site, title: r.title, text: r.message, home: r.page.home });
	return new Response(html, { status: r.status, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } });
}
