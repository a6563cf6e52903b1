/**
 * Helpers of the staff specs of issue 5 (staff-municipal.spec.ts, staff-decisions.spec.ts):
 * the seeded voters each test may use, and a clerk entering a request at the counter.
 */
import { expect, request as playwrightRequest, type Page } from '@playwright/test';
import { PDFParse } from 'pdf-parse';
import { generateVoters } from '../../src/lib/server/db/seed-data/generate-voters';
import { expectAxeClean } from './support';

export const CHAMBER = 'Volby do Poslanecké sněmovny 2027';
export const PRESIDENT = 'Volba prezidenta republiky 2027';
export const MUNICIPAL = '/urad/obecni-urad';
export const EMBASSY = '/urad/zastupitelsky-urad';
export const CARD_REFERENCE = /\bVP-[0-9A-HJKMNP-TV-Z]{8}\b/;

export interface SeedVoter {
	givenName: string;
	familyName: string;
	birthDate: string;
}

/**
 * Generated voters (SEED_VOTERS=300, seed 1, tests/support/e2e-server.ts) of one list whose
 * surname and date of birth no one else on that list shares, last first: the specs of issue 5
 * take them from the end so that other specs, which take the first ones, never meet them.
 */
export function seededVoters(list: { municipalityCode: string } | { embassyCode: string }): SeedVoter[] {
	const all = [...generateVoters(300, { seed: 1, startIndex: 0 })].filter((v) =>
		'municipalityCode' in list
			? v.list.kind === 'municipal' && v.list.municipalityCode === list.municipalityCode
			: v.list.kind === 'embassy' && v.list.embassyCode === list.embassyCode
	);
	const key = (v: SeedVoter) => `${v.familyName.toLowerCase()}|${v.birthDate}`;
	const counts = new Map<string, number>();
	for (const v of all) counts.set(key(v), (counts.get(key(v)) ?? 0) + 1);
	return all.filter((v) => counts.get(key(v)) === 1).reverse();
}

/** Prague's list (Petr Úředník, urednik.praha): slots 0–2 staff-municipal.spec.ts, 3–5 staff-decisions.spec.ts, 6 staff-access.spec.ts. */
export const PRAGUE_VOTERS = seededVoters({ municipalityCode: '554782' });
/** Berlin's special district (urednik.berlin): staff-embassy.spec.ts's. */
export const BERLIN_VOTERS = seededVoters({ embassyCode: 'berlin' });

/**
 * A new voter on an office's list (`/api/test/session`, APP_ENV=test), whom no other test and
 * no earlier run of the same test touches: for a test that issues a voter card, which a voter
 * gets once per election and round (§57(1)), and still passes under `--repeat-each`. The
 * session it opens stays in a request context of its own, apart from the clerk's browser.
 */
export async function newListVoter(baseURL: string | undefined, office: string): Promise<SeedVoter> {
	const api = await playwrightRequest.newContext({ baseURL });
	try {
		const response = await api.post('/api/test/session', { data: { voter: { office } } });
		expect(response.status()).toBe(200);
		const voter = (await response.json()) as Partial<SeedVoter>;
		expect(voter).toMatchObject({ givenName: expect.any(String), familyName: expect.any(String), birthDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
		return { givenName: voter.givenName!, familyName: voter.familyName!, birthDate: voter.birthDate! };
	} finally {
		await api.dispose();
	}
}

export async function pdfText(body: Buffer): Promise<string> {
	const parser = new PDFParse({ data: new Uint8Array(body) });
	try {
		return (await parser.getText()).text.replace(/\s+/g, ' ');
	} finally {
		await parser.destroy();
	}
}

export const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

/**
 * Waits until a page loaded in full (goto, or a form's answer) is hydrated: a field filled or a
 * radio checked before Svelte's hydration can be reset by it.
 */
export const hydrated = (page: Page) => page.waitForLoadState('networkidle');

/** The request's state, as the tag under the page's heading shows it. */
export const stateTag = (page: Page) => page.getByRole('main').locator('.tag').first();

export async function continueButton(page: Page) {
	await page.getByRole('button', { name: 'Pokračovat' }).click();
}

export interface EntryOptions {
	/** The route group: MUNICIPAL or EMBASSY. */
	base: string;
	election: string;
	/** A two-round election: '1. kolo', '2. kolo' or 'Obě kola'. */
	round?: string;
	/** The radio label of the channel. */
	channel?: 'Osobně na úřadě' | 'Datovou schránkou' | 'Dopisem s úředně ověřeným podpisem';
	delivery: 'in-person' | 'post';
	/** Check every page with axe, and the empty-form errors on the first two. */
	axe?: boolean;
	/** The filing deadline the check page must name. */
	deadline?: string;
}

/** A clerk enters a voter card request at the counter for a voter on the office's list; returns the request's path and reference. */
export async function enterVoterCardRequest(page: Page, voter: SeedVoter, opts: EntryOptions): Promise<{ path: string; reference: string }> {
	const axe = async () => {
		if (opts.axe) await expectAxeClean(page);
	};
	await page.goto(`${opts.base}/zadosti/nova`);
	await expect(h1(page)).toHaveText('Vyhledejte voliče v seznamu úřadu');
	await hydrated(page);
	await axe();
	if (opts.axe) {
		await page.getByRole('button', { name: 'Vyhledat' }).click();
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.locator('.error-summary')).toBeFocused();
		await expect(page.locator('.error-summary')).toContainText('Zadejte příjmení voliče');
		await expect(page.locator('.error-summary')).toContainText('Zadejte datum narození ve tvaru den, měsíc a rok');
		await hydrated(page);
		await axe();
	}
	const [year, month, day] = voter.birthDate.split('-');
	// Any case: the list is searched ignoring case.
	await page.getByLabel('Příjmení').fill(voter.familyName.toUpperCase());
	await page.getByLabel('Den').fill(String(Number(day)));
	await page.getByLabel('Měsíc').fill(String(Number(month)));
	await page.getByLabel('Rok').fill(year!);
	await page.getByRole('button', { name: 'Vyhledat' }).click();
	await expect(page.getByRole('heading', { level: 2 })).toHaveText('Nalezení voliči: 1');
	await hydrated(page);
	await axe();
	await page.getByRole('button', { name: `Vybrat ${voter.givenName} ${voter.familyName}` }).click();

	await expect(h1(page)).toHaveText('O co volič žádá a jak žádost přišla');
	await expect(page.getByRole('main')).toContainText(`Žádost za voliče: ${voter.givenName} ${voter.familyName}`);
	await hydrated(page);
	await axe();
	if (opts.axe) {
		await continueButton(page);
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.locator('.error-summary')).toContainText('Vyberte volby');
		await expect(page.locator('.error-summary')).toContainText('Vyberte, jak žádost na úřad přišla');
		await hydrated(page);
		await axe();
	}
	if (opts.base === EMBASSY) await page.getByLabel('Voličský průkaz').check();
	await page.getByLabel(opts.election, { exact: true }).check();
	if (opts.round) await page.getByLabel(opts.round).check();
	await page.getByLabel(opts.channel ?? 'Osobně na úřadě').check();
	await page.getByLabel('Volič sám').check();
	await continueButton(page);

	await expect(h1(page)).toHaveText('Jak volič voličský průkaz převezme?');
	await hydrated(page);
	await axe();
	if (opts.delivery === 'post') {
		await page.getByLabel('Doporučeně poštou').check();
		await page.getByLabel('Ulice a číslo domu').fill('Dlouhá 5');
		await page.getByLabel('Obec nebo město').fill('Olomouc');
		await page.getByLabel('PSČ', { exact: true }).fill('779 00');
		await page.getByLabel('Stát', { exact: true }).selectOption('CZ');
	} else {
		await page.getByRole('radio', { name: 'Osobně na úřadě' }).check();
	}
	await continueButton(page);

	await expect(h1(page)).toHaveText('Zkontrolujte žádost před zapsáním');
	await hydrated(page);
	if (opts.deadline) await expect(page.getByRole('main')).toContainText(opts.deadline);
	await axe();
	await page.getByRole('button', { name: 'Zapsat žádost' }).click();

	await expect(h1(page)).toHaveText(CARD_REFERENCE);
	await expect(page.getByRole('status')).toContainText('je zapsána');
	await hydrated(page);
	const reference = ((await h1(page).textContent()) ?? '').match(CARD_REFERENCE)![0];
	return { path: new URL(page.url()).pathname, reference };
}
