/**
 * A request to correct the voter list, end to end (issue 15, §23(5), §77(1), §80(1), §81(1)):
 * the voter asks for a correction of the address abroad from "my record"; it lands in the
 * embassy's queue with the §77 countdown; the clerk refuses it with a reason; the voter sees
 * the refusal, the court (the Municipal Court in Prague for an embassy) and the last day to
 * turn to it, and saves the request's calendar. axe on every new page.
 *
 * The e2e clock is Fri 20 Nov 2026 09:00 Prague: the court deadline is Tue 24 Nov 2026.
 * The voter is the Berlin test identity no other spec uses.
 */
import { expect, test } from '@playwright/test';
import { h1, hydrated, pdfText, stateTag } from './decision-support';
import { staffLogin } from './staff-support';
import { expectAxeClean, loginAs } from './support';

const EMBASSY = '/urad/zastupitelsky-urad';

test('a voter asks for a correction, the embassy refuses it, the voter sees the court deadline and saves the .ics', async ({ page, browser }) => {
	test.slow();
	await loginAs(page, 'zkouska-berlin');
	await expect(page.locator('a[href="/muj-zaznam/oprava/adresa"]')).toContainText('Požádat o opravu');
	await page.locator('a[href="/muj-zaznam/oprava/adresa"]').click();
	await expect(h1(page)).toHaveText('Požádat o opravu adresy');
	await expect(page.getByRole('main')).toContainText('Seznam voličů nyní uvádí:');
	await hydrated(page);
	await expectAxeClean(page);

	// Nothing said about what is wrong: the error summary, and what was typed is kept.
	await page.getByLabel('Obec nebo město').fill('Berlin-Mitte');
	await page.getByRole('button', { name: 'Odeslat žádost o opravu' }).click();
	await expect(page).toHaveTitle(/^Chyba: /);
	await expect(page.locator('.error-summary')).toContainText('Napište, co je v údaji špatně');
	await expect(page.getByLabel('Obec nebo město')).toHaveValue('Berlin-Mitte');
	await hydrated(page);
	await expectAxeClean(page);
	await page.getByLabel('Co je v údaji špatně?').fill('Bydlím v Berlíně-Mitte, ne v jiné čtvrti.');
	await page.getByRole('button', { name: 'Odeslat žádost o opravu' }).click();

	await expect(page).toHaveURL(/\/zadosti\/OS-[0-9A-Z]{8}\?podano$/);
	const reference = /\/zadosti\/(OS-[0-9A-Z]{8})/.exec(page.url())![1]!;
	await expect(page.getByRole('status')).toContainText('Žádost o opravu jsme přijali');
	await expect(stateTag(page)).toHaveText('Podána, čeká na úřad');
	await expect(page.getByRole('main')).toContainText('Co bude dál');
	await expect(page.getByRole('main')).toContainText('nejpozději pondělí 23. listopadu 2026');
	await expect(page.getByRole('main')).toContainText('Berlin-Mitte');
	await expectAxeClean(page);

	// The embassy's queue lists it among the corrections, with the §77 countdown.
	const clerk = await browser.newContext();
	const staff = await clerk.newPage();
	await staffLogin(staff, 'urednik.berlin');
	await staff.goto(`${EMBASSY}/zadosti?volby=opravy`);
	const row = staff.getByRole('row', { name: new RegExp(reference) });
	await expect(row).toContainText('Oprava údajů v seznamu voličů');
	await expect(row).toContainText('Zbývá 3 d.');
	await expectAxeClean(staff);
	await row.getByRole('link', { name: reference }).click();
	await expect(h1(staff)).toHaveText(`Žádost ${reference}`);
	await expect(staff.getByRole('main')).toContainText('Bydlím v Berlíně-Mitte');
	await expect(staff.getByLabel('Obec nebo město')).toHaveValue('Berlin-Mitte');
	await expectAxeClean(staff);

	await staff.getByRole('link', { name: 'Zamítnout žádost' }).click();
	await hydrated(staff);
	await staff.getByLabel('Jiný důvod').check();
	await staff.getByLabel('Doplnění pro voliče').fill('Adresa odpovídá údajům, které jste úřadu doložil.');
	await staff.getByRole('button', { name: 'Zamítnout žádost' }).click();
	await expect(staff.getByRole('status')).toContainText('Žádost byla zamítnuta');
	const notice = await staff.request.get(`${staff.url().split('?')[0]}/oznameni.pdf`);
	expect(notice.status()).toBe(200);
	const text = await pdfText(await notice.body());
	expect(text).toContain('Městský soud v Praze');
	expect(text).toContain('úterý 24. listopadu 2026');
	await clerk.close();

	// The voter sees the refusal, the court and until when, and saves the calendar.
	await page.goto(`/zadosti/${reference}`);
	await expect(stateTag(page)).toHaveText('Zamítnuto');
	const court = page.getByRole('region', { name: 'Nesouhlasíte s rozhodnutím?' });
	await expect(court).toContainText('Městský soud v Praze');
	await expect(court).toContainText('nejpozději úterý 24. listopadu 2026');
	await expect(court).toContainText('§ 81 odst. 1');
	await expect(page.getByRole('main')).toContainText('Adresa odpovídá údajům');
	await expectAxeClean(page);

	const ics = await page.request.get(`/zadosti/${reference}/kalendar.ics`);
	expect(ics.status()).toBe(200);
	expect(ics.headers()['content-type']).toContain('text/calendar');
	const calendar = await ics.text();
	expect(calendar).toContain('BEGIN:VCALENDAR');
	expect(calendar).toContain(`UID:${reference}-court@volebni-portal`);
	// 00:00 Prague on Tue 24 Nov 2026 is 23:00 UTC the day before.
	expect(calendar).toContain('DTSTART:20261123T230000Z');
	expect(calendar.replace(/\r\n /g, '')).toContain('Městský soud v Praze');

	// The voter's own notice says the same.
	const own = await page.request.get(`/zadosti/${reference}/oznameni.pdf`);
	expect(own.status()).toBe(200);
	expect(await pdfText(await own.body())).toContain('úterý 24. listopadu 2026');
});

test('a voter already registered in a special district is not offered registration again', async ({ page }) => {
	await loginAs(page, 'zkouska-berlin');
	const main = page.getByRole('main');
	await expect(main).toContainText('Jste zapsáni ve zvláštním volebním okrsku');
	await expect(main.getByRole('link', { name: 'Zápis do zvláštního volebního okrsku', exact: true })).toHaveCount(0);
	await main.getByRole('link', { name: 'Přestěhovali jste se do oblasti jiného zastupitelského úřadu?' }).click();
	await expect(main.getByRole('link', { name: 'Začít' })).toHaveCount(0);
	await expect(main.getByRole('link', { name: 'Zapsat se u jiného zastupitelského úřadu' })).toBeVisible();
	await expectAxeClean(page);
});

test('the municipal office corrects the list as asked: the record changes, the request shows before and after', async ({ page, browser }) => {
	test.slow();
	await loginAs(page, 'zkouska-praha');
	await page.locator('a[href="/muj-zaznam/oprava/datum-narozeni"]').click();
	await expect(h1(page)).toHaveText('Požádat o opravu data narození');
	await hydrated(page);
	await page.getByLabel('Den').fill('1');
	await page.getByLabel('Měsíc').fill('3');
	await page.getByLabel('Co je v údaji špatně?').fill('Narodila jsem se 1. března, ne 29. února.');
	await page.getByRole('button', { name: 'Odeslat žádost o opravu' }).click();
	await expect(page).toHaveURL(/\/zadosti\/OS-[0-9A-Z]{8}\?podano$/);
	const reference = /\/zadosti\/(OS-[0-9A-Z]{8})/.exec(page.url())![1]!;

	const clerk = await browser.newContext();
	const staff = await clerk.newPage();
	await staffLogin(staff, 'urednik.praha');
	await staff.goto('/urad/obecni-urad/zadosti?volby=opravy');
	await staff.getByRole('row', { name: new RegExp(reference) }).getByRole('link', { name: reference }).click();
	await expect(staff.getByLabel('Datum narození (RRRR-MM-DD)')).toHaveValue('1988-03-01');
	await staff.getByRole('button', { name: 'Opravit seznam voličů' }).click();
	await expect(staff.getByRole('status')).toContainText('Seznam voličů je opraven');
	await expect(stateTag(staff)).toHaveText('Vyřízeno');
	await expectAxeClean(staff);
	await clerk.close();

	await page.goto(`/zadosti/${reference}`);
	await expect(stateTag(page)).toHaveText('Vyřízeno');
	await expect(page.getByRole('main')).toContainText('Úřad údaj opravil');
	await expect(page.getByRole('main')).toContainText('29. 2. 1988');
	await page.goto('/muj-zaznam');
	await expect(page.getByRole('main')).toContainText('1. 3. 1988');
	await expectAxeClean(page);
});
