import { expect, test } from '@playwright/test';
import { analyzeAxe } from './support';

test.describe('foundation', () => {
	test('the home page is Czech, lists the demo elections and passes axe', async ({ page }) => {
		await page.goto('/');
		await expect(page.locator('html')).toHaveAttribute('lang', 'cs');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Volit odkudkoli');
		await expect(page.getByRole('link', { name: /Volby do Poslanecké sněmovny/ })).toBeVisible();
		await expect(page.getByRole('link', { name: /Volba prezidenta republiky/ })).toBeVisible();
		const axe = await analyzeAxe(page);
		expect(axe.violations).toEqual([]);
	});

	test('the language switch works without JavaScript and comes back to the same page', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto('/');
		await page.getByRole('link', { name: 'English' }).click();
		await expect(page).toHaveURL(/\/$/);
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vote from anywhere');
		await page.getByRole('link', { name: 'Čeština' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'cs');
		await context.close();
	});

	test('the language switch refuses to redirect off-site', async ({ request }) => {
		const response = await request.get('/jazyk/en?zpet=//evil.example/', { maxRedirects: 0 });
		expect(response.status()).toBe(303);
		expect(response.headers()['location']).toBe('/');
	});

	test('/health reports the database', async ({ request }) => {
		const response = await request.get('/health');
		expect(response.status()).toBe(200);
		expect(await response.json()).toEqual({ status: 'ok', database: 'ok' });
	});

	test('security headers are set', async ({ request }) => {
		const response = await request.get('/');
		const headers = response.headers();
		expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
		expect(headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
		expect(headers['referrer-policy']).toBe('same-origin');
		expect(headers['permissions-policy']).toContain('geolocation=()');
		expect(headers['x-content-type-options']).toBe('nosniff');
	});

	test('an unknown page is a 404 in Czech, not an error', async ({ page }) => {
		const response = await page.goto('/tahle-stranka-neexistuje');
		expect(response?.status()).toBe(404);
		await expect(page.getByRole('heading', { level: 1 })).toContainText('Stránka nenalezena');
	});
});
