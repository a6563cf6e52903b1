/**
 * Issue 13: the envelope station at scanner speed. With JavaScript the arrivals page
 * (/urad/zastupitelsky-urad/obalky) sends each scan in the background and keeps the code field
 * focused; the live list shows every outcome in words and colour, newest on top, announced by
 * an aria-live region; refusals stay until dismissed and a mistyped code is corrected in place;
 * scans made while the server cannot be reached wait in the browser (through a reload) and are
 * sent in order, once each; a scan made before the close of voting that reaches the server
 * after it waits for the head of the embassy. Without JavaScript the form records one envelope
 * per submit, as before.
 *
 * Data: elections of this spec's own (POST /api/test/envelopes, as envelopes.spec.ts): Berlin
 * votes until Saturday 3 October 2026 14:00; a second Berlin election gives a "wrong election"
 * code, a Washington one "another embassy's".
 */
import { expect, test, type Page } from '@playwright/test';
import { staffContextAt } from './staff-support';
import { expectAxeClean } from './support';

const EMBASSY = '/urad/zastupitelsky-urad';
const ON_TIME = '2026-10-03T13:30:00.000+02:00';
const LATE = '2026-10-03T14:10:00.000+02:00';

interface Fixture {
	key: string;
	packages: { code: string }[];
}

const group = (code: string) => code.match(/.{4}/g)!.join('-');

let berlin: Fixture;
let otherElection: Fixture;
let washington: Fixture;

test.describe.configure({ mode: 'serial', timeout: 180_000 });

test.beforeAll(async ({ request }) => {
	const make = async (office: string, voters: number) => {
		const response = await request.post('/api/test/envelopes', { data: { office, voters } });
		expect(response.status()).toBe(200);
		return (await response.json()) as Fixture;
	};
	berlin = await make('zu-berlin', 30);
	otherElection = await make('zu-berlin', 2);
	washington = await make('zu-washington', 2);
});

/** A scanner: the code typed at once, then Enter, into the focused field. */
async function scannerTypes(page: Page, code: string) {
	await page.keyboard.type(code, { delay: 0 });
	await page.keyboard.press('Enter');
}

const entry = (page: Page, code: string) => page.locator(`#seznam-skenu > li[data-code="${code}"]`);

test('scanner speed: every scan answered in the live list with its outcome, the field focused and empty', async ({ browser }) => {
	const { context, page } = await staffContextAt(browser, 'urednik.berlin', `${EMBASSY}/obalky?volby=${berlin.key}`, { at: ON_TIME });
	await page.locator('[data-station]').waitFor();
	await expect(page.locator('#kod')).toBeFocused();
	// The live list is announced to screen readers.
	await expect(page.locator('[data-station] [role="status"][aria-live="polite"]')).toBeAttached();
	await page.locator('#sarze').fill('S-01');
	await page.locator('#kod').focus();

	const codes = berlin.packages.slice(2, 12).map((p) => p.code);
	const unknown = '0000-0000-0000';
	const typo = `${codes[0]!.slice(0, 11)}${codes[0]![11] === 'A' ? 'B' : 'A'}`;
	const sequence = [...codes.slice(0, 5), codes[0]!, unknown, washington.packages[0]!.code, otherElection.packages[0]!.code, typo, ...codes.slice(5)];
	for (const code of sequence) {
		await scannerTypes(page, code);
		await page.waitForTimeout(150);
	}
	await expect(page.locator('#kod')).toBeFocused();
	await expect(page.locator('#kod')).toHaveValue('');
	await expect(page.locator('[data-waiting="0"]')).toBeVisible();
	for (const code of codes) await expect(entry(page, code).first()).toHaveAttribute('data-scan', /recorded|duplicate/);
	// Newest on top: the last scan is the first line.
	await expect(page.locator('#seznam-skenu > li').first()).toHaveAttribute('data-code', codes[9]!);
	await expect(entry(page, codes[0]!)).toHaveCount(2);
	await expect(entry(page, codes[0]!).first()).toHaveAttribute('data-scan', 'duplicate');
	await expect(entry(page, codes[0]!).first()).toContainText('zaznamenal(a)');
	await expect(entry(page, unknown)).toHaveAttribute('data-scan', 'unknown');
	await expect(entry(page, washington.packages[0]!.code)).toHaveAttribute('data-scan', 'other-embassy');
	await expect(entry(page, otherElection.packages[0]!.code)).toHaveAttribute('data-scan', 'wrong-election');
	await expect(entry(page, typo)).toHaveAttribute('data-scan', 'invalid');
	await expect(page.locator('[data-kind="recorded"] [data-session]')).toHaveText('10');
	await expect(page.locator('[data-kind="recorded"] [data-today]')).not.toHaveText('0');
	await expect(page.locator('[data-kind="duplicate"] [data-session]')).toHaveText('1');
	await expectAxeClean(page);

	// A refusal stays until dismissed; a mistyped code is corrected in place.
	const mistyped = entry(page, typo);
	await mistyped.getByLabel('Opravený kód').fill(berlin.packages[12]!.code);
	await mistyped.getByRole('button', { name: 'Odeslat opravu' }).click();
	await expect(entry(page, berlin.packages[12]!.code)).toHaveAttribute('data-scan', 'recorded');
	await expect(entry(page, typo)).toHaveCount(0);
	await expect(page.locator('#kod')).toBeFocused();
	await entry(page, unknown).getByRole('button', { name: /Odebrat ze seznamu/ }).click();
	await expect(entry(page, unknown)).toHaveCount(0);
	await expect(entry(page, washington.packages[0]!.code)).toBeVisible();
	// The page's figures follow once the scanning pauses.
	await expect(page.locator('[data-count="held"]')).toHaveText('11');
	await context.close();
});

test('offline: scans wait in the browser, then are sent in order, each recorded once', async ({ browser }) => {
	const { context, page } = await staffContextAt(browser, 'urednik.berlin', `${EMBASSY}/obalky?volby=${berlin.key}`, { at: ON_TIME });
	await page.locator('[data-station]').waitFor();
	await page.locator('#kod').focus();
	await context.setOffline(true);
	const codes = berlin.packages.slice(13, 17).map((p) => p.code);
	for (const code of codes) await scannerTypes(page, code);
	await expect(page.getByText('Čeká na odeslání (4)')).toBeVisible();
	await expect(page.locator('[data-offline]')).toBeVisible();
	for (const code of codes) await expect(entry(page, code)).toHaveAttribute('data-scan', 'queued');
	await expect(page.locator('#kod')).toBeFocused();
	await context.setOffline(false);
	await expect(page.locator('[data-waiting="0"]')).toBeVisible({ timeout: 20_000 });
	for (const code of codes) await expect(entry(page, code)).toHaveAttribute('data-scan', 'recorded');
	// Sent in the order scanned: the running count goes up with the scans.
	const counts = [];
	for (const code of codes) counts.push(Number((await entry(page, code).innerText()).match(/těchto volbách: (\d+)/)![1]));
	expect(counts).toEqual([...counts].sort((a, b) => a - b));
	expect(new Set(counts).size).toBe(4);
	await context.close();
});

test('a reload keeps the queue; scanned before the close and received after it, the head decides', async ({ browser }) => {
	const { context, page } = await staffContextAt(browser, 'urednik.berlin', `${EMBASSY}/obalky?volby=${berlin.key}`, { at: ON_TIME });
	// The browser's clock: the scans are made at T, and sent 40 minutes later.
	const t = new Date('2026-12-06T10:00:00Z');
	await page.clock.setFixedTime(t);
	await page.reload();
	await page.locator('[data-station]').waitFor();
	// The server cannot be reached.
	await page.route('**/obalky/sken', (route) => route.abort('connectionfailed'));
	const codes = berlin.packages.slice(17, 19).map((p) => p.code);
	await page.locator('#kod').focus();
	for (const code of codes) await scannerTypes(page, code);
	await expect(page.getByText('Čeká na odeslání (2)')).toBeVisible();
	await page.reload();
	await page.locator('[data-station]').waitFor();
	await expect(page.getByText('Čeká na odeslání (2)')).toBeVisible();
	for (const code of codes) await expect(entry(page, code)).toHaveAttribute('data-scan', 'queued');

	// The connection comes back after the close of voting.
	await context.setExtraHTTPHeaders({ 'x-test-now': LATE });
	await page.clock.setFixedTime(new Date(t.getTime() + 40 * 60_000));
	await page.unroute('**/obalky/sken');
	await page.locator('#kod').focus();
	await expect(page.locator('[data-waiting="0"]')).toBeVisible({ timeout: 20_000 });
	for (const code of codes) await expect(entry(page, code)).toHaveAttribute('data-scan', 'received-late');
	await expect(entry(page, codes[0]!)).toContainText('rozhodne vedoucí úřadu');
	await context.close();

	const head = await staffContextAt(browser, 'vedouci.berlin', `${EMBASSY}/obalky?volby=${berlin.key}`, { at: LATE });
	const list = head.page.locator('#seznam-k-rozhodnuti');
	await expect(list).toContainText(group(codes[0]!));
	await expectAxeClean(head.page);
	await head.page.getByRole('button', { name: `Uznat jako doručenou včas (${group(codes[0]!)})` }).click();
	await expect(head.page.getByRole('status').filter({ hasText: 'uznána jako doručená včas' })).toBeVisible();
	await expect(head.page.locator('#seznam-k-rozhodnuti')).not.toContainText(group(codes[0]!));
	await expect(head.page.locator('#seznam-k-rozhodnuti')).toContainText(group(codes[1]!));
	await head.context.close();
});

test('without JavaScript each submit records one envelope, as before', async ({ browser }) => {
	const { context, page } = await staffContextAt(browser, 'urednik.berlin', `${EMBASSY}/obalky?volby=${berlin.key}`, { at: ON_TIME, javaScriptEnabled: false });
	const held = Number(await page.locator('[data-count="held"]').innerText());
	for (const [i, p] of berlin.packages.slice(19, 21).entries()) {
		await page.locator('#kod').fill(p.code);
		await page.getByRole('button', { name: 'Zaznamenat příjem' }).click();
		await expect(page.locator('#potvrzeni-skenu [data-scan]')).toHaveAttribute('data-scan', 'recorded');
		await expect(page.locator('[data-count="held"]')).toHaveText(String(held + i + 1));
	}
	await expect(page.locator('[data-station]')).toHaveCount(0);
	await context.close();
});
