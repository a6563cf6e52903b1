/**
 * Return envelopes and the special commission, end to end (issue 6): the embassy's scanning
 * station (§57c(3)) with an unknown code, a duplicate, an undo and a late arrival (§57c(5));
 * the hand-over record confirmed by the head of the embassy and by the commission's chair
 * (§57c(4)); the commission recording every outcome — accepted and set aside on grounds a–e
 * (§57d(2)) — with the ballot box refused until the last envelope is done (§57d(6)); the
 * result, protocol and CSV; the reconciliation; the voter's own timeline; and who may enter.
 *
 * Data: an election of this spec's own (POST /api/test/envelopes, APP_ENV=test only): a
 * European Parliament election with D = Friday 2 October 2026, before the demo data's
 * FIXED_NOW, so that its envelopes meet no other spec's. Berlin votes Friday 14–22 and
 * Saturday 08–14 local time (§2(3)): voting closes Saturday 3 October 2026 at 14:00 (Berlin
 * and Prague alike). Five new voters on Berlin's list get packages — the first has a voter
 * card (§57d(2)(d)), the second already voted in person (§57d(2)(e)) — and so does the test
 * identity Tomáš Král, who then sees the outcome on his request page.
 *
 * Each step stands at its own instant with `x-test-now` on its browser context; staffLogin
 * logs in at a later instant (staff-support.ts), so the session is valid at all of them.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { h1, pdfText } from './decision-support';
import { staffContextAt } from './staff-support';
import { expectAxeClean, loginAs } from './support';

const EMBASSY = '/urad/zastupitelsky-urad';
const COMMISSION = '/urad/komise';
/** Half an hour before the close of voting in Berlin's special district. */
const ON_TIME = '2026-10-03T13:30:00.000+02:00';
const CLOSE = '2026-10-03T14:00:00.000+02:00';
/** A minute after the close: a late arrival (§57c(5)). */
const LATE = '2026-10-03T14:01:00.000+02:00';
const HANDOVER = '2026-10-03T14:10:00.000+02:00';
const COMMISSION_AT = '2026-10-03T14:30:00.000+02:00';

interface Fixture {
	electionId: string;
	key: string;
	titleCs: string;
	votingClosesAt: string;
	packages: { code: string; reference: string }[];
	identities: { 'tomas-kral': { code: string; reference: string } };
}

const group = (code: string) => code.match(/.{4}/g)!.join('-');

let fx: Fixture;
/** The envelopes by role in this story. */
let E: { cardD: string; votedE: string; groundA: string; groundB: string; groundC: string; late: string; accepted: string };

/** A browser context of `username` standing at `at` (staff-support.ts staffContextAt). */
function staffPage(browser: Browser, username: string, at: string, path: string, opts: { javaScriptEnabled?: boolean } = {}) {
	return staffContextAt(browser, username, path, { at, ...opts });
}

async function scan(page: Page, code: string) {
	await page.locator('#kod').fill(code);
	await page.locator('#kod').press('Enter');
}

/**
 * The acknowledgement of the scan just made: its kind (colour and icon) and words. With
 * JavaScript the newest line of the station's live list (issue 13); without, the page's answer.
 */
async function expectAck(page: Page, kind: string, text: string | RegExp) {
	const ack = page.locator('#seznam-skenu > li').first().or(page.locator('#potvrzeni-skenu [data-scan]'));
	await expect(ack).toHaveAttribute('data-scan', kind);
	await expect(ack).toContainText(text);
}

const newestScan = (page: Page) => page.locator('#seznam-skenu > li').first();

// One story in order; several staff logins per test.
test.describe.configure({ mode: 'serial', timeout: 180_000 });

test.beforeAll(async ({ request }) => {
	const response = await request.post('/api/test/envelopes', { data: { office: 'zu-berlin', voters: 6, identities: ['tomas-kral'] } });
	expect(response.status()).toBe(200);
	fx = (await response.json()) as Fixture;
	expect(fx.votingClosesAt).toBe(new Date(CLOSE).toISOString().replace('.000', ''));
	const [cardD, votedE, groundA, groundB, groundC, late] = fx.packages.map((p) => p.code);
	E = { cardD: cardD!, votedE: votedE!, groundA: groundA!, groundB: groundB!, groundC: groundC!, late: late!, accepted: fx.identities['tomas-kral'].code };
});

test.describe('the embassy receives the return envelopes (§57c)', () => {
	test('a scanning station: each scan acknowledged at once, unknown and duplicate codes apart, an undo, a late arrival kept apart', async ({ browser }) => {
		const { context, page } = await staffPage(browser, 'urednik.berlin', ON_TIME, `${EMBASSY}/obalky?volby=${fx.key}`);
		await expect(h1(page)).toHaveText('Příjem doručovacích obálek');
		await expect(page.getByLabel('Volby')).toHaveValue(fx.key);
		await expect(page.getByRole('main')).toContainText('Hlasování ve zvláštním volebním okrsku končí 3. 10. 2026 v 14:00 (Praha)');
		// The code field has the focus from the start: a USB scanner types the code and Enter.
		await expect(page.locator('#kod')).toBeFocused();
		// With JavaScript the page is the scanning station (issue 13, tests/e2e/scan-station.spec.ts).
		await page.locator('[data-station]').waitFor();
		await expectAxeClean(page);

		await page.locator('#sarze').fill('A-01');
		await scan(page, E.cardD);
		await expectAck(page, 'recorded', `Přijata: ${group(E.cardD)} · J. N.`);
		await expect(newestScan(page)).toContainText('Přijatých obálek v těchto volbách: 1');
		await expect(newestScan(page)).toContainText('Přijata 3. 10. 2026 v 13:30 (Praha) · dávka A-01');
		await expect(page.locator('#kod')).toBeFocused();
		await expect(page.locator('#kod')).toHaveValue('');
		// The storage batch is entered once and stays.
		await expect(page.locator('#sarze')).toHaveValue('A-01');

		// Typed by hand in the printed form, lower case: the same code.
		await scan(page, group(E.votedE).toLowerCase());
		await expectAck(page, 'recorded', `Přijata: ${group(E.votedE)} · J. N.`);
		await expect(newestScan(page)).toContainText('Přijatých obálek v těchto volbách: 2');

		await scan(page, E.groundA);
		await expectAck(page, 'recorded', group(E.groundA));
		// The same envelope again: nothing new is recorded.
		await scan(page, E.groundA);
		await expectAck(page, 'duplicate', `Již přijata dříve: ${group(E.groundA)} · J. N.`);
		await expect(newestScan(page)).toContainText('Tato obálka byla přijata již 3. 10. 2026 v 13:30 (Praha)');
		// A well-formed code that no package of this embassy carries.
		await scan(page, '0000-0000-0000');
		await expectAck(page, 'unknown', 'Neznámý kód: 0000-0000-0000');
		await expectAxeClean(page);

		await scan(page, E.groundB);
		await expectAck(page, 'recorded', group(E.groundB));
		await page.locator('#sarze').fill('A-02');
		await scan(page, E.groundC);
		await expectAck(page, 'recorded', `${group(E.groundC)} · J. N.`);
		await scan(page, E.accepted);
		await expectAck(page, 'recorded', `Přijata: ${group(E.accepted)} · T. K.`);
		await expect(newestScan(page)).toContainText('Přijatých obálek v těchto volbách: 6');

		// The undo acts on the last acknowledged scan, and the envelope can be scanned again.
		await page.getByRole('button', { name: `Vrátit poslední příjem (${group(E.accepted)})` }).click();
		await expectAck(page, 'undone', `Příjem vrácen: ${group(E.accepted)}`);
		await expect(page.locator('[data-count="held"]')).toHaveText('5');
		await expect(page.locator('#kod')).toBeFocused();
		await scan(page, E.accepted);
		await expectAck(page, 'recorded', group(E.accepted));
		await expect(page.locator('[data-count="held"]')).toHaveText('6');
		await expect(page.getByRole('table', { name: 'Uložené obálky podle dávek' })).toContainText('A-01');
		await expect(page.getByRole('table', { name: 'Uložené obálky podle dávek' })).toContainText('A-02');

		// A mistyped code is refused before any look-up; the field keeps the focus.
		await scan(page, 'ABC');
		await expectAck(page, 'invalid', 'Kód obálky má 12 znaků');
		await expect(page.locator('#kod')).toBeFocused();
		await expectAxeClean(page);

		// After the close of voting: recorded as late, to be kept apart and never counted (§57c(5)).
		await context.setExtraHTTPHeaders({ 'x-test-now': LATE });
		await scan(page, E.late);
		await expectAck(page, 'late', `Opožděná: ${group(E.late)} · J. N.`);
		await expect(newestScan(page)).toContainText('nezapočítá se (§ 57c odst. 5)');
		await expect(page.locator('[data-count="late"]')).toHaveText('1');
		await expect(page.locator('[data-count="held"]')).toHaveText('6');
		await expect(page.locator('#seznam-opozdenych')).toContainText(group(E.late));
		await expect(page.locator('#seznam-opozdenych')).toContainText('3. 10. 2026 v 14:01 (Praha)');
		await expectAxeClean(page);
		await context.close();
	});

	test('without JavaScript a scan is a plain form post that answers with the acknowledgement and a fresh focused field', async ({ browser }) => {
		const { context, page } = await staffPage(browser, 'urednik.berlin', LATE, `${EMBASSY}/obalky?volby=${fx.key}`, { javaScriptEnabled: false });
		await page.locator('#sarze').fill('B-01');
		await page.locator('#kod').fill(E.cardD);
		await page.getByRole('button', { name: 'Zaznamenat příjem' }).click();
		await expectAck(page, 'duplicate', `Již přijata dříve: ${group(E.cardD)}`);
		await expect(page.locator('#kod')).toHaveValue('');
		await expect(page.locator('#kod')).toHaveAttribute('autofocus', '');
		await expect(page.locator('#sarze')).toHaveValue('B-01');
		await page.locator('#kod').fill('0000-0000-0000');
		await page.getByRole('button', { name: 'Zaznamenat příjem' }).click();
		await expectAck(page, 'unknown', 'Neznámý kód: 0000-0000-0000');
		// axe needs JavaScript in the page (it hangs in a context without it); the same page
		// with the same acknowledgements passed axe in the test above.
		await context.close();
	});
});

test.describe('the hand-over to the commission (§57c(4))', () => {
	test('a record of the envelopes received on time, confirmed by the head of the embassy and the commission’s chair, as a PDF', async ({ browser }) => {
		const head = await staffPage(browser, 'vedouci.berlin', HANDOVER, `${EMBASSY}/predani?volby=${fx.key}`);
		let page = head.page;
		await expect(h1(page)).toHaveText('Předání obálek komisi');
		await expect(page.locator('[data-count="held"]')).toHaveText('6');
		await expectAxeClean(page);
		await page.getByRole('button', { name: 'Vytvořit záznam o předání (6)' }).click();
		await expect(page.getByRole('status')).toContainText('Záznam o předání vytvořen: obálek 6');
		await expect(h1(page)).toHaveText('Záznam o předání obálek komisi');
		const recordPath = new URL(page.url()).pathname;
		const handoverId = recordPath.split('/').pop()!;
		// The late envelope stays apart (§57c(5)).
		await expect(page.getByRole('main')).not.toContainText(group(E.late));
		for (const code of [E.cardD, E.votedE, E.groundA, E.groundB, E.groundC, E.accepted]) await expect(page.getByRole('main')).toContainText(group(code));
		await expectAxeClean(page);
		await page.getByRole('button', { name: 'Potvrdit předání jako vedoucí úřadu' }).click();
		await expect(page.getByRole('status')).toContainText('Záznam o předání potvrzen');
		await expect(page.locator('[data-confirmation="head"]')).toContainText('Eva Velvyslankyně, 3. 10. 2026 v 14:10 (Praha)');
		await expect(page.locator('[data-confirmation="chair"]')).toHaveText('Dosud nepotvrzeno');
		await expect(page.getByRole('button', { name: /Potvrdit/ })).toHaveCount(0);
		let pdf = await pdfText(await (await page.request.get(`${recordPath}/zaznam.pdf`)).body());
		expect(pdf).toContain('Záznam o předání doručovacích obálek zvláštní okrskové volební komisi');
		expect(pdf).toContain('Počet předávaných obálek 6');
		expect(pdf).toContain('Potvrdil(a) Eva Velvyslankyně dne 3. 10. 2026 14:10 (Praha).');
		expect(pdf).toContain('Dosud nepotvrzeno.');
		expect(pdf).toContain(`1. ${group(E.cardD)}`);
		await head.context.close();

		// The commission cannot open anything before its chair confirms (§57c(4)).
		const member = await staffPage(browser, 'clen.berlin', HANDOVER, `${COMMISSION}?volby=${fx.key}`);
		await expect(member.page.getByRole('main')).toContainText('Obálek přijatých včas, které komise dosud nepřevzala na potvrzeném záznamu: 6');
		await member.context.close();

		const chair = await staffPage(browser, 'predseda.berlin', '2026-10-03T14:15:00.000+02:00', `${COMMISSION}?volby=${fx.key}`);
		page = chair.page;
		await page.getByRole('link', { name: /Záznam z 3\. 10\. 2026 v 14:10 \(Praha\): obálek 6/ }).click();
		await expect(page).toHaveURL(new RegExp(`${COMMISSION}/predani/${handoverId}$`));
		await expectAxeClean(page);
		await page.getByRole('button', { name: 'Potvrdit převzetí jako předseda(kyně) komise' }).click();
		await expect(page.locator('[data-confirmation="chair"]')).toContainText('Marie Předsedová, 3. 10. 2026 v 14:15 (Praha)');
		pdf = await pdfText(await (await page.request.get(`${COMMISSION}/predani/${handoverId}/zaznam.pdf`)).body());
		expect(pdf).toContain('Potvrdil(a) Eva Velvyslankyně dne 3. 10. 2026 14:10 (Praha).');
		expect(pdf).toContain('Potvrdil(a) Marie Předsedová dne 3. 10. 2026 14:15 (Praha).');
		expect(pdf).not.toContain('Dosud nepotvrzeno.');
		await chair.context.close();
	});
});

test.describe('the special commission (§57d)', () => {
	async function open(page: Page, code: string, how: 'scan' | 'list') {
		await page.goto(`${COMMISSION}?volby=${fx.key}`);
		if (how === 'scan') {
			await page.getByLabel('Kód obálky').fill(code);
			await page.getByRole('button', { name: 'Otevřít obálku' }).click();
		} else {
			await page.getByRole('link', { name: group(code) }).click();
		}
		await expect(h1(page)).toHaveText(`Obálka ${group(code)}`);
	}

	async function record(page: Page, choice: RegExp | string, code: string, done: string) {
		await page.getByLabel(choice).check();
		await page.getByRole('button', { name: 'Zaznamenat' }).click();
		await expect(page.getByRole('status')).toContainText(`Zaznamenáno: obálka ${group(code)} ${done}`);
	}

	test('every outcome — accepted and set aside on grounds a to e — and the ballot box refused until the last envelope is done', async ({ browser }) => {
		const member = await staffPage(browser, 'clen.berlin', COMMISSION_AT, `${COMMISSION}?volby=${fx.key}`);
		const page = member.page;
		await expect(h1(page)).toHaveText('Otevírání doručovacích obálek');
		await expect(page.locator('[data-progress]')).toHaveText('Zpracováno 0 z 6, zbývá 6');
		await expectAxeClean(page);

		// An empty code and a late envelope are refused with the reason.
		await page.getByRole('button', { name: 'Otevřít obálku' }).click();
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.locator('.error-summary')).toContainText('Naskenujte nebo opište kód obálky');
		await page.getByLabel('Kód obálky').fill(E.late);
		await page.getByRole('button', { name: 'Otevřít obálku' }).click();
		await expect(page.locator('.error-summary')).toContainText('doručena po skončení hlasování: zůstává neotevřená a nezapočítá se (§ 57c odst. 5)');
		await expectAxeClean(page);

		// (d): the portal knows of a voter card; the member sees it before looking inside.
		await open(page, E.cardD, 'scan');
		await expect(page.locator('[data-hint="voter-card-issued"]')).toContainText('Voliči byl pro toto kolo vydán voličský průkaz');
		await expect(page.getByRole('main')).toContainText(/Jana\d+ Nováková\d+/);
		await expectAxeClean(page);
		await page.getByRole('button', { name: 'Zaznamenat' }).click();
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.locator('.error-summary')).toContainText('Vyberte, zda obálku přijímáte, nebo z jakého důvodu ji vyřazujete');
		await expectAxeClean(page);
		await record(page, /písm\. d\)/, E.cardD, 'vyřazena podle písm. d)');

		// (e): the list already records that the voter voted in person: accepting is not offered.
		await open(page, E.votedE, 'list');
		await expect(page.locator('[data-hint="already-voted-in-person"]')).toBeVisible();
		await expect(page.getByLabel('V pořádku – přijmout')).toHaveCount(0);
		await record(page, /písm\. e\)/, E.votedE, 'vyřazena podle písm. e)');

		await open(page, E.groundA, 'list');
		await record(page, /písm\. a\)/, E.groundA, 'vyřazena podle písm. a)');
		await open(page, E.groundB, 'scan');
		await record(page, /písm\. b\)/, E.groundB, 'vyřazena podle písm. b)');
		await expect(page.locator('[data-progress]')).toHaveText('Zpracováno 4 z 6, zbývá 2');

		// §57d(6): the chair cannot open the ballot box while envelopes remain.
		const chair = await staffPage(browser, 'predseda.berlin', COMMISSION_AT, `${COMMISSION}/schranka?volby=${fx.key}`);
		await expect(h1(chair.page)).toHaveText('Otevření volební schránky');
		await expect(chair.page.locator('[data-count="remaining"]')).toHaveText('2');
		await expectAxeClean(chair.page);
		await chair.page.getByRole('button', { name: 'Otevřít volební schránku' }).click();
		await expect(chair.page).toHaveTitle(/^Chyba: /);
		await expect(chair.page.locator('.error-summary')).toContainText(
			'Volební schránku nelze otevřít: nezpracovaných obálek 2, obálek dosud nepřevzatých komisí 0 (§ 57d odst. 6)'
		);
		await expectAxeClean(chair.page);

		// A member does not open the ballot box.
		await page.goto(`${COMMISSION}/schranka?volby=${fx.key}`);
		await expect(page.getByRole('button', { name: 'Otevřít volební schránku' })).toHaveCount(0);
		await expect(page.getByRole('main')).toContainText('Volební schránku otevírá předseda(kyně) komise.');

		await open(page, E.groundC, 'scan');
		await record(page, /písm\. c\)/, E.groundC, 'vyřazena podle písm. c)');
		await chair.page.getByRole('button', { name: 'Otevřít volební schránku' }).click();
		await expect(chair.page.locator('.error-summary')).toContainText('nezpracovaných obálek 1');

		await open(page, E.accepted, 'list');
		await expect(page.locator('[data-hint]')).toHaveCount(0);
		await expect(page.getByRole('main')).toContainText('Tomáš Král');
		await record(page, 'V pořádku – přijmout', E.accepted, 'přijata');
		await expect(page.locator('[data-progress]')).toHaveText('Zpracováno 6 z 6, zbývá 0');
		await expect(page.locator(`tr[data-envelope="${E.accepted}"]`)).toContainText('Přijata');
		await expect(page.locator(`tr[data-envelope="${E.cardD}"]`)).toContainText('Vyřazena – písm. d)');

		// Now the ballot box opens; the outcomes are final.
		await chair.page.getByRole('button', { name: 'Otevřít volební schránku' }).click();
		await expect(h1(chair.page)).toHaveText('Výsledek zpracování obálek');
		await expect(chair.page.getByRole('status')).toContainText('Volební schránka otevřena');
		await expect(chair.page.getByRole('main')).toContainText('Konečný');
		const row = (name: string) => chair.page.locator(`tr[data-row="${name}"] td.num`);
		await expect(row('handed-over')).toHaveText('6');
		await expect(row('accepted')).toHaveText('1');
		await expect(row('set-aside')).toHaveText('5');
		for (const g of ['a', 'b', 'c', 'd', 'e']) await expect(row(`ground-${g}`)).toHaveText('1');
		await expect(row('unprocessed')).toHaveText('0');
		await expect(row('late')).toHaveText('1');
		await expectAxeClean(chair.page);

		const csv = await chair.page.request.get(`${COMMISSION}/vysledek/vysledek.csv?volby=${fx.key}`);
		expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
		const lines = (await csv.text()).split('\r\n');
		expect(lines).toContain('accepted,,§57d(3),Úřední obálka vložena do volební schránky,Official envelope put in the ballot box,1');
		expect(lines).toContain('set-aside,b,§57d(2)(b),Identifikační lístek není podepsán.,The ID slip is not signed.,1');
		expect(lines).toContain('set-aside,,§57d(2),Vyřazeno celkem,Set aside in total,5');
		const protocol = await pdfText(await (await chair.page.request.get(`${COMMISSION}/vysledek/protokol.pdf?volby=${fx.key}`)).body());
		expect(protocol).toContain('Protokol zvláštní okrskové volební komise o zpracování doručovacích obálek');
		expect(protocol).toContain('Velvyslanectví České republiky v Berlíně');
		expect(protocol).toContain(fx.titleCs);
		expect(protocol).toContain('Volební schránka otevřena 3. října 2026 v 14:30');
		expect(protocol).toContain('Přijaté – úřední obálka vložena do volební schránky (§ 57d odst. 3) 1');
		expect(protocol).toContain('Vyřazené celkem (§ 57d odst. 2) 5');
		expect(protocol).toContain('Karel Komisař člen(ka) komise · zaznamenaných obálek: 6');
		expect(protocol).toContain('Marie Předsedová – předseda(kyně) komise');
		expect(protocol).not.toContain('PŘEDBĚŽNÝ');

		// Frozen (§57d(6)): an envelope's page shows its outcome and no form.
		await page.goto(`${COMMISSION}?volby=${fx.key}`);
		await expect(page.getByRole('main')).toContainText('Volební schránka byla otevřena: výsledky jsou konečné');
		await expect(page.getByLabel('Kód obálky')).toHaveCount(0);
		await page.getByRole('link', { name: group(E.groundB) }).click();
		await expect(page.getByRole('status')).toContainText('Výsledek zaznamenán: obálka vyřazena podle písm. b) – Identifikační lístek není podepsán.');
		await expect(page.getByRole('button', { name: 'Zaznamenat' })).toHaveCount(0);
		await expectAxeClean(page);
		await chair.context.close();
		await member.context.close();
	});

	test('the voter sees on the request page that the envelope was counted', async ({ page }) => {
		const reference = fx.identities['tomas-kral'].reference;
		await loginAs(page, 'tomas-kral', `/zadosti/${reference}`);
		await expect(page.getByRole('main')).toContainText('Doručovací obálka dorazila na zastupitelský úřad');
		await expect(page.getByRole('main')).toContainText('Obálka byla zpracována a váš hlas vložen do volební schránky (§57d(3))');
		await expectAxeClean(page);
	});

	test('the reconciliation adds up, each identity with ✓', async ({ browser }) => {
		const { context, page } = await staffPage(browser, 'urednik.berlin', COMMISSION_AT, `${EMBASSY}/kontrola?volby=${fx.key}`);
		await expect(h1(page)).toHaveText('Kontrola součtů');
		await expect(page.locator('[data-balanced]')).toHaveAttribute('data-balanced', 'true');
		const figure = (term: string) => page.locator(`tr[data-term="${term}"] td`);
		await expect(figure('packagesIssued')).toHaveText('7');
		await expect(figure('receivedOnTime')).toHaveText('6');
		await expect(figure('receivedLate')).toHaveText('1');
		await expect(figure('packagesWithoutEnvelope')).toHaveText('0');
		await expect(figure('handedOver')).toHaveText('6');
		await expect(figure('accepted')).toHaveText('1');
		await expect(figure('setAside.e')).toHaveText('1');
		await expect(page.locator('tr[data-identity]')).toHaveCount(7);
		await expect(page.locator('tr[data-identity] .tag--green')).toHaveCount(7);
		await expect(page.locator('tr[data-identity="handed-over-dealt-with"]')).toContainText('6 = 1 + 5 + 0');
		await expectAxeClean(page);
		await context.close();
	});
});

test.describe('who may enter (§57c, §57d)', () => {
	test('a clerk records no outcome, a member does not work at the scanning station, another embassy sees nothing', async ({ browser }) => {
		const contexts: BrowserContext[] = [];
		const as = async (username: string, path: string) => {
			const s = await staffPage(browser, username, COMMISSION_AT, path);
			contexts.push(s.context);
			return s.page;
		};
		// The commission's pages admit its members only (403 by the route group).
		const clerk = await as('urednik.berlin', `${EMBASSY}/obalky?volby=${fx.key}`);
		expect((await clerk.goto(`${COMMISSION}?volby=${fx.key}`))?.status()).toBe(403);
		const post = await clerk.request.post(`${COMMISSION}?volby=${fx.key}&/najit`, {
			form: { kod: E.groundA },
			headers: { origin: new URL(clerk.url()).origin },
			maxRedirects: 0
		});
		expect(post.status()).toBe(403);
		const member = await as('clen.berlin', `${COMMISSION}?volby=${fx.key}`);
		expect((await member.goto(`${EMBASSY}/obalky?volby=${fx.key}`))?.status()).toBe(403);
		// Washington's station says a Berlin envelope is another embassy's, and nothing more about it (issue 13).
		const washington = await as('urednik.washington', `${EMBASSY}/obalky`);
		await washington.goto(`${EMBASSY}/obalky`);
		await expect(washington.locator('#potvrzeni-skenu')).toBeAttached();
		await washington.locator('[data-station]').waitFor();
		await washington.locator('#kod').fill(E.groundA);
		await washington.locator('#kod').press('Enter');
		await expectAck(washington, 'other-embassy', `Obálka jiného úřadu: ${group(E.groundA)}`);
		await expect(washington.locator('#seznam-skenu')).not.toContainText('J. N.');
		const predani = await member.request.get(`${EMBASSY}/predani`);
		expect(predani.status()).toBe(403);
		const handovers = await clerk.goto(`${EMBASSY}/predani?volby=${fx.key}`);
		expect(handovers?.status()).toBe(200);
		const recordHref = await clerk.getByRole('link', { name: /Záznam z 3\. 10\. 2026/ }).getAttribute('href');
		expect((await washington.goto(recordHref!))?.status()).toBe(404);
		expect((await washington.goto(`${recordHref}/zaznam.pdf`))?.status()).toBe(404);
		for (const c of contexts) await c.close();
	});
});
