/**
 * Which requests count against which rate-limit bucket (issue 8). The staff login pages count
 * their own attempts ('staff-login', 'totp': auth/staff-routes.ts); hooks.server.ts counts
 * the two buckets that are decided by the route alone:
 *
 * - 'eid-login': every start of an eID login (GET or HEAD /prihlaseni), by client address. Each start
 *   writes a login attempt and sends the browser to the national eID; a script must not be
 *   able to flood either.
 * - 'submission': every filing by a logged-in voter (the check-answers pages' POST, the
 *   cancellation, the e-mail change, a request to correct the voter list, POST /api/voter/requests), by voter. A person files a
 *   handful of requests; a script with a stolen session must not file thousands.
 */
import type { PortalBucket } from './rate-limit-window';
import type { RouteKey } from './request-checks';

export const RATE_LIMITED_PATH = '/prilis-mnoho-pozadavku';

/**
 * The routes (SvelteKit route ids) whose POST files or changes something for the voter. Keyed on
 * the route SvelteKit matched, not on the raw path (issue 19): `/api/voter/%72equests` is the
 * route `/api/voter/requests` and counts as such. A route id names its group: the voter's pages
 * are `/(volic)/…`.
 */
const SUBMISSION_ROUTES: ReadonlySet<string> = new Set([
	'/(volic)/volicsky-prukaz/kontrola',
	'/(volic)/korespondencni-hlasovani/kontrola',
	'/(volic)/zapis-do-zvlastniho-okrsku/kontrola',
	'/(volic)/zadosti/[reference]/zrusit',
	'/(volic)/muj-zaznam/email',
	'/(volic)/muj-zaznam/email/potvrdit',
	'/(volic)/muj-zaznam/oprava/[pole]',
	'/api/voter/requests'
]);

export interface RateLimitSubject extends RouteKey {
	clientAddress: string;
	voterId: string | null;
}

/** The bucket and key a request counts against, or null when it counts against none. */
export function rateLimitKeyFor(req: RateLimitSubject): { bucket: Extract<PortalBucket, 'eid-login' | 'submission'>; key: string } | null {
	if (req.route === null) return null;
	if (req.method === 'GET' && req.route === '/prihlaseni') return { bucket: 'eid-login', key: req.clientAddress };
	if (req.method === 'POST' && req.voterId && SUBMISSION_ROUTES.has(req.route)) return { bucket: 'submission', key: req.voterId };
	return null;
}
