import { PDFParse } from 'pdf-parse';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { barcodePng } from './barcode';
import { createPdf } from './pdf';
import { receiptRows, renderRequestReceipt, type RequestReceiptData } from './receipt';

async function pdfText(pdf: Buffer): Promise<{ text: string; pages: number }> {
	const parser = new PDFParse({ data: new Uint8Array(pdf) });
	try {
		const result = await parser.getText();
		// Line breaks fall where the layout wraps; the assertions are about words, not lines.
		return { text: result.text.replace(/\s+/g, ' '), pages: result.total };
	} finally {
		await parser.destroy();
	}
}

const voterCard: RequestReceiptData = {
	reference: 'VP-2026-7K3M9Q',
	kind: 'voter-card',
	election: { titleCs: 'Volba prezidenta republiky 2028', titleEn: 'Presidential election 2028', round: 2, roundCount: 2 },
	office: { nameCs: 'Úřad městské části Praha 3', nameEn: 'Municipal office of Prague 3', address: 'Havlíčkovo nám. 700/9, 130 00 Praha 3' },
	channel: 'portal',
	delivery: { method: 'post', address: 'Vinohradská 1849/112, 130 00 Praha, CZ', proxyName: null },
	receivedAt: Temporal.Instant.from('2026-11-20T09:00:00+01:00'),
	deadline: { key: 'voter-card-mail-request', at: Temporal.Instant.from('2026-12-01T16:00:00+01:00') },
	voter: { givenName: 'Řehoř', familyName: 'Dvořák', birthDate: '1984-03-12' },
	generatedAt: Temporal.Instant.from('2026-11-20T09:05:00+01:00')
};

describe('renderRequestReceipt', () => {
	it('writes a PDF whose text keeps the Czech diacritics', async () => {
		const pdf = await renderRequestReceipt(voterCard, 'cs');
		expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		const { text } = await pdfText(pdf);
		expect(text).toContain('Žádost o voličský průkaz');
		expect(text).toContain('Příjmení');
		expect(text).toContain('Dvořák');
		expect(text).toContain('Řehoř');
		expect(text).toContain('VP-2026-7K3M9Q');
		expect(text).toContain('Úřad městské části Praha 3');
		expect(text).toContain('2. kolo');
		expect(text).toMatch(/20\. listopadu 2026 v 9:00/);
		expect(text).toContain('pražského času');
		// D−10 under §57(3), at 16:00 Prague
		expect(text).toMatch(/1\. prosince 2026 v 16:00/);
		expect(text).toContain('§ 57 odst. 3');
		// §77: received on Friday 20 Nov → a refusal is notified by Monday 23 Nov
		expect(text).toContain('23. listopadu 2026');
		expect(text).toContain('12. března 1984');
		expect(text).toContain('Strana 1 z 1');
		for (const letter of ['ř', 'ů', 'ě', 'š', 'č', 'ž', 'ý', 'á', 'í', 'é', 'Ř', 'Ú']) expect(text).toContain(letter);
	});

	it('writes the receipt in English when the voter chose English', async () => {
		const { text } = await pdfText(await renderRequestReceipt(voterCard, 'en'));
		expect(text).toContain('Application for a voter card');
		expect(text).toContain('Surname');
		expect(text).toContain('Municipal office of Prague 3');
		expect(text).toContain('Round 2');
		expect(text).toContain('Prague time');
		expect(text).toContain('12 March 1984');
		expect(text).toContain('Page 1 of 1');
		expect(text).not.toContain('Příjmení');
	});

	it('leaves out the election and round for a special-district registration', () => {
		const rows = receiptRows(
			{ ...voterCard, kind: 'special-district-registration', election: null, delivery: null, deadline: null },
			'cs'
		);
		const labels = rows.request.map(([label]) => label);
		expect(labels).not.toContain('Volby');
		expect(labels).not.toContain('Kolo');
		expect(labels).not.toContain('Způsob převzetí');
		expect(rows.request[1]?.[1]).toBe('Žádost o zápis do zvláštního volebního okrsku');
	});

	it('names no round for a one-round election, and names the proxy', () => {
		const rows = receiptRows(
			{
				...voterCard,
				kind: 'correspondence-package',
				election: { titleCs: 'Volby do Poslanecké sněmovny 2029', titleEn: 'Chamber 2029', round: 1, roundCount: 1 },
				delivery: { method: 'proxy', address: null, proxyName: 'Jana Nováková' },
				deadline: { key: 'correspondence-request-written', at: Temporal.Instant.from('2029-08-29T16:00:00+02:00') }
			},
			'cs'
		);
		const byLabel = new Map(rows.request);
		expect(byLabel.has('Kolo')).toBe(false);
		expect(byLabel.get('Způsob převzetí')).toBe('Převezme zmocněnec: Jana Nováková');
		expect(byLabel.get('Lhůta pro podání')).toBe(
			'písemná žádost o korespondenční hlasování: do 29. srpna 2029 v 16:00 pražského času (§ 57a odst. 3)'
		);
	});
});

describe('createPdf', () => {
	it('breaks long content over pages and numbers every page', async () => {
		const pdf = createPdf({ title: 'Zkouška', lang: 'cs' }).heading('Dlouhý dokument');
		const rows: [string, string][] = Array.from({ length: 80 }, (_, i) => [`Řádek ${i + 1}`, `Hodnota č. ${i + 1} – ůřě`]);
		pdf.keyValueTable(rows);
		const { text, pages } = await pdfText(await pdf.toBuffer());
		expect(pages).toBeGreaterThan(1);
		expect(text).toContain(`Strana ${pages} z ${pages}`);
		expect(text).toContain('Řádek 80');
		// the header is repeated on every page
		expect(text.split('Volební portál').length - 1).toBe(pages);
	});

	it('embeds a barcode image', async () => {
		const pdf = await createPdf({ title: 'Štítek', lang: 'cs' }).heading('Štítek doručovací obálky').image(await barcodePng('ZU-ABC-123456'), 200).toBuffer();
		expect(pdf.toString('latin1')).toMatch(/\/Subtype\s*\/Image/);
		const { text } = await pdfText(pdf);
		expect(text).toContain('Štítek doručovací obálky');
	});
});
