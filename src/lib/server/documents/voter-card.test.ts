import { PDFParse } from 'pdf-parse';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { formatSerial, renderVoterCard, voterCardRows, type VoterCardData } from './voter-card';

async function pdfText(pdf: Buffer): Promise<{ text: string; pages: number }> {
	const parser = new PDFParse({ data: new Uint8Array(pdf) });
	try {
		const result = await parser.getText();
		return { text: result.text.replace(/\s+/g, ' '), pages: result.total };
	} finally {
		await parser.destroy();
	}
}

const card: VoterCardData = {
	serial: 42,
	election: { type: 'president', titleCs: 'Volba prezidenta republiky 2028', titleEn: 'Presidential election 2028', round: 2, roundCount: 2, firstDay: '2028-01-28' },
	voter: { givenName: 'Řehoř', familyName: 'Dvořák', birthDate: '1984-03-12' },
	office: { nameCs: 'Úřad městské části Praha 3', nameEn: 'Municipal office of Prague 3', address: 'Havlíčkovo nám. 700/9, 130 00 Praha 3' },
	issuedAt: Temporal.Instant.from('2027-12-20T09:30:00+01:00'),
	officialName: 'Petr Úředník',
	generatedAt: Temporal.Instant.from('2027-12-20T09:31:00+01:00')
};

describe('renderVoterCard (decree 353/2025 §6)', () => {
	it("has the form's fields on one page, with the Czech diacritics intact", async () => {
		const { text, pages } = await pdfText(await renderVoterCard(card, 'cs'));
		expect(pages).toBe(1);
		expect(text).toContain('VOLIČSKÝ PRŮKAZ');
		expect(text).toContain('Volba prezidenta republiky 2028, 2. kolo');
		// §2(2): Friday and Saturday
		expect(text).toContain('28. ledna 2028 a 29. ledna 2028');
		expect(text).toContain('Pořadové číslo voličského průkazu');
		expect(text).toContain('000042');
		expect(text).toContain('Příjmení');
		expect(text).toContain('Dvořák');
		expect(text).toContain('Jméno');
		expect(text).toContain('Řehoř');
		expect(text).toContain('Datum narození');
		expect(text).toContain('12. března 1984');
		expect(text).toContain('Úřad městské části Praha 3');
		expect(text).toContain('Datum vydání');
		expect(text).toContain('20. prosince 2027');
		expect(text).toContain('Úřední osoba: Petr Úředník');
		expect(text).toContain('otisk úředního razítka');
		expect(text).toContain('§ 56 odst. 2');
		expect(text).toContain('kterémkoli volebním okrsku v České republice');
	});

	it('names the scope of the card by election type (§56(2)) and no round for a one-round election', async () => {
		const { text } = await pdfText(
			await renderVoterCard({ ...card, election: { ...card.election, type: 'regional', titleCs: 'Volby do zastupitelstev krajů 2028', round: 1, roundCount: 1 } }, 'cs')
		);
		expect(text).toContain('na území téhož kraje');
		expect(text).not.toContain('1. kolo');
		const senate = await pdfText(await renderVoterCard({ ...card, election: { ...card.election, type: 'senate' } }, 'cs'));
		expect(senate.text).toContain('téhož volebního obvodu pro volby do Senátu');
	});

	it('prints the serial with leading zeros, in the order of the form', () => {
		expect(formatSerial(7)).toBe('000007');
		expect(voterCardRows(card, 'cs').map(([label]) => label)).toEqual([
			'Pořadové číslo voličského průkazu',
			'Příjmení',
			'Jméno',
			'Datum narození',
			'Vydal',
			'Datum vydání'
		]);
	});
});
