/**
 * Issue 17, registered media: the administrator registers an organisation for the seeded
 * Chamber election (its registration is open at the demo instant), corrects its contact and
 * addresses, issues a new token and finally revokes the registration with a reason. Each old
 * token is refused by the results feed at once (401), the current one is served (200);
 * axe is clean on the list and on the organisation's page. Named with a suffix of the run.
 * Then the administrator sets the election's registration deadline (validated, axe clean),
 * a registration after it is refused naming the date, and the deadline returns to the default.
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

test('an administrator sets the media registration deadline; a registration after it is refused with the date; reset to the default', async ({ page }) => {
	test.setTimeout(180_000);
	await staffLogin(page, 'spravce');
	await page.goto('/urad/sprava/volby');
	const chamber = page.locator('a[href^="/urad/sprava/volby/"]', { hasText: 'Poslanecké sněmovny' }).first();
	const electionId = (await chamber.getAttribute('href'))!.split('/').pop()!;

	// The election's page shows the default and links to the form.
	await page.goto(`/urad/sprava/volby/${electionId}`);
	await expect(page.locator('[data-media-deadline]')).toContainText('(výchozí)');
	await page.locator('[data-media-deadline]').getByRole('link', { name: 'Změnit uzávěrku' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Uzávěrka registrace médií');
	await expect(page.locator('#stav-uzaverky')).toContainText('Uzávěrka není nastavena, platí výchozí');
	await expectAxe(page);

	// Refused: no time (what was typed stays), then a date after the first day of voting.
	await page.locator('#deadlineDay').fill('1');
	await page.locator('#deadlineMonth').fill('1');
	await page.locator('#deadlineYear').fill('2099');
	await page.locator('#deadlineTime').fill('');
	await submitForm(page, 'Uložit uzávěrku');
	await expect(page.locator('.error-summary')).toContainText('Zadejte čas uzávěrky');
	await expect(page.locator('#deadlineYear')).toHaveValue('2099');
	await expectAxe(page);
	await page.locator('#deadlineTime').fill('16:00');
	await submitForm(page, 'Uložit uzávěrku');
	await expect(page.locator('.error-summary')).toContainText('Uzávěrka nesmí být po prvním dni hlasování');
	await expectAxe(page);

	// A deadline already past (the portal's clock is later): 1 March 2024, 10:15 Prague time.
	await page.locator('#deadlineDay').fill('1');
	await page.locator('#deadlineMonth').fill('3');
	await page.locator('#deadlineYear').fill('2024');
	await page.locator('#deadlineTime').fill('10.15');
	await submitForm(page, 'Uložit uzávěrku');
	await expect(page).toHaveURL(new RegExp(`/urad/sprava/volby/${electionId}/media\\?uzaverka=1$`));
	await expect(page.getByRole('status')).toContainText('Uzávěrka registrace médií je nyní 1. 3. 2024 v 10:15');
	await expect(page.locator('#uzaverka')).not.toContainText('(výchozí)');
	await expectAxe(page);

	await page.locator('#name').fill(`Pozdní redakce ${RUN}`);
	await page.locator('#email').fill('pozde@example.cz');
	await page.locator('#phone').fill('+420 222 333 444');
	await page.locator('#production').fill('192.0.2.64/28');
	await submitForm(page, 'Registrovat');
	await expect(page.locator('.error-summary')).toContainText('Registrace médií skončila 1. 3. 2024 v 10:15');
	await expect(page.locator('[data-media-token]')).toHaveCount(0);
	await expectAxe(page);

	// Back to the default: the form offers it only while a deadline of the election's own is set.
	await page.goto(`/urad/sprava/volby/${electionId}/media/uzaverka`);
	await expect(page.locator('#stav-uzaverky')).toContainText('Nastavená uzávěrka: 1. 3. 2024 v 10:15');
	await expect(page.locator('#deadlineTime')).toHaveValue('10:15');
	await submitForm(page, 'Vrátit výchozí uzávěrku');
	await expect(page.locator('#uzaverka')).toContainText('(výchozí)');
	await page.goto(`/urad/sprava/volby/${electionId}/media/uzaverka`);
	await expect(page.getByRole('button', { name: 'Vrátit výchozí uzávěrku' })).toHaveCount(0);
});

test('a commission chair cannot reach the media registrations (403)', async ({ page }) => {
	await staffLogin(page, 'predseda.berlin');
	const response = await page.goto('/urad/sprava/volby');
	expect(response?.status()).toBe(403);
	const deadline = await page.goto('/urad/sprava/volby/00000000-0000-4000-8000-000000000000/media/uzaverka');
	expect(deadline?.status()).toBe(403);
});
