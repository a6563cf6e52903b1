/**
 * The administration (issue 7, /urad/sprava): an administrator creates an election, edits a
 * date that moves a deadline already passed (the confirmation step), creates an embassy whose
 * voting windows are proposed from its time zone (§2(3)), creates a staff account and resets
 * its second factor, and runs the retention job (§22(6)); a clerk is refused (403). axe on
 * every page of the administration.
 *
 * Each test stands at its own instant (x-test-now) and creates its own elections, offices and
 * accounts, named with a suffix of the run, dated so that no other spec's flows offer them:
 * a European Parliament election in 2029 and a municipal election whose voting is over.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { enrolOnPage, expectAxe, loginClock, nextLoginInstant, passwordStep, staffLogin, withStaffLock } from './staff-support';

const RUN = Date.now().toString(36).slice(-5);
const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

async function adminAt(browser: Browser, now?: string) {
	const context = await browser.newContext(now ? { extraHTTPHeaders: { 'x-test-now': now } } : {});
	const page = await context.newPage();
	await staffLogin(page, 'spravce');
	return { context, page };
}

/** A GOV.UK date input (three boxes) from 'YYYY-MM-DD'. */
async function fillDate(page: Page, prefix: string, iso: string) {
	const [y, m, d] = iso.split('-');
	await page.locator(`#${prefix}Day`).fill(String(Number(d)));
	await page.locator(`#${prefix}Month`).fill(String(Number(m)));
	await page.locator(`#${prefix}Year`).fill(y!);
}

async function expectErrorPage(page: Page, message: string | RegExp) {
	await expect(page).toHaveTitle(/^Chyba: /);
	await expect(page.locator('.error-summary')).toBeFocused();
	await expect(page.locator('.error-summary')).toContainText(message);
	await expectAxe(page);
}

test.describe('administration', () => {
	test('an administrator creates an election and confirms moving a deadline that has passed', async ({ browser }) => {
		test.setTimeout(120_000);
		// 10 May 2029: for D 8 June 2029, the written correspondence deadline D−35 (4 May) has passed.
		const { context, page } = await adminAt(browser, '2029-05-10T10:00:00.000+02:00');
		const title = `Volby do Evropského parlamentu 2029 (E2E ${RUN})`;

		await page.goto('/urad/sprava');
		await expect(h1(page)).toHaveText('Správa');
		await expectAxe(page);
		await page.getByRole('link', { name: 'Volby', exact: true }).click();
		await expect(h1(page)).toHaveText('Volby');
		await expectAxe(page);

		await page.getByRole('link', { name: 'Vytvořit volby' }).click();
		await expect(h1(page)).toHaveText('Jaké volby chcete vytvořit?');
		await expectAxe(page);
		await page.getByRole('button', { name: 'Pokračovat' }).click();
		await expectErrorPage(page, 'Vyberte druh voleb');
		await page.getByLabel('Volby do Evropského parlamentu').check();
		await page.getByRole('button', { name: 'Pokračovat' }).click();
		await expect(page).toHaveURL(/\/urad\/sprava\/volby\/nove\/evropsky-parlament$/);
		await expect(h1(page)).toHaveText('Nové volby: Volby do Evropského parlamentu');
		// The defaults of the type: correspondence on (§57a(1)), D−15 (§57(4)), the 2025 list (§58(3)), 90 days (§22(6)).
		await expect(page.getByLabel('Ano')).toBeChecked();
		await expect(page.locator('#earliestIssueDays')).toHaveValue('15');
		await expect(page.locator('#excludedCountries')).toHaveValue('AF YE KP LY PS HT SO EH');
		await expect(page.locator('#retentionDays')).toHaveValue('90');
		await expectAxe(page);

		await page.locator('#titleCs').fill(title);
		await fillDate(page, 'announcedOn', '2029-03-01');
		// A Thursday: refused (§2(4)).
		await fillDate(page, 'round1', '2029-06-07');
		await page.getByRole('button', { name: 'Vytvořit volby' }).click();
		await expectErrorPage(page, 'První den voleb musí být pátek');
		await expect(page.locator('#titleCs')).toHaveValue(title);
		await fillDate(page, 'round1', '2029-06-08');
		await page.getByRole('button', { name: 'Vytvořit volby' }).click();

		await expect(h1(page)).toHaveText(title);
		await expect(page.getByRole('status')).toContainText('Volby byly vytvořeny');
		const written = page.locator('[data-calendar] tr[data-deadline="correspondence-request-written"]');
		await expect(written).toContainText('4. 5. 2029 v 16:00');
		await expect(written).toContainText('Uplynula');
		await expect(page.locator('[data-calendar] tr[data-deadline="correspondence-dispatch"]')).not.toContainText('Uplynula');
		await expectAxe(page);
		const detailUrl = page.url();

		// D one week earlier: D−35 (passed) moves, and D−25 (14 May) would move into the past.
		await page.getByRole('link', { name: 'Upravit volby' }).click();
		await expect(h1(page)).toHaveText('Upravit volby');
		await expectAxe(page);
		await fillDate(page, 'round1', '2029-06-01');
		await page.getByRole('button', { name: 'Uložit změny' }).click();
		await expect(h1(page)).toHaveText('Potvrďte posunutí lhůt, které už uplynuly');
		const moved = page.locator('[data-moved-deadlines]');
		await expect(moved.locator('tr[data-deadline="correspondence-request-written"]')).toContainText('4. 5. 2029 v 16:00');
		await expect(moved.locator('tr[data-deadline="correspondence-request-written"]')).toContainText('27. 4. 2029 v 16:00');
		await expect(moved.locator('tr[data-deadline="correspondence-dispatch"]')).toContainText('7. 5. 2029 v 16:00');
		await expectAxe(page);
		// Nothing is saved before the confirmation.
		await page.goto(detailUrl);
		await expect(page.locator('[data-calendar] tr[data-deadline="correspondence-request-written"]')).toContainText('4. 5. 2029 v 16:00');

		await page.getByRole('link', { name: 'Upravit volby' }).click();
		await fillDate(page, 'round1', '2029-06-01');
		await page.getByRole('button', { name: 'Uložit změny' }).click();
		await page.getByRole('button', { name: 'Potvrdit změnu' }).click();
		await expect(page).toHaveURL(/\?upraveno=1$/);
		await expect(page.getByRole('status')).toContainText('Změny byly uloženy');
		await expect(page.locator('.summary-list')).toContainText('1. 6. 2029');
		await expect(page.locator('[data-calendar] tr[data-deadline="correspondence-request-written"]')).toContainText('27. 4. 2029 v 16:00');
		await expectAxe(page);

		await page.goto('/urad/sprava/volby');
		await expect(page.getByRole('link', { name: title })).toBeVisible();
		await context.close();
	});

	test('an administrator creates an embassy whose voting windows are proposed from its time zone', async ({ browser }) => {
		test.setTimeout(120_000);
		const { context, page } = await adminAt(browser, '2026-11-20T10:00:00.000+01:00');
		const name = `Velvyslanectví České republiky v Mexiku (E2E ${RUN})`;

		await page.goto('/urad/sprava/urady');
		await expect(h1(page)).toHaveText('Úřady');
		await expectAxe(page);

		// A municipal office's form, with its errors.
		await page.getByRole('link', { name: 'Přidat obecní úřad' }).click();
		await expect(h1(page)).toHaveText('Nový obecní úřad');
		await expectAxe(page);
		await page.locator('#municipalityCode').fill('12345');
		await page.getByRole('button', { name: 'Přidat úřad' }).click();
		await expectErrorPage(page, 'Kód obce má 6 číslic');

		await page.goto('/urad/sprava/urady');
		await page.getByRole('link', { name: 'Přidat zastupitelský úřad' }).click();
		await expect(h1(page)).toHaveText('Nový zastupitelský úřad');
		await expectAxe(page);
		await page.locator('#nameCs').fill(name);
		await page.locator('#nameEn').fill(`Embassy of the Czech Republic in Mexico (E2E ${RUN})`);
		await page.locator('#address').fill('Cerrada de Cicerón 702, Ciudad de México');
		await page.locator('#specialDistrictNumber').fill(String(500 + (Date.now() % 400)));
		await page.locator('#countries').fill('MX DE');
		await page.locator('#timeZone').fill('Mars/Olympus');
		await page.getByRole('button', { name: 'Přidat úřad' }).click();
		// Germany is Berlin's (§57(6)); the zone is unknown.
		await expectErrorPage(page, 'Některý stát už patří do obvodu jiného zastupitelského úřadu');
		await expect(page.locator('.error-summary')).toContainText('Zadejte časové pásmo IANA');
		await page.locator('#countries').fill('MX GT');
		await page.locator('#timeZone').fill('America/Mexico_City');
		await page.getByRole('button', { name: 'Přidat úřad' }).click();

		await expect(h1(page)).toHaveText(name);
		await expect(page.getByRole('status')).toContainText('Úřad byl přidán');
		await expect(page.locator('[data-time-zone]')).toHaveText('America/Mexico_City');
		// §2(3): Mexico City is more than 2 hours behind Prague: Thursday and Friday, local time.
		const chamber = page.locator('[data-windows] tr').filter({ hasText: 'Volby do Poslanecké sněmovny 2027' });
		await expect(chamber).toContainText('čt 14. 1. 2027 14:00–22:00');
		await expect(chamber).toContainText('pá 15. 1. 2027 08:00–14:00');
		await expect(chamber).toContainText('Výchozí');
		await expectAxe(page);

		// Own times for the Chamber election: kept and flagged.
		await chamber.getByRole('link').click();
		await expect(h1(page)).toHaveText('Časy hlasování');
		await expect(page.locator('#r1w1start')).toHaveValue('2027-01-14T14:00');
		await expectAxe(page);
		await page.locator('#r1w2end').fill('2027-01-15T13:00');
		await page.getByRole('button', { name: 'Uložit časy' }).click();
		await expect(page.getByRole('status')).toContainText('Časy hlasování byly uloženy');
		await expect(page.locator('[data-windows] tr').filter({ hasText: 'Volby do Poslanecké sněmovny 2027' })).toContainText('Vlastní časy');

		await page.getByRole('link', { name: 'Upravit úřad' }).click();
		await expect(h1(page)).toHaveText('Upravit úřad');
		await expect(page.locator('#timeZone')).toHaveValue('America/Mexico_City');
		await expectAxe(page);
		await context.close();
	});

	test('an administrator creates a staff account and resets its second factor', async ({ browser }) => {
		test.setTimeout(180_000);
		const { context, page } = await adminAt(browser);
		const username = `e2e.urednik.${RUN}`;

		await page.goto('/urad/sprava/uzivatele');
		await expect(h1(page)).toHaveText('Uživatelé');
		await expectAxe(page);
		await page.getByRole('link', { name: 'Přidat uživatele' }).click();
		await expect(h1(page)).toHaveText('Nový uživatel');
		await expectAxe(page);
		// A clerk of a municipal office needs a municipal office.
		await page.locator('#username').fill(username);
		await page.locator('#displayName').fill('Eva Zkušební');
		await page.getByLabel('Úředník obecního úřadu').check();
		await page.getByRole('button', { name: 'Přidat uživatele' }).click();
		await expectErrorPage(page, 'Vyberte úřad');
		await page.locator('#officeId').selectOption({ label: 'Magistrát hlavního města Prahy (obecní úřad)' });
		await page.getByRole('button', { name: 'Přidat uživatele' }).click();

		await expect(h1(page)).toHaveText('Uživatel byl přidán');
		const temporary = (await page.locator('[data-temporary-password]').textContent())!.trim();
		expect(temporary).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
		await expectAxe(page);
		await page.getByRole('link', { name: 'Zobrazit účet' }).click();
		await expect(h1(page)).toHaveText(username);
		await expect(page.locator('[data-second-factor]')).toHaveText('Bez ověřovací aplikace');
		await expectAxe(page);

		// The new clerk logs in with the temporary password and sets up an app.
		const clerk = await browser.newContext();
		const clerkPage = await clerk.newPage();
		await withStaffLock(username, async () => {
			const at = await nextLoginInstant();
			const undo = await loginClock(clerkPage, at);
			expect(await passwordStep(clerkPage, username, undefined, temporary)).toBe('enrol');
			await enrolOnPage(clerkPage, username, at);
			await undo();
		});
		await page.reload();
		await expect(page.locator('[data-second-factor]')).toHaveText('Ověřovací aplikace je nastavená');

		// Lost phone: the administrator resets the second factor.
		await page.getByRole('button', { name: 'Obnovit ověřovací aplikaci' }).click();
		await expect(page.getByRole('status')).toContainText('Ověřovací aplikace byla obnovena');
		await expect(page.locator('[data-second-factor]')).toHaveText('Bez ověřovací aplikace');
		await expectAxe(page);
		// The clerk's session has ended, and the next login sets up an app again.
		const after = await clerkPage.request.get('/urad/heslo', { maxRedirects: 0 });
		expect(after.status()).toBe(303);
		expect(after.headers().location).toMatch(/^\/urad\/prihlaseni/);
		await withStaffLock(username, async () => {
			const undo = await loginClock(clerkPage, await nextLoginInstant());
			expect(await passwordStep(clerkPage, username, undefined, temporary)).toBe('enrol');
			await undo();
		});
		await clerk.close();

		await page.getByRole('link', { name: 'Změnit jméno, roli a úřad' }).click();
		await expect(h1(page)).toHaveText('Změnit jméno, roli a úřad');
		await expectAxe(page);

		// One's own account cannot be disabled.
		await page.goto('/urad/sprava/uzivatele');
		await page.getByRole('link', { name: 'spravce', exact: true }).click();
		await expect(page.getByRole('button', { name: 'Zablokovat účet' })).toHaveCount(0);
		await expect(page.getByRole('main')).toContainText('Toto je váš účet');
		await context.close();
	});

	test('an administrator sees a login lock on the dashboard at once, with who, from where and when, and unlocks it', async ({ browser, request }) => {
		test.setTimeout(120_000);
		const username = `e2e.zamceny.${RUN}`;
		// Failures from 10 addresses through the real login service (the browser is always 127.0.0.1).
		const locked = await request.post('/api/test/login-lock', { data: { username } });
		expect(locked.status()).toBe(200);
		const { staffId } = (await locked.json()) as { staffId: string };

		const { context, page } = await adminAt(browser);
		await page.goto('/urad/prehled');
		const panel = page.locator('section.login-locks');
		await expect(panel.getByRole('heading', { level: 2 })).toHaveText('Zablokované účty pracovníků');
		const item = panel.locator('li', { hasText: username });
		await expect(item).toContainText('po 100 neúspěšných pokusech z 10 adres');
		await expect(item).toContainText('198.51.100.1');
		await expectAxe(page);

		await item.getByRole('link').click();
		await expect(h1(page)).toHaveText(username);
		await expect(page.locator('[data-login-lock]')).toContainText('zablokované pro všechny');
		await expectAxe(page);
		await page.getByRole('button', { name: 'Odblokovat přihlášení' }).click();
		await expect(page.getByRole('status')).toContainText('Přihlášení k účtu je odblokované');
		await expect(page.locator('[data-login-lock]')).toHaveCount(0);
		await expectAxe(page);

		await page.goto('/urad/prehled');
		await expect(page.locator('section.login-locks li', { hasText: username })).toHaveCount(0);
		await context.close();

		// The clerk logs in again at once (and, being new, is asked to set up an app).
		const clerk = await browser.newContext();
		const clerkPage = await clerk.newPage();
		expect(await passwordStep(clerkPage, username)).toBe('enrol');
		await clerk.close();
		expect(staffId).toMatch(/^[0-9a-f-]{36}$/);
	});

	test('an administrator runs the retention job and sees what it did (§22(6))', async ({ browser }) => {
		test.setTimeout(120_000);
		// 1 June 2026: results declared 12 April, kept 30 days, due 12 May.
		const { context, page } = await adminAt(browser, '2026-06-01T10:00:00.000+02:00');
		const title = `Obecní volby (E2E ${RUN})`;
		await page.goto('/urad/sprava/volby/nove/obce');
		await expect(h1(page)).toHaveText('Nové volby: Volby do zastupitelstev obcí');
		// Municipal elections have no voter cards and are not held abroad: no such fields.
		await expect(page.locator('#earliestIssueDays')).toHaveCount(0);
		await expect(page.locator('#excludedCountries')).toHaveCount(0);
		await page.locator('#titleCs').fill(title);
		await fillDate(page, 'announcedOn', '2026-01-05');
		await fillDate(page, 'round1', '2026-04-10');
		await fillDate(page, 'resultsDeclaredOn', '2026-04-12');
		await page.locator('#retentionDays').fill('30');
		await page.getByRole('button', { name: 'Vytvořit volby' }).click();
		await expect(h1(page)).toHaveText(title);

		await page.goto('/urad/sprava/uchovavani');
		await expect(h1(page)).toHaveText('Uchovávání údajů voličů');
		const row = page.locator('[data-retention] tr').filter({ hasText: title });
		await expect(row).toContainText('K odstranění');
		await expectAxe(page);
		await page.getByRole('button', { name: 'Spustit nyní' }).click();
		const report = page.locator('[data-retention-report]');
		await expect(report).toContainText('Výmaz proběhl');
		await expect(report).toContainText(title);
		await expect(page.locator('[data-retention] tr').filter({ hasText: title })).toContainText('Odstraněno');
		await expectAxe(page);
		await context.close();
	});

	test('a clerk cannot reach the administration (403)', async ({ page }) => {
		await staffLogin(page, 'urednik.praha');
		const response = await page.goto('/urad/sprava');
		expect(response?.status()).toBe(403);
		await expect(page.getByRole('main')).toContainText('Do této části pracovního prostoru nemáte přístup');
		await expectAxe(page);
		for (const path of ['/urad/sprava/volby', '/urad/sprava/urady', '/urad/sprava/uzivatele', '/urad/sprava/uchovavani']) {
			expect((await page.request.get(path, { maxRedirects: 0 })).status(), path).toBe(403);
		}
		const post = await page.request.post('/urad/sprava/uchovavani', { form: {}, headers: { origin: new URL(page.url()).origin }, maxRedirects: 0 });
		expect(post.status()).toBe(403);
	});
});
