/**
 * The results feed's front (issue 17): the portal's server (scripts/serve.mjs) answers the
 * results feed's plain GET and HEAD requests here, after the admission gate and before
 * SvelteKit, with the same function the route uses (results.ts: the same bytes, headers, token
 * checks, rate-limit budgets and snapshots).
 *
 * Why: on election night thousands of newsrooms' and readers' scripts poll the feed, nearly
 * all with If-None-Match and nearly all answered 304. Through SvelteKit each such answer cost
 * about 1 ms of processor time (its Request and Response objects, thirteen hooks); here it
 * costs a small part of that, which is processor time the voters' filings keep (npm run
 * bench:feed: the submissions' p99 while 5,000 clients poll).
 *
 * Anything out of the ordinary goes on to SvelteKit, which answers it with the same function: a
 * query other than `?test=1`, a path that needs decoding, a test clock (`x-test-now` under
 * APP_ENV=test), a client address adapter-node could not read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GATE_VERDICT, type GateVerdict } from '$lib/server/admission-handle';
import { config } from '$lib/server/config';
import { metrics } from '$lib/server/metrics';
import { securityHeaders } from '$lib/server/security-headers';
import type { FeedAnswer } from './http';
import { answerResultsFeed, FORMAT_OF, type ResultsFeedRequest } from './results';

export const RESULTS_FEED_FRONT = Symbol.for('volebni-portal.results-feed-front');
export type Front = (req: IncomingMessage, res: ServerResponse) => boolean;

/** The route's id, as SvelteKit's own request metrics name it. */
const ROUTE_ID = '/api/open-data/results/[id]/[file]';
const PATH = /^\/api\/open-data\/results\/([0-9A-Fa-f-]{36})\/([a-z_]+\.(?:json|csv|xml))$/;

/**
 * adapter-node's client address (its get_client_address): the ADDRESS_HEADER when set (the
 * XFF_DEPTH-th from the right of X-Forwarded-For), else the socket's peer. Null where
 * adapter-node would throw: such a request goes on to SvelteKit.
 */
export function clientAddressOf(req: IncomingMessage, env: Record<string, string | undefined> = process.env): string | null {
	const header = (env.ADDRESS_HEADER ?? '').toLowerCase();
	if (!header) return req.socket.remoteAddress ?? null;
	if (!(header in req.headers)) return null;
	const raw = req.headers[header];
	const value = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
	if (header !== 'x-forwarded-for') return value;
	const depth = Number.parseInt(env.XFF_DEPTH ?? '1', 10);
	const addresses = value.split(',');
	if (!(depth >= 1) || depth > addresses.length) return null;
	return addresses[addresses.length - depth]!.trim();
}

function header(req: IncomingMessage, name: string): string | null {
	const value = req.headers[name];
	return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}

/** The request the front answers, or null for one that goes on to SvelteKit. */
export function frontRequest(req: IncomingMessage, testEnv: boolean, env: Record<string, string | undefined> = process.env): ResultsFeedRequest | null {
	if (req.method !== 'GET' && req.method !== 'HEAD') return null;
	// Refused by the admission gate, to be answered by SvelteKit's refusal page.
	if ((req as IncomingMessage & { [GATE_VERDICT]?: GateVerdict })[GATE_VERDICT]?.admitted === false) return null;
	const url = req.url ?? '';
	const q = url.indexOf('?');
	const query = q < 0 ? '' : url.slice(q + 1);
	if (query !== '' && query !== 'test=1') return null;
	const match = PATH.exec(q < 0 ? url : url.slice(0, q));
	if (!match || !(match[2]! in FORMAT_OF)) return null;
	if (testEnv && req.headers['x-test-now'] !== undefined) return null;
	const address = clientAddressOf(req, env);
	if (address === null) return null;
	return {
		electionId: match[1]!,
		file: match[2]!,
		test: query === 'test=1',
		authorization: header(req, 'authorization'),
		ifNoneMatch: header(req, 'if-none-match'),
		ifModifiedSince: header(req, 'if-modified-since'),
		clientAddress: () => address
	};
}

function send(res: ServerResponse, head: boolean, answer: FeedAnswer, production: boolean): void {
	const headers: Record<string, string | number> = { ...securityHeaders(production), ...answer.headers };
	if (answer.body !== null) headers['Content-Length'] = Buffer.byteLength(answer.body);
	res.writeHead(answer.status, headers);
	res.end(head || answer.body === null ? undefined : answer.body);
}

/** The front: true when it has taken the request (and answers it). */
export function resultsFeedFront(): Front {
	return (req, res) => {
		const request = frontRequest(req, config().APP_ENV === 'test');
		if (!request) return false;
		const method = req.method!;
		const started = performance.now();
		void answerResultsFeed(request)
			.then((answer) => {
				send(res, method === 'HEAD', answer, config().APP_ENV === 'production');
				const counters = metrics();
				counters.httpRequests.inc({ route: ROUTE_ID, method, status: String(answer.status) });
				counters.httpDuration.observe({ route: ROUTE_ID, method }, (performance.now() - started) / 1000);
			})
			.catch(() => {
				// answerResultsFeed never rejects; a socket gone meanwhile leaves nothing to answer.
				if (!res.headersSent) res.destroy();
			});
		return true;
	};
}

/** Makes the front findable by scripts/serve.mjs (called when the hooks load). */
export function publishResultsFeedFront(): void {
	(globalThis as Record<symbol, unknown>)[RESULTS_FEED_FRONT] = resultsFeedFront();
}
