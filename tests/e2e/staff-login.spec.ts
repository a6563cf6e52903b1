/**
 * Staff login end to end (issue 5): the password step, the throttle after three wrong
 * passwords from one address (issue 19; with no difference between an unknown user and a
 * wrong password), the rate limit
 * (429 with Retry-After), the authenticator app set up anew and the code asked for at every
 * login (each code once), a recovery code (once), logout, and the password page's rules.
 *
 * The first login of each demo user in a run goes through the enrolment pages inside
 * staffLogin (staff-support.ts), which checks them with axe. Tests that change a user's
 * second factor or failure count hold that user's lock (withStaffLock), so that no other
 * spec's login of the same user runs in between: predseda.berlin (lock-out), spravce (a new
 * app), vedouci.berlin (recovery code).
 */
import { expect, test, type Page } from '@playwright/test';
import { formatInstant } from '../../src/lib/components/format';
import {
	DEMO_PASSWORD,
	expectAxe,
	loginAt,
	loginClock,
	nextLoginInstant,
	passwordStep,
	readStaffState,
	staffLogin,
	submitForm,
	totpCode,
	withStaffLock,
	writeStaffState
} from './staff-support';

// Several logins per test, each through argon2 and the pages (the first of a user also through the enrolment and axe).
test.describe.configure({ timeout: 90_000 });

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const summary = (page: Page) => page.locator('.error-summary');
const staffBar = (page: Page) => page.locator('.staff-bar');

async function expectError(page: Page, text: string | RegExp) {
	await expect(page).toHaveTitle(/^Chyba: /);
	await expect(summary(page)).toBeFocused();
	await expect(summary(page)).toContainText(text);
}

test.describe('the password step', () => {
	test('is axe-clean, asks for both fields, and never says whether a username exists', async ({ page }) => {
		await withStaffLock('predseda.berlin', async () => {
			// A successful login first, so that the count of failures starts at zero.
			await loginAt(page, 'predseda.berlin', await nextLoginInstant());
			const at = await nextLoginInstant();
			const undo = await loginClock(page, at);
			await page.context().clearCookies();
			await page.goto('/urad/prihlaseni');
			await expect(h1(page)).toHaveText('Přihlášení pro úřady');
			await expectAxe(page);

			await submitForm(page, 'Pokračovat');
			await expectError(page, 'Zadejte uživatelské jméno');
			await expect(summary(page)).toContainText('Zadejte heslo');
			await expect(page.locator('#username')).toHaveAttribute('aria-invalid', 'true');
			await expectAxe(page);

			await page.locator('#username').fill('nikdo.takovy');
			await page.locator('#password').fill(DEMO_PASSWORD);
			await submitForm(page, 'Pokračovat');
			await expectError(page, 'Uživatelské jméno nebo heslo není správné');
			const unknown = await summary(page).innerText();
			// The username is kept; the password never comes back.
			await expect(page.locator('#username')).toHaveValue('nikdo.takovy');
			await expect(page.locator('#password')).toHaveValue('');

			await page.locator('#username').fill('predseda.berlin');
			await page.locator('#password').fill('spatne-heslo-123');
			await submitForm(page, 'Pokračovat');
			await expectError(page, 'Uživatelské jméno nebo heslo není správné');
			expect(await summary(page).innerText()).toBe(unknown);
			await undo();
			// The failure is not left behind for the other specs.
			await loginAt(page, 'predseda.berlin', await nextLoginInstant());
		});
	});

	test('holds this address back after three wrong passwords until a stated time, then lets the right one in', async ({ page }) => {
		await withStaffLock('predseda.berlin', async () => {
			await loginAt(page, 'predseda.berlin', await nextLoginInstant());
			await page.context().clearCookies();
			const at = await nextLoginInstant();
			const undo = await loginClock(page, at);
			for (let i = 1; i <= 2; i++) {
				expect(await passwordStep(page, 'predseda.berlin', undefined, `spatne-heslo-${i}`)).toBe('other');
				await expectError(page, 'Uživatelské jméno nebo heslo není správné');
			}
			await passwordStep(page, 'predseda.berlin', undefined, 'spatne-heslo-3');
			// A 30-second wait, named to the minute (rounded up).
			const until = formatInstant(new Date(Math.ceil((Date.parse(at) + 30_000) / 60_000) * 60_000), 'cs');
			await expectError(
				page,
				`Přihlášení je dočasně pozdržené. Z tohoto zařízení přišlo několik neúspěšných pokusů o přihlášení za sebou. Další pokus bude možný ${until} pražského času.`
			);
			await expectAxe(page);
			// While held, not even the right password is checked.
			expect(await passwordStep(page, 'predseda.berlin')).toBe('other');
			await expect(summary(page)).toContainText(`možný ${until}`);
			await undo();

			// A minute later the right password and code work (and this address's count starts again).
			const later = await nextLoginInstant(1);
			expect(Date.parse(later) - Date.parse(at)).toBeGreaterThanOrEqual(60_000);
			expect(await loginAt(page, 'predseda.berlin', later)).toBe('/urad/komise');
		});
	});

	test('answers 429 with Retry-After after too many attempts from one address for one username', async ({ page, baseURL }) => {
		const at = await nextLoginInstant();
		const username = `nikdo.${Date.now().toString(36)}`;
		const post = () =>
			page.request.post('/urad/prihlaseni', {
				form: { username, password: 'cokoliv-123456' },
				headers: { origin: new URL(baseURL!).origin, accept: 'text/html', 'x-test-now': at },
				maxRedirects: 0
			});
		// PORTAL_RATE_LIMITS['staff-login']: 10 attempts per 5 minutes.
		for (let i = 1; i <= 10; i++) expect((await post()).status(), `attempt ${i}`).toBeLessThan(429);
		const refused = await post();
		expect(refused.status()).toBe(429);
		expect(Number(refused.headers()['retry-after'])).toBeGreaterThan(0);
		expect(await refused.text()).toContain('Příliš mnoho pokusů');
	});
});

test.describe('the second factor', () => {
	test('a new authenticator app: set up, then asked for at the next login; each code works once', async ({ page }) => {
		await withStaffLock('spravce', async () => {
			await loginAt(page, 'spravce', await nextLoginInstant());
			await page.goto('/urad/heslo');
			await expect(h1(page)).toHaveText('Změna hesla');
			await expectAxe(page);
			await page.getByRole('link', { name: 'Nastavit novou ověřovací aplikaci' }).click();
			await expect(h1(page)).toHaveText('Nastavte si novou ověřovací aplikaci');
			await expect(page.getByRole('img', { name: 'QR kód s klíčem pro ověřovací aplikaci' })).toBeVisible();
			await expectAxe(page);
			const secret = (await page.locator('[data-totp-secret]').getAttribute('data-totp-secret'))!;
			const old = await readStaffState('spravce');
			expect(secret).not.toBe(old?.secret);

			const at = await nextLoginInstant();
			const undo = await loginClock(page, at, /\/urad\/heslo\/aplikace/);
			await page.locator('#code').fill(totpCode(secret, at));
			await page.locator('#current').fill('spatne-heslo-123');
			await submitForm(page, 'Ověřit novou aplikaci');
			await expectError(page, 'Současné heslo není správné');
			await expectAxe(page);
			await page.locator('#code').fill(totpCode(secret, at));
			await page.locator('#current').fill(DEMO_PASSWORD);
			const served = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/urad/heslo/aplikace');
			await submitForm(page, 'Ověřit novou aplikaci');
			await expect(h1(page)).toHaveText('Nová ověřovací aplikace je nastavená');
			const recoveryCodes = (await page.locator('[data-recovery-codes] li').allTextContents()).map((c) => c.trim());
			expect(recoveryCodes).toHaveLength(8);
			await writeStaffState('spravce', { secret, recoveryCodes, usedRecoveryCodes: [] });
			await undo();

			// Issue 15: the codes as a list, each on one line, with copy and print buttons.
			// Without JavaScript the page as served has the list and no buttons that would do nothing.
			const html = await (await served).text();
			for (const code of recoveryCodes) expect(html).toMatch(new RegExp(`<code[^>]*>${code}</code>`));
			expect(html).not.toContain('Zkopírovat kódy');
			for (const code of await page.locator('[data-recovery-codes] code').all()) {
				expect(await code.evaluate((el) => el.getClientRects().length)).toBe(1);
			}
			await page.setViewportSize({ width: 320, height: 640 });
			for (const code of await page.locator('[data-recovery-codes] code').all()) {
				expect(await code.evaluate((el) => el.getClientRects().length)).toBe(1);
			}
			// Staff pages use the width of a wide screen (their tables are wide); a voter's page keeps its measure.
			await page.setViewportSize({ width: 1920, height: 1080 });
			expect((await page.locator('main').boundingBox())!.width).toBeGreaterThan(1800);
			await page.setViewportSize({ width: 1280, height: 720 });
			await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
			await page.getByRole('button', { name: 'Zkopírovat kódy' }).click();
			await expect(page.locator('.codes__actions').getByRole('status')).toHaveText('Kódy jsou ve schránce.');
			expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(recoveryCodes.join('\n'));
			await page.evaluate(() => {
				(window as unknown as { printed: number }).printed = 0;
				window.print = () => void (window as unknown as { printed: number }).printed++;
			});
			await page.getByRole('button', { name: 'Vytisknout kódy' }).click();
			expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
			// (axe on this page with its buttons: staffLogin's enrolment, staff-support.ts)

			// Logout is a POST from the staff shell.
			await page.goto('/urad/heslo');
			await staffBar(page).getByRole('button', { name: 'Odhlásit se' }).click();
			await expect(h1(page)).toHaveText('Jste odhlášeni');
			await expectAxe(page);
			const back = await page.goto('/urad/heslo');
			expect(back?.status()).toBe(200);
			await expect(page).toHaveURL(/\/urad\/prihlaseni\?zpet=%2Furad%2Fheslo$/);

			// The next login asks for the code of the new app.
			const next = await nextLoginInstant();
			const undoNext = await loginClock(page, next);
			expect(await passwordStep(page, 'spravce', '/urad/heslo')).toBe('code');
			await expect(h1(page)).toHaveText('Zadejte kód z ověřovací aplikace');
			await expectAxe(page);
			await page.locator('#code').fill(totpCode(old!.secret, next) === totpCode(secret, next) ? '000000' : totpCode(old!.secret, next));
			await submitForm(page, 'Přihlásit se');
			await expectError(page, 'Kód není správný');
			await expectAxe(page);
			const code = totpCode(secret, next);
			await page.locator('#code').fill(code);
			await submitForm(page, 'Přihlásit se');
			await expect(page).toHaveURL(/\/urad\/heslo$/);
			await expect(staffBar(page)).toContainText('Alena Správcová');
			await expect(staffBar(page)).toContainText('Správce portálu');

			// The same code again, within its 30 seconds: refused.
			await page.context().clearCookies();
			expect(await passwordStep(page, 'spravce')).toBe('code');
			await page.locator('#code').fill(code);
			await submitForm(page, 'Přihlásit se');
			await expectError(page, 'Tento kód už byl použit');
			await undoNext();
			// The next code works.
			await page.context().clearCookies();
			await loginAt(page, 'spravce', await nextLoginInstant());
		});
	});

	test('a recovery code logs in once', async ({ page }) => {
		await withStaffLock('vedouci.berlin', async () => {
			await loginAt(page, 'vedouci.berlin', await nextLoginInstant());
			const state = (await readStaffState('vedouci.berlin'))!;
			const code = state.recoveryCodes.find((c) => !state.usedRecoveryCodes.includes(c))!;
			await writeStaffState('vedouci.berlin', { ...state, usedRecoveryCodes: [...state.usedRecoveryCodes, code] });
			await page.context().clearCookies();

			const at = await nextLoginInstant();
			const undo = await loginClock(page, at);
			expect(await passwordStep(page, 'vedouci.berlin')).toBe('code');
			await page.getByRole('link', { name: 'Nemáte telefon u sebe? Přihlaste se záložním kódem' }).click();
			await expect(h1(page)).toHaveText('Zadejte záložní kód');
			await expectAxe(page);
			await submitForm(page, 'Přihlásit se');
			await expectError(page, 'Zadejte záložní kód');
			await page.locator('#code').fill(code.toLowerCase());
			await submitForm(page, 'Přihlásit se');
			await expect(h1(page)).toHaveText('Jste přihlášeni záložním kódem');
			await expect(page.getByRole('main')).toContainText(`Nepoužitých záložních kódů vám zbývá: ${8 - state.usedRecoveryCodes.length - 1}.`);
			await expectAxe(page);
			await page.getByRole('link', { name: 'Pokračovat' }).click();
			await expect(page).toHaveURL(/\/urad\/zastupitelsky-urad\/zadosti/);

			await page.context().clearCookies();
			expect(await passwordStep(page, 'vedouci.berlin')).toBe('code');
			await page.goto('/urad/prihlaseni/zalozni-kod');
			await page.locator('#code').fill(code);
			await submitForm(page, 'Přihlásit se');
			await expectError(page, 'Záložní kód není správný nebo už byl použit');
			await undo();
			await page.context().clearCookies();
			await loginAt(page, 'vedouci.berlin', await nextLoginInstant());
		});
	});
});

test.describe('the password page', () => {
	test('states the rules for a new password', async ({ page }) => {
		await staffLogin(page, 'urednik.washington');
		await page.goto('/urad/heslo');
		await submitForm(page, 'Změnit heslo');
		await expectError(page, 'Zadejte současné heslo');
		await expect(summary(page)).toContainText('Zadejte nové heslo');
		await expect(summary(page)).toContainText('Zadejte nové heslo ještě jednou');
		await expectAxe(page);

		await page.locator('#current').fill(DEMO_PASSWORD);
		await page.locator('#next').fill('kratke');
		await page.locator('#confirm').fill('kratke');
		await submitForm(page, 'Změnit heslo');
		await expectError(page, 'Nové heslo musí mít alespoň 12 znaků');

		await page.locator('#current').fill(DEMO_PASSWORD);
		await page.locator('#next').fill('urednik.washington');
		await page.locator('#confirm').fill('urednik.washington');
		await submitForm(page, 'Změnit heslo');
		await expectError(page, 'Nové heslo nesmí být stejné jako uživatelské jméno');

		await page.locator('#current').fill(DEMO_PASSWORD);
		await page.locator('#next').fill('dlouhe-nove-heslo-1');
		await page.locator('#confirm').fill('dlouhe-nove-heslo-2');
		await submitForm(page, 'Změnit heslo');
		await expectError(page, 'Hesla se neshodují');
		await expect(page.locator('#next')).toHaveValue('');
	});
});
