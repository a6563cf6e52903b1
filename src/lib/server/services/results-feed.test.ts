import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { percent, pragueDateTime, renderResultsCsv, renderResultsSnapshot, renderResultsXml, xmlRound, type ResultsFeedData } from './results-feed';

const GENERATED = Temporal.Instant.from('2028-01-15T13:05:09.123Z');

function presidentData(): ResultsFeedData {
	const district = (code: string, country: string, round: number, votes: [number, number] | null) => ({
		code,
		nameCs: `ZÚ ${code}`,
		nameEn: `Embassy ${code}`,
		specialDistrictNumber: code.length,
		countryCode: country,
		countryNameCs: country === 'DE' ? 'Německo' : 'Rakousko',
		round,
		result: votes && {
			version: 1,
			closedAt: '2028-01-15T12:00:00.000Z',
			record: {
				votersOnList: 100,
				envelopesIssued: 80,
				envelopesReceived: 80,
				envelopesCounted: 80,
				validVotes: votes[0] + votes[1],
				invalidVotes: 80 - votes[0] - votes[1],
				listVotes: { 1: votes[0], 2: votes[1] },
				preferentialVotes: {}
			}
		}
	});
	return {
		election: { id: '00000000-0000-4000-8000-000000000001', type: 'president', titleCs: 'Prezident', titleEn: 'President', rehearsal: false, rounds: [1, 2] },
		lists: [
			{ number: 1, name: 'A & <B>', candidates: [] },
			{ number: 2, name: 'C', candidates: [] }
		],
		preferencesAllowed: 0,
		sequence: 3,
		auditHead: { position: 42, hash: 'ab'.repeat(32) },
		districts: [district('zu-berlin', 'DE', 1, [40, 38]), district('zu-mnichov', 'DE', 1, null), district('zu-viden', 'AT', 1, [10, 60]), district('zu-berlin', 'DE', 2, null)]
	};
}

describe('the statistical office’s XML shape', () => {
	it('writes percentages with a decimal point and the Prague time of generation', () => {
		expect(percent(1, 3)).toBe('33.33');
		expect(percent(0, 0)).toBe('0.00');
		expect(pragueDateTime(GENERATED)).toBe('2028-01-15T14:05:09');
	});

	it('for the President: CELKEM first, a STAT per country summing its districts, HODN_KAND and KOLO', () => {
		const xml = renderResultsXml(presidentData(), GENERATED).body;
		expect(xml).toContain('<VYSLEDKY_ZAHRANICI xmlns="http://www.volby.cz/prezident/" DATUM_CAS_GENEROVANI="2028-01-15T14:05:09"');
		expect(xml).toContain(' SEKVENCE="3" AUDIT_HLAVA="42:abab');
		expect(xml.indexOf('<CELKEM>')).toBeLessThan(xml.indexOf('<STAT'));
		expect(xml).toMatch(/<CELKEM>\s*<UCAST KOLO="1" OKRSKY_CELKEM="3" OKRSKY_ZPRAC="2" OKRSKY_ZPRAC_PROC="66.67" ZAPSANI_VOLICI="200" VYDANE_OBALKY="160" UCAST_PROC="80.00" ODEVZDANE_OBALKY="160" PLATNE_HLASY="148" PLATNE_HLASY_PROC="92.50"\/>/);
		expect(xml).toContain('<HODN_KAND PORADOVE_CISLO="1" HLASY="50" PROC_HLASU="33.78"/>');
		expect(xml).toMatch(/<STAT ZKRATKA="DE" NAZEV="Německo">\s*<UCAST KOLO="1" OKRSKY_CELKEM="2" OKRSKY_ZPRAC="1"/);
		expect(xml).toContain('<OKRSEK CIS_OKRSEK="10" KOD_URADU="zu-mnichov" NAZEV="ZÚ zu-mnichov" ZPRAC="0">');
		expect(xml).not.toContain('HLASY_STRANA');
		expect(xmlRound(presidentData())).toBe(1);
	});

	it('names the source in every file, and the manifest hashes exactly the served bytes', () => {
		const snapshot = renderResultsSnapshot(presidentData(), GENERATED);
		for (const file of Object.values(snapshot.files)) expect(file.body).toContain('Zdroj: Volební portál');
		const manifest = JSON.parse(snapshot.manifest.body);
		expect(manifest.sequence).toBe(3);
		expect(Object.keys(manifest.files)).toEqual(['vysledky_zahranici.json', 'vysledky_zahranici.csv', 'vysledky_zahranici.xml']);
		expect(renderResultsCsv(presidentData()).body.split('\r\n')[0]).toBe('round,district,office,officeName,country,version,figure,list,candidate,value,sequence,source');
	});
});
