/**
 * Helpers shared by the end-to-end specs: logging in through the development eID as one of
 * the seeded test identities (src/lib/server/db/seed-data/test-identities.ts), and axe.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import type { AxeResults } from 'axe-core';

import { EID_ORIGIN, PORTAL_ORIGIN } from '../support/ports';

export { EID_ORIGIN, PORTAL_ORIGIN };

/**
 * Logs in as a test identity (e.g. 'petr-svoboda') with substantial assurance (§23(5)) and
 * comes back to `returnTo` (default: the voter's record). Works with JavaScript on or off.
 */
export async function loginAs(page: Page, accountId: string, returnTo = '/muj-zaznam'): Promise<void> {
	await page.goto(`/prihlaseni?zpet=${encodeURIComponent(returnTo)}`);
	await expect(page).toHaveURL(new RegExp(`^${EID_ORIGIN}/interaction/`));
	await page.locator(`#identita-${accountId}`).check();
	await page.locator('#uroven-substantial').check();
	await page.getByRole('button', { name: 'Přihlásit se' }).click();
	await expect(page).toHaveURL(new RegExp(`^${PORTAL_ORIGIN}${returnTo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
}

/** axe-core finds nothing at WCAG 2.1 A and AA on the page as it stands. */
export async function expectAxeClean(page: Page): Promise<void> {
	const axe = await analyzeAxe(page);
	expect(axe.violations, axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n')).toEqual([]);
}

/**
 * axe-core at WCAG 2.1 A and AA on the page once it has loaded. A click that submits a form
 * returns before the next page arrives; when that navigation destroys the page axe is reading,
 * it reads the new page (it failed CI once so).
 */
export async function analyzeAxe(page: Page): Promise<AxeResults> {
	for (let attempt = 1; ; attempt++) {
		await page.waitForLoadState();
		try {
			return await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
		} catch (error) {
			if (attempt >= 5 || !/Execution context was destroyed|navigat/i.test(String(error))) throw error;
		}
	}
}
