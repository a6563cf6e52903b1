/**
 * Issue 17: the Berlin commission's record of the result. The chair and a member enter it
 * independently, see where the two differ (never which is right), the member fixes theirs,
 * the chair closes and signs it with a fresh code of the authenticator app; the public feed
 * then shows the district in the statistical office's XML and in JSON; axe is clean.
 * The election is one of its own (POST /api/test/district-result), its ballot box open.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { loginClock, nextLoginInstant, readStaffState, staffLogin, totpCode, withStaffLock } from './staff-support';
import { expectAxeClean } from './support';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

async function staffPage(browser: Browser, username: string, path: string) {
	const context = await browser.newContext();
	const page = await context.newPage();
	await staffLogin(page, username, path);
	await page.goto(path);
	return { context, page };
}

/** The whole record: 6 totals, 7 lists, preferential votes of their candidates (demo lists; European Parliament: 2 allowed). */
const TOTALS = { votersOnList: '40', envelopesIssued: '30', envelopesReceived: '28', envelopesCounted: '28', validVotes: '26', invalidVotes: '2' };
const LIST_VOTES = [6, 5, 4, 4, 3, 2, 2];

async function fillRecord(page: Page, overrides: Record<string, string> = {}) {
	const values: Record<string, string> = { ...TOTALS };
	LIST_VOTES.forEach((v, i) => (values[`list-${i + 1}`] = String(v)));
	for (const input of await page.locator('input[id^="pref-"]').all()) values[(await input.getAttribute('id'))!] = '1';
	Object.assign(values, overrides);
	for (const [id, value] of Object.entries(values)) await page.locator(`#${id}`).fill(value);
	await page.getByRole('button', { name: 'Uložit můj zápis' }).click();
	await expect(page.locator('[role="status"]')).toContainText('Zápis uložen');
}

test('the Berlin chair and a member enter the result, see a difference, fix it, close it; the feed shows it', async ({ browser, request }) => {
	const setup = await request.post('/api/test/district-result');
	expect(setup.status()).toBe(200);
	const { electionId, key } = (await setup.json()) as { electionId: string; key: string };
	const path = `/urad/komise/vysledek/zapis?volby=${key}`;

	const member = await staffPage(browser, 'clen.berlin', path);
	await expect(member.page.getByRole('heading', { level: 1 })).toHaveText('Zápis o výsledku hlasování');
	await expectAxeClean(member.page);
	await fillRecord(member.page, { invalidVotes: '3', envelopesCounted: '29', envelopesReceived: '29' });

	const chair = await staffPage(browser, 'predseda.berlin', path);
	await fillRecord(chair.page);
	const differences = chair.page.locator('#rozdily [data-difference]');
	await expect(differences).toHaveCount(3);
	await expect(chair.page.locator('#rozdily')).toContainText('Neplatné nebo prázdné hlasovací lístky');
	// Never which one is right: the member's numbers are not on the chair's page.
	await expect(chair.page.locator('#rozdily')).not.toContainText('29');
	await expect(chair.page.getByRole('button', { name: 'Uzavřít a podepsat' })).toHaveCount(0);
	await expectAxeClean(chair.page);

	// The member recounts and corrects their entry; both are now identical.
	await member.page.goto(path);
	await fillRecord(member.page);
	await chair.page.goto(path);
	await expect(chair.page.locator('#shoda')).toBeVisible();

	// Signed with a fresh code of the chair's app, at an instant of its own (replay protection).
	await withStaffLock('predseda.berlin', async () => {
		const at = await nextLoginInstant();
		const state = await readStaffState('predseda.berlin');
		const undo = await loginClock(chair.page, at, /\/urad\/komise\/vysledek\/zapis/);
		try {
			await chair.page.locator('#kod').fill(totpCode(state!.secret, at));
			await chair.page.getByRole('button', { name: 'Uzavřít a podepsat' }).click();
			await expect(chair.page.locator('.panel')).toContainText('Zápis uzavřen a podepsán');
		} finally {
			await undo();
		}
	});
	await expect(chair.page.locator('#platny-vysledek [data-field="validVotes"] td')).toHaveText('26');
	await expectAxeClean(chair.page);
	await member.context.close();
	await chair.context.close();

	// The public feed (an update interval of 1 s under test).
	await expect
		.poll(async () => (await (await request.get(`/api/open-data/results/${electionId}/vysledky_zahranici.json`)).json()).sequence, { timeout: 15_000 })
		.toBe(1);
	const json = await (await request.get(`/api/open-data/results/${electionId}/vysledky_zahranici.json`)).json();
	expect(json.source).toMatch(/^Zdroj: /);
	const berlin = json.districts.find((d: { code: string }) => d.code === 'zu-berlin');
	expect(berlin.result.record).toMatchObject({ validVotes: 26, invalidVotes: 2, listVotes: { 1: 6, 2: 5 } });
	const xml = await (await request.get(`/api/open-data/results/${electionId}/vysledky_zahranici.xml`)).text();
	expect(xml).toContain('xmlns="http://www.volby.cz/ep/"');
	expect(xml).toMatch(/<STAT ZKRATKA="DE" NAZEV="[^"]+">\s*<UCAST [^>]*OKRSKY_ZPRAC="1"/);
	expect(xml).toContain('<HLASY_STRANA KSTRANA="1" HLASY="6" PROC_HLASU="23.08"/>');
	const manifest = await (await request.get(`/api/open-data/results/${electionId}/manifest.json`)).json();
	expect(manifest.sequence).toBe(1);
});
