/**
 * A request the hooks refuse before any page runs (a body too large, a URL that cannot be read,
 * a cross-site write, a route that does not exist here, the admission bound, the database
 * unreachable), answered in the shape its sender reads: the voters' JSON API its
 * `{ error: { code, message } }`, a form sent by the page's JavaScript SvelteKit's action result,
 * any other script plain JSON, and a browser a page made without Svelte (unavailable-page.ts).
 * Returned, never thrown: SvelteKit calls `handle` outside its own error handling for a URL it
 * cannot decode (issue 19), where a thrown error ends the process.
 *
 * The one builder of such answers: the admission gate in front of SvelteKit (admission-gate.ts)
 * takes the shape and the JSON body from here too, so a refusal reads the same wherever it is made.
 */
import { apiErrorBody } from './api/json-api';
import { unavailablePage, type Resubmit } from './unavailable-page';

export interface Refusal {
	status: number;
	code: string;
	/** The sentence the sender reads. */
	message: string;
	/** The page's heading (browsers only). */
	title: string;
	/** The page's language and texts of its frame (browsers only). */
	page: { lang: string; site: string; home: string };
	/** The page's text where it says more than `message` (browsers only). */
	pageText?: string;
	/** A refused submission's answers and the button that sends them again (browsers only). */
	resubmit?: Resubmit;
	headers?: Record<string, string>;
	/** More fields of the JSON answers (e.g. retryAfterSeconds). */
	extra?: Record<string, unknown>;
}

/** Who reads the answer: the voters' JSON API, SvelteKit's form enhancement, another script, or a person. */
export type RefusalShape = 'api' | 'action' | 'json' | 'page';

export function refusalShape(pathname: string, header: (name: string) => string | null | undefined, isDataRequest: boolean): RefusalShape {
	if (pathname.startsWith('/api/voter/')) return 'api';
	if (header('x-sveltekit-action') != null) return 'action';
	const wantsPage = !isDataRequest && (header('accept') ?? '').includes('text/html');
	return wantsPage ? 'page' : 'json';
}

/** The JSON body of a refusal for a script (every shape but 'page'). */
export function refusalBody(shape: Exclude<RefusalShape, 'page'>, r: Pick<Refusal, 'code' | 'message' | 'extra'>): unknown {
	const extra = r.extra ?? {};
	if (shape === 'api') return apiErrorBody(r.code, r.message, extra);
	if (shape === 'action') return { type: 'error', error: { message: r.message, code: r.code } };
	return { message: r.message, code: r.code, ...extra };
}

export function refusal(event: { url: URL; request: Request; isDataRequest: boolean }, r: Refusal): Response {
	const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...r.headers };
	const shape = refusalShape(event.url.pathname, (name) => event.request.headers.get(name), event.isDataRequest);
	if (shape !== 'page') {
		return new Response(JSON.stringify(refusalBody(shape, r)), { status: r.status, headers: { ...headers, 'content-type': 'application/json' } });
	}
	const html = unavailablePage({ lang: r.page.lang, site: r.page.site, title: r.title, text: r.pageText ?? r.message, home: r.page.home }, r.resubmit);
	return new Response(html, { status: r.status, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } });
}
