/**
 * Documents and e-mail, end to end: the PDF receipt of a request (logged-in voter only, in
 * the voter's language, Czech diacritics intact) and the development mail catcher at
 * /dev/posta, which shows what the job queue sent through SMTP.
 *
 * The demo data is dated from FIXED_NOW = Fri 20 Nov 2026; the presidential election's first
 * round is on Fri 5 Feb 2027. Petr Svoboda's first-round voter card is used by no other spec.
 */
import { expect, test, type Page } from '@playwright/test';
import { PDFParse } from 'pdf-parse';
import { expectAxeClean, loginAs, PORTAL_ORIGIN } from './support';

const PRESIDENT = 'Volba prezidenta republiky 2027';
const REFERENCE = /\bVP-[0-9A-HJKMNP-TV-Z]{8}\b/;

async function pdfText(body: Buffer): Promise<string> {
	const parser = new PDFParse({ data: new Uint8Array(body) });
	try {
		return (await parser.getText()).text.replace(/\s+/g, ' ');
	} finally {
		await parser.destroy();
	}
}

/** Files a voter card for the first presidential round, collected in person; returns its reference. */
async function fileVoterCard(page: Page): Promise<string> {
	await loginAs(page, 'petr-svoboda', '/volicsky-prukaz/volby');
	await page.getByLabel(PRESIDENT).check();
	await page.getByRole('button', { name: 'Pokračovat' }).click();
	await page.getByLabel('1. kolo').check();
	await page.getByRole('button', { name: 'Pokračovat' }).click();
	await page.getByLabel('Vyzvednu si ho osobně').check();
	await page.getByRole('button', { name: 'Pokračovat' }).click();
	await page.getByRole('button', { name: 'Odeslat žádost' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Žádost o voličský průkaz byla odeslána');
	const reference = ((await page.locator('.panel').textContent()) ?? '').match(REFERENCE)?.[0];
	expect(reference).toBeDefined();
	return reference!;
}

test.describe('the receipt of a request (PDF)', () => {
	test('is a PDF for its voter, in Czech or English, and a 404 for anyone else', async ({ page, browser }) => {
		const reference = await fileVoterCard(page);
		const path = `/zadosti/${reference}/potvrzeni.pdf`;

		const response = await page.request.get(path);
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toBe('application/pdf');
		expect(response.headers()['content-disposition']).toBe(`inline; filename="potvrzeni-${reference}.pdf"`);
		expect(response.headers()['cache-control']).toContain('no-store');
		const body = await response.body();
		expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		const text = await pdfText(body);
		expect(text).toContain('Žádost o voličský průkaz');
		expect(text).toContain(reference);
		expect(text).toContain('Volba prezidenta republiky 2027');
		expect(text).toContain('1. kolo');
		expect(text).toContain('Příjmení Svoboda');
		expect(text).toContain('Jméno Petr');
		expect(text).toContain('Osobně na úřadě');
		expect(text).toContain('20. listopadu 2026 v 9:00 (pražského času)');
		// §57(3): collected in person, so the D−2 deadline: Wed 3 Feb 2027 16:00
		expect(text).toContain('do 3. února 2027 v 16:00 pražského času (§ 57 odst. 3)');

		// A lower-case reference is the same request.
		const lower = await page.request.get(`/zadosti/${reference.toLowerCase()}/potvrzeni.pdf`);
		expect(lower.status()).toBe(200);
		expect(lower.headers()['content-type']).toBe('application/pdf');

		// The voter's language: English after switching.
		await page.goto(`/jazyk/en?zpet=${encodeURIComponent('/zadosti')}`);
		const english = await pdfText(await (await page.request.get(path)).body());
		expect(english).toContain('Application for a voter card');
		expect(english).toContain('Surname Svoboda');
		expect(english).toContain('Prague time');
		await page.goto(`/jazyk/cs?zpet=${encodeURIComponent('/zadosti')}`);

		// Another voter: the same 404 as for a reference that does not exist.
		const other = await browser.newContext();
		const otherPage = await other.newPage();
		await loginAs(otherPage, 'josef-vesely');
		expect((await otherPage.request.get(path)).status()).toBe(404);
		expect((await otherPage.request.get('/zadosti/VP-00000000/potvrzeni.pdf')).status()).toBe(404);
		expect((await otherPage.request.get('/zadosti/nesmysl/potvrzeni.pdf')).status()).toBe(404);
		await other.close();
	});

	test('needs a login', async ({ request }) => {
		const response = await request.get('/zadosti/VP-00000000/potvrzeni.pdf', { maxRedirects: 0 });
		expect(response.status()).toBe(303);
		expect(response.headers()['location']).toBe(`/prihlaseni?zpet=${encodeURIComponent('/zadosti/VP-00000000/potvrzeni.pdf')}`);
	});
});

test.describe('the development mail catcher (/dev/posta)', () => {
	test('shows a test message sent through the outbox, the job queue and SMTP', async ({ page }) => {
		const to = `e2e-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.cz`;
		await page.goto('/dev/posta');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Zachycená pošta');
		await expectAxeClean(page);

		// GOV.UK error pattern: title, focused summary linking to the field, the field's message.
		await page.getByLabel('E-mailová adresa příjemce').fill('neni-adresa');
		await page.getByRole('button', { name: 'Odeslat zkušební zprávu' }).click();
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.locator('.error-summary')).toBeFocused();
		await expect(page.locator('.error-summary a[href="#email"]')).toBeVisible();
		await expect(page.getByLabel('E-mailová adresa příjemce')).toHaveValue('neni-adresa');
		await expect(page.getByLabel('E-mailová adresa příjemce')).toHaveAttribute('aria-invalid', 'true');
		await expectAxeClean(page);

		await page.getByLabel('E-mailová adresa příjemce').fill(to);
		await page.getByRole('button', { name: 'Odeslat zkušební zprávu' }).click();
		await expect(page).toHaveURL(new RegExp(`^${PORTAL_ORIGIN}/dev/posta\\?odeslano=`));
		await expect(page.getByRole('status')).toContainText(to);

		// The worker sends it in the background; the page shows it once it has arrived.
		const row = page.getByRole('row').filter({ hasText: to });
		await expect(async () => {
			await page.reload();
			await expect(row).toHaveCount(1, { timeout: 500 });
		}).toPass({ timeout: 30_000 });
		await expectAxeClean(page);

		await row.getByRole('link', { name: 'Zkušební zpráva Volebního portálu / Election Portal test message' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Zkušební zpráva Volebního portálu / Election Portal test message');
		await expect(page.getByRole('main')).toContainText(to);
		await expect(page.getByRole('main')).toContainText('Příliš žluťoučký kůň úpěl ďábelské ódy.');
		await expect(page.getByRole('main')).toContainText('If you can read it, e-mail delivery works.');
		await expectAxeClean(page);
		await page.getByRole('link', { name: 'Zpět na zachycenou poštu' }).click();
		await expect(page).toHaveURL(`${PORTAL_ORIGIN}/dev/posta`);
	});

	test('works without JavaScript and in English', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`/jazyk/en?zpet=${encodeURIComponent('/dev/posta')}`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Caught mail');
		await page.getByLabel("Recipient's e-mail address").fill('');
		await page.getByRole('button', { name: 'Send a test message' }).click();
		await expect(page).toHaveTitle(/^Error: /);
		await expect(page.locator('.error-summary')).toContainText('Enter an email address in the correct format');
		await expect(page.getByLabel("Recipient's e-mail address")).toHaveAttribute('aria-invalid', 'true');
		await context.close();
	});

	test('a message that does not exist is a 404', async ({ request }) => {
		expect((await request.get('/dev/posta/00000000-0000-4000-8000-000000000000')).status()).toBe(404);
	});
});
