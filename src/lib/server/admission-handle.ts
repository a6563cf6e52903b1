/**
 * The admission hook (issue 20): every request is admitted or refused by admission.ts right
 * after the security headers, before Paraglide's middleware and the session look-up, so it has
 * touched no table and costs little; a refused request has done
 * nothing — no row, no audit entry, no e-mail. A refusal is answered at once with 503,
 * Retry-After and, in the visitor's language, the outage page; a refused check-answers
 * submission gets a page that shows the answers and sends the same form again (the draft is on
 * the server already: every step of a flow stores it before the check page is shown, and the
 * check page stores the idempotency key the form carries). JSON for the API and scripts.
 */
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '../paraglide/messages';
import { extractLocaleFromRequest } from '../paraglide/runtime';
import { admissionClass, Admitter, isFiling, type AdmissionBounds } from './admission';
import { refusal, refusalShape, type Refusal } from './refusal';
import { SESSION_COOKIE } from './auth/cookies';
import { config } from './config';
import { log } from './log';
import type { Resubmit } from './unavailable-page';
import { systemClock } from './clock';
import { metrics } from './metrics';

/** The configured bounds of one portal process (ADMISSION_MAX_IN_FLIGHT, ADMISSION_RETRY_AFTER_SECONDS). */
export function admissionBounds(): AdmissionBounds {
	const cfg = config();
	return { maxInFlight: cfg.ADMISSION_MAX_IN_FLIGHT, retryAfterSeconds: cfg.ADMISSION_RETRY_AFTER_SECONDS };
}

export const admitter = new Admitter(admissionBounds);

/** The admission gate's verdict on a request, set on Node's request object (admission-gate.ts). */
export const GATE_VERDICT = Symbol('admission verdict');
export type GateVerdict = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/** What the gate in front of SvelteKit decided about the request (none without the gate: vite dev, build/index.js). */
function gateVerdict(platform: unknown): GateVerdict | undefined {
	return (platform as { req?: { [GATE_VERDICT]?: GateVerdict } } | undefined)?.req?.[GATE_VERDICT];
}

/**
 * APP_ENV=test only (POST /api/test/admission): the limit of new filings for one session, so
 * that an end-to-end test can refuse its own filings (0) and lift the refusal again without
 * touching the tests that run beside it.
 */
const testFilingLimits = new Map<string, number>();

export function setTestFilingLimit(sessionToken: string, limit: number | null): void {
	if (config().APP_ENV !== 'test') throw new Error('test-only setting');
	if (limit === null) testFilingLimits.delete(sessionToken);
	else testFilingLimits.set(sessionToken, limit);
}

function testFilingLimit(event: RequestEvent): number | undefined {
	if (testFilingLimits.size === 0 || !isFiling(event.request.method, event.url.pathname)) return undefined;
	const token = event.cookies.get(SESSION_COOKIE);
	return token === undefined ? undefined : testFilingLimits.get(token);
}

/** The hook, over one process's Admitter (a test makes its own). */
export function admissionHandle(counter: Admitter): Handle {
	return async ({ event, resolve }) => {
		// In front of SvelteKit the gate has counted the request already (admission-gate.ts).
		const gated = gateVerdict(event.platform);
		if (gated && !gated.admitted) return refuse(event, gated.retryAfterSeconds);
		if (gated) {
			const limit = testFilingLimit(event);
			// The test-only limit of new filings, over what is in flight beside this request.
			if (limit !== undefined && counter.inFlight - 1 >= limit) return refuse(event, counter.retryAfter());
			return resolve(event);
		}
		const cls = admissionClass(event.request.method, event.url.pathname);
		const verdict = counter.tryAdmit(cls, testFilingLimit(event));
		if (verdict.admitted) {
			try {
				return await resolve(event);
			} finally {
				verdict.release();
			}
		}
		log.debug({ path: event.url.pathname, cls, inFlight: counter.inFlight }, 'refused: over the admission bound');
		metrics().admissionRefusals.inc({ class: cls });
		return refuse(event, verdict.retryAfterSeconds);
	};
}

export const admission = admissionHandle(admitter);

/** The check page's form: its idempotency key and the answers as the page showed them. */
const checkForm = z.object({
	idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
	answerKey: z.array(z.string().max(200)).max(20),
	answerValue: z.array(z.string().max(1_000)).max(20)
});

/** The refusal of the admission bound, in the visitor's language, through the one builder (refusal.ts). */
async function refuse(event: RequestEvent, seconds: number): Promise<Response> {
	const { request, url } = event;
	// The visitor's language without Paraglide's middleware (it clones the request): the refusal
	// runs before it, so that a refused request costs as little as it can.
	const locale = extractLocaleFromRequest(request) === 'en' ? 'en' : 'cs';
	const o = { locale } as const;
	const base = overloadRefusal(locale, seconds);
	if (refusalShape(url.pathname, (name) => request.headers.get(name), event.isDataRequest) !== 'page') return refusal(event, base);
	const time = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'cs-CZ', { timeZone: 'Europe/Prague', hour: 'numeric', minute: '2-digit', second: '2-digit' }).format(
		new Date(systemClock.now().epochMilliseconds + seconds * 1000)
	);
	const resubmit = isFiling(request.method, url.pathname) ? await resubmitOf(request, url, seconds, time, locale) : undefined;
	return refusal(event, {
		...base,
		title: m.rel_overloaded_title({}, o),
		page: { lang: locale, site: m.site_name({}, o), home: m.error_home({}, o) },
		pageText: resubmit ? m.rel_overloaded_submit_text({}, o) : `${m.rel_overloaded_text({}, o)} ${m.rel_overloaded_when({ seconds, time }, o)}`,
		resubmit,
		headers: {
			...base.headers,
			// Made outside SvelteKit's renderer: its own policy, the one script a static file.
			'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
		}
	});
}

/** What a script reads when the admission bound refuses it (the gate answers it without SvelteKit). */
export function overloadRefusal(locale: 'cs' | 'en', seconds: number): Refusal {
	const o = { locale } as const;
	const message = m.rel_overloaded_api({ seconds }, o);
	return {
		status: 503,
		code: 'overloaded',
		message,
		title: message,
		page: { lang: locale, site: '', home: '' },
		headers: { 'Retry-After': String(seconds), 'Cache-Control': 'no-store' },
		extra: { retryAfterSeconds: seconds }
	};
}

async function resubmitOf(request: Request, url: URL, seconds: number, time: string, locale: 'cs' | 'en'): Promise<Resubmit | undefined> {
	const o = { locale } as const;
	const form = await request.formData().catch(() => null);
	if (!form) return undefined;
	const parsed = checkForm.safeParse({
		idempotencyKey: form.get('idempotencyKey'),
		answerKey: form.getAll('answerKey'),
		answerValue: form.getAll('answerValue')
	});
	if (!parsed.success) return undefined;
	const { idempotencyKey, answerKey, answerValue } = parsed.data;
	const answers = answerKey.map((key, i) => ({ key, value: answerValue[i] ?? '' }));
	return {
		action: url.pathname,
		answersHeading: m.rel_overloaded_answers({}, o),
		answers,
		fields: [['idempotencyKey', idempotencyKey], ...answers.flatMap((a): [string, string][] => [['answerKey', a.key], ['answerValue', a.value]])],
		button: m.rel_overloaded_resubmit({}, o),
		retryAfterSeconds: seconds,
		when: m.rel_overloaded_when_submit({ countdown: '{countdown}', time }, o)
	};
}
