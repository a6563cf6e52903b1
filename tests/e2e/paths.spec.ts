/**
 * Hostile URLs and the checks made before any route runs (issue 19):
 *
 * - The path fuzzer: every route of src/routes (staff, voter, public, API), with malformed
 *   percent-encodings appended to and inserted into its path and its query, by GET, HEAD and
 *   POST, logged out, as a voter, as staff past the second factor and as staff past the password
 *   only. One such URL used to end the portal's process. Every answer to a URL that cannot be
 *   decoded is 400 (with a clear message in both languages); a URL that decodes to something odd
 *   but readable gets any answer but a 5xx; no connection is dropped (an idle keep-alive
 *   connection that the server closed as it was reused is sent once more, as fuzz.spec.ts does);
 *   /health answers 200 after each route's batch.
 * - The rate limits key on the route SvelteKit matched: encoded variants of a path count in the
 *   bucket of the plain one; a HEAD counts as a GET and never starts an eID login.
 * - A body declared larger than its route takes is refused with 413 before it is sent.
 * - A JSON write from another site's Origin is refused; the development pages exist in test
 *   mode (their 404 in production: request-checks.test.ts and npm run bench:body).
 *
 * Plain HTTP through Playwright's request contexts (no browser): it runs in well under 2 minutes.
 */
import http from 'node:http';
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { listRoutes, pool, sendAgainOnReset, testPrincipal } from './routes-support';

const NOW = '2026-11-20T09:00:00.000+01:00';
test.use({ extraHTTPHeaders: { 'x-test-now': NOW } });

/** Encodings no decoder accepts, or that decode to a NUL: each makes its URL a 400. */
const MALFORMED = [
	'%',
	'%F',
	'%FF',
	'%E0%A4%A',
	'%C0%AF', // overlong '/'
	'%C0%80', // overlong NUL
	'%E0%80%AF', // overlong '/', three bytes
	'%F0%80%80%AF', // overlong '/', four bytes
	'%F8%88%80%80%80', // five-byte form
	'%ED%A0%80', // lone high surrogate (CESU)
	'%ED%BF%BF', // lone low surrogate
	'%00'
];

/** Readable but odd: a lone surrogate typed into the URL (the client sends U+FFFD), U+FFFD, a bidi override, an encoded % and slash. */
const ODD = ['\uD800', '\uDFFF\uD800', '%EF%BF%BD', '%E2%80%AE', '%25FF', '..%2F..%2F'];

/** Where a token goes: into the path (appended, a segment of its own, inside the first segment or parameter) or the query (value, name). */
const POSITIONS = ['append', 'segment', 'inside', 'query-value', 'query-name'] as const;
type Position = (typeof POSITIONS)[number];

function place(pattern: string, token: string, position: Position): string {
	const filled = pattern.replace(/\[\.\.\.[^\]]+\]/g, 'x/y').replace(/\[[^\]]+\]/g, 'x');
	switch (position) {
		case 'append':
			return `${filled === '/' ? '' : filled}${token}`;
		case 'segment':
			return `${filled === '/' ? '' : filled}/${token}`;
		case 'inside': {
			if (/\[[^\]]+\]/.test(pattern)) return pattern.replace(/\[[^\]]+\]/, `x${token}x`).replace(/\[\.\.\.[^\]]+\]/g, 'x/y').replace(/\[[^\]]+\]/g, 'x');
			// Followed by '_', not by a letter that would complete a truncated escape ('%E0%A4%A' + 'e' decodes).
			return filled === '/' ? `/${token}_` : filled.replace(/^\/(.)/, `/$1${token}_`);
		}
		case 'query-value':
			return `${filled}?zpet=${token}`;
		case 'query-name':
			return `${filled}?a=1&${token}=1`;
	}
}

type Method = 'GET' | 'HEAD' | 'POST';
const METHODS: Method[] = ['GET', 'HEAD', 'POST'];
const READ_METHODS: Method[] = ['GET', 'HEAD'];

interface Failure {
	what: string;
	detail: string;
}

test('no malformed URL on any route, by anyone, ends the portal or answers a 5xx; undecodable ones answer 400', async ({ playwright, baseURL }) => {
	// About 40 s for some 4,000 requests on a 2-core machine with the server and the fuzz spec;
	// nearer 2 min when other work shares the machine.
	test.setTimeout(180_000);
	const origin = new URL(baseURL!).origin;
	const principals: Record<string, APIRequestContext> = {
		anonymous: await testPrincipal(playwright, baseURL!, NOW, null),
		voter: await testPrincipal(playwright, baseURL!, NOW, { voter: { office: 'mu-554782' } }),
		administrator: await testPrincipal(playwright, baseURL!, NOW, { newStaff: { office: null, role: 'administrator' } }),
		'municipal-clerk': await testPrincipal(playwright, baseURL!, NOW, { newStaff: { office: 'mu-554782', role: 'municipal-clerk' } }),
		'staff-without-second-factor': await testPrincipal(playwright, baseURL!, NOW, { newStaff: { office: 'zu-berlin', role: 'embassy-clerk', enrolled: true }, pending: true })
	};
	const who = Object.keys(principals);
	// Every route, and paths that no route serves: the built client's files, the icon, /health.
	const routes = new Set(listRoutes().map((r) => r.pattern));
	const patterns = [...routes, '/_app/immutable/x.js', '/favicon.svg'];
	expect(patterns.length).toBeGreaterThan(100);
	expect(patterns).toContain('/urad/sprava/volici/import');
	expect(patterns).toContain('/api/voter/requests');

	const failures: Failure[] = [];
	const byStatus = new Map<number, number>();
	let sent = 0;
	let resets = 0;
	const send = async (api: APIRequestContext, method: Method, url: string): Promise<APIResponse> => {
		sent++;
		const headers = { origin, accept: sent % 2 ? 'text/html' : 'application/json' };
		if (method === 'POST') return api.post(url, { headers, form: { a: '1' }, maxRedirects: 0, timeout: 15_000 });
		return api.fetch(url, { method, headers, maxRedirects: 0, timeout: 15_000 });
	};

	for (const [i, pattern] of patterns.entries()) {
		// Every token in every position once per route; the principal and method turn with the index.
		// Each malformed encoding in two positions, and each position several times, per route; the
		// positions turn from route to route, so that every encoding meets every position. Odd but
		// readable URLs reach the route: read only (a POST could run a real form action, e.g. the
		// retention's deletion), and not the eID login start, whose GETs from 127.0.0.1 would count
		// against the other specs' logins.
		const cases = [
			...MALFORMED.flatMap((token, k) => [0, 2].map((d) => ({ token, malformed: true, position: POSITIONS[(i + k + d) % POSITIONS.length]! }))),
			...(pattern === '/prihlaseni' ? [] : ODD.map((token, k) => ({ token, malformed: false, position: POSITIONS[(i + k) % POSITIONS.length]! })))
		];
		await pool(cases, 12, async ({ token, malformed, position }, j) => {
			const principal = who[(i + j) % who.length]!;
			const method = malformed ? METHODS[(i + j) % METHODS.length]! : READ_METHODS[(i + j) % READ_METHODS.length]!;
			const url = place(pattern, token, position);
			const what = `${principal} ${method} ${url}`;
			let response: APIResponse;
			try {
				response = await sendAgainOnReset(() => send(principals[principal]!, method, url), () => resets++);
			} catch (e) {
				failures.push({ what, detail: `no answer: ${String(e).split('\n')[0]}` });
				return;
			}
			const status = response.status();
			byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
			if (status >= 500) failures.push({ what, detail: `${status}: ${(await response.text()).slice(0, 200)}` });
			// Files are served before any code of the portal runs (the static icon whatever its query;
			// SvelteKit's own 404 for a readable path under /_app/ that is no file): any answer but a 5xx.
			else if (malformed && routes.has(pattern) && status !== 400) failures.push({ what, detail: `${status}, not 400` });
			else if (malformed && status === 400 && method !== 'HEAD' && !/nelze přečíst.*cannot be read/s.test(await response.text())) failures.push({ what, detail: `400 without the clear message: ${(await response.text()).slice(0, 200)}` });
		});
		const health = await principals.anonymous!.get('/health', { timeout: 15_000 }).catch((e: unknown) => String(e));
		if (typeof health === 'string' || health.status() !== 200) {
			failures.push({ what: `/health after ${pattern}`, detail: typeof health === 'string' ? health : String(health.status()) });
			break;
		}
	}
	const statuses = [...byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
	console.log(`paths: ${sent} requests over ${patterns.length} routes (${MALFORMED.length} malformed encodings in 2 of ${POSITIONS.length} positions each, ${ODD.length} odd ones in 1); answers ${statuses}; ${resets} idle keep-alive connections reset and sent again`);
	test.info().annotations.push({ type: 'paths', description: `${sent} requests, ${statuses}` });
	expect(failures.slice(0, 30).map((f) => `${f.what} → ${f.detail}`), `${failures.length} failures`).toEqual([]);
	for (const api of Object.values(principals)) await api.dispose();
});

/** A request from another loopback address (its own client address for the limits), raw path as given. */
function rawRequest(
	localAddress: string,
	baseURL: string,
	method: string,
	rawPath: string,
	headers: Record<string, string> = {},
	body?: string
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
	return new Promise((resolve, reject) => {
		const url = new URL(baseURL);
		const req = http.request({ host: url.hostname, port: url.port, path: rawPath, method, localAddress, headers: { accept: 'text/html', 'x-test-now': NOW, ...headers } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
		});
		req.on('error', reject);
		req.end(body);
	});
}

test.describe('the rate limits key on the route, not on how its path is spelled', () => {
	test('eID login: encoded paths and HEADs count in the plain path’s bucket; a HEAD starts no login', async ({ baseURL }) => {
		// An address of its own (the other specs log in from 127.0.0.1).
		const address = '127.0.0.78';
		const variants = ['/prihlaseni', '/%70rihlaseni', '/prihla%73eni', '/%70%72%69%68%6C%61%73%65%6E%69'];
		for (let i = 0; i < 30; i++) {
			const head = i % 3 === 2;
			const response = await rawRequest(address, baseURL!, head ? 'HEAD' : 'GET', variants[i % variants.length]!);
			if (head) {
				// Counted as the GET it stands for, but answered before the route: no login attempt is written, no cookie set.
				expect(response.status, `attempt ${i + 1} (HEAD)`).toBe(405);
				expect(response.headers.allow).toBe('GET');
				expect(response.headers['set-cookie']).toBeUndefined();
			} else {
				expect(response.status, `attempt ${i + 1} (${variants[i % variants.length]})`).toBe(303);
			}
		}
		for (const path of variants) expect((await rawRequest(address, baseURL!, 'GET', path)).status, path).toBe(429);
		expect((await rawRequest(address, baseURL!, 'HEAD', '/prihlaseni')).status).toBe(429);
		// Spellings that are no route start nothing: the router does not fold case or double slashes.
		for (const path of ['//prihlaseni', '/PRIHLASENI', '/Prihlaseni']) expect((await rawRequest(address, baseURL!, 'GET', path)).status, path).toBe(404);
	});

	test('40 HEADs of the eID login start write nothing and set nothing', async ({ baseURL }) => {
		const address = '127.0.0.79';
		const statuses = new Map<number, number>();
		for (let i = 0; i < 40; i++) {
			const response = await rawRequest(address, baseURL!, 'HEAD', i % 2 ? '/prihlaseni' : '/%70rihlaseni');
			expect(response.headers['set-cookie'], `HEAD ${i + 1}`).toBeUndefined();
			expect(response.headers.location, `HEAD ${i + 1}`).toBeUndefined();
			statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
		}
		// 30 answered 405 (each counted as a GET), the other 10 over the limit.
		expect(Object.fromEntries(statuses)).toEqual({ 405: 30, 429: 10 });
	});

	test('submissions: encoded paths of the JSON API and of a form count in the voter’s one bucket', async ({ playwright, baseURL }) => {
		const origin = new URL(baseURL!).origin;
		const api = await testPrincipal(playwright, baseURL!, NOW, { voter: { office: 'mu-554782' } });
		const json = (path: string) => api.post(path, { data: { kind: 'voter-card' }, headers: { origin, 'idempotency-key': 'paths-rate-limit-key-0001' }, maxRedirects: 0 });
		// An address that is no address: refused by the form (400), so that no confirmation mail is sent.
		const form = (path: string) => api.post(path, { form: { email: 'neni-adresa' }, headers: { origin, accept: 'text/html' }, maxRedirects: 0 });
		const sends = [() => json('/api/voter/requests'), () => json('/api/voter/%72equests'), () => form('/muj-zaznam/%65mail?/ulozit'), () => json('/api/%76oter/requests')];
		for (let i = 0; i < 30; i++) expect((await sends[i % sends.length]!()).status(), `submission ${i + 1}`).toBe(400);
		for (const [i, send] of sends.entries()) expect((await send()).status(), `variant ${i}`).toBe(429);
		await api.dispose();
	});
});

test.describe('bodies', () => {
	test('a body declared larger than a public route takes is refused with 413 before it is sent', async ({ baseURL }) => {
		const url = new URL('/urad/prihlaseni', baseURL);
		const started = Date.now();
		const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
			const req = http.request(url, {
				method: 'POST',
				headers: { origin: url.origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(150 * 1024 * 1024), 'x-test-now': NOW }
			});
			req.on('response', (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
					req.destroy();
				});
			});
			req.on('error', reject);
			// Only the first 64 KiB of the 150 MB declared: the answer must come without the rest.
			req.write(Buffer.alloc(64 * 1024, 'a'));
		});
		expect(answer.status).toBe(413);
		expect(answer.body).toContain('Požadavek je příliš velký (nejvýše 512 KiB).');
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	test('the voter-list upload takes a large body from an administrator only', async ({ playwright, baseURL }) => {
		const origin = new URL(baseURL!).origin;
		const boundary = '----paths-upload';
		// 1 MiB, over every other route's 512 KiB; a file name the import refuses after reading it (not a CSV).
		const body = Buffer.concat([
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="soubor"; filename="seznam.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
			Buffer.alloc(1024 * 1024, 'a'),
			Buffer.from(`\r\n--${boundary}--\r\n`)
		]);
		const post = (api: APIRequestContext) =>
			api.post('/urad/sprava/volici/import', { headers: { origin, accept: 'text/html', 'content-type': `multipart/form-data; boundary=${boundary}` }, data: body, maxRedirects: 0 });
		const admin = await testPrincipal(playwright, baseURL!, NOW, { newStaff: { office: null, role: 'administrator' } });
		const read = await post(admin);
		expect(read.status(), 'read whole, then refused as not a CSV').toBe(400);
		expect(await read.text()).toContain('CSV');
		for (const body of [null, { newStaff: { office: 'mu-554782', role: 'municipal-clerk' } }, { newStaff: { office: null, role: 'administrator' }, pending: true }, { voter: { office: 'mu-554782' } }]) {
			const api = await testPrincipal(playwright, baseURL!, NOW, body);
			expect((await post(api)).status(), JSON.stringify(body)).toBe(413);
			await api.dispose();
		}
		await admin.dispose();
	});
});

test.describe('defence in depth', () => {
	test('a JSON write from another site is refused, whatever its content type', async ({ playwright, baseURL }) => {
		const api = await testPrincipal(playwright, baseURL!, NOW, { voter: { office: 'mu-554782' } });
		const post = (headers: Record<string, string>) => api.post('/api/voter/requests', { data: { kind: 'voter-card' }, headers: { 'idempotency-key': 'paths-origin-key-00001', ...headers }, maxRedirects: 0 });
		for (const headers of [{ origin: 'http://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }] as Record<string, string>[]) {
			const response = await post(headers);
			expect(response.status(), JSON.stringify(headers)).toBe(403);
			expect(await response.json()).toMatchObject({ error: { code: 'cross-site', message: expect.stringContaining('z jiného webu') } });
		}
		// The portal's own origin, and a script without one, reach the endpoint (which wants a valid request).
		expect((await post({ origin: new URL(baseURL!).origin })).status()).toBe(400);
		expect((await post({})).status()).toBe(400);
		await api.dispose();
	});

	test('the development pages and test helpers exist in test mode (in production they are a 404)', async ({ request }) => {
		expect((await request.get('/dev/posta')).status()).toBe(200);
		expect((await request.get('/api/test/clock')).status()).toBe(200);
		expect((await request.get('/dev/neni')).status()).toBe(404);
	});
});
