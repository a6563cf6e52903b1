import { PDFParse } from 'pdf-parse';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { protocolCountRows, renderProtocolPdf, type ProtocolData } from './protocol';

async function text(pdf: Buffer): Promise<string> {
	const parser = new PDFParse({ data: new Uint8Array(pdf) });
	try {
		return (await parser.getText()).text.replace(/\s+/g, ' ');
	} finally {
		await parser.destroy();
	}
}

const data: ProtocolData = {
	embassy: { nameCs: 'Velvyslanectví České republiky v Berlíně', nameEn: 'Embassy of the Czech Republic in Berlin', specialDistrictNumber: 1, timeZone: 'Europe/Berlin' },
	election: { titleCs: 'Volby do Poslanecké sněmovny 2027', titleEn: 'Chamber of Deputies election 2027', round: 1, roundCount: 1 },
	final: true,
	counts: { handedOver: 11, accepted: 4, setAside: 6, byGround: { a: 1, b: 2, c: 0, d: 1, e: 2 }, unprocessed: 1, late: 3 },
	openedAt: Temporal.Instant.from('2027-01-16T15:30:00+01:00'),
	openedBy: 'Marie Předsedová',
	recorders: [
		{ name: 'Karel Komisař', role: 'commission-member', recorded: 7 },
		{ name: 'Řehoř Šťastný', role: 'commission-member', recorded: 3 }
	],
	generatedAt: Temporal.Instant.from('2027-01-16T16:00:00+01:00')
};

describe('protocolCountRows', () => {
	it('counts by outcome and by each ground of §57d(2), in the order of the Act', () => {
		const rows = protocolCountRows(data.counts, 'cs');
		expect(rows.map(([, n]) => n)).toEqual(['11', '4', '6', '1', '2', '0', '1', '2', '1', '3']);
		expect(rows[3]![0]).toBe('Vyřazené – § 57d odst. 2 písm. a): Chybí identifikační lístek vydaný tímto zastupitelským úřadem nebo úřední obálka.');
		expect(protocolCountRows(data.counts, 'en')[7]![0]).toBe('Set aside – §57d(2)(e): The voter list already records that the voter voted.');
	});
});

describe('renderProtocolPdf (§57d)', () => {
	it('states the embassy, district, election, counts, date, the members who recorded and lines to sign, with Czech diacritics', async () => {
		const body = await text(await renderProtocolPdf(data, 'cs'));
		expect(body).toContain('Protokol zvláštní okrskové volební komise o zpracování doručovacích obálek');
		expect(body).not.toContain('PŘEDBĚŽNÝ');
		expect(body).toContain('Velvyslanectví České republiky v Berlíně');
		expect(body).toContain('Číslo zvláštního volebního okrsku 1');
		expect(body).toContain('Volby do Poslanecké sněmovny 2027');
		expect(body).not.toContain('1. kolo');
		expect(body).toContain('Volební schránka otevřena 16. ledna 2027 v 15:30');
		expect(body).toContain('Marie Předsedová');
		expect(body).toContain('Obálky předané komisi (§ 57c odst. 4) 11');
		expect(body).toContain('Přijaté – úřední obálka vložena do volební schránky (§ 57d odst. 3) 4');
		expect(body).toContain('Vyřazené celkem (§ 57d odst. 2) 6');
		expect(body).toContain('Identifikační lístek není podepsán. 2');
		expect(body).toContain('Doručené po skončení hlasování, nezapočítávají se (§ 57c odst. 5) 3');
		expect(body).toContain('Karel Komisař člen(ka) komise · zaznamenaných obálek: 7');
		expect(body).toContain('Řehoř Šťastný');
		expect(body).toContain('Dne 16. ledna 2027 v 15:30');
		// A line for each member who recorded and for the chair who opened the ballot box.
		expect(body).toContain('Karel Komisař – člen(ka) komise');
		expect(body).toContain('Řehoř Šťastný – člen(ka) komise');
		expect(body).toContain('Marie Předsedová – předseda(kyně) komise');
		for (const letter of ['Ř', 'ř', 'Š', 'š', 'ť', 'ě', 'č', 'í', 'á', 'é', 'ů', 'ý', 'ž']) expect(body).toContain(letter);
	});

	it('gives the embassy\'s own time of opening the ballot box where it differs from Prague\'s', async () => {
		const body = await text(await renderProtocolPdf({ ...data, embassy: { ...data.embassy, timeZone: 'America/New_York' } }, 'cs'));
		expect(body).toContain('Volební schránka otevřena 16. ledna 2027 v 15:30 (16. 1. 2027 09:30 místního času (America/New_York))');
		const berlin = await text(await renderProtocolPdf(data, 'cs'));
		expect(berlin).not.toContain('místního času');
	});

	it('marks a protocol printed before the ballot box is open as preliminary, in English too', async () => {
		const body = await text(await renderProtocolPdf({ ...data, final: false, openedAt: null, openedBy: null, recorders: [] }, 'en'));
		expect(body).toContain('PRELIMINARY – the ballot box has not been opened yet (§57d(6)).');
		expect(body).toContain('Ballot box opened Not yet opened');
		expect(body).toContain('No outcome has been recorded yet.');
		expect(body).toContain('Set aside – §57d(2)(b): The ID slip is not signed. 2');
		expect(body.match(/Name and signature of a member of the commission/g)).toHaveLength(3);
	});
});

describe('a rehearsal protocol (issue 14)', () => {
	it('carries "NEPLATNÉ — ZKOUŠKA" across every page and in its title; a real one does not', async () => {
		const rehearsal = await renderProtocolPdf({ ...data, election: { ...data.election, rehearsal: true } }, 'cs');
		const real = await renderProtocolPdf(data, 'cs');
		expect(await text(rehearsal)).toContain('NEPLATNÉ — ZKOUŠKA');
		expect(await text(real)).not.toContain('ZKOUŠKA');
		const parser = new PDFParse({ data: new Uint8Array(rehearsal) });
		try {
			const pages = (await parser.getText()).pages;
			expect(pages.length).toBeGreaterThan(0);
			for (const page of pages) expect(page.text.replace(/\s+/g, ' ')).toContain('NEPLATNÉ — ZKOUŠKA');
			expect((await parser.getInfo()).info?.Title).toMatch(/^NEPLATNÉ — ZKOUŠKA: /);
		} finally {
			await parser.destroy();
		}
	});
});
