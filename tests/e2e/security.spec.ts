/**
 * Hostile access (issue 8): the Content-Security-Policy and the other security headers on
 * every kind of answer, the session cookie's flags, cross-site form posts, server-side logout
 * of a staff session, and the rate limits on eID login, TOTP and submissions with Retry-After.
 * (Voter logout, rotation at every eID login and the staff-login limit are in eid-login.spec.ts
 * and staff-login.spec.ts; HSTS and Secure cookies under APP_ENV=production in npm run bench.)
 *
 * Voters and staff members here are the test's own (/api/test/session), so that the limits it
 * runs into never reach another spec's principals.
 */
import http from 'node:http';
import { expect, test, type APIRequestContext, type PlaywrightWorkerArgs } from '@playwright/test';
import { expectAxeClean, loginAs } from './support';

const NOW = '2026-11-20T09:00:00.000+01:00';
test.use({ extraHTTPHeaders: { 'x-test-now': NOW } });

async function session(playwright: PlaywrightWorkerArgs['playwright'], baseURL: string, body: unknown): Promise<{ api: APIRequestContext; token: string }> {
	const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { 'x-test-now': NOW } });
	const response = await api.post('/api/test/session', { data: body });
	expect(response.status(), await response.text()).toBe(200);
	return { api, token: ((await response.json()) as { token: string }).token };
}

function directives(csp: string): Map<string, string[]> {
	return new Map(
		csp
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter((d) => d[0])
			.map(([name, ...values]) => [name!, values])
	);
}

test.describe('security headers', () => {
	test('every page has a nonce-based CSP without inline scripts, and no framing', async ({ request }) => {
		for (const path of ['/', '/volby', '/urad/prihlaseni', '/prilis-mnoho-pozadavku?za=30', '/tato-stranka-neexistuje']) {
			const response = await request.get(path, { maxRedirects: 0 });
			const headers = response.headers();
			const csp = headers['content-security-policy'];
			expect(csp, path).toBeTruthy();
			const d = directives(csp!);
			const scripts = d.get('script-src') ?? d.get('default-src')!;
			expect(scripts, path).not.toContain("'unsafe-inline'");
			expect(scripts, path).not.toContain("'unsafe-eval'");
			const nonce = scripts.find((v) => v.startsWith("'nonce-"));
			expect(nonce, `${path}: ${csp}`).toBeTruthy();
			expect(d.get('frame-ancestors'), path).toEqual(["'none'"]);
			expect(d.get('object-src'), path).toEqual(["'none'"]);
			expect(d.get('base-uri'), path).toEqual(["'self'"]);
			expect(d.get('form-action'), path).toEqual(["'self'"]);
			// Every inline script of the page carries this response's nonce.
			const html = await response.text();
			for (const tag of html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>/g)) expect(tag[0], path).toContain(`nonce="${nonce!.slice(7, -1)}"`);
			expect(headers['x-content-type-options'], path).toBe('nosniff');
			expect(headers['referrer-policy'], path).toBe('same-origin');
			expect(headers['permissions-policy'], path).toMatch(/geolocation=\(\)/);
			// HSTS is for production over https only (checked by npm run bench).
			expect(headers['strict-transport-security'], path).toBeUndefined();
		}
	});

	test('each page load gets a fresh nonce, and the browser runs the portal without a CSP violation', async ({ page, request }) => {
		const nonceOf = async () => /'nonce-([^']+)'/.exec((await request.get('/')).headers()['content-security-policy'] ?? '')?.[1];
		const [a, b] = [await nonceOf(), await nonceOf()];
		expect(a).toBeTruthy();
		expect(a).not.toBe(b);
		const violations: string[] = [];
		page.on('console', (message) => {
			if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) violations.push(message.text());
		});
		for (const path of ['/', '/volby', '/urad/prihlaseni']) {
			await page.goto(path);
			await page.waitForLoadState('networkidle');
		}
		expect(violations).toEqual([]);
	});

	test('JSON answers and the 503/429 answers carry the headers too', async ({ request, playwright, baseURL }) => {
		const { api } = await session(playwright, baseURL!, { voter: { office: 'mu-554782' } });
		for (const response of [await request.get('/api/elections'), await request.get('/health'), await api.get('/api/voter/requests/VP-00000000')]) {
			expect(response.headers()['x-content-type-options']).toBe('nosniff');
			expect(response.headers()['referrer-policy']).toBe('same-origin');
		}
		await api.dispose();
	});
});

test.describe('the session cookie', () => {
	test('is HttpOnly, SameSite=Lax, a browser-session cookie, and not Secure over plain http (test server)', async ({ page, context }) => {
		await page.goto('/prihlaseni');
		const state = (await context.cookies()).find((c) => c.name === 'vp_eid_state');
		expect(state).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/prihlaseni' });
		await context.clearCookies();
		await loginAs(page, 'martin-kucera');
		const cookie = (await context.cookies()).find((c) => c.name === 'vp_session');
		expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/', expires: -1 });
		expect(cookie!.value).toMatch(/^[a-z2-7]{39}\.[a-z2-7]{39}$/);
		// JavaScript on the page cannot read it.
		expect(await page.evaluate(() => document.cookie)).not.toContain('vp_session');
	});

	test('a staff session ends on the server at logout: the old cookie opens nothing afterwards', async ({ playwright, baseURL }) => {
		const { api, token } = await session(playwright, baseURL!, { newStaff: { office: 'zu-berlin', role: 'embassy-clerk' } });
		expect((await api.get('/urad/zastupitelsky-urad/zadosti', { maxRedirects: 0 })).status()).toBe(200);
		const out = await api.post('/urad/odhlaseni', { form: {}, headers: { origin: new URL(baseURL!).origin, accept: 'text/html' }, maxRedirects: 0 });
		expect(out.status()).toBe(303);
		const replay = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { 'x-test-now': NOW, cookie: `vp_session=${token}` } });
		const after = await replay.get('/urad/zastupitelsky-urad/zadosti', { maxRedirects: 0 });
		expect(after.status()).toBe(303);
		expect(after.headers().location).toMatch(/^\/urad\/prihlaseni/);
		await replay.dispose();
		await api.dispose();
	});
});

test.describe('cross-site form posts', () => {
	test('are refused, whatever they aim at, and change nothing', async ({ playwright, baseURL }) => {
		const { api, token } = await session(playwright, baseURL!, { voter: { office: 'mu-554782' } });
		const evil = { origin: 'https://evil.example' };
		for (const path of ['/volicsky-prukaz/volby', '/volicsky-prukaz/kontrola', '/zadosti/VP-00000000/zrusit', '/muj-zaznam/email', '/odhlaseni', '/urad/prihlaseni', '/jazyk/en']) {
			for (const headers of [evil, {}]) {
				const response = await api.post(path, { form: { electionId: 'x', email: 'a@example.cz' }, headers, maxRedirects: 0 });
				expect(response.status(), `${path} ${JSON.stringify(headers)}`).toBe(403);
				expect(await response.text()).toMatch(/Cross-site .* forbidden/i);
			}
		}
		// A text/plain body is a form post too (no CORS preflight for it); JSON needs CORS, which the portal never grants.
		const plain = await api.post('/api/voter/requests', { data: '{"kind":"voter-card"}', headers: { ...evil, 'content-type': 'text/plain' }, maxRedirects: 0 });
		expect(plain.status()).toBe(403);
		const preflight = await api.fetch('/api/voter/requests', { method: 'OPTIONS', headers: { ...evil, 'access-control-request-method': 'POST' } });
		expect(preflight.headers()['access-control-allow-origin']).toBeUndefined();
		// The cross-site logout did nothing: the session is still valid.
		const replay = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { 'x-test-now': NOW, cookie: `vp_session=${token}` } });
		expect((await replay.get('/muj-zaznam', { maxRedirects: 0 })).status()).toBe(200);
		await replay.dispose();
		await api.dispose();
	});
});

/** A GET from another loopback address (its own client address for the limits); status, headers, body. */
function getFrom(localAddress: string, baseURL: string, path: string, accept: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
	return new Promise((resolve, reject) => {
		const url = new URL(path, baseURL);
		const req = http.request(url, { localAddress, headers: { accept, 'x-test-now': NOW } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
		});
		req.on('error', reject);
		req.end();
	});
}

test.describe('rate limits', () => {
	test('eID login: 30 starts a minute from one address, then 429 with Retry-After and a clear page', async ({ page, baseURL }) => {
		// Another loopback address than the other specs' 127.0.0.1, so that their logins are not limited.
		const address = '127.0.0.77';
		for (let i = 0; i < 30; i++) {
			const response = await getFrom(address, baseURL!, '/prihlaseni', 'text/html');
			expect(response.status, `attempt ${i + 1}`).toBe(303);
		}
		const limited = await getFrom(address, baseURL!, '/prihlaseni', 'text/html');
		expect(limited.status).toBe(429);
		const retryAfter = Number(limited.headers['retry-after']);
		expect(retryAfter).toBeGreaterThanOrEqual(1);
		expect(retryAfter).toBeLessThanOrEqual(60);
		expect(limited.body).toContain('<h1>Příliš mnoho pokusů</h1>');
		expect(limited.body).toContain(`Zkuste to prosím znovu za ${retryAfter} s.`);
		const json = await getFrom(address, baseURL!, '/prihlaseni', 'application/json');
		expect(json.status).toBe(429);
		expect(JSON.parse(json.body)).toMatchObject({ code: 'rate-limited', retryAfterSeconds: expect.any(Number) });
		// 127.0.0.1 is not affected.
		expect((await page.request.get('/prihlaseni', { maxRedirects: 0 })).status()).toBe(303);

		// The page itself: in the portal's layout, axe-clean.
		await page.goto('/prilis-mnoho-pozadavku?za=42');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Příliš mnoho pokusů');
		await expect(page).toHaveTitle(/^Příliš mnoho pokusů/);
		await expectAxeClean(page);
	});

	test('submissions: 30 a minute per voter, then 429 with Retry-After; another voter is not affected', async ({ playwright, baseURL }) => {
		const { api } = await session(playwright, baseURL!, { voter: { office: 'mu-554782' } });
		const post = (a: APIRequestContext) =>
			a.post('/api/voter/requests', { data: { kind: 'voter-card' }, headers: { 'idempotency-key': 'rate-limit-test-key-0001' }, maxRedirects: 0 });
		for (let i = 0; i < 30; i++) expect((await post(api)).status(), `attempt ${i + 1}`).toBe(400);
		const limited = await post(api);
		expect(limited.status()).toBe(429);
		expect(Number(limited.headers()['retry-after'])).toBeGreaterThanOrEqual(1);
		expect(await limited.json()).toMatchObject({ error: { code: 'rate-limited', retryAfterSeconds: expect.any(Number) } });
		// The check-answers form of the same voter, without JavaScript: the 429 page.
		const form = await api.post('/volicsky-prukaz/kontrola', {
			form: { idempotencyKey: 'rate-limit-test-key-0002' },
			headers: { origin: new URL(baseURL!).origin, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(form.status()).toBe(429);
		expect(form.headers()['retry-after']).toBeTruthy();
		expect(await form.text()).toContain('Příliš mnoho pokusů');

		const other = await session(playwright, baseURL!, { voter: { office: 'mu-554782' } });
		expect((await post(other.api)).status()).toBe(400);
		await other.api.dispose();
		await api.dispose();
	});

	test('TOTP: 10 codes per login in 5 minutes, then 429 with Retry-After', async ({ playwright, baseURL }) => {
		// A staff member of the test's own with an authenticator app, past the password, not yet past the second factor.
		const { api } = await session(playwright, baseURL!, { newStaff: { office: 'zu-berlin', role: 'embassy-clerk', enrolled: true }, pending: true });
		const origin = new URL(baseURL!).origin;
		const attempt = () => api.post('/urad/prihlaseni/overeni', { form: { code: '123456' }, headers: { origin, accept: 'text/html' }, maxRedirects: 0 });
		// Wrong codes: refused (and, after five, the account is locked), but never rate limited before the 11th.
		for (let i = 0; i < 10; i++) expect((await attempt()).status(), `attempt ${i + 1}`).toBe(400);
		const limited = await attempt();
		expect(limited.status()).toBe(429);
		expect(Number(limited.headers()['retry-after'])).toBeGreaterThanOrEqual(1);
		await api.dispose();
	});
});
