/**
 * Who may enter which part of the staff workspace (issue 5), end to end: every route group ×
 * every role (the access table of src/lib/server/auth/access.ts, applied by hooks.server.ts),
 * the staff login for anyone without a staff session, the second factor for a session that
 * still owes it, and the request queue of one office never showing another office's requests.
 *
 * Voters used: slot 6 of Prague's list and slot 0 of Brno's (decision-support.ts seededVoters;
 * slots 0–5 of Prague's belong to staff-municipal.spec.ts and staff-decisions.spec.ts).
 */
import { expect, test, type Page } from '@playwright/test';
import { CHAMBER, enterVoterCardRequest, hydrated, MUNICIPAL, PRAGUE_VOTERS, seededVoters } from './decision-support';
import { expectAxe, loginClock, nextLoginInstant, passwordStep, staffLogin, withStaffLock } from './staff-support';

const GROUPS = {
	municipal: '/urad/obecni-urad/zadosti',
	embassy: '/urad/zastupitelsky-urad/zadosti',
	commission: '/urad/komise',
	administration: '/urad/sprava',
	dashboard: '/urad/prehled'
} as const;
type Group = keyof typeof GROUPS;

/** One demo user per role (seed.ts DEMO_STAFF) and the groups that role may enter. */
const ROLES: { username: string; role: string; admitted: Group[]; office: string }[] = [
	{ username: 'urednik.brno', role: 'municipal-clerk', admitted: ['municipal', 'dashboard'], office: 'Magistrát města Brna' },
	{ username: 'urednik.washington', role: 'embassy-clerk', admitted: ['embassy'], office: 'Velvyslanectví České republiky ve Washingtonu' },
	{ username: 'vedouci.berlin', role: 'embassy-head', admitted: ['embassy', 'dashboard'], office: 'Velvyslanectví České republiky v Berlíně' },
	{ username: 'clen.berlin', role: 'commission-member', admitted: ['commission'], office: 'Velvyslanectví České republiky v Berlíně' },
	{ username: 'predseda.berlin', role: 'commission-chair', admitted: ['commission'], office: 'Velvyslanectví České republiky v Berlíně' },
	{ username: 'spravce', role: 'administrator', admitted: ['administration', 'dashboard'], office: 'všechny úřady' }
];

// Several logins per test, each through argon2 and the pages (the first of a user also through the enrolment and axe).
test.describe.configure({ timeout: 90_000 });

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

test.describe('without a staff session', () => {
	test('every staff page sends to the staff login, and back afterwards', async ({ page, baseURL }) => {
		for (const path of ['/urad', '/urad/heslo', ...Object.values(GROUPS), `${GROUPS.municipal}?stav=prijata`]) {
			const response = await page.request.get(path, { maxRedirects: 0 });
			expect(response.status(), path).toBe(303);
			expect(response.headers().location, path).toBe(`/urad/prihlaseni?zpet=${encodeURIComponent(path)}`);
		}
		// A form posted without a session is sent the same way.
		const post = await page.request.post(GROUPS.municipal, { form: {}, headers: { origin: new URL(baseURL!).origin, accept: 'text/html' }, maxRedirects: 0 });
		expect(post.status()).toBe(303);
		expect(post.headers().location).toBe(`/urad/prihlaseni?zpet=${encodeURIComponent(GROUPS.municipal)}`);
	});

	test('after the password alone, staff pages ask for the second factor first', async ({ page }) => {
		// The first login of a run sets the app up; then a login that stops after the password.
		await staffLogin(page, 'urednik.brno');
		await page.context().clearCookies();
		await withStaffLock('urednik.brno', async () => {
			const undo = await loginClock(page, await nextLoginInstant());
			expect(await passwordStep(page, 'urednik.brno')).toBe('code');
			await undo();
		});
		const response = await page.request.get(GROUPS.municipal, { maxRedirects: 0 });
		expect(response.status()).toBe(303);
		expect(response.headers().location).toBe(`/urad/prihlaseni/overeni?zpet=${encodeURIComponent(GROUPS.municipal)}`);
	});
});

test.describe('each role', () => {
	for (const { username, role, admitted, office } of ROLES) {
		test(`${role} (${username}) enters ${admitted.join(', ')} and nothing else`, async ({ page }) => {
			await staffLogin(page, username);
			for (const group of Object.keys(GROUPS) as Group[]) {
				const path = GROUPS[group];
				const response = await page.request.get(path, { maxRedirects: 0 });
				if (admitted.includes(group)) {
					expect(response.status(), `${username} ${path}`).toBe(200);
				} else {
					expect(response.status(), `${username} ${path}`).toBe(403);
				}
			}
			// The pages every staff member shares.
			expect((await page.request.get('/urad/heslo', { maxRedirects: 0 })).status()).toBe(200);
			const home = await page.request.get('/urad', { maxRedirects: 0 });
			expect(home.status()).toBe(303);
			expect(home.headers().location).toBe(GROUPS[admitted[0]!]);

			// The staff shell says who is logged in and in which office, and has the one logout
			// button: the portal's header shows neither inside it, nor the staff login link.
			await page.goto(GROUPS[admitted[0]!]);
			await expect(page.locator('.staff-bar')).toContainText(office);
			await expect(page.getByRole('button', { name: 'Odhlásit se' })).toHaveCount(1);
			await expect(page.locator('.staff-bar').getByRole('button', { name: 'Odhlásit se' })).toHaveCount(1);
			await expect(page.getByRole('link', { name: 'Přihlášení pro úřady' })).toHaveCount(0);
			// Outside it, the header leads back to the workspace and logs the staff session out.
			await page.goto('/volby');
			await expect(page.getByRole('banner').getByRole('button', { name: 'Odhlásit se' })).toHaveCount(1);
			await expect(page.getByRole('banner').locator('form')).toHaveAttribute('action', '/urad/odhlaseni');
			await hydrated(page);
			await page.getByRole('banner').getByRole('link', { name: 'Pracovní prostor úřadu' }).click();
			await expect(page).toHaveURL(new RegExp(`${GROUPS[admitted[0]!]}$`));
			await expect(page.locator('.staff-bar')).toContainText(office);
			await expect(page.getByRole('button', { name: 'Odhlásit se' })).toHaveCount(1);

			// A page of another group: the 403 page in the staff shell, and a form post refused too.
			const other = (Object.keys(GROUPS) as Group[]).find((g) => !admitted.includes(g))!;
			const forbidden = await page.goto(GROUPS[other]);
			expect(forbidden?.status()).toBe(403);
			await expect(page.getByRole('main')).toContainText('Do této části pracovního prostoru nemáte přístup');
			await expect(page.locator('.staff-bar')).toBeVisible();
			await expectAxe(page);
			for (const accept of ['text/html', 'application/json']) {
				const post = await page.request.post(GROUPS[other], { form: {}, headers: { origin: new URL(page.url()).origin, accept }, maxRedirects: 0 });
				expect(post.status(), accept).toBe(403);
			}
		});
	}
});

test.describe('the request queue', () => {
	test("one office's queue never shows another office's requests", async ({ browser }) => {
		// Each context stands at its own fixed instant, whatever other specs do to the clock.
		const prague = await browser.newContext({ extraHTTPHeaders: { 'x-test-now': '2026-11-20T10:00:00.000+01:00' } });
		const praguePage = await prague.newPage();
		await staffLogin(praguePage, 'urednik.praha');
		const pragueVoter = PRAGUE_VOTERS[6]!;
		const ours = await enterVoterCardRequest(praguePage, pragueVoter, { base: MUNICIPAL, election: CHAMBER, delivery: 'in-person' });

		const brno = await browser.newContext({ extraHTTPHeaders: { 'x-test-now': '2026-11-20T10:00:00.000+01:00' } });
		const brnoPage = await brno.newPage();
		await staffLogin(brnoPage, 'urednik.brno');
		const brnoVoter = seededVoters({ municipalityCode: '582786' })[0]!;
		const theirs = await enterVoterCardRequest(brnoPage, brnoVoter, { base: MUNICIPAL, election: CHAMBER, delivery: 'in-person' });

		// Prague's queue: its own request, found by name and by date of birth; none of Brno's.
		await praguePage.goto(GROUPS.municipal);
		await expect(h1(praguePage)).toHaveText('Žádosti');
		await expect(praguePage.locator('#volby option:checked')).toHaveText(/^Volby do Poslanecké sněmovny 2027/);
		await expect(praguePage.getByRole('link', { name: ours.reference })).toBeVisible();
		await expect(praguePage.getByRole('main')).not.toContainText(theirs.reference);
		await expectAxe(praguePage);

		await praguePage.locator('#hledat').fill(pragueVoter.familyName);
		await praguePage.getByRole('button', { name: 'Zobrazit' }).click();
		await expect(praguePage).toHaveURL(/hledat=/);
		const row = praguePage.getByRole('row').filter({ hasText: ours.reference });
		await expect(row).toContainText(`${pragueVoter.familyName} ${pragueVoter.givenName}`);
		await expect(row).toContainText('Přijata');
		// §77: received 20 Nov, decided by the end of 23 Nov.
		await expect(row).toContainText('23. 11. 2026');
		await expectAxe(praguePage);

		const [y, mo, d] = pragueVoter.birthDate.split('-');
		await praguePage.goto(`${GROUPS.municipal}?hledat=${encodeURIComponent(`${Number(d)}. ${Number(mo)}. ${y}`)}`);
		await expect(praguePage.getByRole('link', { name: ours.reference })).toBeVisible();

		await praguePage.goto(`${GROUPS.municipal}?hledat=${encodeURIComponent(brnoVoter.familyName)}`);
		await expect(praguePage.getByRole('main')).not.toContainText(theirs.reference);
		await praguePage.goto(`${GROUPS.municipal}?hledat=${encodeURIComponent(theirs.reference)}`);
		await expect(praguePage.getByRole('status')).toContainText(`Žádost s číslem ${theirs.reference} tento úřad nevede.`);

		// A reference of its own opens the request.
		await praguePage.goto(`${GROUPS.municipal}?hledat=${encodeURIComponent(ours.reference.toLowerCase())}`);
		await expect(praguePage).toHaveURL(new RegExp(`${ours.path}$`));

		// Brno's queue: the other way round.
		await brnoPage.goto(`${GROUPS.municipal}?hledat=${encodeURIComponent(brnoVoter.familyName)}`);
		await expect(brnoPage.getByRole('link', { name: theirs.reference })).toBeVisible();
		await brnoPage.goto(GROUPS.municipal);
		await expect(brnoPage.getByRole('main')).not.toContainText(ours.reference);
		await brnoPage.goto(`${GROUPS.municipal}?hledat=${encodeURIComponent(ours.reference)}`);
		await expect(brnoPage.getByRole('status')).toContainText(`Žádost s číslem ${ours.reference} tento úřad nevede.`);

		// The §77 deadline: red on its last day (issue 15), and when it has passed.
		const byName = `${GROUPS.municipal}?hledat=${encodeURIComponent(pragueVoter.familyName)}&stav=prijata`;
		await prague.setExtraHTTPHeaders({ 'x-test-now': '2026-11-23T01:00:00.000+01:00' });
		await praguePage.goto(byName);
		await expect(praguePage.getByRole('row').filter({ hasText: ours.reference })).toContainText('Poslední den (§ 77)');
		await prague.setExtraHTTPHeaders({ 'x-test-now': '2026-11-24T00:00:00.000+01:00' });
		await praguePage.goto(byName);
		await expect(praguePage.getByRole('row').filter({ hasText: ours.reference })).toContainText('Po lhůtě');
		await expectAxe(praguePage);

		await prague.close();
		await brno.close();
	});
});
