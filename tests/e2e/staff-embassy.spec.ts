/**
 * The embassy's correspondence packages and special-district list (issue 5): a request from
 * the clerk's entry to dispatch, the batch PDF, the D−25 deadline at its exact minute, the
 * proxy's seven voters, and another embassy's ids.
 *
 * Voters: generated voters of the seeded lists (tests/e2e/decision-support.ts). Berlin's
 * BERLIN_VOTERS[1] and [2] and all of Washington's are this spec's (Lucie Marková for the
 * Chamber election only); staff-decisions.spec.ts makes a voter of its own (newListVoter). The Chamber election's D is Friday 15 January 2027 (seed dated
 * from 20 November 2026), so D−25 (§57b(1)) is Monday 21 December 2026, 16:00 Prague.
 */
import { expect, test, type Page } from '@playwright/test';
import { BERLIN_VOTERS, CHAMBER, EMBASSY, continueButton, h1, pdfText, seededVoters, type SeedVoter } from './decision-support';
import { staffLogin } from './staff-support';
import { expectAxeClean } from './support';

const PACKAGE_REFERENCE = /\bKH-[0-9A-HJKMNP-TV-Z]{8}\b/;
const PACKAGES = `${EMBASSY}/balicky`;
/** §57b(1): D−25 at 16:00 Prague. */
const DISPATCH_DEADLINE = '2026-12-21T16:00:00.000+01:00';
const JUST_BEFORE_DEADLINE = '2026-12-21T15:59:59.999+01:00';
/** Washington's seven generated voters and the test identity Lucie Marková (whose presidential requests voter-requests.spec.ts files). */
const WASHINGTON_VOTERS: SeedVoter[] = [
	...seededVoters({ embassyCode: 'washington' }),
	{ givenName: 'Lucie', familyName: 'Marková', birthDate: '1995-02-28' }
];

/**
 * Waits until a page loaded in full (goto, or a form's answer) is hydrated: Svelte's hydration
 * sets inputs to their rendered value, so text typed before it would be lost.
 */
const hydrated = (page: Page) => page.waitForLoadState('networkidle');

interface EntryOptions {
	channel: 'Osobně na úřadě' | 'Datovou schránkou' | 'Dopisem s úředně ověřeným podpisem';
	delivery: 'post' | 'in-person';
	/** For 'post': an address inside the embassy's area (§57a(4)). */
	address?: { line: string; city: string; postalCode: string; country: string };
}

/** A clerk enters a correspondence request for a voter of the special district (B's entry flow); returns its path and reference. */
async function enterCorrespondenceRequest(page: Page, voter: SeedVoter, opts: EntryOptions): Promise<{ path: string; reference: string }> {
	await page.goto(`${EMBASSY}/zadosti/nova`);
	await hydrated(page);
	await expect(h1(page)).toHaveText('Vyhledejte voliče v seznamu úřadu');
	const [year, month, day] = voter.birthDate.split('-');
	await page.getByLabel('Příjmení').fill(voter.familyName);
	await page.getByLabel('Den').fill(String(Number(day)));
	await page.getByLabel('Měsíc').fill(String(Number(month)));
	await page.getByLabel('Rok').fill(year!);
	await page.getByRole('button', { name: 'Vyhledat' }).click();
	await expect(page.getByRole('heading', { level: 2 })).toHaveText('Nalezení voliči: 1');
	await page.getByRole('button', { name: new RegExp(`^Vybrat\\s*${voter.givenName} ${voter.familyName}$`) }).click();

	await expect(h1(page)).toHaveText('O co volič žádá a jak žádost přišla');
	await hydrated(page);
	await page.getByLabel('Korespondenční hlasování').check();
	await page.getByLabel(CHAMBER, { exact: true }).check();
	await page.getByLabel(opts.channel).check();
	await page.getByLabel('Volič sám').check();
	await continueButton(page);

	await expect(h1(page)).toHaveText('Jak volič písemnosti převezme?');
	await hydrated(page);
	if (opts.delivery === 'post') {
		await page.getByLabel('Poštou na adresu v obvodu úřadu').check();
		const address = opts.address!;
		await page.getByLabel('Ulice a číslo domu').fill(address.line);
		await page.getByLabel('Obec nebo město').fill(address.city);
		await page.getByLabel('PSČ', { exact: true }).fill(address.postalCode);
		await page.getByLabel('Stát', { exact: true }).selectOption(address.country);
	} else {
		await page.getByLabel('Osobně na zastupitelském úřadě').check();
	}
	await continueButton(page);

	await expect(h1(page)).toHaveText('Zkontrolujte žádost před zapsáním');
	await page.getByRole('button', { name: 'Zapsat žádost' }).click();
	await expect(h1(page)).toHaveText(PACKAGE_REFERENCE);
	const reference = ((await h1(page).textContent()) ?? '').match(PACKAGE_REFERENCE)![0];
	return { path: new URL(page.url()).pathname, reference };
}

/** The clerk accepts a request on its detail page (services/decisions.ts). */
async function accept(page: Page, path: string): Promise<void> {
	await page.goto(path);
	await page.getByRole('button', { name: 'Vyhovět žádosti' }).click();
	await expect(page.getByRole('status')).toContainText('Žádosti bylo vyhověno');
}

/** Issues the packages of the chosen requests on the election's packages page; returns the batch page's path. */
async function issueSelected(page: Page, references: string[]): Promise<string> {
	await page.goto(PACKAGES);
	await page.getByRole('link', { name: CHAMBER, exact: true }).click();
	await expect(h1(page)).toHaveText(CHAMBER);
	for (const reference of references) await page.getByLabel(`Vybrat žádost ${reference}`).check();
	await page.getByRole('button', { name: 'Vydat písemnosti k vybraným žádostem' }).click();
	await expect(h1(page)).toHaveText('Dávka písemností');
	return new URL(page.url()).pathname;
}

/** The package detail page of a voter, found in the list of packages waiting for dispatch. */
async function openPackage(page: Page, voter: SeedVoter): Promise<string> {
	await page.goto(PACKAGES);
	await page.getByRole('link', { name: CHAMBER, exact: true }).click();
	await page.getByRole('link', { name: 'Seznam vydaných písemností' }).click();
	await expect(h1(page)).toHaveText('Vydané písemnosti');
	const row = page.getByRole('row').filter({ hasText: `${voter.givenName} ${voter.familyName}` });
	await row.getByRole('link').click();
	await expect(h1(page)).toHaveText(/^Písemnosti č\. \d+$/);
	return new URL(page.url()).pathname;
}

test.describe('correspondence packages (§57b)', () => {
	test('from the clerk’s entry to dispatch by post: accepted, issued in a batch PDF, sent on D−25 at 15:59:59.999, refused at 16:00', async ({
		page,
		browser
	}) => {
		// Many pages, each with its own full load: generous under a loaded machine, never a timing assertion.
		test.setTimeout(240_000);
		const sent = BERLIN_VOTERS[1]!;
		const late = BERLIN_VOTERS[2]!;
		const address = { line: 'Torstraße 1', city: 'Berlin', postalCode: '10119', country: 'DE' };
		await staffLogin(page, 'urednik.berlin');
		const first = await enterCorrespondenceRequest(page, sent, { channel: 'Datovou schránkou', delivery: 'post', address });
		const second = await enterCorrespondenceRequest(page, late, { channel: 'Dopisem s úředně ověřeným podpisem', delivery: 'post', address });
		await accept(page, first.path);
		await accept(page, second.path);

		// The packages page of the election: the requests wait for their packages; the deadline is named.
		await page.goto(PACKAGES);
		await expectAxeClean(page);
		await page.getByRole('link', { name: CHAMBER, exact: true }).click();
		const main = page.getByRole('main');
		await expect(main).toContainText('Písemnosti je třeba odeslat nejpozději 21. 12. 2026 v 16:00 pražského času (§ 57b odst. 1).');
		await expect(page.getByRole('row').filter({ hasText: first.reference })).toContainText(`${sent.givenName} ${sent.familyName}`);
		await expectAxeClean(page);

		// Nothing chosen: an error summary that takes focus, and "Chyba: " in the title.
		await page.getByRole('button', { name: 'Vydat písemnosti k vybraným žádostem' }).click();
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.locator('.error-summary')).toBeFocused();
		await expect(page.locator('.error-summary')).toContainText('Vyberte alespoň jednu žádost');
		await expectAxeClean(page);

		const batch = await issueSelected(page, [first.reference, second.reference]);
		await expect(page.getByRole('status')).toContainText('Písemnosti jsou vydány. Počet balíčků: 2');
		await expect(main).toContainText('PDF je připraveno.');
		await expectAxeClean(page);
		const pdfHref = (await page.getByRole('link', { name: /Stáhnout PDF/ }).getAttribute('href'))!;
		const pdf = await page.request.get(pdfHref);
		expect(pdf.headers()['content-type']).toBe('application/pdf');
		const text = await pdfText(await pdf.body());
		expect(text).toContain('Identifikační lístek');
		expect(text).toContain(`${sent.givenName} ${sent.familyName}`);
		expect(text).toContain(`${late.givenName} ${late.familyName}`);
		expect(text).toContain('Prohlašuji, že jsem hlasoval(a) osobně.');
		expect(text).toContain('Velvyslanectví České republiky v Berlíně');
		expect(text).toMatch(/Kód obálky: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
		expect(text).toContain('https://www.volby.cz');

		// The same requests cannot be issued twice: they are gone from the list of those waiting.
		await page.goto(PACKAGES);
		await page.getByRole('link', { name: CHAMBER, exact: true }).click();
		await expect(page.getByRole('row').filter({ hasText: first.reference })).toHaveCount(0);
		await expect(page.getByRole('link', { name: /^Dávka z / }).first()).toBeVisible();

		const sentPath = await openPackage(page, sent);
		await expect(main).toContainText(first.reference);
		await expect(main).toContainText('Čeká na odeslání nebo předání');
		await expectAxeClean(page);
		const latePath = await openPackage(page, late);

		// D−25 itself: every request of this context now stands at the instant of x-test-now
		// (the staff session, opened at staffLogin's later instant, is valid then).
		const clerk = page;
		const atInstant = (instant: string) => page.context().setExtraHTTPHeaders({ 'x-test-now': instant });
		await atInstant(JUST_BEFORE_DEADLINE);
		await clerk.goto(`${latePath}/odeslani`);
		await expect(h1(clerk)).toHaveText('Zaznamenat odeslání písemností poštou');
		await expect(clerk.getByRole('main')).toContainText('Lhůta pro odeslání písemností se blíží');
		await expectAxeClean(clerk);
		await atInstant(DISPATCH_DEADLINE);
		await clerk.getByRole('button', { name: 'Zaznamenat odeslání' }).click();
		await expect(clerk).toHaveTitle(/^Chyba: /);
		await expect(clerk.locator('.error-summary')).toBeFocused();
		await expect(clerk.locator('.error-summary')).toContainText(
			'Lhůta pro odeslání nebo předání písemností uplynula 21. 12. 2026 v 16:00 pražského času (§ 57b odst. 1). Zmeškanou lhůtu nelze prominout (§ 78 odst. 3).'
		);
		await expectAxeClean(clerk);
		// After the deadline the detail page says so and offers no dispatch.
		await clerk.goto(latePath);
		await expect(clerk.getByRole('main')).toContainText('uplynula 21. 12. 2026 v 16:00');
		await expect(clerk.getByRole('link', { name: 'Zaznamenat odeslání poštou' })).toHaveCount(0);

		await atInstant(JUST_BEFORE_DEADLINE);
		await clerk.goto(`${sentPath}/odeslani`);
		await clerk.getByRole('button', { name: 'Zaznamenat odeslání' }).click();
		await expect(clerk.getByRole('status')).toContainText('Zaznamenáno.');
		await expect(clerk.getByRole('main')).toContainText('Odesláno poštou 21. 12. 2026 v 15:59');
		await expectAxeClean(clerk);
		// Recorded once: the page no longer offers it (a colleague's second attempt is told it already left).
		await clerk.goto(`${sentPath}/odeslani`);
		await expect(clerk.getByRole('button', { name: 'Zaznamenat odeslání' })).toHaveCount(0);
		await page.context().setExtraHTTPHeaders({});

		// The request is complete on its detail page (B's), and another embassy finds nothing.
		await page.goto(first.path);
		await expect(page.getByRole('main').locator('.tag')).toHaveText('Vyřízeno');
		const washington = await browser.newContext();
		const other = await washington.newPage();
		await staffLogin(other, 'urednik.washington');
		expect((await other.goto(sentPath))?.status()).toBe(404);
		expect((await other.goto(batch))?.status()).toBe(404);
		expect((await other.request.get(pdfHref)).status()).toBe(404);
		expect((await other.request.get(`${sentPath}/pdf`)).status()).toBe(404);
		await washington.close();
	});

	test('§57b(1): a proxy collects for seven voters; the eighth is refused naming the limit', async ({ page }) => {
		// Many pages, each with its own full load: generous under a loaded machine, never a timing assertion.
		test.setTimeout(240_000);
		expect(WASHINGTON_VOTERS).toHaveLength(8);
		const voters = WASHINGTON_VOTERS;
		await staffLogin(page, 'urednik.washington');
		const requests: { path: string; reference: string }[] = [];
		for (const voter of voters) requests.push(await enterCorrespondenceRequest(page, voter, { channel: 'Osobně na úřadě', delivery: 'in-person' }));
		for (const request of requests) await accept(page, request.path);
		await issueSelected(page, requests.map((r) => r.reference));

		const handToProxy = async (voter: SeedVoter) => {
			const path = await openPackage(page, voter);
			await page.getByRole('link', { name: 'Zaznamenat předání' }).click();
			await expect(h1(page)).toHaveText('Komu písemnosti předáváte?');
			await page.getByLabel('Zmocněnci s plnou mocí s úředně ověřeným podpisem').check();
			await continueButton(page);
			await expect(h1(page)).toHaveText('Údaje zmocněnce');
			await hydrated(page);
			await page.getByLabel('Jméno a příjmení zmocněnce').fill('Jan Zmocněnec');
			await page.getByLabel('Datum narození zmocněnce').fill('1. 5. 1970');
			await page.getByRole('button', { name: 'Zaznamenat předání' }).click();
			return path;
		};
		for (const voter of voters.slice(0, 7)) {
			await handToProxy(voter);
			await expect(page.getByRole('status')).toContainText('Předáno zmocněnci Jan Zmocněnec');
		}
		await expectAxeClean(page);

		await handToProxy(voters[7]!);
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.locator('.error-summary')).toBeFocused();
		await expect(page.locator('.error-summary')).toContainText(
			'Zmocněnec už převzal písemnosti za 7 voličů; za dalšího voliče je převzít nesmí (§ 57b odst. 1).'
		);
		await expectAxeClean(page);

		// The eighth voter may still collect in person.
		await page.getByRole('link', { name: 'Zpět' }).click();
		await page.getByLabel('Voliči osobně').check();
		await continueButton(page);
		await expect(page.getByRole('status')).toContainText('Předáno voliči');
	});
});

test.describe('the special district’s list (§56(4))', () => {
	test('lists and searches the embassy’s voters; a removal on the voter’s request is recorded', async ({ page, browser }) => {
		// Many pages, each with its own full load: generous under a loaded machine, never a timing assertion.
		test.setTimeout(240_000);
		await staffLogin(page, 'urednik.berlin');
		await page.goto(`${EMBASSY}/registrace`);
		await expect(h1(page)).toHaveText(/^Zvláštní volební okrsek č\. \d+$/);
		await expectAxeClean(page);
		await hydrated(page);
		await page.getByLabel('Hledat voliče').fill('Král 5. 11. 1978');
		await page.getByRole('button', { name: 'Hledat' }).click();
		await expect(page.getByRole('main')).toContainText('Nalezeno voličů: 1');
		await page.getByRole('link', { name: 'Král Tomáš' }).click();
		await expect(h1(page)).toHaveText('Tomáš Král');
		await expect(page.getByRole('main')).toContainText('Kastanienallee 12');
		await expectAxeClean(page);

		// The removal: one question, an error when unanswered, then the voter leaves the list.
		const voter = BERLIN_VOTERS[2]!;
		await page.goto(`${EMBASSY}/registrace?hledat=${encodeURIComponent(`${voter.familyName} ${voter.birthDate}`)}`);
		await page.getByRole('link', { name: `${voter.familyName} ${voter.givenName}` }).click();
		await page.getByRole('link', { name: 'Vyřadit ze zvláštního volebního okrsku' }).click();
		await expect(h1(page)).toHaveText('Jak volič o vyřazení požádal?');
		await page.getByRole('button', { name: 'Vyřadit ze seznamu' }).click();
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.locator('.error-summary')).toContainText('Vyberte, jak volič o vyřazení požádal');
		await expectAxeClean(page);
		const removalPath = new URL(page.url()).pathname;
		await page.getByLabel('Dopisem s úředně ověřeným podpisem').check();
		await page.getByRole('button', { name: 'Vyřadit ze seznamu' }).click();
		await expect(page.getByRole('status')).toContainText('Volič byl vyřazen ze zvláštního volebního okrsku.');
		await hydrated(page);
		await page.getByLabel('Hledat voliče').fill(`${voter.familyName} ${voter.birthDate}`);
		await page.getByRole('button', { name: 'Hledat' }).click();
		await expect(page.getByRole('main')).toContainText('Nalezeno voličů: 0');
		expect((await page.goto(removalPath))?.status()).toBe(404);

		// Another embassy does not see Berlin's voters.
		const washington = await browser.newContext();
		const other = await washington.newPage();
		await staffLogin(other, 'urednik.washington');
		await other.goto(`${EMBASSY}/registrace?hledat=Král`);
		await expect(other.getByRole('main')).toContainText('Nalezeno voličů: 0');
		await washington.close();
	});
});
