/**
 * The dashboard (issue 7, /urad/prehled): a municipal clerk enters a request and sees it on
 * the day it was filed, in the table alternative of the "per day" chart; an administrator
 * sees every office and may narrow the view to one; an embassy's head sees their own office;
 * another office is a 404 and a role without a dashboard a 403. axe on each view.
 *
 * The request is filed at an instant of its own (x-test-now: Wednesday 25 November 2026, a
 * day no other spec files on) for a seeded voter of Brno's list that no other spec uses.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { CHAMBER, enterVoterCardRequest, MUNICIPAL, seededVoters } from './decision-support';
import { staffLogin } from './staff-support';
import { expectAxeClean } from './support';

const DAY = '2026-11-25T10:00:00.000+01:00';
const DAY_LABEL = '25. 11. 2026';
const VOTER = seededVoters({ municipalityCode: '582786' })[5]!;

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

/** Opens a chart's table alternative and returns it. */
async function chartTable(page: Page, chartId: string): Promise<Locator> {
	const figure = page.locator(`figure#${chartId}`);
	await figure.locator('summary').click();
	return figure.getByRole('table');
}

/** The voter card column of the "per day" table on one day. */
async function voterCardsOn(page: Page, dayLabel: string): Promise<number> {
	const table = await chartTable(page, 'graf-podle-dne');
	const header = (await table.getByRole('columnheader').allTextContents()).map((t) => t.trim());
	const column = header.indexOf('Voličský průkaz');
	expect(column).toBeGreaterThan(0);
	const row = table.getByRole('row', { name: new RegExp(`^${dayLabel.replace(/\./g, '\\.')}`) });
	const cells = (await row.locator('th, td').allTextContents()).map((t) => t.trim());
	return Number(cells[column]);
}

test.describe('dashboard', () => {
	test("a municipal clerk sees a request entered today on today's row of the chart's table", async ({ browser }) => {
		test.slow();
		const context = await browser.newContext({ extraHTTPHeaders: { 'x-test-now': DAY } });
		const page = await context.newPage();
		try {
			await staffLogin(page, 'urednik.brno');
			await page.goto('/urad/prehled');
			await expect(h1(page)).toHaveText('Přehled');
			await expect(page.getByRole('main')).toContainText('Magistrát města Brna · Volby do Poslanecké sněmovny 2027');
			// A municipal office's dashboard: voter cards only, no per-office chart, no correspondence.
			await expect(page.locator('figure#graf-podle-uradu')).toHaveCount(0);
			await expect(page.locator('figure#graf-korespondence')).toHaveCount(0);
			const before = await voterCardsOn(page, DAY_LABEL);
			await expectAxeClean(page);

			await enterVoterCardRequest(page, VOTER, { base: MUNICIPAL, election: CHAMBER, delivery: 'in-person' });

			await page.goto('/urad/prehled');
			expect(await voterCardsOn(page, DAY_LABEL)).toBe(before + 1);
			// The deadlines are named in the table and under the chart (§57(3): D−10 and D−2 of 15 January 2027).
			const perDay = page.locator('figure#graf-podle-dne');
			await expect(perDay.getByRole('row', { name: /^5\. 1\. 2027/ })).toContainText('Voličský průkaz poštou: poslední den žádosti (§ 57 odst. 3)');
			await expect(perDay.getByRole('list').last()).toContainText('Voličský průkaz k vyzvednutí: poslední den žádosti (§ 57 odst. 3) – 13. 1. 2027 16:00');
			await expect(perDay.getByRole('img')).toHaveAttribute('aria-label', /^Spojnicový graf: počet žádostí podaných/);
			const byState = await chartTable(page, 'graf-podle-stavu');
			await expect(byState.getByRole('row', { name: /^Přijata/ })).toBeVisible();
			await expectAxeClean(page);
		} finally {
			await context.close();
		}
	});

	test('an administrator sees every office, the top offices and the correspondence funnel, and may pick one office', async ({ page }) => {
		test.slow();
		await staffLogin(page, 'spravce');
		await page.goto('/urad/prehled');
		await expect(page.getByRole('main')).toContainText('Všechny úřady · Volby do Poslanecké sněmovny 2027');
		const offices = await chartTable(page, 'graf-podle-uradu');
		await expect(offices.getByRole('columnheader', { name: 'Úřad' })).toBeVisible();
		const funnel = await chartTable(page, 'graf-korespondence');
		for (const step of ['Žádosti o korespondenční hlasování', 'Písemnosti odeslané nebo předané', 'Doručovací obálky přijaté úřadem', 'Obálky vhozené do schránky (započtené)']) {
			await expect(funnel.getByRole('row', { name: new RegExp(`^${step.replace(/[()]/g, '\\$&')}`) })).toBeVisible();
		}
		await expectAxeClean(page);

		await page.getByLabel('Úřad', { exact: true }).selectOption('mu-582786');
		await page.getByRole('button', { name: 'Zobrazit' }).click();
		await expect(page).toHaveURL(/[?&]urad=mu-582786/);
		await expect(page.getByRole('main')).toContainText('Magistrát města Brna · Volby do Poslanecké sněmovny 2027');
		await expect(page.locator('figure#graf-podle-uradu')).toHaveCount(0);
		await expectAxeClean(page);

		await page.getByLabel('Volby', { exact: true }).selectOption({ label: 'Volba prezidenta republiky 2027' });
		await page.getByRole('button', { name: 'Zobrazit' }).click();
		await expect(page.getByRole('main')).toContainText('Magistrát města Brna · Volba prezidenta republiky 2027');
		// Two rounds: each deadline says its round.
		await expect(page.locator('figure#graf-podle-dne').getByRole('list').last()).toContainText('2. kolo: První den hlasování');
	});

	test("an embassy's head sees their own office only; another office is a 404, another role a 403", async ({ page, browser }) => {
		await staffLogin(page, 'vedouci.berlin');
		await page.goto('/urad/prehled');
		await expect(page.getByRole('main')).toContainText('Velvyslanectví České republiky v Berlíně · Volby do Poslanecké sněmovny 2027');
		await expect(page.getByLabel('Úřad', { exact: true })).toHaveCount(0);
		await expect(page.locator('figure#graf-korespondence')).toHaveCount(1);
		await expectAxeClean(page);
		expect((await page.goto('/urad/prehled?urad=zu-berlin'))?.status()).toBe(200);
		expect((await page.goto('/urad/prehled?urad=zu-washington'))?.status()).toBe(404);
		expect((await page.goto('/urad/prehled?urad=zu-atlantida'))?.status()).toBe(404);

		const brno = await browser.newContext();
		const brnoPage = await brno.newPage();
		try {
			await staffLogin(brnoPage, 'urednik.brno');
			expect((await brnoPage.goto('/urad/prehled?urad=mu-554782'))?.status()).toBe(404);
			expect((await brnoPage.goto('/urad/prehled?urad=mu-582786'))?.status()).toBe(200);
		} finally {
			await brno.close();
		}

		const clerk = await browser.newContext();
		const clerkPage = await clerk.newPage();
		try {
			await staffLogin(clerkPage, 'urednik.berlin');
			expect((await clerkPage.goto('/urad/prehled'))?.status()).toBe(403);
		} finally {
			await clerk.close();
		}
	});
});
