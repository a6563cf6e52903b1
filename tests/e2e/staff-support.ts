/**
 * Staff login for the end-to-end specs: `await staffLogin(page, 'urednik.praha')`.
 *
 * It works whichever spec logs a demo user in first, in any order and in parallel workers:
 *
 * - Each Playwright run starts with a fresh database (tests/support/e2e-server.ts) and a
 *   cleaned output folder (`test-results/` unless configured otherwise). The first login of a
 *   user in a run sets up the authenticator app through the pages (reading the key from the
 *   page, checking the page with axe) and stores the key and the recovery codes in
 *   `<output folder>/.staff-totp/<username>.json`; later logins compute the code from that key.
 * - A code is accepted once per 30-second step (replay protection), so every login stands at
 *   its own instant: the login pages' requests (only /urad/prihlaseni/**) carry `x-test-now`
 *   set to LOGIN_BASE plus a number of minutes that `.staff-totp/minutes` counts
 *   up for the whole run. Logins of one user are serialised by a lock folder, so their steps
 *   reach the server in order.
 * - LOGIN_BASE lies after every instant a spec stands at (2026–2027 election calendars): a
 *   session's idle and absolute limits are counted from its start, so a session opened then
 *   is valid at any earlier instant a test's own clock (`x-test-now`) shows. Every other
 *   request keeps the context's clock.
 *
 * The demo password is seed.ts's DEMO_STAFF_PASSWORD.
 */
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { analyzeAxe } from './support';

export const DEMO_PASSWORD = 'Demo-heslo-2026';
export const LOGIN_BASE = '2030-01-07T09:00:00.000+01:00';
/** In this run's output folder (Playwright cleans it when a run starts), else ./test-results. */
function stateDir(): string {
	let outputDir: string;
	try {
		outputDir = test.info().project.outputDir;
	} catch {
		outputDir = path.resolve('test-results');
	}
	return path.join(outputDir, '.staff-totp');
}

export interface StaffState {
	/** The authenticator key in base32, as the enrolment page shows it. */
	secret: string;
	recoveryCodes: string[];
	usedRecoveryCodes: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A lock folder (mkdir is atomic): held for `fn`, taken over when left behind for 2 minutes. */
async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
	await mkdir(stateDir(), { recursive: true });
	const lock = path.join(stateDir(), `${name}.lock`);
	const started = Date.now();
	for (;;) {
		try {
			await mkdir(lock);
			break;
		} catch {
			const since = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
			if (since > 120_000) await rm(lock, { recursive: true, force: true });
			if (Date.now() - started > 180_000) throw new Error(`waited 3 minutes for ${lock}`);
			await sleep(25);
		}
	}
	try {
		return await fn();
	} finally {
		await rm(lock, { recursive: true, force: true });
	}
}

/** Serialises the logins (and anything else touching the second factor) of one user. */
export function withStaffLock<T>(username: string, fn: () => Promise<T>): Promise<T> {
	return withLock(`user-${username}`, fn);
}

/**
 * The next login instant of the run (ISO with offset): LOGIN_BASE plus a counter of minutes,
 * `minutes` further than the last one handed out.
 */
export function nextLoginInstant(minutes = 1): Promise<string> {
	return withLock('minutes', async () => {
		const file = path.join(stateDir(), 'minutes');
		const last = Number(await readFile(file, 'utf8').catch(() => '0'));
		const next = last + minutes;
		await writeFile(`${file}.tmp`, String(next));
		await rename(`${file}.tmp`, file);
		return new Date(Date.parse(LOGIN_BASE) + next * 60_000).toISOString();
	});
}

/** The 6-digit code of a base32 key at an instant (RFC 6238; @oslojs/otp's generateTOTP for a given time). */
export function totpCode(secret: string, at: string): string {
	return generateHOTP(decodeBase32IgnorePadding(secret.replace(/\s/g, '')), BigInt(Math.floor(Date.parse(at) / 30_000)), 6);
}

export async function readStaffState(username: string): Promise<StaffState | null> {
	try {
		return JSON.parse(await readFile(path.join(stateDir(), `${username}.json`), 'utf8')) as StaffState;
	} catch {
		return null;
	}
}

export async function writeStaffState(username: string, state: StaffState): Promise<void> {
	await mkdir(stateDir(), { recursive: true });
	const file = path.join(stateDir(), `${username}.json`);
	await writeFile(`${file}.tmp`, JSON.stringify(state, null, '\t'));
	await rename(`${file}.tmp`, file);
}

/**
 * Makes the requests of `page` to paths matching `pattern` (default: the login pages,
 * /urad/prihlaseni/**) stand at `at` (x-test-now); returns the undo. Other requests keep the
 * context's own clock.
 */
export async function loginClock(page: Page, at: string, pattern: RegExp = /\/urad\/prihlaseni(\/|\?|$)/): Promise<() => Promise<void>> {
	await page.route(pattern, async (route) => route.continue({ headers: { ...(await route.request().allHeaders()), 'x-test-now': at } }));
	return () => page.unroute(pattern);
}

export async function expectAxe(page: Page): Promise<void> {
	const axe = await analyzeAxe(page);
	expect(axe.violations, axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n')).toEqual([]);
}

/** Logs out whoever is logged in in this browser context (a POST, as the logout button does). */
export async function staffLogout(page: Page): Promise<void> {
	const origin = new URL(page.url().startsWith('http') ? page.url() : (test.info().project.use.baseURL ?? 'http://127.0.0.1:4173')).origin;
	await page.request.post('/urad/odhlaseni', { form: {}, headers: { origin }, maxRedirects: 0 });
}

/**
 * Clicks a form's submit button and waits for the page it leads to: a form post always loads a
 * new document, whether it redirects or answers with the same page and its errors.
 */
export async function submitForm(page: Page, buttonName: string): Promise<void> {
	// Done when a new document has replaced the one the form was on. Waiting for 'framenavigated'
	// was not enough: as a page hydrates, SvelteKit's router replaces its history state, a
	// same-document navigation that Playwright reports too; when that came after the click, the
	// caller read the old URL, took a successful login for a refused code and waited for an
	// error summary that never came (two CI runs timed out so).
	await page.evaluate(() => {
		(window as unknown as { vpBeforeSubmit?: boolean }).vpBeforeSubmit = true;
	});
	await page.getByRole('button', { name: buttonName }).click();
	await page.waitForFunction(() => !(window as unknown as { vpBeforeSubmit?: boolean }).vpBeforeSubmit);
	await page.waitForLoadState();
}

/** The password step (at the login clock in force); where the server sent the browser next. */
export async function passwordStep(page: Page, username: string, returnTo?: string, password = DEMO_PASSWORD): Promise<'enrol' | 'code' | 'other'> {
	const loginUrl = returnTo ? `/urad/prihlaseni?zpet=${encodeURIComponent(returnTo)}` : '/urad/prihlaseni';
	await page.goto(loginUrl);
	if (new URL(page.url()).pathname !== '/urad/prihlaseni') {
		// Someone is logged in already in this browser context: log them out first.
		await staffLogout(page);
		await page.goto(loginUrl);
	}
	await page.locator('#username').fill(username);
	await page.locator('#password').fill(password);
	await submitForm(page, 'Pokračovat');
	const url = new URL(page.url());
	if (url.pathname === '/urad/prihlaseni/aplikace') return 'enrol';
	if (url.pathname === '/urad/prihlaseni/overeni') return 'code';
	return 'other';
}

/**
 * The first login's enrolment through the pages: reads the key, confirms it with a code at
 * `at`, keeps the key and the recovery codes for later logins. Checks the page as it goes.
 */
export async function enrolOnPage(page: Page, username: string, at: string): Promise<StaffState> {
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nastavte si ověřovací aplikaci');
	await expect(page.getByRole('img', { name: 'QR kód s klíčem pro ověřovací aplikaci' })).toBeVisible();
	await expectAxe(page);
	const secret = (await page.locator('[data-totp-secret]').getAttribute('data-totp-secret'))!;
	expect(secret).toMatch(/^[A-Z2-7]{32}$/);
	await page.locator('#code').fill(totpCode(secret, at));
	await page.getByRole('button', { name: 'Ověřit a pokračovat' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ověřovací aplikace je nastavená');
	const recoveryCodes = (await page.locator('[data-recovery-codes] li').allTextContents()).map((c) => c.trim());
	expect(recoveryCodes).toHaveLength(8);
	await expectAxe(page);
	const state: StaffState = { secret, recoveryCodes, usedRecoveryCodes: [] };
	await writeStaffState(username, state);
	return state;
}

export class CodeRefused extends Error {}

/**
 * One login of `username` at the instant `at` (the caller holds withStaffLock): the password,
 * then the enrolment (first time) or the app's code. Returns where the browser was sent.
 */
export async function loginAt(page: Page, username: string, at: string, returnTo?: string): Promise<string> {
	const undo = await loginClock(page, at);
	try {
		const next = await passwordStep(page, username, returnTo);
		if (next === 'enrol') {
			await enrolOnPage(page, username, at);
			return (await page.getByRole('link', { name: 'Pokračovat' }).getAttribute('href'))!;
		}
		if (next !== 'code') throw new Error(`${username}: the password step ended at ${page.url()}: ${await page.locator('main').innerText()}`);
		const state = await readStaffState(username);
		if (!state) throw new Error(`${username} is enrolled, but ${stateDir()} has no key for them (enrolled outside staffLogin?)`);
		await page.locator('#code').fill(totpCode(state.secret, at));
		await submitForm(page, 'Přihlásit se');
		const url = new URL(page.url());
		if (url.pathname.startsWith('/urad/prihlaseni')) throw new CodeRefused(`${username}: ${await page.locator('.error-summary').innerText({ timeout: 10_000 })}`);
		return url.pathname + url.search;
	} finally {
		await undo();
	}
}

/**
 * Logs `username` in (demo password, then the app's code; the first time, the enrolment) and
 * leaves `page` on their home page (or `returnTo`), loaded on the context's own clock. The
 * browser context keeps the session.
 */
export async function staffLogin(page: Page, username: string, returnTo?: string): Promise<void> {
	const destination = await withStaffLock(username, async () => {
		for (let attempt = 1; ; attempt++) {
			try {
				return await loginAt(page, username, await nextLoginInstant(), returnTo);
			} catch (e) {
				// A key replaced meanwhile (staff-login.spec.ts sets up a new app): read it again.
				if (!(e instanceof CodeRefused) || attempt >= 3) throw e;
			}
		}
	});
	// The browser may have followed the login's redirect with the login's instant: load the page afresh.
	await page.goto(destination);
}

/**
 * A browser context of `username` (standing at `at` with `x-test-now`, when given) on `target`.
 * The login runs on the server-rendered pages alone (the app's scripts are not loaded: a field
 * filled before a page hydrates could be emptied by the hydration); the session cookie then
 * moves into the context the test works in.
 */
export async function staffContextAt(
	browser: Browser,
	username: string,
	target: string,
	opts: { at?: string; javaScriptEnabled?: boolean } = {}
): Promise<{ context: BrowserContext; page: Page }> {
	const login = await browser.newContext();
	await login.route(/\/_app\//, (route) => route.abort());
	await staffLogin(await login.newPage(), username, target);
	const storageState = await login.storageState();
	await login.close();
	const context = await browser.newContext({
		storageState,
		...(opts.at ? { extraHTTPHeaders: { 'x-test-now': opts.at } } : {}),
		...(opts.javaScriptEnabled === false ? { javaScriptEnabled: false } : {})
	});
	const page = await context.newPage();
	await page.goto(target);
	return { context, page };
}
