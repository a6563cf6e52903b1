/**
 * Voter login with the development eID (started by the portal on 127.0.0.1:4174):
 * the whole OpenID Connect round trip in a real browser, the refusals, logout.
 * The wrong-nonce case is in src/lib/server/auth/eid.db.test.ts (it needs to alter the
 * stored nonce between the start and the callback).
 */
import { expect, test, type Page } from '@playwright/test';
import { analyzeAxe, EID_ORIGIN, PORTAL_ORIGIN } from './support';


/**
 * Sessions run on the portal's clock: pin this file's requests to the demo instant, so that
 * another test moving the shared clock cannot expire them (x-test-now, hooks.server.ts).
 */
const NOW = '2026-11-20T09:00:00+01:00';
test.use({ extraHTTPHeaders: { 'x-test-now': NOW } });
const LOA_LABEL = { low: 'Nízká', substantial: 'Značná', high: 'Vysoká' } as const;

async function expectAxeClean(page: Page) {
	const axe = await analyzeAxe(page);
	expect(axe.violations).toEqual([]);
}

/** From /prihlaseni to the development eID's page. */
async function openDevEid(page: Page, path = '/prihlaseni') {
	await page.goto(path);
	await expect(page).toHaveURL(new RegExp(`^${EID_ORIGIN}/interaction/`));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Přihlášení do služby Volební portál');
}

/** Picks a test identity and a level of assurance at the development eID and submits. */
async function chooseAtDevEid(page: Page, person: string, loa: keyof typeof LOA_LABEL) {
	await page.getByLabel(person, { exact: true }).check();
	await page.getByLabel(LOA_LABEL[loa], { exact: true }).check();
	await page.getByRole('button', { name: 'Přihlásit se' }).click();
}

/** Logs in and returns the callback response and the callback URL the eID sent the browser to. */
async function logIn(page: Page, person: string, loa: keyof typeof LOA_LABEL, path = '/prihlaseni') {
	await openDevEid(page, path);
	const callback = page.waitForResponse((r) => r.url().startsWith(`${PORTAL_ORIGIN}/prihlaseni/navrat`));
	await chooseAtDevEid(page, person, loa);
	const response = await callback;
	await page.waitForLoadState();
	return { response, callbackUrl: response.url() };
}

async function sessionCookie(page: Page) {
	return (await page.context().cookies(PORTAL_ORIGIN)).find((c) => c.name === 'vp_session');
}

test.describe('eID login', () => {
	test('a seeded voter logs in with substantial assurance and lands on their record', async ({ page }) => {
		await openDevEid(page);
		await expectAxeClean(page);
		// Tomáš Král's entry (the rehearsal's test identity of Berlin shows the same district).
		await expect(page.getByText('Zvláštní volební okrsek: Velvyslanectví České republiky v Berlíně').first()).toBeVisible();

		await chooseAtDevEid(page, 'Petr Svoboda', 'substantial');
		await expect(page).toHaveURL(`${PORTAL_ORIGIN}/muj-zaznam`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Můj záznam');
		await expect(page.getByRole('main')).toContainText('Petr Svoboda');
		await expect(page.getByRole('banner')).toContainText('Přihlášen(a): Petr Svoboda');
		await expectAxeClean(page);

		const cookie = await sessionCookie(page);
		expect(cookie).toBeDefined();
		expect(cookie?.httpOnly).toBe(true);
		expect(cookie?.sameSite).toBe('Lax');
		expect(cookie?.path).toBe('/');
		expect(cookie?.value).toMatch(/^[a-z2-7]{39}\.[a-z2-7]{39}$/);
		// The eID's own cookies never take the portal's names.
		const names = (await page.context().cookies()).map((c) => c.name);
		expect(names.filter((n) => n.startsWith('dev_eid_')).length).toBeGreaterThan(0);
	});

	test('low assurance is refused with an explanation (§23(5))', async ({ page }) => {
		const { response } = await logIn(page, 'Petr Svoboda', 'low');
		expect(response.status()).toBe(403);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vaše přihlášení má nízkou úroveň záruky');
		await expect(page.getByRole('main')).toContainText('Vaše přihlášení má nízkou úroveň záruky. Žádosti o voličský průkaz');
		await expect(page.getByRole('main')).toContainText('§ 23 odst. 5');
		await expect(page.getByRole('link', { name: 'Přihlásit se znovu' })).toHaveAttribute('href', '/prihlaseni');
		expect(await sessionCookie(page)).toBeUndefined();
		await expectAxeClean(page);
	});

	test('someone on no voter list is told how to get on one', async ({ page }) => {
		const { response } = await logIn(page, 'Alena Pokorná', 'high');
		expect(response.status()).toBe(303);
		await expect(page).toHaveURL(`${PORTAL_ORIGIN}/nejste-v-seznamu`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nejste v seznamu voličů');
		await expect(page.getByRole('main')).toContainText('Přihlásili jste se jako Alena Pokorná');
		// She lives in Lisbon: the advice for voters abroad comes first.
		await expect(page.getByRole('heading', { level: 2 }).first()).toHaveText('Žijete v zahraničí');
		await expect(page.getByRole('main')).not.toContainText('není 18 let');
		await expectAxeClean(page);

		// Voter pages send her back here rather than to another login.
		await page.goto('/muj-zaznam');
		await expect(page).toHaveURL(`${PORTAL_ORIGIN}/nejste-v-seznamu`);
	});

	test('someone under 18 is told they can vote once they are 18', async ({ page }) => {
		await logIn(page, 'Adam Černý', 'substantial');
		await expect(page).toHaveURL(`${PORTAL_ORIGIN}/nejste-v-seznamu`);
		await expect(page.getByRole('main')).toContainText('vám ještě není 18 let');
		await expect(page.getByRole('heading', { level: 2 }).first()).toHaveText('Máte trvalý pobyt v Česku');
		await expectAxeClean(page);
	});

	test('voter pages need a login and come back to where the voter was', async ({ page, request }) => {
		const response = await request.get('/zadosti?stav=vse', { maxRedirects: 0 });
		expect(response.status()).toBe(303);
		expect(response.headers()['location']).toBe('/prihlaseni?zpet=%2Fzadosti%3Fstav%3Dvse');

		await logIn(page, 'Tomáš Král', 'substantial', '/prihlaseni?zpet=%2Fmuj-zaznam%3Fz%3D1');
		await expect(page).toHaveURL(`${PORTAL_ORIGIN}/muj-zaznam?z=1`);
		await expect(page.getByRole('main')).toContainText('Tomáš Král');
	});

	test('logout ends the session on the server: the old cookie is worthless afterwards', async ({ page, request }) => {
		await logIn(page, 'Josef Veselý', 'substantial');
		await expect(page).toHaveURL(/\/muj-zaznam$/);
		const before = await sessionCookie(page);
		if (!before) throw new Error('no session cookie after login');
		const withOldCookie = { headers: { cookie: `vp_session=${before.value}` }, maxRedirects: 0 };
		expect((await request.get('/muj-zaznam', withOldCookie)).status()).toBe(200);

		await page.goto('/odhlaseni');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Odhlášení');
		await expectAxeClean(page);
		await page.getByRole('main').getByRole('button', { name: 'Odhlásit se' }).click();
		await expect(page).toHaveURL(`${PORTAL_ORIGIN}/odhlaseni`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jste odhlášeni');
		await expect(page.getByRole('banner').getByRole('button', { name: 'Odhlásit se' })).toHaveCount(0);
		expect(await sessionCookie(page)).toBeUndefined();
		await expectAxeClean(page);

		const replay = await request.get('/muj-zaznam', withOldCookie);
		expect(replay.status()).toBe(303);
		expect(replay.headers()['location']).toBe('/prihlaseni?zpet=%2Fmuj-zaznam');
	});

	test('a session ends after 15 minutes without activity', async ({ page, request }) => {
		await logIn(page, 'Martin Kučera', 'substantial');
		const cookie = await sessionCookie(page);
		if (!cookie) throw new Error('no session cookie after login');
		const at = (instant: string) => ({ headers: { cookie: `vp_session=${cookie.value}`, 'x-test-now': instant }, maxRedirects: 0 });
		// Logged in at 09:00; active at 09:14, so the session lives until 09:29.
		expect((await request.get('/muj-zaznam', at('2026-11-20T09:14:00+01:00'))).status()).toBe(200);
		expect((await request.get('/muj-zaznam', at('2026-11-20T09:28:30+01:00'))).status()).toBe(200);
		const idle = await request.get('/muj-zaznam', at('2026-11-20T09:43:31+01:00'));
		expect(idle.status()).toBe(303);
		expect(idle.headers()['location']).toBe('/prihlaseni?zpet=%2Fmuj-zaznam');
	});

	test('every login gets a new session id', async ({ page }) => {
		await logIn(page, 'Petr Svoboda', 'substantial');
		const first = await sessionCookie(page);
		await logIn(page, 'Petr Svoboda', 'high');
		const second = await sessionCookie(page);
		expect(second?.value.split('.')[0]).not.toBe(first?.value.split('.')[0]);
		await expect(page).toHaveURL(/\/muj-zaznam$/);
	});

	test('cancelling at the eID says so', async ({ page }) => {
		await openDevEid(page);
		const callback = page.waitForResponse((r) => r.url().startsWith(`${PORTAL_ORIGIN}/prihlaseni/navrat`));
		await page.getByRole('button', { name: 'Zrušit přihlášení' }).click();
		expect((await callback).status()).toBe(400);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Přihlášení se nezdařilo');
		await expect(page.getByRole('main')).toContainText('Přihlášení jste zrušili');
	});

	test('the eID page asks again when no identity was chosen', async ({ page }) => {
		await openDevEid(page);
		await page.getByRole('button', { name: 'Přihlásit se' }).click();
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.getByRole('alert')).toContainText('Vyberte testovací osobu');
		await expectAxeClean(page);
	});

	test('a voter using the portal in English gets the eID pages in English (ui_locales)', async ({ page }) => {
		await page.goto('/jazyk/en?zpet=%2F');
		await page.goto('/prihlaseni');
		await expect(page).toHaveURL(new RegExp(`^${EID_ORIGIN}/interaction/`));
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Log in to the Election portal');
		await page.getByRole('button', { name: 'Log in' }).click();
		await expect(page).toHaveTitle(/^Error: /);
		await expect(page.getByRole('alert')).toContainText('Choose a test person');
		await expectAxeClean(page);
		await page.getByLabel('Petr Svoboda', { exact: true }).check();
		await page.getByLabel('Substantial', { exact: true }).check();
		await page.getByRole('button', { name: 'Log in' }).click();
		await expect(page).toHaveURL(`${PORTAL_ORIGIN}/muj-zaznam`);
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	});
});

test.describe('eID callback refusals', () => {
	test('a callback with a wrong state is refused', async ({ page }) => {
		await page.request.get('/prihlaseni', { maxRedirects: 0 }); // a login really started in this browser
		const response = await page.goto(`/prihlaseni/navrat?code=abc&state=forged&iss=${encodeURIComponent(EID_ORIGIN)}`);
		expect(response?.status()).toBe(400);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Přihlášení se nezdařilo');
		await expect(page.getByRole('main')).toContainText('nepatří k přihlášení, které jste zahájili v tomto prohlížeči');
		await expect(page.getByRole('link', { name: 'Přihlásit se znovu' })).toBeVisible();
		expect(await sessionCookie(page)).toBeUndefined();
		await expectAxeClean(page);
	});

	test('a callback replayed, or its code reused under a fresh login, is refused', async ({ page }) => {
		const { callbackUrl } = await logIn(page, 'Lucie Marková', 'substantial');
		await expect(page).toHaveURL(/\/muj-zaznam$/);

		// The very same callback again.
		const replay = await page.goto(callbackUrl);
		expect(replay?.status()).toBe(400);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Přihlášení se nezdařilo');

		// The old code under the state of a login started afresh in this browser: the eID refuses it.
		const start = await page.request.get('/prihlaseni', { maxRedirects: 0 });
		const freshState = new URL(start.headers()['location'] ?? '').searchParams.get('state');
		expect(freshState).toBeTruthy();
		const reused = new URL(callbackUrl);
		reused.searchParams.set('state', freshState ?? '');
		const response = await page.goto(reused.href);
		expect(response?.status()).toBe(400);
		await expect(page.getByRole('main')).toContainText('jednorázový kód už byl použit');
	});
});

test.describe('without JavaScript', () => {
	test('login, the record page and logout all work', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false, extraHTTPHeaders: { 'x-test-now': NOW } });
		const page = await context.newPage();
		await openDevEid(page);
		await chooseAtDevEid(page, 'Kateřina Dvořáková', 'substantial');
		await expect(page).toHaveURL(`${PORTAL_ORIGIN}/muj-zaznam`);
		await expect(page.getByRole('main')).toContainText('Kateřina Dvořáková');

		await page.getByRole('banner').getByRole('button', { name: 'Odhlásit se' }).click();
		await expect(page).toHaveURL(`${PORTAL_ORIGIN}/odhlaseni`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jste odhlášeni');
		expect((await context.cookies(PORTAL_ORIGIN)).find((c) => c.name === 'vp_session')).toBeUndefined();
		await context.close();
	});
});
