/**
 * The front (issue 20): admission control in a process that does nothing else.
 *
 * Under overload a refusal must come at once (p99 < 50 ms). Made inside a portal process it
 * waits for whatever that process's single thread is doing: on the 2-core bench machine its
 * major garbage collections alone held the loop for 90–410 ms (docs/RELIABILITY.md). With
 * `npm start -- --front` the cluster's primary holds the public port and runs this front: it
 * classes and counts every request with the same admission gate (admission-gate.ts) against
 * the bound of all its workers together, answers a refused script itself, and hands every other
 * request to the least busy worker over a Unix socket. Its own heap stays small (it parses,
 * counts and copies bytes), so its pauses are short and a refusal does not wait for SvelteKit.
 *
 * What passes the front carries two headers that only the front sets (any a client sent are
 * dropped): FRONT_ADMISSION (the verdict: `admitted`, or `refused; retry-after=N` for a
 * browser's request, whose page keeping the answers SvelteKit makes) and FRONT_CLIENT_ADDRESS
 * (the client's address as adapter-node would read it, ADDRESS_HEADER/XFF_DEPTH included; the
 * workers read it as their ADDRESS_HEADER). The workers listen only on sockets in a directory
 * of the primary's, mode 0700: nothing else can reach them, so the headers can be believed.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { Admitter, type AdmissionBounds } from './admission';
import { m } from '../paraglide/messages';
import { admissionGate, prefersEnglish, refusalShapeOf, type Gate } from './admission-gate';
import { admissionBounds, admitter, GATE_VERDICT, type GateVerdict } from './admission-handle';
import { config } from './config';
import { clientAddressOf } from './feed/results-front';
import { refusalBody } from './refusal';
import { securityHeaders } from './security-headers';
import { unavailablePage } from './unavailable-page';

export const FRONT_ADMISSION = 'x-portal-admission';
export const FRONT_CLIENT_ADDRESS = 'x-portal-client-address';

/** Headers of one hop only (RFC 9110 §7.6.1), and the front's own, which no client may send. */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect', FRONT_ADMISSION, FRONT_CLIENT_ADDRESS]);

/** One worker behind the front. */
export interface Backend {
	readonly id: number;
	readonly socketPath: string;
	readonly agent: http.Agent;
	inFlight: number;
}

/** The workers the front may hand a request to; the least busy first, in turn among equals. */
export class Backends {
	#list: Backend[] = [];
	#next = 0;

	get size(): number {
		return this.#list.length;
	}

	add(id: number, socketPath: string): void {
		this.remove(id);
		// `timeout`: an idle kept-alive socket is closed by the front after 60 s, before the worker
		// closes it at 65 s (serve.mjs): without it Node's agent keeps idle sockets for ever and may
		// reuse one just as the worker closes it (the keep-alive race, nodejs/node#47130). It closes
		// only idle sockets; a request that waits longer is not cut.
		this.#list.push({ id, socketPath, agent: new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024, timeout: 60_000 }), inFlight: 0 });
	}

	/** No new request goes to it; what it has in flight finishes. */
	remove(id: number): void {
		const gone = this.#list.find((b) => b.id === id);
		if (!gone) return;
		// Its kept-alive sockets are closed by the worker as it drains (scripts/serve.mjs).
		this.#list = this.#list.filter((b) => b !== gone);
	}

	pick(): Backend | undefined {
		const n = this.#list.length;
		let best: Backend | undefined;
		for (let i = 0; i < n; i++) {
			const b = this.#list[(this.#next + i) % n]!;
			if (!best || b.inFlight < best.inFlight) best = b;
		}
		this.#next = n ? (this.#next + 1) % n : 0;
		return best;
	}
}

/** The front's gate: the admission bound of one worker times the workers there are (at least one). */
export function frontGate(bounds: () => AdmissionBounds, backends: Backends): Gate {
	const counter = new Admitter(() => {
		const b = bounds();
		return { ...b, maxInFlight: b.maxInFlight * Math.max(1, backends.size) };
	});
	return admissionGate(counter);
}

const UNAVAILABLE_RETRY_AFTER = 2;

/**
 * The answer when no worker can take the request (all restarting, or one died under it): the
 * portal's outage answer in the visitor's language and in the shape its sender reads
 * (refusal.ts), made here without a worker.
 */
function unavailable(req: IncomingMessage, res: ServerResponse): void {
	const locale = prefersEnglish(req) ? 'en' : 'cs';
	const o = { locale } as const;
	const shape = refusalShapeOf(req);
	const message = m.error_unavailable_text({}, o);
	const headers: Record<string, string | number> = {
		...securityHeaders(config().APP_ENV === 'production'),
		'Retry-After': String(UNAVAILABLE_RETRY_AFTER),
		'Cache-Control': 'no-store'
	};
	let body: string;
	if (shape === 'page') {
		body = unavailablePage({ lang: locale, site: m.site_name({}, o), title: m.error_unavailable({}, o), text: message, home: m.error_home({}, o) });
		headers['Content-Type'] = 'text/html; charset=utf-8';
		// Made outside SvelteKit's renderer, without a script: its own policy.
		headers['Content-Security-Policy'] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
	} else {
		body = JSON.stringify(refusalBody(shape, { code: 'unavailable', message, extra: { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER } }));
		headers['Content-Type'] = 'application/json';
	}
	headers['Content-Length'] = Buffer.byteLength(body);
	res.writeHead(503, headers);
	res.end(req.method === 'HEAD' ? undefined : body);
}

function forwardedHeaders(req: IncomingMessage, verdict: GateVerdict, address: string | null): OutgoingHttpHeaders {
	const headers: OutgoingHttpHeaders = {};
	const incoming: IncomingHttpHeaders = req.headers;
	for (const name in incoming) if (!NOT_FORWARDED.has(name)) headers[name] = incoming[name];
	headers[FRONT_ADMISSION] = verdict.admitted ? 'admitted' : `refused; retry-after=${verdict.retryAfterSeconds}`;
	if (address !== null) headers[FRONT_CLIENT_ADDRESS] = address;
	return headers;
}

/** Copies one worker's answer to the client, without the headers of its hop. */
function relay(answer: IncomingMessage, res: ServerResponse): void {
	const raw = answer.rawHeaders;
	const headers: string[] = [];
	for (let i = 0; i < raw.length; i += 2) if (!NOT_FORWARDED.has(raw[i]!.toLowerCase())) headers.push(raw[i]!, raw[i + 1]!);
	res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
	answer.pipe(res);
	answer.on('error', () => res.destroy());
}

/** Hands one request to a worker; a GET or HEAD whose kept-alive socket was closed under it is tried once more. */
function forward(req: IncomingMessage, res: ServerResponse, backends: Backends, headers: OutgoingHttpHeaders, retried = false): void {
	const backend = backends.pick();
	if (!backend) return unavailable(req, res);
	backend.inFlight++;
	let done = false;
	const finish = () => {
		if (done) return;
		done = true;
		backend.inFlight--;
	};
	const upstream = http.request({ socketPath: backend.socketPath, agent: backend.agent, method: req.method, path: req.url, headers });
	upstream.on('response', (answer) => {
		answer.on('end', finish);
		relay(answer, res);
	});
	upstream.on('error', () => {
		finish();
		if (res.headersSent) return void res.destroy();
		const bodiless = req.method === 'GET' || req.method === 'HEAD';
		if (bodiless && upstream.reusedSocket && !retried) return forward(req, res, backends, headers, true);
		unavailable(req, res);
	});
	// A client that goes away takes its request at the worker with it.
	res.on('close', () => {
		finish();
		if (!res.writableFinished) upstream.destroy();
	});
	if (retried) upstream.end();
	else req.pipe(upstream);
}

/**
 * The front's request handler: the gate first (it answers a refused script and counts the rest
 * until the client has its answer), then a worker.
 */
export function frontHandler(gate: Gate, backends: Backends, env: Record<string, string | undefined> = process.env): (req: IncomingMessage, res: ServerResponse) => void {
	return (req, res) => {
		if (gate(req, res)) return;
		const verdict = (req as IncomingMessage & { [GATE_VERDICT]?: GateVerdict })[GATE_VERDICT] ?? { admitted: true };
		forward(req, res, backends, forwardedHeaders(req, verdict, clientAddressOf(req, env)));
	};
}

/**
 * A worker's gate behind the front: it believes the front's verdict (its socket is reachable
 * from the front only) and counts what the front admitted in its own counter, which the
 * test-only limit of new filings reads (admission-handle.ts). A refused browser request goes on
 * to SvelteKit marked, for the page that keeps the answers.
 */
export function behindFrontGate(counter: Admitter): Gate {
	return (req, res) => {
		const value = req.headers[FRONT_ADMISSION];
		const refused = typeof value === 'string' ? /^refused; retry-after=(\d{1,5})$/.exec(value) : null;
		const marked = req as IncomingMessage & { [GATE_VERDICT]?: GateVerdict };
		if (refused) {
			marked[GATE_VERDICT] = { admitted: false, retryAfterSeconds: Number(refused[1]) };
			return false;
		}
		res.once('close', counter.enter());
		marked[GATE_VERDICT] = { admitted: true };
		return false;
	};
}

export const FRONT = Symbol.for('volebni-portal.front');
export const BEHIND_FRONT_GATE = Symbol.for('volebni-portal.behind-front-gate');

/**
 * Makes the front findable by scripts/serve.mjs (called when the hooks load): in the primary,
 * a factory of the front's handler over its workers; in a worker, the gate behind it.
 */
export function publishFront(): void {
	const global = globalThis as Record<symbol, unknown>;
	global[FRONT] = () => {
		const backends = new Backends();
		return { backends, handler: frontHandler(frontGate(admissionBounds, backends), backends) };
	};
	global[BEHIND_FRONT_GATE] = behindFrontGate(admitter);
}
