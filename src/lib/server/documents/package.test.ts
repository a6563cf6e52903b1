import { PDFParse } from 'pdf-parse';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { formatEnvelopeCode } from '../../domain/envelopes';
import { idSlipRows, renderPackageBatchPdf, renderPackagePdf, type PackageDocumentData } from './package';

async function parse(pdf: Buffer) {
	const parser = new PDFParse({ data: new Uint8Array(pdf) });
	try {
		const text = await parser.getText();
		const images = await parser.getImage({ imageBuffer: false, imageDataUrl: false, imageThreshold: 0 });
		return {
			pages: text.pages.map((p) => p.text.replace(/\s+/g, ' ')),
			text: text.text.replace(/\s+/g, ' '),
			imagesPerPage: images.pages.map((p) => p.images.length)
		};
	} finally {
		await parser.destroy();
	}
}

const pkg: PackageDocumentData = {
	idSlipNumber: 17,
	envelopeCode: '7K3M9QXD2B4H',
	embassy: {
		nameCs: 'Velvyslanectví České republiky v Berlíně',
		nameEn: 'Embassy of the Czech Republic in Berlin',
		address: 'Wilhelmstraße 44, 10117 Berlin, Deutschland',
		specialDistrictNumber: 12
	},
	election: {
		titleCs: 'Volba prezidenta republiky 2028',
		titleEn: 'Presidential election 2028',
		round: 2,
		roundCount: 2,
		firstDay: '2028-01-28',
		lastDay: '2028-01-29'
	},
	voter: { givenName: 'Řehoř', familyName: 'Dvořák', birthDate: '1978-11-05', addressAbroad: 'Kastanienallee 12, 10435 Berlin, Německo' },
	issuedBy: 'Tomáš Konzul',
	issuedAt: Temporal.Instant.from('2027-12-01T10:00:00+01:00'),
	returnBy: Temporal.ZonedDateTime.from('2028-01-29T14:00:00+01:00[Europe/Berlin]'),
	ballotsUrl: 'https://www.volby.cz'
};

describe('renderPackagePdf', () => {
	it('prints the ID slip of §57b(3) with Czech diacritics and the declaration to sign', async () => {
		const { pages } = await parse(await renderPackagePdf(pkg));
		expect(pages).toHaveLength(3);
		const slip = pages[0]!;
		expect(slip).toContain('Identifikační lístek');
		expect(slip).toContain('Číslo identifikačního lístku 17');
		expect(slip).toContain('Velvyslanectví České republiky v Berlíně');
		expect(slip).toContain('Číslo zvláštního volebního okrsku 12');
		expect(slip).toContain('Volba prezidenta republiky 2028');
		expect(slip).toContain('2. kolo');
		expect(slip).toContain('28. ledna 2028 a 29. ledna 2028');
		expect(slip).toContain('Řehoř Dvořák');
		expect(slip).toContain('5. listopadu 1978');
		expect(slip).toContain('Kastanienallee 12, 10435 Berlin, Německo');
		expect(slip).toContain('Vydal(a) Tomáš Konzul dne 1. prosince 2027.');
		expect(slip).toContain('Podpis úřední osoby');
		expect(slip).toContain('Prohlašuji, že jsem hlasoval(a) osobně.');
		expect(slip).toContain('Podpis voliče');
		for (const letter of ['Ř', 'ř', 'ě', 'š', 'č', 'í', 'á', 'é', 'ú']) expect(slip).toContain(letter);
	});

	it('labels the return envelope with the embassy, the district, the election and a barcode of the opaque code', async () => {
		const { pages, imagesPerPage } = await parse(await renderPackagePdf(pkg));
		const label = pages[1]!;
		expect(label).toContain('Doručovací obálka');
		expect(label).toContain('Wilhelmstraße 44, 10117 Berlin, Deutschland');
		expect(label).toContain('Číslo zvláštního volebního okrsku 12');
		expect(label).toContain('Volba prezidenta republiky 2028 – 2. kolo');
		// The code printed beneath the barcode, in the grouped form a clerk can type.
		expect(label).toContain(`Kód obálky: ${formatEnvelopeCode(pkg.envelopeCode)}`);
		expect(formatEnvelopeCode(pkg.envelopeCode)).toBe('7K3M-9QXD-2B4H');
		// The barcode is an image on the label page, and on no other.
		expect(imagesPerPage).toEqual([0, 1, 0]);
		// Nothing on the label identifies the voter.
		for (const personal of ['Řehoř', 'Dvořák', '1978', 'Kastanienallee', 'identifikačního lístku']) expect(label).not.toContain(personal);
	});

	it('explains what goes in which envelope and where the ballot comes from, in Czech for a voter who filed in Czech', async () => {
		const { pages } = await parse(await renderPackagePdf(pkg));
		const sheet = pages[2]!;
		expect(sheet).toContain('Jak hlasovat korespondenčně');
		expect(sheet).toContain('https://www.volby.cz');
		expect(sheet).toContain('§ 57c odst. 1');
		expect(sheet).toContain('do úřední obálky');
		expect(sheet).toContain('Do doručovací obálky');
		expect(sheet).toContain('29. ledna 2028 v 14:00 místního času (Europe/Berlin)');
		expect(sheet).not.toContain('How to vote by correspondence');
	});

	it('prints the instructions in English for a voter who filed in English; the ID slip and the label stay Czech', async () => {
		const { pages } = await parse(await renderPackagePdf({ ...pkg, instructionsLocale: 'en' }));
		expect(pages).toHaveLength(3);
		expect(pages[0]).toContain('Identifikační lístek');
		expect(pages[1]).toContain('Doručovací obálka');
		const sheet = pages[2]!;
		expect(sheet).toContain('How to vote by correspondence');
		expect(sheet).toContain('Presidential election 2028');
		expect(sheet).toContain('29 January 2028 at 14:00 local time');
		expect(sheet).toContain('https://www.volby.cz');
		expect(sheet).not.toContain('Jak hlasovat korespondenčně');
	});

	it('gives each package of a batch the instructions in its own voter\'s language', async () => {
		const pdf = await renderPackageBatchPdf([pkg, { ...pkg, idSlipNumber: 18, instructionsLocale: 'en' }], { title: 'Dávka', createdAt: pkg.issuedAt });
		const { pages } = await parse(pdf);
		expect(pages).toHaveLength(6);
		expect(pages[2]).toContain('Jak hlasovat korespondenčně');
		expect(pages[5]).toContain('How to vote by correspondence');
	});

	it('lists the rows of §57b(3) without the round for a one-round election', () => {
		const labels = idSlipRows({ ...pkg, election: { ...pkg.election, round: 1, roundCount: 1 } }, 'cs').map(([label]) => label);
		expect(labels).toEqual([
			'Číslo identifikačního lístku',
			'Zastupitelský úřad',
			'Číslo zvláštního volebního okrsku',
			'Volby',
			'Dny voleb',
			'Jméno a příjmení voliče',
			'Datum narození',
			'Adresa v zahraničí'
		]);
	});
});

describe('renderPackageBatchPdf', () => {
	it('puts the packages one after another and reports progress after each', async () => {
		const packages = [1, 2, 3].map((n) => ({ ...pkg, idSlipNumber: n, envelopeCode: ['0000000000A0', '7K3M9QXD2B4H', 'ZZZZZZZZZZZ7'][n - 1]! }));
		const progress: number[] = [];
		const pdf = await renderPackageBatchPdf(packages, {
			title: 'Dávka',
			createdAt: pkg.issuedAt,
			onProgress: (done) => {
				progress.push(done);
			}
		});
		expect(progress).toEqual([1, 2, 3]);
		const { pages, imagesPerPage } = await parse(pdf);
		expect(pages).toHaveLength(9);
		expect(pages[0]).toContain('Číslo identifikačního lístku 1');
		expect(pages[3]).toContain('Číslo identifikačního lístku 2');
		expect(pages[6]).toContain('Číslo identifikačního lístku 3');
		expect(pages[7]).toContain('Kód obálky: ZZZZ-ZZZZ-ZZZ7');
		expect(imagesPerPage).toEqual([0, 1, 0, 0, 1, 0, 0, 1, 0]);
	});

	it('refuses an empty batch', async () => {
		await expect(renderPackageBatchPdf([], { title: 'x', createdAt: pkg.issuedAt })).rejects.toThrow(RangeError);
	});
});
