/**
 * The admission gate (issue 20): the admission bound applied in front of SvelteKit, by the
 * portal's server (scripts/serve.mjs), which finds the gate under a well-known symbol once the
 * hooks have loaded. Every request is counted here, against the same per-process counter as the
 * admission hook (admission-handle.ts), and released when its answer is done. A refused request
 * that a script sent (the JSON API, SvelteKit's data and form requests) is answered here at once:
 * measured on this 2-core machine, about 0.05 ms of processor time against 0.15 ms through
 * SvelteKit, which at 3× overload is the processor time the filings need. A refused browser
 * request goes on to SvelteKit marked as refused, where the hook makes the page in the
 * visitor's language that keeps a submission's answers. The mark is a symbol on Node's request
 * object (adapter-node passes it as `platform.req`): a client cannot forge it.
 *
 * Without the server (vite dev, adapter-node's own build/index.js) there is no gate and the
 * hook counts and refuses by itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cookieName } from '../paraglide/runtime';
import { admissionClass, type Admitter } from './admission';
import { admitter, GATE_VERDICT, overloadRefusal, type GateVerdict } from './admission-handle';
import { config } from './config';
import { metrics } from './metrics';
import { refusalBody, refusalShape, type RefusalShape } from './refusal';
import { securityHeaders } from './security-headers';

export const ADMISSION_GATE = Symbol.for('volebni-portal.admission-gate');
type Marked = IncomingMessage & { [GATE_VERDICT]?: GateVerdict };
export type Gate = (req: IncomingMessage, res: ServerResponse) => boolean;

const LOCALE_EN = new RegExp(`(?:^|;\\s*)${cookieName}=en(?:;|$)`);

/** Whether the visitor chose English (Paraglide's cookie), read without Paraglide's middleware. */
export const prefersEnglish = (req: IncomingMessage): boolean => LOCALE_EN.test(req.headers.cookie ?? '');

/** The path of a request as Node reads it (no decoding: a path that needs it is SvelteKit's). */
export function pathnameOf(req: IncomingMessage): string {
	const url = req.url ?? '/';
	const query = url.indexOf('?');
	return query < 0 ? url : url.slice(0, query);
}

/** Who reads a refusal of this request, from Node's request (refusal.ts's refusalShape). */
export function refusalShapeOf(req: IncomingMessage, pathname = pathnameOf(req)): RefusalShape {
	const header = (name: string) => {
		const value = req.headers[name];
		return Array.isArray(value) ? value.join(', ') : value;
	};
	return refusalShape(pathname, header, pathname.endsWith('/__data.json'));
}

/** The gate over one Admitter (a test makes its own): true when it has answered the request itself. */
export function admissionGate(counter: Admitter): Gate {
	return (req, res) => {
		const pathname = pathnameOf(req);
		const marked = req as Marked;
		const cls = admissionClass(req.method ?? 'GET', pathname);
		const verdict = counter.tryAdmit(cls);
		if (verdict.admitted) {
			res.once('close', verdict.release);
			marked[GATE_VERDICT] = { admitted: true };
			return false;
		}
		metrics().admissionRefusals.inc({ class: cls });
		const shape = refusalShapeOf(req, pathname);
		if (shape === 'page') {
			marked[GATE_VERDICT] = { admitted: false, retryAfterSeconds: verdict.retryAfterSeconds };
			return false;
		}
		const refusal = overloadRefusal(prefersEnglish(req) ? 'en' : 'cs', verdict.retryAfterSeconds);
		const body = JSON.stringify(refusalBody(shape, refusal));
		res.writeHead(503, {
			...securityHeaders(config().APP_ENV === 'production'),
			...refusal.headers,
			'Content-Type': 'application/json',
			'Content-Length': Buffer.byteLength(body)
		});
		res.end(body);
		return true;
	};
}

/** Makes the gate findable by scripts/serve.mjs (called when the hooks load). */
export function publishAdmissionGate(): void {
	(globalThis as Record<symbol, unknown>)[ADMISSION_GATE] = admissionGate(admitter);
}
