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

	test('a voter page keeps a readable measure on a wide screen (only staff pages take the full width)', async ({ page }) => {
		await page.setViewportSize({ width: 1920, height: 1080 });
		await page.goto('/');
		expect((await page.locator('main').boundingBox())!.width).toBeLessThanOrEqual(1024);
	});

	test('switching to English and back logs no error in the browser console (issue 15)', async ({ page }) => {
		const errors: string[] = [];
		page.on('console', (message) => {
			if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
		});
		page.on('pageerror', (error) => errors.push(error.message));
		// Straight to the switch, as a link from outside would.
		await page.goto('/jazyk/en');
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vote from anywhere');
		await page.waitForLoadState('networkidle');
		// And through the header's link, with JavaScript running (the router follows it).
		await page.getByRole('link', { name: 'Čeština' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'cs');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Volit odkudkoli');
		await page.getByRole('link', { name: 'English' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vote from anywhere');
		await page.waitForLoadState('networkidle');
		expect(errors).toEqual([]);
	});

	// Hostile `zpet` values as they arrive on the wire (issue 19, point 2).
	const HOSTILE_ZPET = [
		'//evil.example/',
		'/%09/evil.example/x',
		'/%09%09/evil.example/x',
		'/%0d%0aSet-Cookie:x=1',
		'/%5Cevil.example/x',
		'%5C%5Cevil.example/x',
		'/%252F%252Fevil.example',
		'/%2F%2Fevil.example',
		'https://evil.example/',
		'javascript:alert(1)',
		'/%00/evil.example',
		'/%C2%85/evil.example'
	];

	/** A query that holds a NUL is refused with 400 before any route runs (request-checks.ts). */
	const REFUSED_AS_MALFORMED = /%00/;

	test('the language switch refuses to redirect off-site', async ({ request }) => {
		for (const zpet of HOSTILE_ZPET) {
			const response = await request.get(`/jazyk/en?zpet=${zpet}`, { maxRedirects: 0 });
			if (REFUSED_AS_MALFORMED.test(zpet)) {
				expect(response.status(), zpet).toBe(400);
				expect(response.headers()['location'], zpet).toBeUndefined();
			} else {
				expect(response.status(), zpet).toBe(303);
				expect(response.headers()['location'], zpet).toBe('/');
			}
			expect(response.headers()['set-cookie'] ?? '', zpet).not.toContain('x=1');
		}
	});

	test('a hostile `zpet` never takes Chromium off the portal', async ({ page, baseURL }) => {
		const origin = new URL(baseURL!).origin;
		const elsewhere: string[] = [];
		page.on('request', (r) => {
			if (new URL(r.url()).origin !== origin) elsewhere.push(r.url());
		});
		for (const zpet of HOSTILE_ZPET) {
			const response = await page.goto(`/jazyk/cs?zpet=${zpet}`);
			expect(response?.status(), zpet).toBe(REFUSED_AS_MALFORMED.test(zpet) ? 400 : 200);
			expect(new URL(page.url()).origin, zpet).toBe(origin);
		}
		expect(elsewhere).toEqual([]);
		// An ordinary page is still where the switch comes back to.
		await page.goto('/volby');
		await page.getByRole('link', { name: 'English' }).click();
		await expect(page).toHaveURL(/\/volby$/);
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
