/**
 * A municipal office, end to end (issue 5): a clerk logs in with the second factor, enters a
 * request that came in person (§57(1)(a)), finds it in the queue, accepts it, issues the voter
 * card with the next serial of the office's evidence (§23(3)), prints it and records the
 * hand-over (§57(3)); a card reported lost is invalidated and never printed again. Another
 * office's request is a 404, another role's a 403. axe on every staff page.
 *
 * The demo data is dated from FIXED_NOW = Fri 20 Nov 2026: Chamber D = Fri 15 Jan 2027.
 * Each test works on its own generated voter of Prague's list (SEED_VOTERS=300, seed 1),
 * chosen from the end of the list so that no other spec uses them.
 */
import { expect, test } from '@playwright/test';
import { CHAMBER, enterVoterCardRequest, h1, hydrated, MUNICIPAL as BASE, pdfText, PRAGUE_VOTERS, stateTag } from './decision-support';
import { staffLogin } from './staff-support';
import { expectAxeClean } from './support';

/** This spec's voters of Prague's list, one per test (slots 0–2). */
const voterFor = (slot: 0 | 1 | 2) => PRAGUE_VOTERS[slot]!;
const enter = (page: Parameters<typeof enterVoterCardRequest>[0], slot: 0 | 1 | 2, axe = false) =>
	enterVoterCardRequest(page, voterFor(slot), {
		base: BASE,
		election: CHAMBER,
		delivery: 'in-person',
		axe,
		// §57(3): a card to be collected is requested by D−2, 16:00 Prague.
		deadline: 'Lhůta pro podání: do 13. 1. 2027 16:00 pražského času (§57(3)).'
	});

test.describe('a municipal office works a voter card request', () => {
	test('from the counter through the queue to the hand-over, axe-clean on every page', async ({ page }) => {
		test.setTimeout(120_000);
		await staffLogin(page, 'urednik.praha');
		const voter = voterFor(0);
		const { path, reference } = await enter(page, 0, true);
		await expect(page.getByRole('main')).toContainText('Osobně na úřadě');
		await expect(page.getByRole('main')).toContainText('Žádost zapsal');

		// The queue lists it; the detail page is one click away.
		await page.goto(`${BASE}/zadosti`);
		await page.getByRole('link', { name: reference }).click();
		await expect(page).toHaveURL(new RegExp(`${path}$`));
		await expect(h1(page)).toHaveText(`Žádost ${reference}`);
		await expect(stateTag(page)).toHaveText('Přijata');
		await expect(page.getByRole('main')).toContainText('musí volič dostat písemné oznámení nejpozději 23. 11. 2026');
		await expectAxeClean(page);

		await page.getByRole('button', { name: 'Vyhovět žádosti' }).click();
		await expect(page.getByRole('status')).toContainText('Žádosti bylo vyhověno');
		await expect(stateTag(page)).toHaveText('Vyhověno');

		await page.getByRole('button', { name: 'Vydat voličský průkaz' }).click();
		await expect(page.getByRole('status')).toContainText(/Voličský průkaz č\. \d+ je vydán/);
		await expect(stateTag(page)).toHaveText('Vydáno');
		await expectAxeClean(page);

		// The card, with the fields of the decree's form.
		const printLink = page.getByRole('link', { name: /Vytisknout voličský průkaz č\. \d+ \(PDF\)/ });
		const serial = ((await printLink.textContent()) ?? '').match(/č\. (\d+)/)![1]!;
		const pdf = await page.request.get((await printLink.getAttribute('href'))!);
		expect(pdf.status()).toBe(200);
		expect(pdf.headers()['content-type']).toBe('application/pdf');
		expect(pdf.headers()['cache-control']).toContain('no-store');
		const text = await pdfText(await pdf.body());
		expect(text).toContain('VOLIČSKÝ PRŮKAZ');
		expect(text).toContain(CHAMBER);
		expect(text).toContain(`Příjmení ${voter.familyName}`);
		expect(text).toContain(`Jméno ${voter.givenName}`);
		expect(text).toContain(serial.padStart(6, '0'));
		expect(text).toContain('Úřední osoba: Petr Úředník');
		expect(text).toContain('otisk úředního razítka');

		await page.getByRole('link', { name: 'Zaznamenat předání voličského průkazu' }).click();
		await expect(h1(page)).toHaveText(`Jak byl voličský průkaz č. ${serial} předán?`);
		await hydrated(page);
		await expectAxeClean(page);
		await page.getByLabel(`Osobně voliči (${voter.givenName} ${voter.familyName})`).check();
		await page.getByRole('button', { name: 'Zaznamenat předání' }).click();

		await expect(page.getByRole('status')).toContainText('Předání voličského průkazu je zaznamenáno');
		await expect(stateTag(page)).toHaveText('Vyřízeno');
		const history = page.getByRole('table');
		await expect(history).toContainText('Žádost podána');
		await expect(history).toContainText('Žádosti vyhověno');
		await expect(history).toContainText(`Vydán voličský průkaz č. ${serial}`);
		await expect(history).toContainText('Voličský průkaz předán: Osobně na úřadě');
		await expect(history).toContainText('Petr Úředník');
		await expectAxeClean(page);

		// The office's evidence of voter cards (§23(3)).
		await page.goto(`${BASE}/prukazy`);
		await expect(h1(page)).toHaveText('Evidence voličských průkazů');
		const row = page.getByRole('row').filter({ hasText: `${voter.givenName} ${voter.familyName}` });
		await expect(row).toContainText(serial);
		await expect(row).toContainText('Osobně na úřadě');
		await expectAxeClean(page);
	});

	test('a card reported lost is invalidated, never printed or handed over, and not re-issued', async ({ page }) => {
		test.slow();
		await staffLogin(page, 'urednik.praha');
		const { path } = await enter(page, 1);
		await page.getByRole('button', { name: 'Vyhovět žádosti' }).click();
		await page.getByRole('button', { name: 'Vydat voličský průkaz' }).click();
		const printHref = await page.getByRole('link', { name: /Vytisknout voličský průkaz/ }).getAttribute('href');

		await page.getByRole('link', { name: 'Nahlásit ztrátu nebo zničení průkazu' }).click();
		await expect(page.getByRole('main')).toContainText('nový se nevydá');
		await page.getByRole('button', { name: 'Zneplatnit voličský průkaz' }).click();
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.locator('.error-summary')).toContainText('Vyberte, zda byl průkaz ztracen, nebo zničen');
		await hydrated(page);
		await expectAxeClean(page);
		await page.getByLabel('Ztracen').check();
		await page.getByLabel('Jak a kdy volič ztrátu nebo zničení nahlásil').fill('Volič ohlásil ztrátu osobně.');
		await page.getByRole('button', { name: 'Zneplatnit voličský průkaz' }).click();

		await expect(page).toHaveURL(new RegExp(`${path}\\?hotovo=zneplatneno$`));
		await expect(page.getByRole('main')).toContainText('Průkaz je zneplatněn. Nový se nevydává');
		await expect(page.getByRole('link', { name: /Vytisknout voličský průkaz/ })).toHaveCount(0);
		await expect(page.getByRole('link', { name: 'Zaznamenat předání voličského průkazu' })).toHaveCount(0);
		await expect(page.getByRole('button', { name: 'Vydat voličský průkaz' })).toHaveCount(0);
		expect((await page.request.get(printHref!)).status()).toBe(410);
		await expectAxeClean(page);
	});
});

test.describe('access', () => {
	test("another office's request is not found; other roles are refused", async ({ page, browser }) => {
		test.slow();
		await staffLogin(page, 'urednik.praha');
		const { path } = await enter(page, 2);
		await page.getByRole('button', { name: 'Vyhovět žádosti' }).click();
		await page.getByRole('button', { name: 'Vydat voličský průkaz' }).click();

		const brno = await browser.newContext();
		const brnoPage = await brno.newPage();
		await staffLogin(brnoPage, 'urednik.brno');
		for (const suffix of ['', '/zamitnout', '/predani', '/ztrata', '/prukaz.pdf', '/oznameni.pdf']) {
			const response = await brnoPage.goto(`${path}${suffix}`);
			expect(response?.status(), suffix).toBe(404);
		}
		// A form posted by hand is refused the same way, and changes nothing.
		const post = await brnoPage.request.post(`${path}?/prijmout`, { form: {}, headers: { origin: new URL(page.url()).origin }, maxRedirects: 0 });
		expect(post.status()).toBe(404);
		await brno.close();

		const embassy = await browser.newContext();
		const embassyPage = await embassy.newPage();
		await staffLogin(embassyPage, 'urednik.berlin');
		expect((await embassyPage.goto(path))?.status()).toBe(403);
		await embassy.close();

		await page.reload();
		await expect(stateTag(page)).toHaveText('Vydáno');
	});
});
