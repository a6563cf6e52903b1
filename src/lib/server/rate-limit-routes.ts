/**
 * Which requests count against which rate-limit bucket (issue 8). The staff login pages count
 * their own attempts ('staff-login', 'totp': auth/staff-routes.ts); hooks.server.ts counts
 * the two buckets that are decided by the route alone:
 *
 * - 'eid-login': every start of an eID login (GET /prihlaseni), by client address. Each start
 *   writes a login attempt and sends the browser to the national eID; a script must not be
 *   able to flood either.
 * - 'submission': every filing by a logged-in voter (the check-answers pages' POST, the
 *   cancellation, the e-mail change, POST /api/voter/requests), by voter. A person files a
 *   handful of requests; a script with a stolen session must not file thousands.
 */
import type { PortalBucket } from './rate-limit';

export const RATE_LIMITED_PATH = '/prilis-mnoho-pozadavku';

/** The POSTs that file or change something for the voter. */
const SUBMISSION_PATHS: readonly RegExp[] = [
	/^\/(volicsky-prukaz|korespondencni-hlasovani|zapis-do-zvlastniho-okrsku)\/kontrola\/?$/,
	/^\/zadosti\/[^/]+\/zrusit\/?$/,
	/^\/muj-zaznam\/email(\/potvrdit)?\/?$/,
	/^\/api\/voter\/requests\/?$/
];

export interface RateLimitSubject {
	method: string;
	pathname: string;
	clientAddress: string;
	voterId: string | null;
}

/** The bucket and key a request counts against, or null when it counts against none. */
export function rateLimitKeyFor(req: RateLimitSubject): { bucket: Extract<PortalBucket, 'eid-login' | 'submission'>; key: string } | null {
	const method = req.method.toUpperCase();
	if (method === 'GET' && (req.pathname === '/prihlaseni' || req.pathname === '/prihlaseni/')) {
		return { bucket: 'eid-login', key: req.clientAddress };
	}
	if (method === 'POST' && req.voterId && SUBMISSION_PATHS.some((p) => p.test(req.pathname))) {
		return { bucket: 'submission', key: req.voterId };
	}
	return null;
}
