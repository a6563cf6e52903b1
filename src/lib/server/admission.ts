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

/** The files of static/ (adapter-node serves them before any hook; the gate sees them first). */
const STATIC_FILES = new Set(['/favicon.svg', '/robots.txt', '/admission-retry.js']);

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
	if (path === '/health' || under(path, '/_app') || STATIC_FILES.has(path) || under(path, '/api/test')) return 'exempt';
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
	/** Retry-After of a refusal, in seconds, under light pressure (retryAfterSeconds stretches it as refusals outnumber admissions). */
	retryAfterSeconds: number;
}

/** The in-flight count a class may reach before it is refused: at least 1 for `finish`, so a small bound still files. */
export function classLimit(cls: Exclude<AdmissionClass, 'exempt'>, maxInFlight: number): number {
	const limit = Math.floor(maxInFlight * CLASS_SHARE[cls]);
	return cls === 'finish' ? Math.max(1, limit) : limit;
}

export type Admission = { admitted: true; release: () => void } | { admitted: false; retryAfterSeconds: number };

/** How much longer than `retryAfterSeconds` a refusal may ask a client to wait when refusals far outnumber admissions. */
export const MAX_RETRY_STRETCH = 6;

/**
 * The Retry-After of a refusal, in seconds. The configured seconds stretched by the pressure —
 * refusals per admission over the last second or two — so that when demand is several times
 * what the process takes, the refused come back spread over a time in which it can take them
 * rather than together into the same overload (1 + pressure, at most MAX_RETRY_STRETCH), plus
 * up to as much again of jitter.
 */
export function retryAfterSeconds(base: number, refused: number, admitted: number, random: number): number {
	const stretch = Math.min(MAX_RETRY_STRETCH, 1 + refused / Math.max(admitted, 1));
	const seconds = Math.round(base * stretch);
	return seconds + Math.floor(random * (seconds + 1));
}

/**
 * The in-flight counter of one process. `filingLimit` overrides the limit of new filings for
 * one request (the test-only setting: 0 refuses them). `now` is a monotonic clock in
 * milliseconds (performance.now), used only to count refusals and admissions per second.
 */
export class Admitter {
	#inFlight = 0;
	#refused = 0;
	#admitted = 0;
	/** Admissions and refusals in this second and the one before (for the pressure). */
	#second = 0;
	#window = { admitted: 0, refused: 0, previousAdmitted: 0, previousRefused: 0 };

	constructor(
		private readonly bounds: () => AdmissionBounds,
		private readonly random: () => number = Math.random,
		private readonly now: () => number = () => performance.now()
	) {}

	get inFlight(): number {
		return this.#inFlight;
	}

	/** Refused and admitted so far (for the log and the bench). */
	get counts(): { admitted: number; refused: number } {
		return { admitted: this.#admitted, refused: this.#refused };
	}

	#count(outcome: 'admitted' | 'refused'): void {
		this.#roll();
		this.#window[outcome]++;
		if (outcome === 'admitted') this.#admitted++;
		else this.#refused++;
	}

	/** Moves the window on to the current second. */
	#roll(): void {
		const second = Math.floor(this.now() / 1000);
		if (second !== this.#second) {
			const w = this.#window;
			const consecutive = second === this.#second + 1;
			this.#window = { admitted: 0, refused: 0, previousAdmitted: consecutive ? w.admitted : 0, previousRefused: consecutive ? w.refused : 0 };
			this.#second = second;
		}
	}

	/** The Retry-After of a refusal now (retryAfterSeconds over this process's recent pressure). */
	retryAfter(): number {
		this.#roll();
		const w = this.#window;
		return retryAfterSeconds(this.bounds().retryAfterSeconds, w.refused + w.previousRefused, w.admitted + w.previousAdmitted, this.random());
	}

	/** Counts a request another process has admitted (the front, front.ts): never refused; the release ends it. */
	enter(): () => void {
		this.#inFlight++;
		this.#count('admitted');
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.#inFlight--;
		};
	}

	tryAdmit(cls: AdmissionClass, filingLimit?: number): Admission {
		if (cls === 'exempt') return { admitted: true, release: () => {} };
		const bounds = this.bounds();
		const limit = filingLimit ?? classLimit(cls, bounds.maxInFlight);
		if (this.#inFlight >= limit) {
			const retryAfterSeconds = this.retryAfter();
			this.#count('refused');
			return { admitted: false, retryAfterSeconds };
		}
		return { admitted: true, release: this.enter() };
	}
}
