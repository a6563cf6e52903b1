/**
 * The voter list import and export (issue 7): an administrator uploads a CSV file with one
 * bad line, which is refused with the line named and nothing imported; uploads it fixed,
 * and it is imported; uploads it again, and nothing changes. The export of the office's list
 * shows what is on it. Without JavaScript the import's page offers a link to look again.
 * axe on every page. Other roles get 403.
 *
 * The voters of this spec are on lists no other spec reads (Liberec, the special district of
 * the embassy in Dublin) and have names no seeded voter has.
 */
import { expect, test, type Page } from '@playwright/test';
import { staffLogin } from './staff-support';
import { expectAxeClean } from './support';

const HEADER = 'given_name,family_name,birth_date,address_line,city,postal_code,country_code,municipality_code,special_district,eid_subject';
const LIBEREC = '563889';
const DUBLIN = '12';

const GOOD = [
	`Zdeňka,Importová,1975-03-14,Moskevská 12,Liberec,460 01,CZ,${LIBEREC},,`,
	`Oldřich,Importový,1960-12-01,"Pražská 5, byt 2",Liberec,460 01,CZ,${LIBEREC},,e2e-import-eid-1`,
	`Ivo,Importovaný,1985-02-28,Husova 3,Liberec,460 01,CZ,${LIBEREC},,`
];
/** Line 3 of the file (the header is line 1): 30 February. */
const BAD = [GOOD[0]!, GOOD[1]!.replace('1960-12-01', '1960-02-30'), GOOD[2]!];

const csv = (rows: string[]) => Buffer.from(`\uFEFF${[HEADER, ...rows].join('\r\n')}\r\n`, 'utf8');

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

async function upload(page: Page, name: string, content: Buffer): Promise<void> {
	await page.goto('/urad/sprava/volici/import');
	await expect(h1(page)).toHaveText('Nahrajte soubor se seznamem voličů');
	await page.getByLabel('Nahrajte soubor se seznamem voličů').setInputFiles({ name, mimeType: 'text/csv', buffer: content });
	await page.getByRole('button', { name: 'Nahrát a zkontrolovat' }).click();
	await expect(page).toHaveURL(/\/urad\/sprava\/volici\/import\/[0-9a-f-]{36}$/);
}

async function exported(page: Page, office: string): Promise<string> {
	const response = await page.request.get(`/urad/sprava/volici/export.csv?urad=${office}`);
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
	expect(response.headers()['content-disposition']).toMatch(new RegExp(`attachment; filename="seznam-volicu-${office}-\\d{4}-\\d{2}-\\d{2}\\.csv"`));
	return (await response.body()).toString('utf8');
}

test.describe('voter list import', () => {
	test('a file with a bad line is refused whole; fixed, it is imported; again, nothing changes', async ({ page }) => {
		test.slow();
		await staffLogin(page, 'spravce');
		await page.goto('/urad/sprava/volici');
		await expect(h1(page)).toHaveText('Seznam voličů');
		await expectAxeClean(page);

		// No file chosen: the GOV.UK error pattern.
		await page.getByRole('link', { name: 'Nahrát soubor' }).click();
		await expectAxeClean(page);
		await page.getByRole('button', { name: 'Nahrát a zkontrolovat' }).click();
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.locator('.error-summary')).toBeFocused();
		await expect(page.locator('.error-summary')).toContainText('Vyberte soubor CSV se seznamem voličů');
		await expectAxeClean(page);

		// One bad line: refused, the line and the column named, nothing imported.
		await upload(page, 'liberec.csv', csv(BAD));
		await expect(h1(page)).toHaveText('Soubor nebyl nahrán', { timeout: 30_000 });
		await expect(page.getByRole('main')).toContainText('Soubor obsahuje chyby (1). Nepřidal se žádný volič.');
		const errors = page.getByRole('table', { name: 'Chybné řádky' });
		await expect(errors.getByRole('row')).toHaveCount(2);
		await expect(errors.getByRole('row').nth(1)).toContainText('3');
		await expect(errors.getByRole('row').nth(1)).toContainText('birth_date');
		await expect(errors.getByRole('row').nth(1)).toContainText('Datum narození není platné datum ve tvaru RRRR-MM-DD.');
		await expectAxeClean(page);
		expect(await exported(page, `mu-${LIBEREC}`)).not.toContain('Import');

		// Fixed: imported whole.
		await page.getByRole('link', { name: 'Nahrát opravený soubor' }).click();
		await upload(page, 'liberec-opraveny.csv', csv(GOOD));
		await expect(h1(page)).toHaveText('Seznam voličů je nahrán', { timeout: 30_000 });
		await expect(page.getByRole('status')).toContainText('Přidáno voličů: 3. Již v seznamu: 0.');
		await expect(page.getByRole('main')).toContainText('Alena Správcová');
		await expectAxeClean(page);
		const list = await exported(page, `mu-${LIBEREC}`);
		expect(list.startsWith(`\uFEFF${HEADER}\r\n`)).toBe(true);
		expect(list).toContain(`Zdeňka,Importová,1975-03-14,Moskevská 12,Liberec,460 01,CZ,${LIBEREC},,\r\n`);
		expect(list).toContain(`Oldřich,Importový,1960-12-01,"Pražská 5, byt 2",Liberec,460 01,CZ,${LIBEREC},,e2e-import-eid-1\r\n`);

		// The same file again: nothing added, nothing changed.
		await upload(page, 'liberec-opraveny.csv', csv(GOOD));
		await expect(h1(page)).toHaveText('Seznam voličů je nahrán', { timeout: 30_000 });
		await expect(page.getByRole('status')).toContainText('Přidáno voličů: 0. Již v seznamu: 3.');
		expect(await exported(page, `mu-${LIBEREC}`)).toBe(list);

		// The list of uploads shows all three.
		await page.goto('/urad/sprava/volici');
		const uploads = page.getByRole('table', { name: 'Poslední nahrané soubory' });
		await expect(uploads).toContainText('liberec.csv');
		await expect(uploads).toContainText('Odmítnuto');
		await expect(uploads).toContainText('Přidáno voličů: 3. Již v seznamu: 0.');
		await expectAxeClean(page);
	});

	test('without JavaScript the import page offers a link to look again until the import ends', async ({ browser }) => {
		test.slow();
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		try {
			await staffLogin(page, 'spravce');
			const rows = [
				`Seán,Importovaný,1991-04-02,57 Main Street,Dublin,D04,IE,,${DUBLIN},`,
				`Aoife,Importovaná,1993-08-19,3 Shop Street,Galway,H91,IE,,${DUBLIN},`
			];
			await upload(page, 'dublin.csv', csv(rows));
			await expect
				.poll(
					async () => {
						const text = (await h1(page).textContent()) ?? '';
						if (text === 'Soubor se zpracovává') await page.getByRole('link', { name: 'Zobrazit aktuální stav' }).click();
						return (await h1(page).textContent()) ?? '';
					},
					{ timeout: 30_000 }
				)
				.toBe('Seznam voličů je nahrán');
			await expect(page.getByRole('status')).toContainText('Přidáno voličů: 2. Již v seznamu: 0.');
			const list = await exported(page, 'zu-dublin');
			expect(list).toContain(`Seán,Importovaný,1991-04-02,57 Main Street,Dublin,D04,IE,,${DUBLIN},\r\n`);
		} finally {
			await context.close();
		}
	});

	test('a clerk may neither import nor export the voter list', async ({ page }) => {
		await staffLogin(page, 'urednik.brno');
		const response = await page.goto('/urad/sprava/volici/import');
		expect(response?.status()).toBe(403);
		expect((await page.request.get('/urad/sprava/volici/export.csv')).status()).toBe(403);
	});
});
