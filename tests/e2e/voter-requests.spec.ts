/**
 * The voter's own pages and the three requests, end to end through the development eID
 * (issue 4): each flow with JavaScript on and off, the late filing refused at the exact
 * minute, double submission, axe on every page, a keyboard-only flow, and one voter never
 * reaching another's request.
 *
 * The demo data is dated from FIXED_NOW = Fri 20 Nov 2026 (tests/support/e2e-server.ts):
 * Chamber D = Fri 15 Jan 2027 (voter card by post until Tue 5 Jan 2027 16:00, §57(3);
 * correspondence until Fri 11 Dec 2026 16:00, §57a(3)); President D = 5 Feb and 19 Feb 2027.
 * Tests in this file run one after another; each identity is used for requests that do not
 * collide with the others'. axe runs in the JavaScript-enabled tests (it needs to run a script
 * in the page); the same pages are rendered identically without JavaScript.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAxeClean, loginAs, PORTAL_ORIGIN } from './support';

const CHAMBER = 'Volby do Poslanecké sněmovny 2027';
const PRESIDENT = 'Volba prezidenta republiky 2027';
const REFERENCE = /\b(VP|ZO|KH)-[0-9A-HJKMNP-TV-Z]{8}\b/g;

// Whole flows with axe on every page: a budget per test, not a timing assertion.
test.describe.configure({ timeout: 120_000 });

async function continueButton(page: Page) {
	await page.getByRole('button', { name: 'Pokračovat' }).click();
}

/** The references shown in the confirmation panel. */
async function panelReferences(page: Page): Promise<string[]> {
	const text = (await page.locator('.panel').textContent()) ?? '';
	return text.match(REFERENCE) ?? [];
}

async function newPage(browser: Browser, opts: { javaScriptEnabled?: boolean; testNow?: string } = {}) {
	const context = await browser.newContext({
		javaScriptEnabled: opts.javaScriptEnabled ?? true,
		...(opts.testNow ? { extraHTTPHeaders: { 'x-test-now': opts.testNow } } : {})
	});
	return { context, page: await context.newPage() };
}

test.describe('voter card (§56, §57)', () => {
	test('by registered post, with JavaScript: every page axe-clean, change link, confirmation, detail and cancellation', async ({ page }) => {
		await loginAs(page, 'petr-svoboda');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Můj záznam');
		await expect(page.getByRole('main')).toContainText('Magistrát hlavního města Prahy');
		await expectAxeClean(page);

		await page.getByRole('link', { name: 'Žádost o voličský průkaz' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Žádost o voličský průkaz');
		await expectAxeClean(page);
		await page.getByRole('link', { name: 'Začít' }).click();

		// Nothing chosen: the error summary takes focus and the title says so.
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pro které volby potřebujete voličský průkaz?');
		await continueButton(page);
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.locator('.error-summary')).toBeFocused();
		await expect(page.locator('.error-summary')).toContainText('Vyberte volby');
		await expectAxeClean(page);

		await page.getByLabel(CHAMBER).check();
		await continueButton(page);

		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jak chcete voličský průkaz převzít?');
		await expect(page.getByRole('main')).toContainText('Žádost musí úřad obdržet nejpozději 5. 1. 2027 v 16:00 (§57(3)).');
		await expectAxeClean(page);
		await page.getByLabel('Poslat doporučeně poštou').check();
		await continueButton(page);

		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Na jakou adresu vám máme voličský průkaz poslat?');
		// The address the voter list holds is offered.
		await expect(page.getByLabel('Ulice a číslo domu')).toHaveValue('Vinohradská 1849/112');
		await page.getByLabel('Ulice a číslo domu').fill('');
		await page.getByLabel('PSČ', { exact: true }).fill('12');
		await continueButton(page);
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.locator('.error-summary')).toContainText('Zadejte ulici a číslo domu');
		await expect(page.locator('.error-summary')).toContainText('PSČ musí mít 5 číslic');
		// What was typed is kept.
		await expect(page.getByLabel('PSČ', { exact: true })).toHaveValue('12');
		await expectAxeClean(page);
		await page.getByLabel('Ulice a číslo domu').fill('Dlouhá 5');
		await page.getByLabel('Obec nebo město').fill('Olomouc');
		await page.getByLabel('PSČ', { exact: true }).fill('779 00');
		await page.getByLabel('Stát').selectOption({ label: 'Česko' });
		await continueButton(page);

		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Zkontrolujte své odpovědi');
		const main = page.getByRole('main');
		await expect(main).toContainText(CHAMBER);
		await expect(main).toContainText('Dlouhá 5');
		await expect(main).toContainText('779 00 Olomouc');
		await expect(main).toContainText('Magistrát hlavního města Prahy');
		await expect(main).toContainText('Petr Svoboda');
		await expect(main).toContainText('Žádost musí úřad obdržet nejpozději 5. 1. 2027 v 16:00 (§57(3)).');
		await expectAxeClean(page);

		// A Change link goes to its question and comes back to the check page.
		await page.getByRole('link', { name: 'Změnit Adresa pro doručení' }).click();
		await expect(page.getByLabel('Obec nebo město')).toHaveValue('Olomouc');
		await page.getByLabel('Ulice a číslo domu').fill('Dlouhá 7');
		await continueButton(page);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Zkontrolujte své odpovědi');
		await expect(main).toContainText('Dlouhá 7');

		await page.getByRole('button', { name: 'Odeslat žádost' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Žádost o voličský průkaz byla odeslána');
		const [reference] = await panelReferences(page);
		expect(reference).toMatch(/^VP-/);
		await expect(page.getByRole('link', { name: 'Potvrzení o podání (PDF)' })).toHaveAttribute('href', `/zadosti/${reference}/potvrzeni.pdf`);
		await expectAxeClean(page);

		await page.getByRole('link', { name: `Stav žádosti ${reference}` }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Žádost ${reference}`);
		await expect(main).toContainText('Podána, čeká na úřad');
		await expect(main).toContainText('Žádost přijata, vyřizuje Magistrát hlavního města Prahy');
		await expectAxeClean(page);

		// §56(3): a pending request can be cancelled, after a confirmation page.
		await page.getByRole('link', { name: 'Zrušit tuto žádost' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Opravdu chcete zrušit žádost ${reference}?`);
		await expectAxeClean(page);
		await page.getByRole('button', { name: 'Ano, zrušit žádost' }).click();
		await expect(main).toContainText(`Žádost ${reference} jsme zrušili.`);
		await expect(main).toContainText('Zrušeno');
		await expect(page.getByRole('link', { name: 'Zrušit tuto žádost' })).toHaveCount(0);
		await expectAxeClean(page);

		await page.goto('/muj-zaznam');
		await expect(page.getByRole('row', { name: new RegExp(reference!) })).toContainText('Zrušeno');
		await page.goto('/zadosti');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moje žádosti');
		await expectAxeClean(page);
	});

	test('both presidential rounds for a proxy, without JavaScript (§57(2), §57(5))', async ({ browser }) => {
		const { context, page } = await newPage(browser, { javaScriptEnabled: false });
		await loginAs(page, 'josef-vesely', '/volicsky-prukaz/volby');
		await page.getByLabel(PRESIDENT).check();
		await continueButton(page);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pro které kolo potřebujete voličský průkaz?');
		await page.getByLabel('Obě kola').check();
		await continueButton(page);
		await page.getByLabel('Vyzvedne ho za mě zmocněnec').check();
		await continueButton(page);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jak se jmenuje zmocněnec, který průkaz převezme?');
		await expect(page.getByRole('main')).toContainText('plnou moc s vaším úředně ověřeným podpisem (§57(2))');
		await continueButton(page);
		await expect(page.locator('.error-summary')).toContainText('Zadejte jméno a příjmení zmocněnce');
		await page.getByLabel('Jak se jmenuje zmocněnec, který průkaz převezme?').fill('Marie Veselá');
		await continueButton(page);
		await expect(page.getByRole('main')).toContainText('Obě kola');
		await expect(page.getByRole('main')).toContainText('Marie Veselá');
		await expect(page.getByRole('main')).toContainText('1. kolo: Žádost musí úřad obdržet nejpozději 3. 2. 2027 v 16:00 (§57(3)).');
		await expect(page.getByRole('main')).toContainText('2. kolo: Žádost musí úřad obdržet nejpozději 17. 2. 2027 v 16:00 (§57(3)).');
		await page.getByRole('button', { name: 'Odeslat žádost' }).click();

		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Žádost o voličský průkaz byla odeslána');
		const references = await panelReferences(page);
		expect(references).toHaveLength(2);
		expect(new Set(references).size).toBe(2);
		await page.goto('/muj-zaznam');
		for (const reference of references) await expect(page.getByRole('row', { name: new RegExp(reference) })).toContainText('Podána, čeká na úřad');
		await context.close();
	});
});

test.describe('special-district registration (§56(4), §57(6))', () => {
	test('with JavaScript: the country decides the embassy; the check page explains leaving the municipal list', async ({ page }) => {
		await loginAs(page, 'katerina-dvorakova', '/zapis-do-zvlastniho-okrsku');
		await expect(page.getByRole('main')).toContainText('Žádost musí úřad obdržet nejpozději 12. 1. 2027 v 16:00 (§57(6)).');
		await expectAxeClean(page);
		await page.getByRole('link', { name: 'Začít' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ve kterém státě žijete?');
		await continueButton(page);
		await expect(page.locator('.error-summary')).toContainText('Vyberte stát');
		await expectAxeClean(page);
		await page.getByLabel('Ve kterém státě žijete?').selectOption({ label: 'Rakousko' });
		await continueButton(page);

		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jaká je vaše adresa v zahraničí?');
		await expect(page.getByRole('main')).toContainText('Velvyslanectví České republiky ve Vídni');
		await expectAxeClean(page);
		await page.getByLabel('Ulice a číslo domu').fill('Mariahilfer Straße 88/14');
		await page.getByLabel('Obec nebo město').fill('Wien');
		await page.getByLabel('PSČ', { exact: true }).fill('1070');
		await continueButton(page);

		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Zkontrolujte své odpovědi');
		await expect(page.getByRole('main')).toContainText('Mariahilfer Straße 88/14');
		await expect(page.getByRole('main')).toContainText('přestane vést obecní úřad v Česku (§56(4))');
		await expectAxeClean(page);
		await page.getByRole('button', { name: 'Odeslat žádost' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Žádost o zápis byla odeslána');
		const [reference] = await panelReferences(page);
		expect(reference).toMatch(/^ZO-/);
		await expectAxeClean(page);

		// One pending registration at a time: the start page says so instead of offering another.
		await page.goto('/zapis-do-zvlastniho-okrsku');
		await expect(page.getByRole('main')).toContainText(`Vaši žádost o zápis ${reference} zastupitelský úřad ještě vyřizuje.`);
		await expect(page.getByRole('link', { name: 'Začít' })).toHaveCount(0);
	});

	test('without JavaScript', async ({ browser }) => {
		const { context, page } = await newPage(browser, { javaScriptEnabled: false });
		await loginAs(page, 'petr-svoboda', '/zapis-do-zvlastniho-okrsku/stat');
		await page.getByLabel('Ve kterém státě žijete?').selectOption({ label: 'Německo' });
		await continueButton(page);
		await page.getByLabel('Ulice a číslo domu').fill('Torstraße 1');
		await page.getByLabel('Obec nebo město').fill('Berlin');
		await page.getByLabel('PSČ', { exact: true }).fill('10119');
		await continueButton(page);
		await expect(page.getByRole('main')).toContainText('Velvyslanectví České republiky v Berlíně (zvláštní volební okrsek č. 1)');
		await page.getByRole('button', { name: 'Odeslat žádost' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Žádost o zápis byla odeslána');
		expect((await panelReferences(page))[0]).toMatch(/^ZO-/);
		await context.close();
	});
});

test.describe('correspondence voting (§57a–§57d)', () => {
	test('mailed inside the embassy\'s area, with JavaScript', async ({ page }) => {
		await loginAs(page, 'tomas-kral', '/korespondencni-hlasovani');
		const main = page.getByRole('main');
		await expect(main).toContainText('vytisknete z webu (§57c(1))');
		await expect(main).toContainText('Do doručovací obálky vložíte identifikační lístek a zalepenou úřední obálku');
		await expectAxeClean(page);
		await page.getByRole('link', { name: 'Začít' }).click();
		await expect(main).toContainText('Žádost nejpozději 11. 12. 2026 v 16:00 (§57a(3))');
		await expectAxeClean(page);
		await page.getByLabel(CHAMBER).check();
		await continueButton(page);
		await expectAxeClean(page);
		await page.getByLabel('Poslat poštou').check();
		await continueButton(page);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Na jakou adresu vám máme písemnosti poslat?');
		// Only the embassy's countries are offered (§57a(4)).
		await expect(page.getByLabel('Stát').locator('option')).toHaveText(['Vyberte', 'Německo']);
		await expect(page.getByLabel('Ulice a číslo domu')).toHaveValue('Kastanienallee 12');
		await expectAxeClean(page);
		await continueButton(page);
		await expect(main).toContainText('Velvyslanectví České republiky v Berlíně');
		await expect(main).toContainText('Žádost musí úřad obdržet nejpozději 11. 12. 2026 v 16:00 (§57a(3)).');
		await expectAxeClean(page);
		await page.getByRole('button', { name: 'Odeslat žádost' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Žádost o korespondenční hlasování byla odeslána');
		expect((await panelReferences(page))[0]).toMatch(/^KH-/);
		await expectAxeClean(page);
	});

	test('collected at the embassy for both presidential rounds by default, without JavaScript (§57b(2))', async ({ browser }) => {
		const { context, page } = await newPage(browser, { javaScriptEnabled: false });
		await loginAs(page, 'lucie-markova', '/korespondencni-hlasovani/volby');
		await page.getByLabel(PRESIDENT).check();
		await continueButton(page);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pro která kola chcete písemnosti?');
		await expect(page.getByLabel('Obě kola')).toBeChecked();
		await continueButton(page);
		await page.getByLabel('Vyzvednu si je na zastupitelském úřadu').check();
		await continueButton(page);
		await expect(page.getByRole('main')).toContainText('Velvyslanectví České republiky ve Washingtonu');
		await page.getByRole('button', { name: 'Odeslat žádost' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Žádost o korespondenční hlasování byla odeslána');
		expect(await panelReferences(page)).toHaveLength(2);
		await context.close();
	});

	test('an address in an excluded country is refused naming §58(3); collection at the embassy remains', async ({ page }) => {
		await loginAs(page, 'eva-horakova', '/korespondencni-hlasovani/volby');
		await page.getByLabel(PRESIDENT).check();
		await continueButton(page);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pro která kola chcete písemnosti?');
		await expectAxeClean(page);
		// Another election after all: the Back link, then the other choice.
		await page.getByRole('link', { name: 'Zpět' }).click();
		await page.getByLabel(CHAMBER).check();
		await continueButton(page);
		await page.getByLabel('Poslat poštou').check();
		await continueButton(page);
		// §58(3): the excluded country is shown disabled, with the reason, not only refused on submit (issue 15).
		const somalia = page.getByLabel('Stát').locator('option[value="SO"]');
		await expect(somalia).toBeDisabled();
		await expect(somalia).toContainText('sem písemnosti poslat nelze (§ 58 odst. 3)');
		await expect(page.getByLabel('Stát')).toHaveValue('');
		await continueButton(page);
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.locator('.error-summary')).toContainText('Vyberte stát');
		await expectAxeClean(page);
		await page.getByRole('link', { name: 'Zpět' }).click();
		await page.getByLabel('Vyzvednu si je na zastupitelském úřadu').check();
		await continueButton(page);
		await page.getByRole('button', { name: 'Odeslat žádost' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Žádost o korespondenční hlasování byla odeslána');
	});

	test('can be completed with the keyboard alone', async ({ page }) => {
		await loginAs(page, 'martin-kucera', '/korespondencni-hlasovani');
		/** Tabs until the element has focus; fails if it cannot be reached. */
		const tabTo = async (target: ReturnType<Page['locator']>) => {
			for (let i = 0; i < 60; i++) {
				await page.keyboard.press('Tab');
				if (await target.evaluate((el) => el === document.activeElement)) return;
			}
			throw new Error('Not reachable with Tab');
		};
		await tabTo(page.getByRole('link', { name: 'Začít' }));
		await page.keyboard.press('Enter');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ve kterých volbách chcete hlasovat korespondenčně?');
		await tabTo(page.getByLabel(CHAMBER));
		await page.keyboard.press('Space');
		await tabTo(page.getByRole('button', { name: 'Pokračovat' }));
		await page.keyboard.press('Enter');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jak chcete písemnosti převzít?');
		await tabTo(page.getByLabel('Poslat poštou'));
		await page.keyboard.press('Space');
		await tabTo(page.getByRole('button', { name: 'Pokračovat' }));
		await page.keyboard.press('Enter');
		// The address on the voter list is in Kenya, inside the Nairobi embassy's area.
		await expect(page.getByLabel('Ulice a číslo domu')).toHaveValue('14 Ngong Road');
		await tabTo(page.getByRole('button', { name: 'Pokračovat' }));
		await page.keyboard.press('Enter');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Zkontrolujte své odpovědi');
		await tabTo(page.getByRole('button', { name: 'Odeslat žádost' }));
		await page.keyboard.press('Enter');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Žádost o korespondenční hlasování byla odeslána');
	});
});

test.describe('deadlines and double submission', () => {
	test('§57(3), §78(3): a mailed card asked for at 16:00:00.000 on D−10 is refused naming the deadline; at 15:59:59.999 it is filed', async ({ browser }) => {
		const { context, page } = await newPage(browser, { testNow: '2027-01-05T15:59:00+01:00' });
		await loginAs(page, 'katerina-dvorakova', '/volicsky-prukaz/volby');
		await page.getByLabel(CHAMBER).check();
		await continueButton(page);
		await page.getByLabel('Poslat doporučeně poštou').check();
		await continueButton(page);
		await continueButton(page);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Zkontrolujte své odpovědi');

		await context.setExtraHTTPHeaders({ 'x-test-now': '2027-01-05T16:00:00.000+01:00' });
		await page.getByRole('button', { name: 'Odeslat žádost' }).click();
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.locator('.error-summary')).toContainText(
			'Žádost nelze podat: lhůta uplynula 5. 1. 2027 v 16:00 (§57(3)). Zmeškanou lhůtu nelze prominout (§78(3)).'
		);
		await expectAxeClean(page);

		await context.setExtraHTTPHeaders({ 'x-test-now': '2027-01-05T15:59:59.999+01:00' });
		await page.getByRole('button', { name: 'Odeslat žádost' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Žádost o voličský průkaz byla odeslána');
		await context.close();
	});

	test('submitting the check page twice, at once and again, files one request', async ({ page }) => {
		await loginAs(page, 'tomas-kral', '/volicsky-prukaz/volby');
		await page.getByLabel(PRESIDENT).check();
		await continueButton(page);
		await expectAxeClean(page);
		await page.getByLabel('1. kolo').check();
		await continueButton(page);
		await page.getByLabel('Vyzvedne ho za mě zmocněnec').check();
		await continueButton(page);
		await expect(page.getByRole('main')).toContainText('Žádost musí úřad obdržet nejpozději 3. 2. 2027 v 16:00 (§57(3)).');
		await expectAxeClean(page);
		await page.getByLabel('Jak se jmenuje zmocněnec, který průkaz převezme?').fill('Anna Králová');
		await continueButton(page);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Zkontrolujte své odpovědi');
		const key = await page.locator('input[name="idempotencyKey"]').inputValue();

		// Two requests in flight with the same form (a double click, a network retry).
		const post = () =>
			page.request.post('/volicsky-prukaz/kontrola', {
				form: { idempotencyKey: key },
				headers: { origin: PORTAL_ORIGIN, accept: 'text/html' },
				maxRedirects: 0
			});
		const [a, b] = await Promise.all([post(), post()]);
		expect(a.status()).toBe(303);
		expect(b.status()).toBe(303);
		expect(a.headers()['location']).toMatch(/^\/volicsky-prukaz\/odeslano\?zadost=VP-/);
		expect(b.headers()['location']).toBe(a.headers()['location']);

		// The page still shows the old form: sending it again lands on the same confirmation.
		await page.getByRole('button', { name: 'Odeslat žádost' }).click();
		await expect(page).toHaveURL(PORTAL_ORIGIN + a.headers()['location']);
		const [reference] = await panelReferences(page);
		await page.reload();
		expect(await panelReferences(page)).toEqual([reference]);

		await page.goto('/zadosti');
		await expect(page.getByRole('row').filter({ hasText: 'Voličský průkaz' })).toHaveCount(1);
	});
});

test.describe('privacy', () => {
	test("a voter can neither open nor cancel another voter's request", async ({ page, browser }) => {
		await loginAs(page, 'petr-svoboda', '/volicsky-prukaz/volby');
		await page.getByLabel(PRESIDENT).check();
		await continueButton(page);
		await page.getByLabel('2. kolo').check();
		await continueButton(page);
		await page.getByLabel('Vyzvednu si ho osobně').check();
		await continueButton(page);
		await page.getByRole('button', { name: 'Odeslat žádost' }).click();
		const [reference] = await panelReferences(page);
		expect(reference).toMatch(/^VP-/);

		const other = await newPage(browser);
		await loginAs(other.page, 'josef-vesely');
		for (const path of [`/zadosti/${reference}`, `/zadosti/${reference}/zrusit`, `/zadosti/${reference!.toLowerCase()}`]) {
			const response = await other.page.goto(path);
			expect(response?.status(), path).toBe(404);
			await expect(other.page.getByRole('heading', { level: 1 })).toContainText('Stránka nenalezena');
		}
		const cancel = await other.page.request.post(`/zadosti/${reference}/zrusit`, { form: {}, headers: { origin: PORTAL_ORIGIN, accept: 'text/html' }, maxRedirects: 0 });
		expect(cancel.status()).toBe(404);
		await other.context.close();

		await page.goto(`/zadosti/${reference}`);
		await expect(page.getByRole('main')).toContainText('Podána, čeká na úřad');
		await expect(page.getByRole('link', { name: 'Zrušit tuto žádost' })).toBeVisible();
	});

	test('the pages need a login, and the e-mail for notifications waits for confirmation', async ({ page, request }) => {
		for (const path of ['/muj-zaznam', '/zadosti', '/volicsky-prukaz/kontrola', '/korespondencni-hlasovani', '/zapis-do-zvlastniho-okrsku']) {
			const response = await request.get(path, { maxRedirects: 0 });
			expect(response.status(), path).toBe(303);
			expect(response.headers()['location']).toMatch(/^\/prihlaseni\?zpet=/);
		}

		await loginAs(page, 'josef-vesely', '/muj-zaznam/email');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Na jakou e-mailovou adresu vám máme posílat zprávy o žádostech?');
		await expectAxeClean(page);
		await page.getByLabel('Na jakou e-mailovou adresu').fill('josef@');
		await page.getByRole('button', { name: 'Poslat odkaz k potvrzení' }).click();
		await expect(page.locator('.error-summary')).toContainText('Zadejte e-mailovou adresu ve správném tvaru');
		await expectAxeClean(page);
		await page.getByLabel('Na jakou e-mailovou adresu').fill('josef.vesely@example.cz');
		await page.getByRole('button', { name: 'Poslat odkaz k potvrzení' }).click();
		await expect(page.getByRole('main')).toContainText('Na adresu josef.vesely@example.cz jsme poslali odkaz k potvrzení.');
		await expect(page.getByRole('main')).toContainText('josef.vesely@example.cz – čeká na potvrzení');

		// Another link right away: the page says from when (issue 19: confirmation e-mails are limited).
		await page.goto('/muj-zaznam/email');
		const hint = page.getByText('Nepřišel vám e-mail?');
		await expect(hint).toContainText('Nový odkaz si můžete vyžádat');
		const when = /vyžádat (.+) pražského času/.exec(await hint.innerText())![1]!;
		expect(when).toMatch(/^\d{1,2}\. \d{1,2}\. \d{4} v \d{2}:\d{2}$/);
		await expectAxeClean(page);
		await page.getByRole('button', { name: 'Poslat odkaz k potvrzení' }).click();
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.locator('.error-summary')).toContainText(`Odkaz k potvrzení jsme nedávno už poslali. Nový odkaz si můžete vyžádat ${when} pražského času.`);
		await expect(page.getByLabel('Na jakou e-mailovou adresu')).toHaveValue('josef.vesely@example.cz');
		await expectAxeClean(page);

		// A made-up link confirms nothing.
		await page.goto('/muj-zaznam/email/potvrdit?token=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
		await expectAxeClean(page);
		await page.getByRole('button', { name: 'Potvrdit e-mailovou adresu' }).click();
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.locator('.error-summary')).toContainText('Odkaz není platný');
	});
});
