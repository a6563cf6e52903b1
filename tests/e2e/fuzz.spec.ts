/**
 * Hostile input (issue 8): every form and every API endpoint of the portal, fuzzed with
 * generated input (fast-check): long strings, control characters, invalid UTF-8, unexpected
 * fields, repeated fields where one value is expected, wrong encodings and oversized bodies.
 * Never a 5xx; every 4xx says what is wrong in words. At least 10,000 cases per run; the count
 * and the seed are printed (FUZZ_SEED=<n> repeats a run, FUZZ_CASES=<n> changes its size).
 *
 * The routes are read from src/routes when the test runs, so a form added later is fuzzed too.
 * Each form is posted by a principal who may use it (a voter, the staff of the route's group —
 * all of them the test's own, from /api/test/session — or nobody), with ids of that principal's
 * own office in its path (/api/test/access-fixture), so that the input gets past the guard into
 * the action. The fields are those of the page's own forms, plus made-up ones.
 */
import http from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { expect, test, type APIRequestContext, type APIResponse, type PlaywrightWorkerArgs } from '@playwright/test';
import { accessFor, STAFF_GROUP_ROLES, type StaffGroup } from '../../src/lib/server/auth/access';
import { PORTAL_RATE_LIMITS } from '../../src/lib/server/rate-limit-window';
import { rateLimitKeyFor } from '../../src/lib/server/rate-limit-routes';
import { pool, sendAgainOnReset, testPrincipal } from './routes-support';

const NOW = '2026-11-20T09:00:00.000+01:00';
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env.FUZZ_CASES ?? 10_000);
const CONCURRENCY = 12;
/**
 * Submissions per voter (the 'submission' bucket, rate-limit-routes.ts), kept under the limit:
 * each voter of the test files at most this many, so that every submission case reaches the
 * form or endpoint it fuzzes instead of the rate limit (a 429 there is a failure).
 */
const SUBMISSIONS_PER_VOTER = Math.floor(PORTAL_RATE_LIMITS.submission.limit * 0.8);
const ROUTES_DIR = path.resolve('src/routes');
/** Not fuzzed: test-only endpoints, and logouts (they would end the fuzzing sessions). */
const SKIP = [/^\/api\/test\//, /^\/(urad\/)?odhlaseni$/];

interface Target {
	kind: 'form' | 'json' | 'path';
	pattern: string;
	/** SvelteKit's route id, groups included (e.g. /(volic)/muj-zaznam/email): what the rate limits key on. */
	routeId: string;
	principal: string;
	/** The path with ids filled in (forms, JSON); for 'path', the pattern with a slot per parameter. */
	url: string;
	actions: string[];
	fields: string[];
}

function routeFiles(): { pattern: string; routeId: string; file: string; source: string }[] {
	const out: { pattern: string; routeId: string; file: string; source: string }[] = [];
	for (const entry of readdirSync(ROUTES_DIR, { recursive: true, withFileTypes: true })) {
		if (!entry.isFile() || !['+page.server.ts', '+server.ts'].includes(entry.name)) continue;
		const all = path.relative(ROUTES_DIR, entry.parentPath).split(path.sep).filter(Boolean);
		const segments = all.filter((s) => !/^\(.*\)$/.test(s));
		out.push({ pattern: `/${segments.join('/')}`, routeId: `/${all.join('/')}`, file: entry.name, source: readFileSync(path.join(entry.parentPath, entry.name), 'utf8') });
	}
	return out;
}

// --- Hostile values --------------------------------------------------------------------------

const NASTY = [
	'',
	' ',
	'\u0000',
	'\u0000\u0001\u0002\u001b[31m\u007f',
	'\r\n\r\nSet-Cookie: x=1',
	'%00%FF%FE',
	'../../../../etc/passwd',
	"' OR 1=1; DROP TABLE request; --",
	'<script>alert(1)</script>',
	'"><img src=x onerror=alert(1)>',
	'{{7*7}}${7*7}',
	'\u202Eevil\u202C',
	'\uD800',
	'\uDFFF\uD800',
	'\uFEFF',
	'🗳️'.repeat(500),
	'-1',
	'1e309',
	'NaN',
	'2026-02-30',
	'0000-00-00',
	'99999999-9999-9999-9999-999999999999',
	'00000000-0000-0000-0000-000000000000',
	'null',
	'[]',
	'{}',
	'VP-00000000',
	'a'.repeat(70_000)
];

const hostileString = fc.oneof(
	{ weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
	{ weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 500, maxLength: 5_000 }) },
	{ weight: 3, arbitrary: fc.constantFrom(...NASTY) },
	{ weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 1, maxLength: 20 }).map((codes) => String.fromCharCode(...codes)) },
	{ weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double()).map(String) }
);

type Encoding = 'urlencoded' | 'multipart' | 'invalid-utf8' | 'json' | 'text';

interface FormCase {
	encoding: Encoding;
	entries: [string, string][];
}

function formCase(fields: readonly string[]): fc.Arbitrary<FormCase> {
	const name = fields.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fields) }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) }) : fc.string({ maxLength: 30 });
	return fc.record({
		encoding: fc.constantFrom<Encoding>('urlencoded', 'urlencoded', 'urlencoded', 'multipart', 'invalid-utf8', 'json', 'text'),
		// Repeated names: arrays where one string is expected.
		entries: fc.array(fc.tuple(name, hostileString), { maxLength: 10 })
	});
}

/** A body for a JSON endpoint: random JSON, a valid request bent out of shape, or no JSON at all. */
const jsonBody = fc.oneof(
	fc.jsonValue().map((v) => ({ text: JSON.stringify(v) })),
	fc
		.record(
			{
				kind: fc.oneof(fc.constant('voter-card'), fc.jsonValue()),
				electionId: fc.oneof(fc.uuid(), hostileString, fc.jsonValue()),
				rounds: fc.oneof(fc.array(fc.integer({ min: -1, max: 3 })), fc.jsonValue()),
				delivery: fc.oneof(fc.constantFrom('post', 'in-person', 'proxy'), hostileString, fc.array(fc.string())),
				address: fc.oneof(fc.record({ line: hostileString, city: hostileString, postalCode: hostileString, country: hostileString }), fc.jsonValue()),
				proxyName: fc.oneof(hostileString, fc.jsonValue()),
				unexpected: fc.jsonValue(),
				['__proto__']: fc.jsonValue()
			},
			{ requiredKeys: [] }
		)
		.map((v) => ({ text: JSON.stringify(v) })),
	hostileString.map((text) => ({ text })),
	fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => ({ bytes: Buffer.concat([Buffer.from('{"kind":"'), Buffer.from(bytes), Buffer.from('"}')]) }))
);

const jsonHeaders = fc.record({
	contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', ''),
	key: fc.oneof(fc.constant('fuzz-idempotency-key-0001'), hostileString.map((s) => s.replace(/[^\x20-\x7e]/g, '').slice(0, 200)))
});

// --- Sending ---------------------------------------------------------------------------------

function encodeForm(c: FormCase): { headers: Record<string, string>; body: Buffer } {
	switch (c.encoding) {
		case 'multipart': {
			const boundary = '----fuzz' + Math.random().toString(16).slice(2);
			const parts = c.entries.map(([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${n.replace(/["\r\n]/g, '')}"\r\n\r\n${v}\r\n`);
			return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`) };
		}
		case 'invalid-utf8': {
			const text = new URLSearchParams(c.entries).toString();
			return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.concat([Buffer.from(text), Buffer.from('&x='), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80])]) };
		}
		case 'json':
			return { headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(Object.fromEntries(c.entries))) };
		case 'text':
			return { headers: { 'content-type': 'text/plain' }, body: Buffer.from(c.entries.map(([n, v]) => `${n}=${v}`).join('\n')) };
		default:
			return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(new URLSearchParams(c.entries).toString()) };
	}
}

/** Words a person can read in a 4xx answer: a JSON message, or text of the page. */
function clearMessage(body: string, contentType: string): boolean {
	if (contentType.includes('json')) {
		try {
			const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
			const message = parsed.message ?? (typeof parsed.error === 'string' ? parsed.error : (parsed.error as { message?: unknown } | undefined)?.message);
			return typeof message === 'string' && /\p{L}{3,}/u.test(message);
		} catch {
			return false;
		}
	}
	const main = /<main\b[\s\S]*<\/main>/i.exec(body)?.[0] ?? body;
	const text = main
		.replace(/<script[\s\S]*?<\/script>/gi, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return text.length >= 10 && /\p{L}{3,}.*\p{L}{3,}/u.test(text);
}

interface Tally {
	cases: number;
	byStatus: Map<number, number>;
	failures: string[];
}

interface Answer {
	status: number;
	body: string;
	contentType: string;
	retryAfter?: string;
}

async function answer(response: APIResponse): Promise<Answer> {
	return { status: response.status(), body: await response.text(), contentType: response.headers()['content-type'] ?? '', retryAfter: response.headers()['retry-after'] };
}

/** Whether a POST to the route `routeId` (groups included) by a voter counts against the voter's submission limit. */
function countsAsSubmission(routeId: string): boolean {
	return rateLimitKeyFor({ method: 'POST', route: routeId, clientAddress: '127.0.0.1', voterId: 'fuzz' })?.bucket === 'submission';
}

function check(t: Tally, what: string, a: Answer, opts: { submission?: boolean } = {}) {
	t.cases++;
	t.byStatus.set(a.status, (t.byStatus.get(a.status) ?? 0) + 1);
	if (a.status >= 500) t.failures.push(`${what} → ${a.status}: ${a.body.slice(0, 200)}`);
	// A submission case is sent by a voter under the limit: a 429 would mean the input never reached the form.
	else if (a.status === 429 && opts.submission) t.failures.push(`${what} → 429: the rate limit, not the form, answered a voter under the limit`);
	// Any other 429 (a staff login tried too often under one username) must say when to come back.
	else if (a.status === 429 && !/^\d+$/.test(a.retryAfter ?? '')) t.failures.push(`${what} → 429 without Retry-After`);
	// 431/414: Node's HTTP parser refuses a request line or headers over its limit before any
	// code of the portal runs, with an empty body: a transport limit, not an answer to correct.
	else if (a.status >= 400 && a.status !== 431 && a.status !== 414 && !clearMessage(a.body, a.contentType)) t.failures.push(`${what} → ${a.status} without a clear message: ${a.body.slice(0, 200)}`);
}

/** A path segment for any string: lone surrogates become the bytes of invalid UTF-8. */
function pathSegment(value: string): string {
	return value.replace(/[\uD800-\uDFFF]/g, '\u0000').split('\u0000').map(encodeURIComponent).join('%ED%A0%80');
}

let resetsRetried = 0;

function sendTwice(send: () => Promise<APIResponse>): Promise<APIResponse> {
	return sendAgainOnReset(send, () => resetsRetried++);
}

function principal(playwright: PlaywrightWorkerArgs['playwright'], baseURL: string, body: unknown | null): Promise<APIRequestContext> {
	return testPrincipal(playwright, baseURL, NOW, body);
}

/** The names of a page's form fields, and its post actions ('' = default). */
async function formsOf(api: APIRequestContext, url: string): Promise<{ fields: string[]; actions: string[] }> {
	const response = await api.get(url, { headers: { accept: 'text/html' }, maxRedirects: 0 });
	const html = response.status() === 200 ? await response.text() : '';
	const fields = new Set([...html.matchAll(/<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"/g)].map((m) => m[1]!));
	const actions = new Set<string>(['']);
	for (const form of html.matchAll(/<form\b[^>]*method="post"[^>]*>/gi)) {
		const named = /action="\?\/([\w-]+)"/.exec(form[0]);
		if (named) actions.add(`?/${named[1]}`);
	}
	return { fields: [...fields], actions: [...actions] };
}

test('every form and API endpoint refuses hostile input with a clear 4xx, never a 5xx', async ({ playwright, baseURL }) => {
	// About 1.5 min for 10,000 cases on a 2-core CI machine; twice that at most.
	test.setTimeout(180_000);
	const origin = new URL(baseURL!).origin;
	console.log(`fuzz: seed ${SEED}, ${CASES} generated cases (FUZZ_SEED=${SEED} repeats this run)`);

	// Principals of the test's own, and ids their offices own.
	const admin = await principal(playwright, baseURL!, { newStaff: { office: null, role: 'administrator' } });
	const fixtures: Record<string, Record<string, string>> = {};
	for (const office of ['mu-582786', 'zu-washington']) {
		const response = await admin.post('/api/test/access-fixture', { data: { office } });
		expect(response.status(), await response.text()).toBe(200);
		fixtures[office] = (await response.json()) as Record<string, string>;
	}
	const principals: Record<string, APIRequestContext[]> = {
		anonymous: [await principal(playwright, baseURL!, null)],
		// Voters for everything but submissions (which get voters of their own below).
		voter: await Promise.all(Array.from({ length: 8 }, (_, i) => principal(playwright, baseURL!, { voter: { office: i % 4 === 3 ? 'zu-berlin' : 'mu-554782' } }))),
		'municipal-office': [await principal(playwright, baseURL!, { newStaff: { office: 'mu-582786', role: 'municipal-clerk' } })],
		embassy: [await principal(playwright, baseURL!, { newStaff: { office: 'zu-washington', role: 'embassy-head' } })],
		commission: [await principal(playwright, baseURL!, { newStaff: { office: 'zu-washington', role: 'commission-chair' } })],
		administration: [admin]
	};
	const officeOf: Record<string, string> = { 'municipal-office': 'mu-582786', embassy: 'zu-washington', commission: 'zu-washington', administration: 'zu-washington' };
	const principalFor = (pattern: string): string => {
		const access = accessFor(pattern.replace(/\[[^\]]+\]/g, 'x'));
		if (pattern.startsWith('/api/voter/')) return 'voter';
		if (access === 'public') return 'anonymous';
		if (access === 'voter') return 'voter';
		if (access === 'staff') return 'embassy';
		return access in principals ? access : (Object.keys(STAFF_GROUP_ROLES) as StaffGroup[]).find((g) => g in principals && STAFF_GROUP_ROLES[access].some((r) => STAFF_GROUP_ROLES[g].includes(r))) ?? 'administration';
	};
	const fillIds = (pattern: string, principalName: string) => {
		const f = fixtures[officeOf[principalName] ?? 'zu-washington']!;
		const segments = pattern.split('/');
		return segments
			.map((s, i) => {
				const m = /^\[(.+)\]$/.exec(s);
				if (!m) return s;
				const before = segments[i - 1] ?? '';
				const value =
					m[1] === 'id' ? ({ zadosti: f.requestId, predani: f.handoverId, obalka: f.envelopeId } as Record<string, string | undefined>)[before] : { voterId: f.packageVoterId, packageId: f.packageId, batchId: f.batchId, electionId: f.electionId, reference: f.reference }[m[1]!];
				return encodeURIComponent(value ?? '00000000-0000-4000-8000-000000000000');
			})
			.join('/');
	};

	// The targets, from src/routes.
	const targets: Target[] = [];
	for (const r of routeFiles()) {
		if (SKIP.some((s) => s.test(r.pattern))) continue;
		const who = principalFor(r.pattern);
		if (r.file === '+page.server.ts' && /export const actions/.test(r.source)) {
			const url = fillIds(r.pattern, who);
			const { fields, actions } = await formsOf(principals[who]![0]!, url);
			targets.push({ kind: 'form', pattern: r.pattern, routeId: r.routeId, principal: who, url, actions, fields });
		} else if (r.file === '+server.ts' && /export (const|async function) POST\b/.test(r.source)) {
			targets.push({ kind: 'json', pattern: r.pattern, routeId: r.routeId, principal: who, url: fillIds(r.pattern, who), actions: [''], fields: [] });
		}
		if (/\[[^\]]+\]/.test(r.pattern) && (r.file === '+server.ts' ? /export (const|async function) GET\b/.test(r.source) : true)) {
			targets.push({ kind: 'path', pattern: r.pattern, routeId: r.routeId, principal: who, url: r.pattern, actions: [''], fields: [] });
		}
	}
	const forms = targets.filter((t) => t.kind === 'form');
	expect(forms.length).toBeGreaterThan(30);
	expect(targets.some((t) => t.kind === 'json' && t.pattern === '/api/voter/requests')).toBe(true);

	const tally: Tally = { cases: 0, byStatus: new Map(), failures: [] };
	// Forms take most cases; then the JSON endpoints; then hostile path parameters.
	const plan = fc.sample(fc.nat(), { numRuns: CASES, seed: SEED }).map((n, i) => {
		const share = i % 10;
		const pick = share < 7 ? forms : share < 9 ? targets.filter((t) => t.kind === 'json') : targets.filter((t) => t.kind === 'path');
		const target = pick[n % pick.length]!;
		return { target, seed: SEED + i, submission: target.principal === 'voter' && target.kind !== 'path' && countsAsSubmission(target.routeId), submitter: -1 };
	});
	// Each submission case gets a voter who has filed fewer than SUBMISSIONS_PER_VOTER so far.
	let submissions = 0;
	for (const item of plan) if (item.submission) item.submitter = Math.floor(submissions++ / SUBMISSIONS_PER_VOTER);
	const submitters: APIRequestContext[] = [];
	await pool(
		Array.from({ length: Math.ceil(submissions / SUBMISSIONS_PER_VOTER) }, (_, i) => i),
		CONCURRENCY,
		async (i) => void (submitters[i] = await principal(playwright, baseURL!, { voter: { office: i % 4 === 3 ? 'zu-berlin' : 'mu-554782' } }))
	);
	principals.submitters = submitters;
	let voterTurn = 0;
	await pool(plan, CONCURRENCY, async ({ target, seed, submission, submitter }) => {
		const apis = principals[target.principal]!;
		const api = submission ? submitters[submitter]! : apis[voterTurn++ % apis.length]!;
		const opts = { submission };
		if (target.kind === 'form') {
			const [c] = fc.sample(formCase(target.fields), { numRuns: 1, seed });
			const [action] = fc.sample(fc.constantFrom(...target.actions), { numRuns: 1, seed });
			const { headers, body } = encodeForm(c!);
			const response = await sendTwice(() => api.post(`${target.url}${action}`, { headers: { ...headers, origin, accept: 'text/html' }, data: body, maxRedirects: 0 }));
			check(tally, `${target.principal} POST ${target.url}${action} ${c!.encoding} ${JSON.stringify(c!.entries).slice(0, 200)}`, await answer(response), opts);
		} else if (target.kind === 'json') {
			const [b] = fc.sample(jsonBody, { numRuns: 1, seed });
			const [h] = fc.sample(jsonHeaders, { numRuns: 1, seed: seed + 1 });
			const data = 'bytes' in b! ? b.bytes : Buffer.from(b!.text);
			const headers: Record<string, string> = { origin, accept: 'application/json', 'idempotency-key': h!.key };
			if (h!.contentType) headers['content-type'] = h!.contentType;
			const response = await sendTwice(() => api.post(target.url, { headers, data, maxRedirects: 0 }));
			check(tally, `${target.principal} POST ${target.url} ${h!.contentType} ${data.toString('utf8').slice(0, 200)}`, await answer(response), opts);
		} else {
			const [value] = fc.sample(fc.oneof(hostileString.map((s) => pathSegment(s.slice(0, 2_000))), fc.constantFrom('%FF', '%C3%28', '%00', '..%2F..%2F', '%E2%80%AE')), { numRuns: 1, seed });
			const url = target.url.replace(/\[[^\]]+\]/g, value || 'x');
			const response = await sendTwice(() => api.get(url, { headers: { accept: 'text/html' }, maxRedirects: 0 }));
			check(tally, `${target.principal} GET ${url.slice(0, 200)}`, await answer(response));
		}
	});

	// Oversized bodies (600 KiB: over adapter-node's 512K and the JSON API's 16 KiB), declared and
	// streamed without a length: 413, for a voter who has used up their submissions too. A body
	// declared too large is refused before the rate limit counts it (hooks.server.ts, bodySize).
	const big = Buffer.alloc(600 * 1024, 'a');
	const spent = await principal(playwright, baseURL!, { voter: { office: 'mu-554782' } });
	let limited: Answer | null = null;
	for (let i = 0; i <= PORTAL_RATE_LIMITS.submission.limit && !limited; i++) {
		const response = await spent.post('/api/voter/requests', { headers: { origin, 'content-type': 'application/json', 'idempotency-key': `fuzz-spent-key-${String(i).padStart(4, '0')}` }, data: '{}', maxRedirects: 0 });
		if (response.status() === 429) limited = await answer(response);
	}
	expect(limited?.status, 'a voter over the submission limit').toBe(429);
	expect(limited!.retryAfter, 'Retry-After of the 429').toMatch(/^\d+$/);
	check(tally, 'POST /api/voter/requests over the submission limit', limited!);
	const oversizedTargets = [forms[0]!, forms.find((t) => t.principal === 'voter' && countsAsSubmission(t.routeId))!, ...targets.filter((t) => t.kind === 'json')];
	for (const target of oversizedTargets) {
		const contentType = target.kind === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
		const headers = { origin, 'content-type': contentType, 'idempotency-key': 'fuzz-oversized-key-0001' };
		for (const accept of target.kind === 'json' ? ['application/json'] : ['text/html', 'application/json']) {
			const api = target.principal === 'voter' ? spent : principals[target.principal]![0]!;
			const response = await api.post(target.url, { headers: { ...headers, accept }, data: big, maxRedirects: 0 });
			const a = await answer(response);
			expect(a.status, `${target.url} oversized (${accept}): ${a.body.slice(0, 200)}`).toBe(413);
			expect(a.contentType, `${target.url} oversized (${accept})`).toContain(accept === 'text/html' ? 'text/html' : 'json');
			check(tally, `oversized POST ${target.url} (${accept})`, a);
		}
		// Streamed: nothing to refuse it by up front, so it counts against the limit: a voter of its own.
		const sender = target.principal === 'voter' ? await principal(playwright, baseURL!, { voter: { office: 'mu-554782' } }) : principals[target.principal]![0]!;
		const cookie = (await sender.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join('; ');
		const streamed = await new Promise<Answer>((resolve, reject) => {
			const req = http.request(new URL(target.url, baseURL), { method: 'POST', headers: { ...headers, accept: 'text/html', cookie, 'transfer-encoding': 'chunked', 'x-test-now': NOW } }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), contentType: String(res.headers['content-type'] ?? '') }));
			});
			req.on('error', reject);
			for (let i = 0; i < 10; i++) req.write(big.subarray(0, 100 * 1024));
			req.end();
		});
		expect(streamed.status, `${target.url} oversized, streamed: ${streamed.body.slice(0, 200)}`).toBe(413);
		check(tally, `oversized chunked POST ${target.url}`, streamed);
		if (sender !== principals[target.principal]![0]) await sender.dispose();
	}
	await spent.dispose();

	const statuses = [...tally.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
	console.log(`fuzz: ${tally.cases} cases against ${forms.length} forms, ${targets.filter((t) => t.kind === 'json').length} JSON endpoints and ${targets.filter((t) => t.kind === 'path').length} routes with path parameters (${submissions} submissions by ${submitters.length} voters, at most ${SUBMISSIONS_PER_VOTER} each); answers ${statuses}; ${resetsRetried} idle keep-alive connections reset and sent again`);
	test.info().annotations.push({ type: 'fuzz', description: `seed ${SEED}, ${tally.cases} cases, ${statuses}` });
	expect(tally.cases).toBeGreaterThanOrEqual(Math.min(CASES, 10_000));
	expect(tally.failures.slice(0, 30), `${tally.failures.length} failures (FUZZ_SEED=${SEED}):\n${tally.failures.slice(0, 30).join('\n')}`).toEqual([]);
	for (const list of Object.values(principals)) for (const api of list) await api.dispose();
});
