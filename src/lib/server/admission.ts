/**
 * Admission control (issue 20): how much work one portal process accepts at once, and which
 * work goes first when demand exceeds it. Pure: no clock, no database, no environment; the
 * hook in hooks.server.ts feeds it the request and the configured bounds.
 *
 * A request is admitted while the requests in flight in this process are fewer than its
 * class's share of the bound; beyond it the request is refused at once (503 + Retry-After),
 * before it has touched the database, so a refused request has done nothing. The classes, in
 * the order they are admitted (docs/RELIABILITY.md):
 *
 *   finish   — what finishes a voter's work: the check-answers submission (a filing), the
 *              JSON filing, a cancellation; and every staff action (a non-GET under /urad).
 *   continue — status reads (the voter's record, requests, confirmations, the JSON status),
 *              staff page views, and the later steps of a flow already started.
 *   start    — everything else: the home page, the start page of a flow, the login, public pages.
 *   exempt   — /health, the app's static assets and the test-only routes: never refused.
 *              (adapter-node serves /_app/immutable and static/ before any hook; listed here so
 *              that the rule holds wherever the portal runs.)
 */
export type AdmissionClass = 'exempt' | 'finish' | 'continue' | 'start';

/** The share of the in-flight bound each class may fill: the last quarter is kept for `finish`, the half above `start` for `continue`. */
export const CLASS_SHARE: Record<Exclude<AdmissionClass, 'exempt'>, number> = { finish: 1, continue: 0.75, start: 0.5 };

/** The flows' start pages (GET): new work, admitted last. */
const FLOW_ROOTS = ['/volicsky-prukaz', '/korespondencni-hlasovani', '/zapis-do-zvlastniho-okrsku'];
/** What a voter reads about what they filed (GET). */
const STATUS_PREFIXES = ['/muj-zaznam', '/zadosti', '/api/voter/requests'];

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** Whether the request is a new filing: the check-answers submission of a flow or the JSON filing. */
export function isFiling(method: string, pathname: string): boolean {
	if (method !== 'POST') return false;
	if (pathname === '/api/voter/requests') return true;
	// A request to correct the voter list (§23(5)) is filed in one POST.
	if (/^\/muj-zaznam\/oprava\/[^/]+$/.test(pathname)) return true;
	return FLOW_ROOTS.some((root) => pathname === `${root}/kontrola`);
}

export function admissionClass(method: string, pathname: string): AdmissionClass {
	const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
	if (path === '/health' || under(path, '/_app') || path === '/favicon.svg' || path === '/robots.txt' || under(path, '/api/test')) return 'exempt';
	const read = method === 'GET' || method === 'HEAD';
	if (!read) {
		if (isFiling(method, path)) return 'finish';
		// A cancellation finishes the voter's work too.
		if (/^\/zadosti\/[^/]+\/zrusit$/.test(path)) return 'finish';
		if (under(path, '/urad') && !under(path, '/urad/prihlaseni')) return 'finish';
		// The answer to a step of a flow already started.
		if (FLOW_ROOTS.some((root) => under(path, root))) return 'continue';
		return 'start';
	}
	if (STATUS_PREFIXES.some((prefix) => under(path, prefix))) return 'continue';
	if (under(path, '/urad') && !under(path, '/urad/prihlaseni')) return 'continue';
	if (FLOW_ROOTS.some((root) => path.startsWith(`${root}/`))) return 'continue';
	return 'start';
}

export interface AdmissionBounds {
	/** Requests in flight in this process at which even `finish` is refused (ADMISSION_MAX_IN_FLIGHT). */
	maxInFlight: number;
	/** Retry-After of a refusal, in seconds: this many, plus up to as many again of jitter so retries spread out. */
	retryAfterSeconds: number;
}

/** The in-flight count a class may reach before it is refused: at least 1 for `finish`, so a small bound still files. */
export function classLimit(cls: Exclude<AdmissionClass, 'exempt'>, maxInFlight: number): number {
	const limit = Math.floor(maxInFlight * CLASS_SHARE[cls]);
	return cls === 'finish' ? Math.max(1, limit) : limit;
}

export type Admission = { admitted: true; release: () => void } | { admitted: false; retryAfterSeconds: number };

/**
 * The in-flight counter of one process. `filingLimit` overrides the limit of new filings for
 * one request (the test-only setting: 0 refuses them).
 */
export class Admitter {
	#inFlight = 0;
	#refused = 0;
	#admitted = 0;

	constructor(
		private readonly bounds: () => AdmissionBounds,
		private readonly random: () => number = Math.random
	) {}

	get inFlight(): number {
		return this.#inFlight;
	}

	/** Refused and admitted so far (for the log and the bench). */
	get counts(): { admitted: number; refused: number } {
		return { admitted: this.#admitted, refused: this.#refused };
	}

	tryAdmit(cls: AdmissionClass, filingLimit?: number): Admission {
		if (cls === 'exempt') return { admitted: true, release: () => {} };
		const bounds = this.bounds();
		const limit = filingLimit ?? classLimit(cls, bounds.maxInFlight);
		if (this.#inFlight >= limit) {
			this.#refused++;
			const base = bounds.retryAfterSeconds;
			return { admitted: false, retryAfterSeconds: base + Math.floor(this.random() * (base + 1)) };
		}
		this.#inFlight++;
		this.#admitted++;
		let released = false;
		return {
			admitted: true,
			release: () => {
				if (released) return;
				released = true;
				this.#inFlight--;
			}
		};
	}
}
