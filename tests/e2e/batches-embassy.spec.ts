/**
 * Mass processing at an embassy (issue 12), end to end: a clerk accepts all correspondence
 * requests of a filter after the confirmation page, issues their packages, prepares the
 * dispatch of all issued ones of the filter, assigns international registered-mail numbers
 * from the range the administrator entered, records the dispatch after the confirmation page,
 * gets the postal submission sheet and undoes one dispatch with its reason; the other voter then
 * sees the consignment number and the tracking link. The same selection and confirmation
 * without JavaScript.
 *
 * Everyone stands on 10 December 2026, 10:00 Prague: the demo Chamber election's D is Friday
 * 15 January 2027, so the packages may still go (D−25 is 21 December, 16:00, §57b(1)) and a
 * request made in person at the embassy is in time (D−2, §57a(3)). The voters are the test's
 * own (/api/test/session) on Berlin's special-district list, all born on one date of this run,
 * which the queue's search then finds.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { CHAMBER, EMBASSY, continueButton, h1, hydrated, pdfText } from './decision-support';
import { expectAxeClean } from './support';

const NOW = '2026-12-10T10:00:00.000+01:00';
const OFFICE = 'zu-berlin';
const QUEUE = `${EMBASSY}/zadosti`;
const PACKAGE_REFERENCE = /\bKH-[0-9A-HJKMNP-TV-Z]{8}\b/;

function runBirthDate(): string {
	const day = new Date(Date.UTC(1931, 0, 1) + Math.floor(Math.random() * 25 * 365) * 86_400_000);
	return day.toISOString().slice(0, 10);
}

const queueOf = (birthDate: string, state: string) => `${QUEUE}?hledat=${birthDate}&druh=korespondence&stav=${state}`;

async function staffContext(browser: Browser, role: 'embassy-clerk' | 'administrator', javaScriptEnabled = true) {
	const context = await browser.newContext({ extraHTTPHeaders: { 'x-test-now': NOW }, javaScriptEnabled });
	const session = await context.request.post('/api/test/session', {
		data: { newStaff: { office: role === 'administrator' ? null : OFFICE, role, enrolled: true } }
	});
	expect(session.status(), await session.text()).toBe(200);
	const { officeId } = (await session.json()) as { officeId: string | null };
	return { context, officeId };
}

/** A voter of the test's own on Berlin's special-district list; their context stays logged in. */
async function embassyVoter(browser: Browser, birthDate: string): Promise<{ context: BrowserContext; familyName: string }> {
	const context = await browser.newContext({ extraHTTPHeaders: { 'x-test-now': NOW } });
	const session = await context.request.post('/api/test/session', { data: { voter: { office: OFFICE, birthDate } } });
	expect(session.status(), await session.text()).toBe(200);
	const { familyName } = (await session.json()) as { familyName: string };
	return { context, familyName };
}

/** The clerk enters the voter's correspondence request made in person, the package to go by post to Berlin; returns its reference. */
async function enterRequest(page: Page, familyName: string, birthDate: string): Promise<string> {
	await page.goto(`${EMBASSY}/zadosti/nova`);
	await hydrated(page);
	const [year, month, day] = birthDate.split('-');
	await page.getByLabel('Příjmení').fill(familyName);
	await page.getByLabel('Den').fill(String(Number(day)));
	await page.getByLabel('Měsíc').fill(String(Number(month)));
	await page.getByLabel('Rok').fill(year!);
	await page.getByRole('button', { name: 'Vyhledat' }).click();
	await expect(page.getByRole('heading', { level: 2 })).toHaveText('Nalezení voliči: 1');
	await page.getByRole('button', { name: new RegExp(`^Vybrat\\s*Test ${familyName}$`) }).click();
	await expect(h1(page)).toHaveText('O co volič žádá a jak žádost přišla');
	await hydrated(page);
	await page.getByLabel('Korespondenční hlasování').check();
	await page.getByLabel(CHAMBER, { exact: true }).check();
	await page.getByLabel('Osobně na úřadě').check();
	await page.getByLabel('Volič sám').check();
	await continueButton(page);
	await expect(h1(page)).toHaveText('Jak volič písemnosti převezme?');
	await hydrated(page);
	await page.getByLabel('Poštou na adresu v obvodu úřadu').check();
	await page.getByLabel('Ulice a číslo domu').fill(`Sammelstraße ${familyName.slice(-4)} 1`);
	await page.getByLabel('Obec nebo město').fill('Berlin');
	await page.getByLabel('PSČ', { exact: true }).fill('10117');
	await page.getByLabel('Stát', { exact: true }).selectOption('DE');
	await continueButton(page);
	await expect(h1(page)).toHaveText('Zkontrolujte žádost před zapsáním');
	await page.getByRole('button', { name: 'Zapsat žádost' }).click();
	await expect(h1(page)).toHaveText(PACKAGE_REFERENCE);
	return ((await h1(page).textContent()) ?? '').match(PACKAGE_REFERENCE)![0];
}

test('an embassy clerk accepts, issues packages, numbers and dispatches them in a batch, undoes one; the voter sees the consignment number', async ({
	browser
}) => {
	// Many pages, each with its own full load: generous under a loaded machine, never a timing assertion.
	test.setTimeout(240_000);
	const birthDate = runBirthDate();
	const a = await embassyVoter(browser, birthDate);
	const b = await embassyVoter(browser, birthDate);
	const clerk = await staffContext(browser, 'embassy-clerk');
	const page = await clerk.context.newPage();
	const refA = await enterRequest(page, a.familyName, birthDate);
	const refB = await enterRequest(page, b.familyName, birthDate);

	// The administrator enters the range the German operator allotted to the embassy.
	const admin = await staffContext(browser, 'administrator');
	const adminPage = await admin.context.newPage();
	const base = Math.floor(Math.random() * 90_000_000) + 1_000_000;
	await adminPage.goto(`/urad/sprava/urady/${clerk.officeId}/podaci-cisla`);
	await hydrated(adminPage);
	await adminPage.getByLabel('Země provozovatele (2 písmena)').fill('DE');
	await adminPage.getByLabel('První číslo řady').fill(String(base));
	await adminPage.getByLabel('Poslední číslo řady').fill(String(base + 1));
	await adminPage.getByRole('button', { name: 'Přidat řadu' }).click();
	await expect(adminPage.getByRole('status')).toContainText('Číselná řada byla přidána.');

	// All that match the filter are accepted, after the confirmation page.
	await page.goto(queueOf(birthDate, 'prijata'));
	await expect(page.getByRole('table')).toContainText(refA);
	await expect(page.getByRole('table')).toContainText(refB);
	await hydrated(page);
	await page.getByRole('button', { name: 'Přijmout všech 2 přijatých žádostí podle filtru' }).click();
	await expect(h1(page)).toHaveText('Přijetí žádostí (2)');
	await page.getByRole('button', { name: 'Potvrdit a provést (2)' }).click();
	await expect(page.getByRole('status')).toContainText('Provedeno: 2. Přeskočeno: 0.');

	// The packages are issued (one PDF of the batch, §57b(3)).
	await page.goto(`${EMBASSY}/balicky`);
	await page.getByRole('link', { name: CHAMBER, exact: true }).click();
	for (const reference of [refA, refB]) await page.getByLabel(`Vybrat žádost ${reference}`).check();
	await page.getByRole('button', { name: 'Vydat písemnosti k vybraným žádostem' }).click();
	await expect(page.getByRole('status')).toContainText('Písemnosti jsou vydány. Počet balíčků: 2');

	// All issued packages of the filter: the dispatch batch, numbers from the range.
	await page.goto(queueOf(birthDate, 'vydano'));
	await hydrated(page);
	await expectAxeClean(page);
	await page.getByRole('button', { name: 'Připravit odeslání všech 2 vydaných podle filtru' }).click();
	await expect(h1(page)).toHaveText('Odeslání balíčků doporučeně (2)');
	await expect(page.getByRole('heading', { name: 'Podací čísla doporučených zásilek' })).toBeVisible();
	await hydrated(page);
	await expectAxeClean(page);
	await page.getByRole('button', { name: 'Přidělit čísla z číselné řady úřadu (2)' }).click();
	const fieldA = page.getByLabel(`Podací číslo zásilky k žádosti ${refA}`);
	const fieldB = page.getByLabel(`Podací číslo zásilky k žádosti ${refB}`);
	await expect(fieldA).toHaveValue(/^RR\d{9}DE$/);
	await expect(fieldB).toHaveValue(/^RR\d{9}DE$/);
	const [numA, numB] = [await fieldA.inputValue(), await fieldB.inputValue()];
	expect(new Set([numA.slice(2, 10), numB.slice(2, 10)])).toEqual(new Set([String(base).padStart(8, '0'), String(base + 1).padStart(8, '0')]));
	await page.getByRole('button', { name: 'Uložit čísla a pokračovat' }).click();

	// The confirmation page lists what will be recorded; then the dispatch and the sheet.
	await expect(page.getByRole('heading', { name: 'Zkontrolujte, co se zaznamená' })).toBeVisible();
	await expect(page.getByRole('main')).toContainText(numA);
	await expect(page.getByRole('main')).toContainText(numB);
	await expect(page.getByRole('main')).toContainText('Berlin');
	await hydrated(page);
	await expectAxeClean(page);
	await page.getByRole('button', { name: 'Potvrdit a provést (2)' }).click();
	await expect(page.getByRole('status')).toContainText('Provedeno: 2. Přeskočeno: 0.');
	await hydrated(page);
	await expectAxeClean(page);
	const path = new URL(page.url()).pathname;
	const csv = await (await page.request.get(`${path}/podaci-arch.csv`)).text();
	expect(csv).toContain(numA);
	expect(csv).toContain('Doporučená zásilka do zahraničí');
	const sheet = await page.request.get(`${path}/podaci-arch.pdf`);
	expect(sheet.headers()['content-type']).toBe('application/pdf');
	expect(await pdfText(await sheet.body())).toContain(numB);

	// Undo one dispatch the same day, with the reason, on the package's page.
	await page.getByRole('link', { name: `Vrátit ${refA}` }).click();
	await expect(h1(page)).toHaveText(`Vrátit záznam o předání – ${refA}`);
	await hydrated(page);
	await expectAxeClean(page);
	await page.getByRole('button', { name: 'Vrátit záznam o předání' }).click();
	await expect(page.locator('.error-summary')).toContainText('Uveďte důvod vrácení');
	await page.getByLabel('Důvod vrácení').fill('Zásilka zůstala na podatelně.');
	await page.getByRole('button', { name: 'Vrátit záznam o předání' }).click();
	await expect(page.getByRole('status')).toContainText('Zaznamenáno.');
	await expect(page.getByRole('main')).toContainText('Čeká na odeslání nebo předání');
	await page.goto(path);
	await expect(page.getByRole('table').last()).toContainText('vráceno');

	// The voter whose package went sees the number and the tracking link; the other does not.
	const voterPage = await b.context.newPage();
	await voterPage.goto(`/zadosti/${refB}`);
	await expect(voterPage.getByRole('main')).toContainText(`Odesláno doporučeně, podací číslo ${numB}`);
	await expect(voterPage.getByRole('link', { name: 'Sledovat zásilku u provozovatele pošty' })).toHaveAttribute('href', new RegExp(numB));
	await expectAxeClean(voterPage);
	const other = await a.context.newPage();
	await other.goto(`/zadosti/${refA}`);
	await expect(other.getByRole('main')).not.toContainText('podací číslo');
	for (const c of [a.context, b.context, clerk.context, admin.context]) await c.close();
});

test('embassy, without JavaScript: tick a row, the confirmation page, the result', async ({ browser }) => {
	test.setTimeout(180_000);
	const birthDate = runBirthDate();
	const v = await embassyVoter(browser, birthDate);
	// The request is entered with the page's script (its date fields); the batch itself without.
	const entering = await staffContext(browser, 'embassy-clerk');
	const reference = await enterRequest(await entering.context.newPage(), v.familyName, birthDate);
	const clerk = await staffContext(browser, 'embassy-clerk', false);
	const page = await clerk.context.newPage();
	await page.goto(queueOf(birthDate, 'prijata'));
	await expect(page.getByText('Zaškrtněte žádosti a zvolte akci')).toBeVisible();
	await page.getByRole('button', { name: 'Přijmout vybrané' }).click();
	await expect(page.locator('.error-summary, .form-group--error').first()).toContainText('Vyberte alespoň jednu žádost');
	await page.getByLabel(new RegExp(`Vybrat ${reference}`)).check();
	await page.getByRole('button', { name: 'Přijmout vybrané' }).click();
	// (axe needs the page's JavaScript: the same pages are checked with it in the test above.)
	await expect(h1(page)).toHaveText('Přijetí žádostí (1)');
	await expect(page.getByRole('main')).toContainText(reference);
	await page.getByRole('button', { name: 'Potvrdit a provést (1)' }).click();
	await expect(page.getByRole('status')).toContainText('Provedeno: 1. Přeskočeno: 0.');
	for (const c of [v.context, entering.context, clerk.context]) await c.close();
});
