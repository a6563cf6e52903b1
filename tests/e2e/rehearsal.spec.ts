/**
 * Issue 14: rehearsal elections. The administrator creates a rehearsal from the real Chamber
 * election and moves its clock to the close of voting; the Berlin commission walks the seeded
 * rehearsal's count to a protocol with the watermark; a real voter sees no rehearsal, a test
 * identity sees it with the band; axe is clean with the band. The portal stands at E2E_NOW
 * (FIXED_NOW), the instant the seeded rehearsals' clocks were set from.
 */
import { expect, test, type Browser } from '@playwright/test';
import { pdfText } from './decision-support';
import { staffLogin } from './staff-support';
import { expectAxeClean, loginAs } from './support';

test.describe.configure({ mode: 'serial', timeout: 300_000 });

async function staffPage(browser: Browser, username: string, path: string) {
	const login = await browser.newContext();
	await login.route(/\/_app\//, (route) => route.abort());
	await staffLogin(await login.newPage(), username, path);
	const storageState = await login.storageState();
	await login.close();
	const context = await browser.newContext({ storageState });
	const page = await context.newPage();
	await page.goto(path);
	return { context, page };
}

const BAND = '[data-rehearsal-band]';

test('the administrator creates a rehearsal from the real election and moves its clock to the close of voting', async ({ browser }) => {
	const { context, page } = await staffPage(browser, 'spravce', '/urad/sprava/zkousky');
	const before = await page.locator('[data-rehearsal]').count();
	const source = page.locator('#source option').filter({ hasText: /Poslanecké sněmovny/ }).filter({ hasNotText: /Zkouška/ });
	await page.locator('#source').selectOption((await source.first().getAttribute('value'))!);
	await page.getByLabel(/Washington/).check();
	await page.getByRole('button', { name: 'Založit zkoušku' }).click();
	await expect(page.locator('[data-done]')).toContainText('Zkouška je založena');
	await expect(page.locator('[data-rehearsal]')).toHaveCount(before + 1);
	const created = page.locator('[data-rehearsal]').last();
	const clockBefore = await created.locator('[data-clock]').innerText();
	await created.locator('select[name="jump"]').selectOption('close-of-voting');
	await created.getByRole('button', { name: 'Posunout hodiny' }).click();
	await expect(page.locator('[data-done]')).toContainText('posunuty');
	await expect(page.locator('[data-rehearsal]').last().locator('[data-clock]')).not.toHaveText(clockBefore);
	await expectAxeClean(page);
	// The real elections are not offered a clock at all.
	await page.goto('/urad/sprava/volby');
	await expect(page.locator('main')).not.toContainText('Zkouška');
	await context.close();
});

test('the Berlin commission walks the seeded rehearsal to a protocol with the watermark', async ({ browser }) => {
	const member = await staffPage(browser, 'clen.berlin', '/urad/komise');
	const option = member.page.locator('#vyber-voleb option').filter({ hasText: /Zkouška/ });
	await expect(option).toHaveCount(1);
	const key = (await option.getAttribute('value'))!;
	await member.page.goto(`/urad/komise?volby=${key}`);
	await expect(member.page.locator(BAND)).toContainText('ZKOUŠKA / REHEARSAL');
	await expectAxeClean(member.page);

	// The first envelope through the page, as a member does it.
	const links = member.page.locator('td.code a');
	const hrefs = await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')!));
	expect(hrefs.length).toBeGreaterThan(100);
	await member.page.goto(hrefs[0]!);
	await expect(member.page.locator(BAND)).toBeVisible();
	await member.page.locator('#vysledek').check();
	await member.page.getByRole('button', { name: 'Zaznamenat' }).click();
	await member.page.waitForURL(/\/urad\/komise\?/);

	// The rest as the same form posts, quickly: accepted, or set aside on ground e where the voter already voted.
	const left = await member.page.evaluate(async (paths) => {
		let refused = 0;
		for (const path of paths) {
			const post = (choice: string) =>
				fetch(path, { method: 'POST', body: new URLSearchParams({ vysledek: choice }), redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
			const accepted = await post('prijata');
			if (accepted.type !== 'opaqueredirect' && accepted.status !== 303) {
				refused++;
				await post('e');
			}
		}
		return refused;
	}, hrefs.slice(1));
	expect(left).toBeGreaterThan(0); // some voters had already voted in person (§57d(2)(e))
	await member.context.close();

	const chair = await staffPage(browser, 'predseda.berlin', `/urad/komise/schranka?volby=${key}`);
	await expect(chair.page.locator(BAND)).toBeVisible();
	await chair.page.getByRole('button', { name: /Otevřít volební schránku/ }).click();
	await expect(chair.page.locator('main')).toContainText(/otevřena/);
	const protocol = await pdfText(await (await chair.page.request.get(`/urad/komise/vysledek/protokol.pdf?volby=${key}`)).body());
	expect(protocol).toContain('NEPLATNÉ — ZKOUŠKA');
	await chair.context.close();
});

test('a real voter sees no rehearsal; a test identity sees it with the band', async ({ browser }) => {
	const real = await browser.newContext();
	const realPage = await real.newPage();
	await loginAs(realPage, 'petr-svoboda', '/volicsky-prukaz');
	await expect(realPage.locator('main')).not.toContainText('Zkouška');
	await expect(realPage.locator(BAND)).toHaveCount(0);
	await real.close();

	const test = await browser.newContext();
	const testPage = await test.newPage();
	await loginAs(testPage, 'zkouska-praha', '/volicsky-prukaz');
	await expect(testPage.locator('main')).toContainText('Zkouška');
	await expect(testPage.locator(BAND)).toContainText('ZKOUŠKA / REHEARSAL');
	await expectAxeClean(testPage);
	await test.close();
});

test('a Praha clerk works a request of the seeded rehearsal under the band', async ({ browser }) => {
	const { context, page } = await staffPage(browser, 'urednik.praha', '/urad/obecni-urad/zadosti');
	const option = page.locator('#volby option').filter({ hasText: /Zkouška/ }).first();
	await page.goto(`/urad/obecni-urad/zadosti?volby=${await option.getAttribute('value')}`);
	await expect(page.locator(BAND)).toContainText('ZKOUŠKA / REHEARSAL');
	await page.locator('main table a').first().click();
	await expect(page.locator('h1')).toContainText(/VP-/);
	await expect(page.locator(BAND)).toContainText('ZKOUŠKA / REHEARSAL');
	await expectAxeClean(page);
	await context.close();
});
