import { PDFParse } from 'pdf-parse';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import type { HandoverRecord } from '../services/envelopes';
import { formatReceiptTime, handoverRows, renderHandoverPdf } from './handover';

async function text(pdf: Buffer): Promise<string> {
	const parser = new PDFParse({ data: new Uint8Array(pdf) });
	try {
		return (await parser.getText()).text.replace(/\s+/g, ' ');
	} finally {
		await parser.destroy();
	}
}

const at = (prague: string, local: string, timeZone = 'America/New_York') => ({ prague, local, timeZone });

const record: HandoverRecord = {
	id: '6f0d1c9e-3b7a-4e55-9a43-0c2f4a5b6d7e',
	office: { nameCs: 'Velvyslanectví České republiky ve Washingtonu', nameEn: 'Embassy of the Czech Republic in Washington', specialDistrictNumber: 7, timeZone: 'America/New_York' },
	election: { titleCs: 'Volba prezidenta republiky 2028', titleEn: 'Presidential election 2028', round: 2 },
	envelopeCount: 2,
	createdAt: at('2028-01-29T00:10:00+01:00', '2028-01-28T18:10:00-05:00'),
	createdBy: 'Tomáš Konzul',
	head: { name: 'Eva Velvyslankyně', confirmedAt: at('2028-01-29T00:20:00+01:00', '2028-01-28T18:20:00-05:00') },
	chair: null,
	envelopes: [
		{ code: '7K3M9QXD2B4H', receivedAt: at('2028-01-20T15:04:00+01:00', '2028-01-20T09:04:00-05:00'), storageBatch: 'Šuplík Ž-1' },
		{ code: 'ABCDEFGHJKMN', receivedAt: at('2028-01-27T17:30:00+01:00', '2028-01-27T11:30:00-05:00'), storageBatch: null }
	]
};

describe('formatReceiptTime', () => {
	it('gives Prague time (§78(2)) and the embassy\'s own when it differs', () => {
		expect(formatReceiptTime(record.envelopes[0]!.receivedAt, 'cs')).toBe('20. 1. 2028 15:04 (Praha) · 20. 1. 2028 09:04 místního času (America/New_York)');
		expect(formatReceiptTime(at('2028-01-20T15:04:00+01:00', '2028-01-20T15:04:00+01:00', 'Europe/Berlin'), 'cs')).toBe('20. 1. 2028 15:04 (Praha)');
	});
});

describe('renderHandoverPdf (§57c(4))', () => {
	it('lists the record, every envelope by code and receipt time, and both confirmations, with Czech diacritics', async () => {
		const rows = handoverRows(record, 'cs', 2);
		expect(rows.map(([label]) => label)).toEqual([
			'Zastupitelský úřad',
			'Číslo zvláštního volebního okrsku',
			'Volby',
			'Počet předávaných obálek',
			'Záznam vyhotoven'
		]);
		const body = await text(await renderHandoverPdf(record, 'cs', { roundCount: 2, generatedAt: Temporal.Instant.from('2028-01-29T08:00:00+01:00') }));
		expect(body).toContain('Záznam o předání doručovacích obálek zvláštní okrskové volební komisi');
		expect(body).toContain('§ 57c odst. 4');
		expect(body).toContain('Velvyslanectví České republiky ve Washingtonu');
		expect(body).toContain('Číslo zvláštního volebního okrsku 7');
		expect(body).toContain('Volba prezidenta republiky 2028 – 2. kolo');
		expect(body).toContain('Počet předávaných obálek 2');
		expect(body).toContain('Seznam obálek (2)');
		expect(body).toContain('1. 7K3M-9QXD-2B4H');
		expect(body).toContain('2. ABCD-EFGH-JKMN');
		expect(body).toContain('20. 1. 2028 15:04 (Praha)');
		expect(body).toContain('09:04 místního času (America/New_York)');
		expect(body).toContain('Úložná dávka Šuplík Ž-1');
		// The head confirmed, with name and time; the chair has not yet: a line to sign anyway.
		expect(body).toContain('Potvrdil(a) Eva Velvyslankyně dne 29. 1. 2028 00:20 (Praha)');
		expect(body).toContain('Dosud nepotvrzeno.');
		expect(body).toContain('Podpis: Eva Velvyslankyně');
		expect(body).toContain('Jméno a podpis');
		for (const letter of ['Č', 'č', 'ř', 'ě', 'š', 'ž', 'ú', 'ů', 'í', 'á', 'é', 'ý', 'Š', 'Ž']) expect(body).toContain(letter);
		// Codes and times only: the record names no voter.
		expect(body).not.toMatch(/Dvořák|Nováková/);
	});

	it('in English, with both confirmations and no round for a one-round election', async () => {
		const both: HandoverRecord = {
			...record,
			election: { titleCs: 'Volby do Poslanecké sněmovny 2027', titleEn: 'Chamber of Deputies election 2027', round: 1 },
			chair: { name: 'Marie Předsedová', confirmedAt: at('2028-01-29T00:30:00+01:00', '2028-01-28T18:30:00-05:00') }
		};
		const body = await text(await renderHandoverPdf(both, 'en', { roundCount: 1, generatedAt: Temporal.Instant.from('2028-01-29T08:00:00+01:00') }));
		expect(body).toContain('Record of handing return envelopes over to the special commission');
		expect(body).toContain('Election Chamber of Deputies election 2027 Number');
		expect(body).toContain('Confirmed by Eva Velvyslankyně on 29/01/2028, 00:20 (Prague)');
		expect(body).toContain('Confirmed by Marie Předsedová on 29/01/2028, 00:30 (Prague)');
		expect(body).not.toContain('Not yet confirmed.');
	});
});
