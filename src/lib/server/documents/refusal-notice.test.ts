import { PDFParse } from 'pdf-parse';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { refusalGround, refusalNoticeRows, renderRefusalNotice, type RefusalNoticeData } from './refusal-notice';

async function pdfText(pdf: Buffer): Promise<string> {
	const parser = new PDFParse({ data: new Uint8Array(pdf) });
	try {
		// Line breaks fall where the layout wraps; the assertions are about words, not lines.
		return (await parser.getText()).text.replace(/\s+/g, ' ');
	} finally {
		await parser.destroy();
	}
}

const late: RefusalNoticeData = {
	office: { kind: 'municipal', nameCs: 'Úřad městské části Praha 3', nameEn: 'Municipal office of Prague 3', address: 'Havlíčkovo nám. 700/9, 130 00 Praha 3', regionCode: 'CZ010' },
	voter: { givenName: 'Řehoř', familyName: 'Dvořák', birthDate: '1984-03-12', address: ['Vinohradská 1849/112', '130 00 Praha', 'Česko'] },
	request: {
		reference: 'VP-7K3M9QXD',
		kind: 'voter-card',
		election: { titleCs: 'Volba prezidenta republiky 2028', titleEn: 'Presidential election 2028', round: 2, roundCount: 2 },
		channel: 'verified-letter',
		receivedAt: Temporal.Instant.from('2027-01-05T16:00:00+01:00'),
		deadline: { key: 'voter-card-mail-request', at: Temporal.Instant.from('2027-01-05T16:00:00+01:00') }
	},
	decision: { reason: 'deadline-passed', text: null, decidedAt: Temporal.Instant.from('2027-01-06T10:15:00+01:00'), officialName: 'Petr Úředník' },
	generatedAt: Temporal.Instant.from('2027-01-06T10:16:00+01:00')
};

describe('renderRefusalNotice (§77)', () => {
	it('names the office, the voter, the request and its date, the decision, the reason with its §, the official and a place for the stamp', async () => {
		const pdf = await renderRefusalNotice(late, 'cs');
		expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		const text = await pdfText(pdf);
		expect(text).toContain('Oznámení o nevyhovění žádosti');
		expect(text).toContain('§ 77 zákona č. 88/2024 Sb.');
		expect(text).toContain('Úřad městské části Praha 3');
		expect(text).toContain('Jméno a příjmení');
		expect(text).toContain('Řehoř Dvořák');
		expect(text).toContain('Vinohradská 1849/112, 130 00 Praha, Česko');
		expect(text).toContain('12. března 1984');
		expect(text).toContain('VP-7K3M9QXD');
		expect(text).toContain('Volba prezidenta republiky 2028, 2. kolo');
		expect(text).toContain('Dopisem s úředně ověřeným podpisem');
		expect(text).toMatch(/5\. ledna 2027 v 16:00/);
		expect(text).toContain('žádosti č. VP-7K3M9QXD nevyhověl');
		// The missed deadline, named with its section (§57(3)) and §78(3).
		expect(text).toContain('žádost o voličský průkaz zasílaný poštou');
		expect(text).toContain('§ 57 odst. 3');
		expect(text).toContain('§ 78 odst. 3');
		expect(text).toContain('Vyřizuje: Petr Úředník');
		expect(text).toContain('otisk úředního razítka');
		expect(text).toContain('Dne 6. ledna 2027');
		for (const letter of ['ř', 'ů', 'ě', 'š', 'č', 'ž', 'ý', 'á', 'í', 'é', 'Ř', 'Ú']) expect(text).toContain(letter);
	});

	it("writes the office's own text for 'other', and an added explanation for any reason", async () => {
		const other = await pdfText(
			await renderRefusalNotice({ ...late, decision: { ...late.decision, reason: 'other', text: 'Žádost nebyla podepsána.' } }, 'cs')
		);
		expect(other).toContain('Úřad žádosti nevyhověl z tohoto důvodu: Žádost nebyla podepsána.');
		expect(other).not.toContain('§ 78 odst. 3');

		const added = await pdfText(
			await renderRefusalNotice({ ...late, decision: { ...late.decision, reason: 'card-already-issued', text: 'Průkaz vydán 2. 1. 2027.' } }, 'cs')
		);
		expect(added).toContain('Pro tytéž volby a totéž kolo se vydává jen jeden voličský průkaz (§ 57 odst. 1)');
		expect(added).toContain('Úřad dále uvádí: Průkaz vydán 2. 1. 2027.');
	});

	it('cites the section that fits the kind of request', () => {
		const registration = { ...late, request: { ...late.request, kind: 'special-district-registration' as const, election: null, deadline: null } };
		expect(refusalGround({ ...registration, decision: { ...late.decision, reason: 'address-outside-jurisdiction' } }, 'cs')).toContain('(§ 57 odst. 6)');
		const pkg = { ...late, request: { ...late.request, kind: 'correspondence-package' as const } };
		expect(refusalGround({ ...pkg, decision: { ...late.decision, reason: 'address-outside-jurisdiction' } }, 'cs')).toContain('(§ 57a odst. 4)');
		expect(refusalGround({ ...pkg, decision: { ...late.decision, reason: 'proxy-limit' } }, 'cs')).toContain('(§ 57b odst. 1)');
		expect(refusalGround({ ...pkg, decision: { ...late.decision, reason: 'excluded-country' } }, 'en')).toContain('(§58(3))');
		expect(refusalGround({ ...late, request: { ...late.request, deadline: null } }, 'cs')).toContain('po uplynutí zákonné lhůty');
	});

	it('leaves out the election for a registration and renders in English on request', async () => {
		const rows = refusalNoticeRows({ ...late, request: { ...late.request, kind: 'special-district-registration', election: null } }, 'cs');
		expect(rows.request.map(([label]) => label)).not.toContain('Volby');
		const text = await pdfText(await renderRefusalNotice(late, 'en'));
		expect(text).toContain('Notice of refusal of a request');
		expect(text).toContain('Name and surname');
		expect(text).toContain('§57(3)');
		expect(text).not.toContain('Jméno a příjmení');
	});
});
