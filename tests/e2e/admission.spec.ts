/**
 * Admission control (issue 20): a voter whose check-answers submission is refused because the
 * portal is full sees a page that keeps every answer and says when to try again; with
 * JavaScript it sends the same form again by itself once the portal admits it, without
 * JavaScript one button does; the request is filed once. The bound for new filings is set to
 * 0 for the test's own session only (POST /api/test/admission, APP_ENV=test), so tests running
 * beside it are not refused. Identities and elections not used by the other specs.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectAxeClean, loginAs, PORTAL_ORIGIN } from './support';

const CHAMBER = 'Volby do Poslanecké sněmovny 2027';
const BUSY = 'Právě podává žádost mnoho lidí';

async function setFilingBound(page: Page, filings: number | null) {
	const response = await page.request.post('/api/test/admission', { data: { filings } });
	expect(response.status()).toBe(200);
}

/** Chamber voter card collected in person, up to the check page; the answers as the page shows them. */
async function toCheckPage(page: Page, accountId: string): Promise<{ key: string; value: string }[]> {
	await loginAs(page, accountId, '/volicsky-prukaz/volby');
	await page.getByLabel(CHAMBER).check();
	await page.getByRole('button', { name: 'Pokračovat' }).click();
	await page.getByLabel('Vyzvednu si ho osobně').check();
	await page.getByRole('button', { name: 'Pokračovat' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Zkontrolujte své odpovědi');
	const rows = page.locator('.summary-list > div');
	const answers: { key: string; value: string }[] = [];
	for (let i = 0; i < (await rows.count()); i++) {
		const row = rows.nth(i);
		answers.push({ key: (await row.locator('dt').innerText()).trim(), value: (await row.locator('dd').first().innerText()).trim().replace(/\s*\n\s*/g, ', ') });
	}
	expect(answers.length).toBeGreaterThanOrEqual(4);
	return answers;
}

async function expectRefusalPage(page: Page, answers: { key: string; value: string }[]) {
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(BUSY);
	const main = page.getByRole('main');
	await expect(main).toContainText('Vaši žádost jsme zatím nepodali. Vaše odpovědi jsou uložené');
	await expect(main).toContainText(/Zkuste to prosím znovu za \d+ s \(v \d{1,2}:\d{2}:\d{2}\)\./);
	for (const { key, value } of answers) {
		await expect(main.locator('dt', { hasText: key })).toBeVisible();
		await expect(main.locator('dd', { hasText: value }).first()).toBeVisible();
	}
	await expect(page.getByRole('button', { name: 'Odeslat žádost znovu' })).toBeVisible();
}

async function chamberCardsOnRequestsPage(page: Page): Promise<number> {
	await page.goto('/zadosti');
	return page.getByRole('row').filter({ hasText: 'Voličský průkaz' }).filter({ hasText: 'Poslanecké sněmovny' }).count();
}

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test('with JavaScript: refused with every answer kept and a countdown; filed by itself once admitted', async ({ page }) => {
	const answers = await toCheckPage(page, 'lucie-markova');
	await setFilingBound(page, 0);
	try {
		const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Odeslat žádost' }).click()]);
		expect(response.status()).toBe(503);
		expect(Number(response.headers()['retry-after'])).toBeGreaterThanOrEqual(1);
		// The countdown runs (from Retry-After: at least 5 s in the test portal).
		const countdown = page.locator('#retry-countdown');
		const first = Number(await countdown.innerText());
		expect(first).toBeGreaterThanOrEqual(3);
		await expect.poll(async () => Number(await countdown.innerText()), { timeout: 3_000 }).toBeLessThan(first);
		await expectRefusalPage(page, answers);
		await expectAxeClean(page);
	} finally {
		await setFilingBound(page, null);
	}
	// Admitted again: the page sends the same form by itself.
	await expect(page).toHaveURL(/\/volicsky-prukaz\/odeslano\?zadost=VP-/, { timeout: 30_000 });
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Žádost o voličský průkaz byla odeslána');
	expect(await chamberCardsOnRequestsPage(page)).toBe(1);
});

test('without JavaScript: refused with every answer kept; the button files it once', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	const answers = await toCheckPage(page, 'eva-horakova');
	await setFilingBound(page, 0);
	try {
		await page.getByRole('button', { name: 'Odeslat žádost' }).click();
		await expectRefusalPage(page, answers);
		// Still refused: the same page again, nothing filed.
		await page.getByRole('button', { name: 'Odeslat žádost znovu' }).click();
		await expectRefusalPage(page, answers);
	} finally {
		await setFilingBound(page, null);
	}
	const key = await page.locator('input[name="idempotencyKey"]').inputValue();
	await page.getByRole('button', { name: 'Odeslat žádost znovu' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Žádost o voličský průkaz byla odeslána');
	// The same form once more (a second click, a reload of the POST): the same request, not a second.
	const again = await page.request.post('/volicsky-prukaz/kontrola', {
		form: { idempotencyKey: key },
		headers: { origin: PORTAL_ORIGIN, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(again.status()).toBe(303);
	expect(PORTAL_ORIGIN + again.headers()['location']).toBe(page.url());
	expect(await chamberCardsOnRequestsPage(page)).toBe(1);
	await context.close();
});
