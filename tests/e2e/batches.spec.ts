/**
 * Mass processing at a municipal office (issue 12), end to end: a clerk selects all requests of
 * a filter and accepts them, ticks the page and issues their voter cards, prints them in one
 * PDF, types the registered letters' consignment numbers (a wrong check digit refused for its
 * row, the other row kept), records the dispatch after the confirmation page, gets the postal
 * submission sheet and undoes one dispatch; the other voter then sees the consignment number
 * and the tracking link. The same selection and confirmation without JavaScript.
 *
 * Everyone stands on D−10 of the demo Chamber election (Tue 5 Jan 2027, 10:00): cards by post
 * may be requested until D−10 16:00 and go to the post between D−15 and D−7 (§57(3), §57(4)).
 * The voters are the test's own (/api/test/session), all born on one date of this run, which
 * the queue's search then finds.
 */
import { expect, test, type Browser, type BrowserContext } from '@playwright/test';
import { consignmentNumber } from '../../src/lib/domain/consignment';
import { h1, hydrated, pdfText } from './decision-support';
import { expectAxeClean } from './support';

const NOW = '2027-01-05T10:00:00.000+01:00';
const QUEUE = '/urad/obecni-urad/zadosti';

function runBirthDate(): string {
	const day = new Date(Date.UTC(1931, 0, 1) + Math.floor(Math.random() * 25 * 365) * 86_400_000);
	return day.toISOString().slice(0, 10);
}

async function clerkContext(browser: Browser, javaScriptEnabled = true): Promise<BrowserContext> {
	const context = await browser.newContext({ extraHTTPHeaders: { 'x-test-now': NOW }, javaScriptEnabled });
	const session = await context.request.post('/api/test/session', { data: { newStaff: { office: 'mu-554782', role: 'municipal-clerk', enrolled: true } } });
	expect(session.status(), await session.text()).toBe(200);
	return context;
}

/** A voter of the test's own on Prague's list who files a voter card request by post; their context stays logged in. */
async function voterWithRequest(browser: Browser, birthDate: string) {
	const context = await browser.newContext({ extraHTTPHeaders: { 'x-test-now': NOW } });
	const session = await context.request.post('/api/test/session', { data: { voter: { office: 'mu-554782', birthDate } } });
	expect(session.status(), await session.text()).toBe(200);
	const { familyName } = (await session.json()) as { familyName: string };
	const elections = (await (await context.request.get('/api/elections')).json()) as { id: string; type: string; rehearsal?: boolean }[];
	const chamber = elections.find((e) => e.type === 'chamber' && !e.rehearsal)!;
	const filed = await context.request.post('/api/voter/requests', {
		data: { kind: 'voter-card', electionId: chamber.id, delivery: 'post', address: { line: `Dávková ${familyName} 1`, city: 'Praha', postalCode: '110 00', country: 'CZ' } },
		headers: { 'idempotency-key': `batch-${familyName}-${Date.now().toString(36)}`.replace(/[^A-Za-z0-9_-]/g, '').padEnd(16, 'x').slice(0, 64) }
	});
	expect(filed.status(), await filed.text()).toBe(201);
	const reference = ((await filed.json()) as { requests: { reference: string }[] }).requests[0]!.reference;
	return { context, familyName, reference };
}

const queueOf = (birthDate: string, state: string) => `${QUEUE}?hledat=${birthDate}&stav=${state}`;

/** Pages of a PDF: its page objects (not the /Pages tree). */
const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;

test('a clerk accepts, issues, prints, numbers and dispatches a batch, undoes one; the voter sees the consignment number', async ({ browser }) => {
	test.slow();
	const birthDate = runBirthDate();
	const a = await voterWithRequest(browser, birthDate);
	const b = await voterWithRequest(browser, birthDate);
	const clerk = await clerkContext(browser);
	const page = await clerk.newPage();

	// Select all that match the filter (across pages) and accept them, after the confirmation page.
	await page.goto(queueOf(birthDate, 'prijata'));
	await expect(page.getByRole('table')).toContainText(a.reference);
	await expect(page.getByRole('table')).toContainText(b.reference);
	await hydrated(page);
	await expectAxeClean(page);
	await page.getByRole('button', { name: 'Přijmout všech 2 přijatých žádostí podle filtru' }).click();
	await expect(h1(page)).toHaveText('Přijetí žádostí (2)');
	await expect(page.getByRole('main')).toContainText(a.reference);
	await expectAxeClean(page);
	await page.getByRole('button', { name: 'Potvrdit a provést (2)' }).click();
	await expect(page.getByRole('status')).toContainText('Provedeno: 2. Přeskočeno: 0.');

	// Tick the page and issue the cards; the count selected is in view.
	await page.goto(queueOf(birthDate, 'vyhoveno'));
	await hydrated(page);
	await page.getByLabel('Vybrat všechny na této stránce').check();
	await expect(page.getByText('Vybráno: 2')).toBeVisible();
	await page.getByRole('button', { name: 'Vydat průkazy vybraným' }).click();
	await expect(h1(page)).toHaveText('Vydání voličských průkazů (2)');
	await page.getByRole('button', { name: 'Potvrdit a provést (2)' }).click();
	await expect(page.getByRole('status')).toContainText('Provedeno: 2. Přeskočeno: 0.');
	await expectAxeClean(page);
	// One PDF of all cards, made by a background job: the bar follows it, then the download.
	const download = page.getByRole('link', { name: 'Stáhnout všechny průkazy dávky v jednom PDF (2)' });
	await expect(download.or(page.getByRole('progressbar', { name: 'Průběh přípravy PDF průkazů' }))).toBeVisible();
	await expect(download).toBeVisible({ timeout: 30_000 });
	await expectAxeClean(page);
	const cards = await page.request.get((await download.getAttribute('href'))!);
	expect(cards.status()).toBe(200);
	expect(cards.headers()['content-type']).toBe('application/pdf');
	const cardsBody = await cards.body();
	expect(pageCount(cardsBody)).toBe(2);
	const cardsText = await pdfText(cardsBody);
	expect(cardsText).toContain(a.familyName);
	expect(cardsText).toContain(b.familyName);
	expect(cardsText).toContain(`Dávková ${a.familyName} 1`);

	// The registered letters: a wrong check digit is refused for its row only; Enter moves on.
	await page.getByRole('button', { name: 'Připravit odeslání průkazů poštou' }).click();
	await expect(page.getByRole('heading', { name: 'Podací čísla doporučených zásilek' })).toBeVisible();
	await hydrated(page);
	await expectAxeClean(page);
	const base = Math.floor(Math.random() * 90_000_000) + 1_000_000;
	const [numA, numB] = [consignmentNumber('RR', base, 'CZ'), consignmentNumber('RR', base + 1, 'CZ')];
	const wrong = `${numA.slice(0, 10)}${(Number(numA[10]) + 1) % 10}CZ`;
	const fieldA = page.getByLabel(`Podací číslo zásilky k žádosti ${a.reference}`);
	const fieldB = page.getByLabel(`Podací číslo zásilky k žádosti ${b.reference}`);
	// A scanner ends with Enter: the next row's field takes the focus, the form is not sent.
	const fields = page.locator('input[data-consignment]');
	await fields.nth(0).focus();
	await fields.nth(0).press('Enter');
	await expect(fields.nth(1)).toBeFocused();
	await fieldA.fill(wrong);
	await fieldB.fill(numB);
	await page.getByRole('button', { name: 'Uložit čísla a pokračovat' }).click();
	await expect(page).toHaveTitle(/^Chyba: /);
	await expect(page.locator('.error-summary')).toContainText('kontrolní číslici');
	await expect(fieldA).toHaveValue(wrong);
	await expect(fieldB).toHaveValue(numB);
	await fieldA.fill(numA);
	await page.getByRole('button', { name: 'Uložit čísla a pokračovat' }).click();

	// The confirmation page lists what will be recorded; then the dispatch and the sheet.
	await expect(page.getByRole('heading', { name: 'Zkontrolujte, co se zaznamená' })).toBeVisible();
	await expect(page.getByRole('main')).toContainText(numA);
	await expect(page.getByRole('main')).toContainText(numB);
	await expectAxeClean(page);
	await page.getByRole('button', { name: 'Potvrdit a provést (2)' }).click();
	await expect(page.getByRole('status')).toContainText('Provedeno: 2. Přeskočeno: 0.');
	const path = new URL(page.url()).pathname;
	const csv = await (await page.request.get(`${path}/podaci-arch.csv`)).text();
	expect(csv.split('\r\n')[0]).toBe('poradi,podaci_cislo,druh_zasilky,adresat,ulice,psc,obec,zeme,cislo_zadosti,odesilatel,odesilatel_adresa');
	expect(csv).toContain(numA);
	expect(csv).toContain(numB);
	const sheet = await page.request.get(`${path}/podaci-arch.pdf`);
	expect(sheet.status()).toBe(200);
	const sheetText = await pdfText(await sheet.body());
	expect(sheetText).toContain('Podací arch');
	expect(sheetText).toContain(numB);

	// Undo one dispatch the same day, with the reason.
	await page.getByRole('link', { name: `Vrátit ${a.reference}` }).click();
	await expect(h1(page)).toHaveText(`Vrátit záznam o předání – ${a.reference}`);
	await hydrated(page);
	await expectAxeClean(page);
	await page.getByRole('button', { name: 'Vrátit záznam o předání' }).click();
	await expect(page.locator('.error-summary')).toContainText('Uveďte důvod vrácení');
	await page.getByLabel('Důvod vrácení').fill('Obálka zůstala na podatelně.');
	await page.getByRole('button', { name: 'Vrátit záznam o předání' }).click();
	await expect(page.getByRole('status')).toContainText('Záznam o předání byl vrácen');

	// The voter whose letter went sees the number and the tracking link; the other does not.
	const voterPage = await b.context.newPage();
	await voterPage.goto(`/zadosti/${b.reference}`);
	await expect(voterPage.getByRole('main')).toContainText(`Odesláno doporučeně, podací číslo ${numB}`);
	await expect(voterPage.getByRole('link', { name: 'Sledovat zásilku u provozovatele pošty' })).toHaveAttribute('href', new RegExp(numB));
	await expectAxeClean(voterPage);
	const other = await a.context.newPage();
	await other.goto(`/zadosti/${a.reference}`);
	await expect(other.getByRole('main')).not.toContainText('podací číslo');
	for (const c of [a.context, b.context, clerk]) await c.close();
});

test('without JavaScript: tick a row, the confirmation page, the result', async ({ browser }) => {
	const birthDate = runBirthDate();
	const v = await voterWithRequest(browser, birthDate);
	const clerk = await clerkContext(browser, false);
	const page = await clerk.newPage();
	await page.goto(queueOf(birthDate, 'prijata'));
	await expect(page.getByText('Zaškrtněte žádosti a zvolte akci')).toBeVisible();
	await page.getByRole('button', { name: 'Přijmout vybrané' }).click();
	await expect(page.locator('.error-summary, .form-group--error').first()).toContainText('Vyberte alespoň jednu žádost');
	await page.getByLabel(new RegExp(`Vybrat ${v.reference}`)).check();
	await page.getByRole('button', { name: 'Přijmout vybrané' }).click();
	// (axe needs the page's JavaScript: the same pages are checked with it in the test above.)
	await expect(h1(page)).toHaveText('Přijetí žádostí (1)');
	await expect(page.getByRole('main')).toContainText(v.reference);
	await page.getByRole('button', { name: 'Potvrdit a provést (1)' }).click();
	await expect(page.getByRole('status')).toContainText('Provedeno: 1. Přeskočeno: 0.');
	for (const c of [v.context, clerk]) await c.close();
});

test('without JavaScript: the cards\' PDF of a batch is waited for with "check again", then downloaded', async ({ browser }) => {
	const birthDate = runBirthDate();
	const v = await voterWithRequest(browser, birthDate);
	const clerk = await clerkContext(browser, false);
	const page = await clerk.newPage();
	for (const [state, button] of [
		['prijata', 'Přijmout vybrané'],
		['vyhoveno', 'Vydat průkazy vybraným']
	] as const) {
		await page.goto(queueOf(birthDate, state));
		await page.getByLabel(new RegExp(`Vybrat ${v.reference}`)).check();
		await page.getByRole('button', { name: button }).click();
		await page.getByRole('button', { name: 'Potvrdit a provést (1)' }).click();
		await expect(page.getByRole('status')).toContainText('Provedeno: 1. Přeskočeno: 0.');
	}
	const download = page.getByRole('link', { name: 'Stáhnout všechny průkazy dávky v jednom PDF (1)' });
	// While the job runs, the page offers to look again (and refreshes itself).
	for (let tries = 0; tries < 30 && !(await download.isVisible()); tries++) {
		await expect(page.getByRole('link', { name: 'Zkontrolovat stav' })).toBeVisible();
		await page.waitForTimeout(500);
		await page.getByRole('link', { name: 'Zkontrolovat stav' }).click();
	}
	const pdf = await page.request.get((await download.getAttribute('href'))!);
	expect(pdf.headers()['content-type']).toBe('application/pdf');
	const body = await pdf.body();
	expect(pageCount(body)).toBe(1);
	expect(await pdfText(body)).toContain(v.familyName);
	for (const c of [v.context, clerk]) await c.close();
});

test('one card handed over by registered post: the consignment number is checked, kept when wrong, and the voter sees it', async ({ browser }) => {
	const birthDate = runBirthDate();
	const v = await voterWithRequest(browser, birthDate);
	const clerk = await clerkContext(browser);
	const page = await clerk.newPage();
	for (const [state, button] of [
		['prijata', 'Přijmout vybrané'],
		['vyhoveno', 'Vydat průkazy vybraným']
	] as const) {
		await page.goto(queueOf(birthDate, state));
		await hydrated(page);
		await page.getByLabel(new RegExp(`Vybrat ${v.reference}`)).check();
		await page.getByRole('button', { name: button }).click();
		await page.getByRole('button', { name: 'Potvrdit a provést (1)' }).click();
		await expect(page.getByRole('status')).toContainText('Provedeno: 1. Přeskočeno: 0.');
	}
	await page.getByRole('link', { name: v.reference }).click();
	await page.getByRole('link', { name: 'Zaznamenat předání voličského průkazu' }).click();
	await hydrated(page);
	await expectAxeClean(page);
	const number = consignmentNumber('RR', Math.floor(Math.random() * 90_000_000) + 1_000_000, 'CZ');
	const wrong = `${number.slice(0, 10)}${(Number(number[10]) + 1) % 10}CZ`;
	const field = page.getByLabel('Podací číslo doporučené zásilky (jen při odeslání poštou)');
	await field.fill(wrong);
	await page.getByRole('button', { name: 'Zaznamenat předání' }).click();
	await expect(page).toHaveTitle(/^Chyba: /);
	await expect(page.locator('.error-summary')).toContainText('kontrolní číslici');
	await expect(field).toHaveValue(wrong);
	await expectAxeClean(page);
	await field.fill(number);
	await page.getByRole('button', { name: 'Zaznamenat předání' }).click();
	await expect(page.getByRole('status')).toBeVisible();

	const voterPage = await v.context.newPage();
	await voterPage.goto(`/zadosti/${v.reference}`);
	await expect(voterPage.getByRole('main')).toContainText(`Odesláno doporučeně, podací číslo ${number}`);
	for (const c of [v.context, clerk]) await c.close();
});
