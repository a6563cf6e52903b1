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
import { json, type Handle, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '../paraglide/messages';
import { extractLocaleFromRequest } from '../paraglide/runtime';
import { admissionClass, Admitter, isFiling } from './admission';
import { apiError } from './api/json-api';
import { SESSION_COOKIE } from './auth/cookies';
import { config } from './config';
import { log } from './log';
import { unavailablePage, type Resubmit } from './unavailable-page';
import { systemClock } from './clock';
import { metrics } from './metrics';

export const admitter = new Admitter(() => {
	const cfg = config();
	return { maxInFlight: cfg.ADMISSION_MAX_IN_FLIGHT, retryAfterSeconds: cfg.ADMISSION_RETRY_AFTER_SECONDS };
});

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
		return refusal(event, verdict.retryAfterSeconds);
	};
}

export const admission = admissionHandle(admitter);

/** The check page's form: its idempotency key and the answers as the page showed them. */
const checkForm = z.object({
	idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
	answerKey: z.array(z.string().max(200)).max(20),
	answerValue: z.array(z.string().max(1_000)).max(20)
});

async function refusal(event: RequestEvent, seconds: number): Promise<Response> {
	const headers = { 'Retry-After': String(seconds), 'Cache-Control': 'no-store' };
	const { request, url } = event;
	// The visitor's language without Paraglide's middleware (it clones the request): the refusal
	// runs before it, so that a refused request costs as little as it can.
	const locale = extractLocaleFromRequest(request) === 'en' ? 'en' : 'cs';
	const o = { locale } as const;
	const message = m.rel_overloaded_api({ seconds }, o);
	if (url.pathname.startsWith('/api/voter/')) return apiError(503, 'overloaded', message, { retryAfterSeconds: seconds }, headers);
	if (request.headers.has('x-sveltekit-action')) return json({ type: 'error', error: { message, code: 'overloaded' } }, { status: 503, headers });
	if (event.isDataRequest || !(request.headers.get('accept') ?? '').includes('text/html')) {
		return json({ message, code: 'overloaded', retryAfterSeconds: seconds }, { status: 503, headers });
	}
	const time = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'cs-CZ', { timeZone: 'Europe/Prague', hour: 'numeric', minute: '2-digit', second: '2-digit' }).format(
		new Date(systemClock.now().epochMilliseconds + seconds * 1000)
	);
	const texts = { lang: locale, site: m.site_name({}, o), title: m.rel_overloaded_title({}, o), home: m.error_home({}, o) };
	const resubmit = isFiling(request.method, url.pathname) ? await resubmitOf(request, url, seconds, time, locale) : undefined;
	const html = resubmit
		? unavailablePage({ ...texts, text: m.rel_overloaded_submit_text({}, o) }, resubmit)
		: unavailablePage({ ...texts, text: `${m.rel_overloaded_text({}, o)} ${m.rel_overloaded_when({ seconds, time }, o)}` });
	return new Response(html, {
		status: 503,
		headers: {
			...headers,
			'content-type': 'text/html; charset=utf-8',
			// Made outside SvelteKit's renderer: its own policy, the one script a static file.
			'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
		}
	});
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
