/**
 * Issue 17: the XML of the results feed validates against the XSD published beside it
 * (static/), for every kind of election that has special districts abroad, with closed and
 * open districts, preferential votes, a rehearsal's ZKOUSKA and two rounds. xmllint (libxml2
 * compiled to WebAssembly) checks it, so a change of either the renderer or the schema that
 * makes them disagree fails here.
 */
import { readFileSync } from 'node:fs';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import type { ElectionType } from '../../domain/elections';
import type { ResultRecord } from '../../domain/results';
import { renderResultsXml, resultsXsdPath, type FeedDistrict, type ResultsFeedData } from './results-feed';

const GENERATED = Temporal.Instant.from('2028-01-15T13:05:09.123Z');
const XSD: Partial<Record<ElectionType, string>> = {
	chamber: 'vysledky_zahranici.xsd',
	european: 'vysledky_zahranici_ep.xsd',
	president: 'vysledky_zahranici_prezident.xsd'
};

function data(type: ElectionType, opts: { rehearsal?: boolean; rounds?: number[] } = {}): ResultsFeedData {
	const preferences = type === 'president' ? 0 : type === 'european' ? 2 : 4;
	const lists = [1, 2, 3].map((n) => ({
		number: n,
		name: `Strana ${n} & <spol.>`,
		candidates: type === 'president' ? [] : [1, 2].map((c) => ({ number: c, name: `Kandidát ${n}.${c}` }))
	}));
	const district = (code: string, country: string, round: number, votes: number[] | null): FeedDistrict => ({
		code,
		nameCs: `ZÚ „${code}“`,
		nameEn: `Embassy ${code}`,
		specialDistrictNumber: code.length,
		countryCode: country,
		countryNameCs: country === 'DE' ? 'Německo' : 'Rakousko',
		round,
		result: votes && {
			version: 2,
			closedAt: '2028-01-15T12:00:00.000Z',
			record: {
				votersOnList: 100,
				envelopesIssued: 90,
				envelopesReceived: 85,
				envelopesCounted: 85,
				validVotes: votes.reduce((a, b) => a + b, 0),
				invalidVotes: 85 - votes.reduce((a, b) => a + b, 0),
				listVotes: Object.fromEntries(votes.map((v, i) => [i + 1, v])),
				preferentialVotes: preferences ? { 1: { 1: 3, 2: 1 }, 2: { 2: 4 } } : {}
			} satisfies ResultRecord
		}
	});
	const rounds = opts.rounds ?? [1];
	return {
		election: { id: '00000000-0000-4000-8000-000000000001', type, titleCs: 'Volby', titleEn: 'Election', rehearsal: opts.rehearsal ?? false, rounds },
		lists,
		preferencesAllowed: preferences,
		sequence: 7,
		auditHead: { position: 42, hash: 'ab'.repeat(32) },
		districts: rounds.flatMap((round) => [
			district('zu-berlin', 'DE', round, [40, 30, 10]),
			district('zu-mnichov', 'DE', round, null),
			district('zu-viden', 'AT', round, round === 1 ? [10, 60, 5] : null)
		])
	};
}

async function validate(type: ElectionType, xml: string) {
	const file = XSD[type]!;
	return validateXML({ xml: { fileName: 'vysledky_zahranici.xml', contents: xml }, schema: { fileName: file, contents: readFileSync(`static/${file}`, 'utf8') } });
}

describe('the results XML and its XSD', () => {
	for (const [type, opts] of [
		['chamber', {}],
		['chamber', { rehearsal: true }],
		['european', {}],
		['president', { rounds: [1, 2] }]
	] as [ElectionType, { rehearsal?: boolean; rounds?: number[] }][]) {
		it(`${type}${'rehearsal' in opts ? ' (a rehearsal)' : ''} validates against ${XSD[type]}`, async () => {
			const xml = renderResultsXml(data(type, opts), GENERATED).body;
			const result = await validate(type, xml);
			expect(result.errors).toEqual([]);
			expect(result.valid).toBe(true);
			// The comment names the XSD of its own kind, the one it was just validated against.
			expect(resultsXsdPath(type)).toBe(`/${XSD[type]}`);
			expect(xml).toContain(`XSD: /${XSD[type]} -->`);
			for (const other of Object.values(XSD).filter((f) => f !== XSD[type])) expect(xml).not.toContain(`/${other}`);
		});
	}

	it('no closed district yet: still valid', async () => {
		const empty = data('chamber');
		empty.districts = empty.districts.map((d) => ({ ...d, result: null }));
		const result = await validate('chamber', renderResultsXml(empty, GENERATED).body);
		expect(result.errors).toEqual([]);
	});

	it('the schema does check: an element it does not know, or a figure below zero, is refused', async () => {
		const xml = renderResultsXml(data('chamber'), GENERATED).body;
		expect((await validate('chamber', xml.replace('<CELKEM>', '<CELKEM><NEZNAMY/>'))).valid).toBe(false);
		expect((await validate('chamber', xml.replace(/PLATNE_HLASY="\d+"/, 'PLATNE_HLASY="-1"'))).valid).toBe(false);
		// The namespace of another kind of election is refused too.
		expect((await validate('president', xml)).valid).toBe(false);
	});
});
