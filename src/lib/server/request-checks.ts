/**
 * What hooks.server.ts decides about a request before any page, guard or limit sees it (issue 19),
 * as pure functions: whether its URL can be read at all, the route and method every per-route
 * limit keys on, which routes exist only outside production, which GETs must not be run for a
 * HEAD, and whether a write comes from another site.
 *
 * Every per-route decision is made on the route SvelteKit matched (`event.route.id`), never on
 * the raw `url.pathname`, whose percent-encoding the client chooses freely: `/%70rihlaseni` is
 * the route `/prihlaseni`, and a limit keyed on the raw path could be walked around so.
 */
import type { Config } from './config';

/**
 * The path as SvelteKit's router decodes it before matching a route (`decodeURI` between the
 * `%25`s, which stay encoded), or null when it cannot be decoded (`%FF`, `%E0%A4%A`, an overlong
 * or surrogate sequence) or decodes to a control character (`%00`): no route of the portal has
 * either, and PostgreSQL cannot store a NUL.
 */
export function decodePath(pathname: string): string | null {
	let decoded: string;
	try {
		decoded = pathname.split('%25').map(decodeURI).join('%25');
	} catch {
		return null;
	}
	return /[\u0000-\u001f\u007f]/.test(decoded) ? null : decoded;
}

/**
 * True when every name and value of the query decodes as UTF-8 percent-encoding and holds no NUL.
 * (URLSearchParams would turn what it cannot decode into U+FFFD silently.)
 */
export function queryDecodes(search: string): boolean {
	if (!search.includes('%')) return true;
	try {
		for (const part of search.replace(/^\?/, '').split('&')) {
			if (decodeURIComponent(part.replace(/\+/g, ' ')).includes('\u0000')) return false;
		}
		return true;
	} catch {
		return false;
	}
}

/** True when neither the path nor the query of the URL can be read: the request is answered 400. */
export function malformedUrl(url: Pick<URL, 'pathname' | 'search'>): boolean {
	return decodePath(url.pathname) === null || !queryDecodes(url.search);
}

/**
 * What a limit counts for a request: the method (a HEAD is a GET without the body, so it counts
 * as one) and the route SvelteKit matched (null: none, a 404). The one key of the rate limits
 * (rate-limit-routes.ts) and the body limit (body-limit.ts).
 */
export interface RouteKey {
	method: string;
	route: string | null;
}

export function routeKey(event: { request: Pick<Request, 'method'>; route: { id: string | null } }): RouteKey {
	const method = event.request.method.toUpperCase();
	return { method: method === 'HEAD' ? 'GET' : method, route: event.route.id };
}

/**
 * Routes whose GET writes rows: the start of an eID login (a login attempt) and its return (a
 * session). A HEAD of them is answered 405 before the route runs, so that a HEAD never writes
 * (a HEAD runs the page's load as a GET does, and throws only the body away).
 */
const GET_WRITES: ReadonlySet<string> = new Set(['/prihlaseni', '/prihlaseni/navrat']);

export function headWouldWrite(method: string, route: string | null): boolean {
	return method.toUpperCase() === 'HEAD' && route !== null && GET_WRITES.has(route);
}

function under(route: string, prefix: string): boolean {
	return route === prefix || route.startsWith(`${prefix}/`);
}

/**
 * Routes that do not exist in an environment, answered 404 before anything else: the mail
 * catcher (/dev/**) everywhere but development and test; the end-to-end tests' helpers
 * (/api/test/**) everywhere but test.
 */
export function hiddenRoute(route: string | null, appEnv: Config['APP_ENV']): boolean {
	if (route === null) return false;
	if (under(route, '/api/test')) return appEnv !== 'test';
	if (under(route, '/dev')) return appEnv === 'production';
	return false;
}

/**
 * True for a write (any method but GET, HEAD, OPTIONS) that a browser sent from another site:
 * an `Origin` other than the portal's (`null` included), or `Sec-Fetch-Site: cross-site`.
 * SvelteKit checks form posts only; this covers the JSON API too. A request without either
 * header (a script, not a browser) is not a cross-site one.
 */
export function crossSiteWrite(method: string, headers: Headers, portalOrigin: string): boolean {
	if (['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase())) return false;
	const origin = headers.get('origin');
	if (origin !== null && origin !== portalOrigin) return true;
	return headers.get('sec-fetch-site') === 'cross-site';
}
