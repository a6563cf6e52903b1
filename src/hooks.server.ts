import { isHttpError, json, type Handle, type RequestEvent, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { z } from 'zod';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { config } from '$lib/server/config';
import { clock, fixedClock, systemClock, withRequestClock } from '$lib/server/clock';
import { configureLogLevel, log } from '$lib/server/log';
import { databaseConnectionString, db, startDatabase, stopDatabase } from '$lib/server/db/runtime';
import { startBackgroundServices, stopBackgroundServices } from '$lib/server/jobs';
import { startAuditSealer } from '$lib/server/audit-chain';
import { isDatabaseUnavailable } from '$lib/server/db/errors';
import { decideAccess, STAFF_FORBIDDEN_PATH } from '$lib/server/auth/access';
import { deleteSessionCookie, SESSION_COOKIE } from '$lib/server/auth/cookies';
import { ensureDevEid, stopDevEid } from '$lib/server/auth/dev-eid';
import { validateSessionToken, type StaffInfo } from '$lib/server/auth/session';
import { resolveEidSettings } from '$lib/server/auth/settings';
import { rateLimiter } from '$lib/server/rate-limit';
import { RATE_LIMITED_PATH, rateLimitKeyFor } from '$lib/server/rate-limit-routes';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '$lib/server/unavailable-page';
import { securityHeaders as securityHeaderValues } from '$lib/server/security-headers';
import { bodyLimitFor, declaresTooLarge, limitBody, parseBodySizeLimit } from '$lib/server/body-limit';
import { checkPorts, portsToCheck, startOrExplain } from '$lib/server/startup';
import { dev } from '$app/environment';
import { admission } from '$lib/server/admission-handle';
import { publishAdmissionGate } from '$lib/server/admission-gate';
import { publishResultsFeedFront } from '$lib/server/feed/results-front';
import { publishFront } from '$lib/server/front';
import { crossSiteWrite, headWouldWrite, hiddenRoute, malformedUrl, routeKey } from '$lib/server/request-checks';
import { refusal, type Refusal } from '$lib/server/refusal';
import { metrics } from '$lib/server/metrics';
import { portalRole } from '$lib/server/cluster';
import { loadTotpKeys } from '$lib/server/auth/totp-crypto';
import { reencryptTotpSecrets } from '$lib/server/db/queries/staff-users';

export const init: ServerInit = async () => {
	// A failed start says why in one sentence (scripts/serve.mjs prints it) and leaves nothing running.
	await startOrExplain(startPortal, () => Promise.all([stopDevEid(), stopBackgroundServices().catch(() => undefined).then(stopDatabase)]));
};

async function startPortal(): Promise<void> {
	const cfg = config();
	configureLogLevel();
	// Under `npm start -- --processes N` (scripts/serve.mjs, docs/OPERATIONS.md) the cluster's
	// primary starts what must run once (the embedded PostgreSQL and its migrations, the
	// development eID, the mail catcher, the job queue, the audit sealer) and serves no request;
	// its workers only serve. One process ('single') does both, as always.
	const role = portalRole();
	// Registered now, not at the first request: a cluster worker must answer the primary's
	// scrape even before it has served anything (metrics.ts).
	metrics();
	// A rejected promise nobody awaited is a bug to fix (issue 19: SvelteKit's second call of
	// `handle` for an undecodable URL threw outside its error handling, and Node ended the process
	// and every voter's request in flight with it). Logged, not fatal: no shared state is left
	// half-changed by a rejection as by a synchronous throw, and the requests of everyone else
	// go on; the one request that never gets an answer is closed by Node's request timeout.
	process.on('unhandledRejection', (reason) => {
		log.error({ err: reason instanceof Error ? { message: reason.message, stack: reason.stack } : String(reason) }, 'unhandled promise rejection');
	});
	// Refuses to start in production without the national eID (EID_ISSUER): a ConfigError.
	const eid = resolveEidSettings(cfg);
	// The key of the staff authenticator keys (production: TOTP_ENCRYPTION_KEY, else a ConfigError;
	// elsewhere written into DATA_DIR once, before the migration that encrypts them reads it).
	loadTotpKeys();
	// Every port before anything starts (the built server listens on PORT once init is done;
	// under `vite dev` the dev server has its own port and the dev eID may already run). A worker
	// checks none: the primary holds PORT for all of them.
	if (!dev && role !== 'worker') {
		await checkPorts(portsToCheck(cfg, eid.dev, process.env));
	}
	if (eid.dev && role !== 'worker') {
		try {
			await ensureDevEid({ ...eid.dev, clientId: eid.clientId, clientSecret: eid.clientSecret, redirectUri: eid.redirectUri });
		} catch (cause) {
			// The portal still starts; eID login answers 503 until the development eID is reachable.
			log.error(
				{ err: cause instanceof Error ? cause.message : String(cause), issuer: eid.issuer.href },
				'the development eID could not start (port in use? set DEV_EID_PORT); eID login is unavailable'
			);
		}
	}
	await startDatabase();
	if (role === 'worker') {
		log.info({ env: cfg.APP_ENV, pid: process.pid }, 'portal worker ready');
		process.once('sveltekit:shutdown' as 'beforeExit', () => {
			void stopDatabase().then(
				() => {
					log.info({ pid: process.pid }, 'worker shut down cleanly');
					// The cluster's IPC channel is all that keeps the worker alive now.
					process.disconnect?.();
				},
				(cause: unknown) => log.error({ err: String(cause) }, 'worker shutdown failed')
			);
		});
		return;
	}
	// After a key rotation (TOTP_ENCRYPTION_KEY_PREVIOUS): the old key's values under the new one.
	const rewritten = await reencryptTotpSecrets(db());
	if (rewritten) log.info({ accounts: rewritten }, 'staff authenticator keys re-encrypted under the current TOTP_ENCRYPTION_KEY');
	// E-mail worker (graphile-worker) and, outside production, the local mail catcher.
	await startBackgroundServices({ connectionString: databaseConnectionString() });
	// Chains new audit entries every couple of seconds (audit-chain.ts).
	const stopSealer = startAuditSealer(db(), 2_000, (cause) => log.warn({ err: String(cause) }, 'audit sealing failed'));
	// The workers the primary forks connect to the database it started.
	if (role === 'primary') process.env.PORTAL_DATABASE_URL = databaseConnectionString();
	log.info({ env: cfg.APP_ENV, fixedNow: cfg.FIXED_NOW ?? null, eidIssuer: eid.issuer.href, role }, 'portal ready');
	// adapter-node emits this after it has stopped accepting connections and finished
	// the requests in flight (SIGINT/SIGTERM): close the pool and the embedded database.
	// The cluster's primary emits it once its workers have exited (scripts/serve.mjs).
	process.once('sveltekit:shutdown' as 'beforeExit', () => {
		// The worker and the sealer stop before the database they use.
		void Promise.all([stopDevEid(), Promise.all([stopBackgroundServices(), stopSealer()]).then(stopDatabase)]).then(
			() => log.info('shut down cleanly'),
			(cause: unknown) => log.error({ err: String(cause) }, 'shutdown failed')
		);
	});
}

const testInstant = z.iso.datetime({ offset: true });

/**
 * APP_ENV=test only: a request may bring its own instant in `x-test-now`, so that parallel
 * end-to-end tests can each stand at their own point of an election calendar (clock.ts).
 */
const testClock: Handle = ({ event, resolve }) => {
	const at = config().APP_ENV === 'test' ? event.request.headers.get('x-test-now') : null;
	if (!at) return resolve(event);
	const parsed = testInstant.safeParse(at);
	if (!parsed.success) return new Response('x-test-now must be an ISO 8601 instant with offset', { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
	return withRequestClock(fixedClock(parsed.data), () => resolve(event));
};

/** A refusal before the language is known (the first hooks): both languages, Czech first. */
function bilingual(r: { status: number; code: string; message: (o: object, l: { locale: 'cs' | 'en' }) => string; title: (o: object, l: { locale: 'cs' | 'en' }) => string }): Refusal {
	const both = (text: typeof r.message) => `${text({}, { locale: 'cs' })} / ${text({}, { locale: 'en' })}`;
	return { status: r.status, code: r.code, message: both(r.message), title: both(r.title), page: { lang: 'cs', site: m.site_name({}, { locale: 'cs' }), home: both(m.error_home) } };
}

/**
 * First of all (issue 19): a URL whose path or query cannot be decoded is answered 400 with a
 * clear page, before any guard runs. SvelteKit itself calls `handle` once more for such a path,
 * outside its error handling, where anything thrown ended the process. Then: a route that does
 * not exist in this environment (/dev, /api/test) is a 404; a write sent from another site is a
 * 403 (SvelteKit checks form posts; this covers the JSON API too).
 */
const requestChecks: Handle = ({ event, resolve }) => {
	if (malformedUrl(event.url)) {
		return refusal(event, bilingual({ status: 400, code: 'malformed-url', message: m.rel_malformed_url, title: m.rel_malformed_url_title }));
	}
	const { route } = routeKey(event);
	if (hiddenRoute(route, config().APP_ENV)) {
		return refusal(event, bilingual({ status: 404, code: 'not-found', message: m.error_not_found_text, title: m.error_not_found }));
	}
	if (crossSiteWrite(event.request.method, event.request.headers, event.url.origin)) {
		return refusal(event, bilingual({ status: 403, code: 'cross-site', message: m.rel_cross_site, title: m.error_request }));
	}
	return resolve(event);
};

/**
 * Reads and throws away a body nobody read: a request answered without its body (a 413, a 303 to
 * the login, a 429) would otherwise leave the sender blocked writing it, since adapter-node only
 * reads as far as the body is consumed (a 600 KiB form post refused with 413 hung so). The body
 * goes nowhere; memory stays flat however large it is.
 */
const discardUnreadBody: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const body = event.request.body;
	if (body && !body.locked) {
		void (async () => {
			const reader = body.getReader();
			while (!(await reader.read()).done) {
				/* discarded */
			}
		})().catch(() => {});
	}
	return response;
};

const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%lang%', locale)
		});
	});

const CLUSTER_TEST = portalRole() === 'worker' && process.env.APP_ENV === 'test';

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const headers = response.headers;
	for (const [name, value] of Object.entries(securityHeaderValues(config().APP_ENV === 'production'))) headers.set(name, value);
	// APP_ENV=test under --processes N: which worker answered (scripts/cluster-faults.ts checks the spread).
	if (CLUSTER_TEST) headers.set('X-Portal-Process', String(process.pid));
	// An outage (the database restarting): tell clients when to try again rather than at once.
	if (response.status === 503 && !headers.has('Retry-After')) headers.set('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
	return response;
};

/**
 * 503 while the database cannot be reached, before any page runs: a page made without the
 * database for a browser, JSON for anything else (npm run bench restarts PostgreSQL under load).
 */
function unavailableResponse(event: RequestEvent): Response {
	return refusal(event, {
		status: 503,
		code: 'unavailable',
		message: 'Služba je dočasně nedostupná. / The service is temporarily unavailable.',
		title: m.error_unavailable(),
		pageText: m.error_unavailable_text(),
		page: pageFrame(),
		headers: { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) }
	});
}

/** Staff sessions past the password but not yet the second factor, for the guard (not in locals: they may do nothing). */
const pendingStaff = new WeakMap<App.Locals, StaffInfo>();

/**
 * Reads the `vp_session` cookie into event.locals; a cookie that no longer stands for a
 * session is removed. `locals.staff` is set only once the second factor has passed.
 */
const session: Handle = async ({ event, resolve }) => {
	event.locals.session = null;
	event.locals.voter = null;
	event.locals.staff = null;
	event.locals.eidSubject = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		let validated;
		try {
			validated = await validateSessionToken(db(), token, clock().now());
		} catch (e) {
			if (isDatabaseUnavailable(e) || (isHttpError(e) && e.status === 503)) return unavailableResponse(event);
			throw e;
		}
		if (validated) {
			event.locals.session = validated.session;
			event.locals.voter = validated.voter;
			event.locals.staff = validated.session.twoFactorVerified ? validated.staff : null;
			if (validated.staff && !validated.session.twoFactorVerified) pendingStaff.set(event.locals, validated.staff);
			event.locals.eidSubject = validated.session.eidSubject;
		} else {
			deleteSessionCookie(event.cookies, config());
		}
	}
	const response = await resolve(event);
	// Pages of a logged-in person are never stored by a shared computer's browser or a proxy.
	if (event.locals.session) response.headers.set('Cache-Control', 'no-store');
	return response;
};

/**
 * A redirect from a hook as SvelteKit would answer a thrown redirect(303): a form sent by the
 * page's JavaScript gets an action result (a data request's redirect SvelteKit turns into JSON itself).
 */
function redirectResponse(event: { request: Request }, location: string): Response {
	if (event.request.headers.has('x-sveltekit-action')) return json({ type: 'redirect', status: 303, location });
	return new Response(null, { status: 303, headers: { location } });
}

/**
 * The access table of $lib/server/auth/access.ts, for every request. A staff member of
 * another role gets 403: for a page, the staff 403 page (rendered by an internal request,
 * so that it has the portal's layout); for data and form requests, the bare error.
 */
const guard: Handle = async ({ event, resolve }) => {
	const { locals } = event;
	const decision = decideAccess(event.url, {
		voter: locals.voter !== null,
		eid: locals.eidSubject !== null,
		staff: locals.staff !== null && locals.session?.twoFactorVerified === true,
		staffRole: locals.staff?.role ?? null,
		staffPending: pendingStaff.has(locals)
	});
	if (decision.allow) return resolve(event);
	// Answers, not throws (issue 19): a throw in `handle` is caught by SvelteKit only on some of its paths.
	if ('redirectTo' in decision) return redirectResponse(event, decision.redirectTo);
	const wantsPage = !event.isDataRequest && (event.request.headers.get('accept') ?? '').includes('text/html');
	if (!wantsPage) return json({ message: 'Přístup odepřen. / Forbidden.', code: 'forbidden' }, { status: 403, headers: { 'Cache-Control': 'no-store' } });
	const page = await event.fetch(STAFF_FORBIDDEN_PATH, { headers: { accept: 'text/html' } });
	return new Response(page.body, { status: 403, headers: page.headers });
};

/**
 * The eID-login and submission buckets (rate-limit-routes.ts). Over the limit: 429 with
 * Retry-After; a page gets the portal's "too many attempts" page, anything else a JSON body.
 * Counted on the system clock, not clock(): a rate limit measures how fast requests really
 * arrive, and a frozen FIXED_NOW or a test's `x-test-now` would never let a window pass.
 */
const rateLimit: Handle = async ({ event, resolve }) => {
	const subject = rateLimitKeyFor({
		...routeKey(event),
		clientAddress: event.getClientAddress(),
		voterId: event.locals.voter?.id ?? null
	});
	if (!subject) return resolve(event);
	let verdict;
	try {
		// Counted in PostgreSQL, so that the limit holds across all portal processes (issue 16).
		verdict = await rateLimiter.hit(subject.bucket, subject.key, systemClock.now().epochMilliseconds);
	} catch (e) {
		if (isDatabaseUnavailable(e) || (isHttpError(e) && e.status === 503)) return unavailableResponse(event);
		throw e;
	}
	if (verdict.allowed) return resolve(event);
	const seconds = verdict.retryAfterSeconds;
	const headers = { 'Retry-After': String(seconds), 'Cache-Control': 'no-store' };
	log.warn({ bucket: subject.bucket, path: event.url.pathname, retryAfter: seconds }, 'rate limited');
	const wantsPage = !event.isDataRequest && (event.request.headers.get('accept') ?? '').includes('text/html') && !event.request.headers.has('x-sveltekit-action');
	if (!wantsPage) {
		const message = m.rel_rate_limited_api({ seconds });
		return refusal(event, { status: 429, code: 'rate-limited', message, title: m.rel_rate_limited_title(), page: pageFrame(), headers, extra: { retryAfterSeconds: seconds } });
	}
	const page = await event.fetch(`${RATE_LIMITED_PATH}?za=${seconds}`, { headers: { accept: 'text/html' } });
	const response = new Response(page.body, { status: 429, headers: page.headers });
	for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
	return response;
};

/**
 * A HEAD of a GET that writes rows (the eID login's start and return) is answered 405 here, after
 * the rate limit has counted it as the GET it stands for and before the route runs: SvelteKit
 * runs a page's load for a HEAD as for a GET, and 40 HEADs of /prihlaseni wrote 40 login attempts.
 */
const headWrites: Handle = ({ event, resolve }) => {
	if (!headWouldWrite(event.request.method, event.route.id)) return resolve(event);
	return new Response(null, { status: 405, headers: { Allow: 'GET', 'Cache-Control': 'no-store' } });
};

/**
 * SvelteKit lets a same-origin text/plain POST through to form actions (it is a form content
 * type for its CSRF check), whose request.formData() then throws: a 500. The portal's forms
 * never use it, so it is refused with 415 before any action runs (found by tests/e2e/fuzz.spec.ts).
 */
const formEncoding: Handle = ({ event, resolve }) => {
	const type = (event.request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
	if (event.request.method === 'POST' && type === 'text/plain' && !event.url.pathname.startsWith('/api/')) {
		return new Response(`${m.rel_form_encoding({}, { locale: 'cs' })} / ${m.rel_form_encoding({}, { locale: 'en' })}`, {
			status: 415,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	return resolve(event);
};

/**
 * Counts every answer by route id, method and status, and its time (metrics.ts; served on
 * METRICS_PORT, not here). The route id, never the path: a path may carry a reference or
 * anything a visitor typed, and one series per path would grow without bound.
 */
const requestMetrics: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const route = event.route.id ?? 'unmatched';
	const method = KNOWN_METHODS.has(event.request.method) ? event.request.method : 'other';
	let status = 500;
	try {
		const response = await resolve(event);
		status = response.status;
		return response;
	} finally {
		const counters = metrics();
		counters.httpRequests.inc({ route, method, status: String(status) });
		counters.httpDuration.observe({ route, method }, (performance.now() - started) / 1000);
	}
};
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** adapter-node's limit for every body (BODY_SIZE_LIMIT, 512K unless set): the voter-list import's (body-limit.ts). */
const serverBodyLimit = parseBodySizeLimit(process.env.BODY_SIZE_LIMIT);

/** The frame of a refusal's page in the visitor's language. */
function pageFrame(): Refusal['page'] {
	return { lang: getLocale(), site: m.site_name(), home: m.error_home() };
}

/** The largest body the request's route takes, for the principal the session found (body-limit.ts). */
function bodyLimitOf(event: { route: { id: string | null }; locals: App.Locals }): number {
	return bodyLimitFor(event.route.id, event.locals.staff?.role === 'administrator', serverBodyLimit);
}

/**
 * The route's body limit (body-limit.ts), after the session is known (the voter-list import takes
 * a large body from an administrator past the second factor only) and before the rate limit
 * counts the request: a body declared (Content-Length) larger than that is refused with 413
 * before a byte of it is read, and the sender learns that it is too large, not that they sent
 * too much, losing none of their attempts. A body sent without a length is counted as it is read
 * (limitBody) and refused when it passes the limit (handleError words it).
 */
const bodySize: Handle = ({ event, resolve }) => {
	const limit = bodyLimitOf(event);
	if (!declaresTooLarge(event.request.headers, limit)) {
		event.request = limitBody(event.request, limit);
		return resolve(event);
	}
	const message = m.rel_api_too_large({ kib: Math.floor(limit / 1024) });
	return refusal(event, { status: 413, code: 'too-large', message, title: m.error_request(), page: pageFrame() });
};

// scripts/serve.mjs puts the admission gate in front of SvelteKit (or, with --front, front.ts in the primary) (admission-gate.ts), then the results feed's front (feed/results-front.ts).
publishAdmissionGate();
publishResultsFeedFront();
// With --front, the primary's front and the gate of a worker behind it (front.ts).
publishFront();

// requestMetrics around everything (a refusal is a request too); requestChecks first: a URL that cannot be decoded is answered 400 before anything reads it;
// admission next, before Paraglide and the session look-up, so that a refusal costs little and writes nothing.
export const handle = sequence(requestMetrics, discardUnreadBody, securityHeaders, requestChecks, admission, testClock, formEncoding, i18n, session, bodySize, rateLimit, headWrites, guard);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (isDatabaseUnavailable(error)) {
		return { message: 'Služba je dočasně nedostupná. / The service is temporarily unavailable.', code: 'unavailable' };
	}
	// 4xx are the client's (a malformed URI, a form sent as JSON): logging each would let anyone flood the log.
	if (status >= 500) {
		log.error({ err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error), path: event.url.pathname, status }, 'unhandled error');
	}
	// A body without a length that grew past its route's limit as it arrived (bodySize refuses declared ones): in the user's words.
	if (status === 413) return { message: m.rel_api_too_large({ kib: Math.floor(bodyLimitOf(event) / 1024) }) };
	// SvelteKit's own 4xx messages say what was wrong with the request ("Failed to decode URI"); a 5xx never shows its cause.
	return { message: status < 500 ? message : 'Došlo k chybě. / Something went wrong.' };
};
