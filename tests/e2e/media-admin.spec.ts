/**
 * Issue 17, registered media: the administrator registers an organisation for the seeded
 * Chamber election (its registration is open at the demo instant), corrects its contact and
 * addresses, issues a new token and finally revokes the registration with a reason. Each old
 * token is refused by the results feed at once (401), the current one is served (200);
 * axe is clean on the list and on the organisation's page. Named with a suffix of the run.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { expectAxe, staffLogin, submitForm } from './staff-support';

const RUN = Date.now().toString(36).slice(-5);
const NAME = `Zpravodajství ${RUN}`;

async function feed(request: APIRequestContext, electionId: string, token: string): Promise<number> {
	const response = await request.get(`/api/open-data/results/${electionId}/vysledky_zahranici.json`, { headers: { authorization: `Bearer ${token}` } });
	return response.status();
}

test('an administrator edits a media registration, rotates its token and revokes it; old tokens are refused by the feed', async ({ page, request }) => {
	test.setTimeout(180_000);
	await staffLogin(page, 'spravce');
	await page.goto('/urad/sprava/volby');
	const chamber = page.locator('a[href^="/urad/sprava/volby/"]', { hasText: 'Poslanecké sněmovny' }).first();
	const electionId = (await chamber.getAttribute('href'))!.split('/').pop()!;
	await page.goto(`/urad/sprava/volby/${electionId}/media`);
	await expect(page.locator('#uzaverka')).toContainText('Uzávěrka registrace');

	// Register: the feed is read from this machine (127.0.0.1).
	await page.locator('#name').fill(NAME);
	await page.locator('#email').fill('redakce@example.cz');
	await page.locator('#phone').fill('+420 222 111 000');
	await page.locator('#production').fill('127.0.0.1\n192.0.2.0/28');
	await page.locator('#test').fill('203.0.113.5');
	await submitForm(page, 'Registrovat');
	const first = (await page.locator('[data-media-token]').textContent())!.trim();
	expect(first).toMatch(/^vpm_/);
	expect(await feed(request, electionId, first)).toBe(200);

	// The organisation's page: axe, a refused edit (everything), then a correct one.
	await page.getByRole('link', { name: NAME }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(NAME);
	await expectAxe(page);
	await page.locator('#production').fill('0.0.0.0/0');
	await submitForm(page, 'Uložit změny');
	await expect(page.locator('.error-summary')).toContainText('0.0.0.0/0 by povolil všechny adresy');
	await expectAxe(page);
	await page.locator('#phone').fill('+420 777 123 456');
	await page.locator('#production').fill('127.0.0.1\n198.51.100.0/24');
	await submitForm(page, 'Uložit změny');
	await expect(page.getByRole('status')).toContainText('Změny uloženy');
	await expect(page.locator('#phone')).toHaveValue('+420 777 123 456');
	await expect(page.locator('#production')).toHaveValue('127.0.0.1/32\n198.51.100.0/24');
	expect(await feed(request, electionId, first)).toBe(200);

	// A new token: the old one is refused at once, the new one is served.
	await submitForm(page, 'Vydat nový token');
	await expect(page.getByRole('status')).toContainText('Nový token vydán');
	const second = (await page.locator('[data-media-token]').textContent())!.trim();
	expect(second).not.toBe(first);
	expect(await feed(request, electionId, first)).toBe(401);
	expect(await feed(request, electionId, second)).toBe(200);
	await expectAxe(page);

	// Revoking needs a reason; then the token is refused and nothing more can be done.
	await submitForm(page, 'Odvolat registraci');
	await expect(page.locator('.error-summary')).toContainText('Uveďte důvod odvolání');
	await expectAxe(page);
	await page.locator('#reason').fill('Redakce ukončila spolupráci');
	await submitForm(page, 'Odvolat registraci');
	await expect(page.getByRole('status')).toContainText('Registrace odvolána');
	await expect(page.locator('#odvolano')).toContainText('Redakce ukončila spolupráci');
	await expect(page.getByRole('button', { name: 'Vydat nový token' })).toHaveCount(0);
	expect(await feed(request, electionId, second)).toBe(401);
	await expectAxe(page);

	await page.goto(`/urad/sprava/volby/${electionId}/media`);
	await expect(page.locator('tr', { hasText: NAME }).locator('[data-status]')).toContainText('Odvolána');
	await expectAxe(page);
});

test('a commission chair cannot reach the media registrations (403)', async ({ page }) => {
	await staffLogin(page, 'predseda.berlin');
	const response = await page.goto('/urad/sprava/volby');
	expect(response?.status()).toBe(403);
});
