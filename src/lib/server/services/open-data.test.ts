import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { shapeOpenDataTables } from '../../domain/open-data';
import {
	feedDataHash,
	openDataIntervalSeconds,
	OPEN_DATA_XML_NAMESPACE,
	renderElectionSnapshot,
	renderFeedCsv,
	renderFeedJson,
	renderFeedXml,
	SnapshotCache,
	TEST_UPDATE_INTERVAL_SECONDS,
	UPDATE_INTERVAL_SECONDS,
	type Computed,
	type ElectionFeedData
} from './open-data';

// ---------------------------------------------------------------------------------------
// A minimal, strict XML 1.0 reader: enough to prove the feed is well-formed and to read it
// back (no DTDs, no processing instructions but the declaration, no CDATA: the feed has none).

interface XmlElement {
	name: string;
	attributes: Record<string, string>;
	children: XmlElement[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9._:-]*/;

function decodeEntities(text: string): string {
	return text.replace(/&([^;]*);/g, (whole, ref: string) => {
		const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
		if (ref in named) return named[ref]!;
		const code = /^#x([0-9a-fA-F]+)$/.exec(ref)?.[1] ?? /^#([0-9]+)$/.exec(ref)?.[1];
		if (!code) throw new Error(`Unknown entity ${whole}`);
		return String.fromCodePoint(parseInt(code, ref.startsWith('#x') ? 16 : 10));
	});
}

function parseXml(source: string): XmlElement {
	let pos = 0;
	const fail = (message: string): never => {
		throw new Error(`${message} at ${pos}: ${JSON.stringify(source.slice(pos, pos + 40))}`);
	};
	const skipSpace = () => {
		while (pos < source.length && /\s/.test(source[pos]!)) pos++;
	};
	if (source.startsWith('<?xml')) {
		const end = source.indexOf('?>');
		if (end < 0) fail('Unclosed declaration');
		if (!/^<\?xml version="1\.0" encoding="UTF-8"\?>$/.test(source.slice(0, end + 2))) fail('Unexpected declaration');
		pos = end + 2;
	}
	const readName = () => {
		const match = NAME.exec(source.slice(pos));
		if (!match) return fail('Expected a name');
		pos += match[0].length;
		return match[0];
	};
	const readElement = (): XmlElement => {
		if (source[pos] !== '<') fail('Expected <');
		pos++;
		const element: XmlElement = { name: readName(), attributes: {}, children: [] };
		for (;;) {
			const before = pos;
			skipSpace();
			if (source.startsWith('/>', pos)) {
				pos += 2;
				return element;
			}
			if (source[pos] === '>') {
				pos++;
				break;
			}
			if (pos === before) fail('Expected white space before an attribute');
			const name = readName();
			if (name in element.attributes) fail(`Duplicate attribute ${name}`);
			if (source[pos] !== '=' || source[pos + 1] !== '"') fail('Expected ="');
			pos += 2;
			const end = source.indexOf('"', pos);
			if (end < 0) fail('Unclosed attribute');
			const raw = source.slice(pos, end);
			if (/[<]/.test(raw) || /&(?!(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/.test(raw)) fail('Unescaped character in an attribute');
			element.attributes[name] = decodeEntities(raw);
			pos = end + 1;
		}
		for (;;) {
			const textEnd = source.indexOf('<', pos);
			if (textEnd < 0) fail('Unclosed element');
			if (source.slice(pos, textEnd).trim() !== '') fail('Unexpected text');
			pos = textEnd;
			if (source.startsWith('</', pos)) {
				pos += 2;
				if (readName() !== element.name) fail(`Mismatched end tag for ${element.name}`);
				skipSpace();
				if (source[pos] !== '>') fail('Expected >');
				pos++;
				return element;
			}
			element.children.push(readElement());
		}
	};
	skipSpace();
	const root = readElement();
	skipSpace();
	if (pos !== source.length) fail('Content after the root element');
	return root;
}

describe('the test XML reader', () => {
	it('rejects what is not well-formed', () => {
		expect(() => parseXml('<a><b></a></b>')).toThrow();
		expect(() => parseXml('<a x="1" x="2"/>')).toThrow();
		expect(() => parseXml('<a x="<"/>')).toThrow();
		expect(() => parseXml('<a x="&nope;"/>')).toThrow();
		expect(() => parseXml('<a/><b/>')).toThrow();
		expect(parseXml('<a x="&amp;&#10;"><b/></a>')).toEqual({ name: 'a', attributes: { x: '&\n' }, children: [{ name: 'b', attributes: {}, children: [] }] });
	});
});

// ---------------------------------------------------------------------------------------

const GENERATED = Temporal.Instant.from('2026-11-20T08:00:00Z');

function sampleData(): ElectionFeedData {
	return {
		election: {
			id: '11111111-2222-4333-8444-555555555555',
			type: 'president',
			titleCs: 'Volba prezidenta republiky 2027',
			titleEn: 'Presidential election 2027',
			announcedOn: '2026-11-13',
			votingAbroad: true,
			correspondenceAllowed: true,
			rounds: [
				{ round: 1, firstDay: '2027-01-15' },
				{ round: 2, firstDay: '2027-01-29' }
			]
		},
		updateIntervalSeconds: 30,
		suppression: { threshold: 5, documentation: '/otevrena-data' },
		registrationWindow: { from: '2026-11-13', to: '2027-01-30' },
		offices: [
			{ code: 'mu-1', kind: 'municipal', nameCs: 'Úřad "Horní, Dolní" & <spol.>', nameEn: 'Office', municipalityCode: '500001', specialDistrictNumber: null, countryCode: null },
			{ code: 'zu-1', kind: 'embassy', nameCs: 'Velvyslanectví', nameEn: 'Embassy', municipalityCode: null, specialDistrictNumber: 3, countryCode: 'DE' }
		],
		tables: shapeOpenDataTables({
			requests: [
				{ office: 'mu-1', round: 1, day: '2026-11-16', kind: 'voter-card', state: 'received', count: 9 },
				{ office: 'mu-1', round: 1, day: '2026-11-16', kind: 'voter-card', state: 'refused', count: 2 },
				{ office: 'mu-1', round: 2, day: '2026-11-16', kind: 'voter-card', state: 'received', count: 6 }
			],
			voterCards: [{ office: 'mu-1', round: 1, day: '2026-11-17', count: 8 }],
			registrations: [{ office: 'zu-1', day: '2026-11-18', received: 10, accepted: 5 }],
			packages: [{ office: 'zu-1', round: 1, day: '2026-12-01', count: 13 }],
			envelopes: [{ office: 'zu-1', round: 1, day: '2027-01-10', received: 12, late: 0, counted: 7, setAside: 5 }],
			closures: []
		})
	};
}

describe('renderFeedJson', () => {
	it('carries the version, the generated time and every table', () => {
		const doc = JSON.parse(renderFeedJson(sampleData(), GENERATED).body);
		expect(doc.version).toBe(1);
		expect(doc.generated).toBe('2026-11-20T08:00:00Z');
		expect(Object.keys(doc.tables)).toEqual(['requests', 'voterCards', 'registrations', 'packages', 'envelopes']);
		expect(doc.tables.requests[0]).toMatchObject({ office: 'mu-1', round: 1, received: null, accepted: null, refused: null, total: 11, suppressed: ['received', 'accepted', 'issued', 'completed', 'refused', 'cancelled'] });
		expect(doc.tables.envelopes[0]).toMatchObject({ received: 12, counted: null, setAside: null, commissionClosed: false, suppressed: [] });
	});
});

describe('renderFeedCsv', () => {
	it('writes one table with a header row and CRLF line ends, suppressed cells empty and named', () => {
		const body = renderFeedCsv(sampleData(), 'requests').body;
		expect(body.endsWith('\r\n')).toBe(true);
		const lines = body.split('\r\n');
		expect(lines[0]).toBe('office,officeName,round,day,kind,received,accepted,issued,completed,refused,cancelled,total,suppressed');
		expect(lines[1]).toBe('mu-1,"Úřad ""Horní, Dolní"" & <spol.>",1,2026-11-16,voter-card,,,,,,,11,received accepted issued completed refused cancelled');
		expect(lines[2]).toBe('mu-1,"Úřad ""Horní, Dolní"" & <spol.>",2,2026-11-16,voter-card,6,0,0,0,0,0,6,');
		expect(lines).toHaveLength(4);
	});

	it('writes a name a spreadsheet would run as a formula as text (src/lib/csv.ts)', () => {
		const data = sampleData();
		data.offices[0]!.nameCs = '=HYPERLINK("http://evil.example/","x")';
		expect(renderFeedCsv(data, 'requests').body.split('\r\n')[2]).toBe(`mu-1,"'=HYPERLINK(""http://evil.example/"",""x"")",2,2026-11-16,voter-card,6,0,0,0,0,0,6,`);
	});

	it('writes the header of an empty table', () => {
		const data = sampleData();
		data.tables.voterCards = [];
		expect(renderFeedCsv(data, 'voter-cards').body).toBe('office,officeName,round,day,issued,suppressed\r\n');
	});

	it('leaves outcomes empty but unsuppressed before the commission has finished', () => {
		const lines = renderFeedCsv(sampleData(), 'envelopes').body.split('\r\n');
		expect(lines[0]).toBe('office,officeName,round,day,received,late,counted,setAside,commissionClosed,suppressed');
		expect(lines[1]).toBe('zu-1,Velvyslanectví,1,2027-01-10,12,0,,,false,');
	});
});

describe('renderFeedXml', () => {
	it('is well-formed, in its own namespace, with the election and generated time on the root', () => {
		const xml = renderFeedXml(sampleData(), GENERATED).body;
		const root = parseXml(xml);
		expect(root.name).toBe('openData');
		expect(root.attributes).toMatchObject({
			xmlns: OPEN_DATA_XML_NAMESPACE,
			electionId: '11111111-2222-4333-8444-555555555555',
			electionType: 'president',
			generated: '2026-11-20T08:00:00Z'
		});
		expect(root.children.map((c) => c.name)).toEqual(['election', 'suppression', 'registrationWindow', 'office', 'office']);
		const election = root.children[0]!;
		expect(election.children.map((r) => r.attributes)).toEqual([
			{ number: '1', firstDay: '2027-01-15' },
			{ number: '2', firstDay: '2027-01-29' }
		]);
	});

	it('escapes names and leaves suppressed or unavailable figures out, naming the suppressed ones', () => {
		const root = parseXml(renderFeedXml(sampleData(), GENERATED).body);
		const municipal = root.children.find((c) => c.name === 'office' && c.attributes.code === 'mu-1')!;
		expect(municipal.attributes.nameCs).toBe('Úřad "Horní, Dolní" & <spol.>');
		expect(municipal.attributes.specialDistrict).toBeUndefined();
		const [requests] = municipal.children;
		expect(requests).toEqual({
			name: 'requests',
			attributes: { round: '1', day: '2026-11-16', kind: 'voter-card', total: '11', suppressed: 'received accepted issued completed refused cancelled' },
			children: []
		});
		const embassy = root.children.find((c) => c.attributes.code === 'zu-1')!;
		expect(embassy.children.map((c) => c.name)).toEqual(['registrations', 'packages', 'envelopes']);
		const envelopes = embassy.children.find((c) => c.name === 'envelopes')!;
		expect(envelopes.attributes).toEqual({ round: '1', day: '2027-01-10', received: '12', late: '0', commissionClosed: 'false' });
		expect(embassy.children.find((c) => c.name === 'packages')!.attributes).toEqual({ round: '1', day: '2026-12-01', dispatched: '13' });
	});

	it('stays well-formed with characters XML forbids in a name', () => {
		const data = sampleData();
		data.offices[0]!.nameCs = 'bad\u0001name\ttab';
		const root = parseXml(renderFeedXml(data, GENERATED).body);
		expect(root.children.find((c) => c.attributes.code === 'mu-1')!.attributes.nameCs).toBe('badname\ttab');
	});
});

describe('renderElectionSnapshot', () => {
	it('renders every format, each with its own strong ETag of its bytes', () => {
		const snapshot = renderElectionSnapshot(sampleData(), GENERATED);
		const etags = [snapshot.json.etag, snapshot.xml.etag, ...Object.values(snapshot.csv).map((c) => c.etag)];
		for (const etag of etags) expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
		expect(new Set(etags).size).toBe(etags.length);
		expect(renderElectionSnapshot(sampleData(), GENERATED).json.etag).toBe(snapshot.json.etag);
		expect(feedDataHash(sampleData())).toBe(feedDataHash(sampleData()));
	});
});

describe('openDataIntervalSeconds', () => {
	it('is 30 s, 1 s under test, or what OPEN_DATA_INTERVAL_SECONDS says', () => {
		expect(UPDATE_INTERVAL_SECONDS).toBe(30);
		expect(openDataIntervalSeconds({ APP_ENV: 'production', OPEN_DATA_INTERVAL_SECONDS: undefined })).toBe(30);
		expect(openDataIntervalSeconds({ APP_ENV: 'test', OPEN_DATA_INTERVAL_SECONDS: undefined })).toBe(TEST_UPDATE_INTERVAL_SECONDS);
		expect(openDataIntervalSeconds({ APP_ENV: 'production', OPEN_DATA_INTERVAL_SECONDS: 5 })).toBe(5);
	});
});

// ---------------------------------------------------------------------------------------

function deferred<T>() {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

/** A cache over a fake source whose content, clock and elapsed time the test controls. */
function harness(intervalSeconds = 30) {
	const state = {
		now: Temporal.Instant.from('2026-11-20T08:00:00Z'),
		elapsedMs: 1_000_000,
		content: 'v1' as string | undefined,
		computations: 0,
		builds: 0,
		gate: undefined as Promise<void> | undefined,
		fail: false
	};
	const cache = new SnapshotCache<{ content: string; generated: string }>({
		intervalSeconds,
		now: () => state.now,
		elapsedMs: () => state.elapsedMs,
		compute: async (_key, now): Promise<Computed<{ content: string; generated: string }> | undefined> => {
			state.computations++;
			if (state.gate) await state.gate;
			if (state.fail) throw new Error('database down');
			const content = state.content;
			if (content === undefined) return undefined;
			return {
				hash: content,
				build: () => {
					state.builds++;
					return { content, generated: now.toString() };
				}
			};
		}
	});
	return { state, cache };
}

describe('SnapshotCache', () => {
	it('computes once per interval and serves the snapshot meanwhile, with the time left as max-age', async () => {
		const { state, cache } = harness();
		expect(await cache.get('e')).toEqual({ value: { content: 'v1', generated: '2026-11-20T08:00:00Z' }, maxAgeSeconds: 30 });
		state.content = 'v2';
		state.elapsedMs += 12_500;
		state.now = state.now.add({ milliseconds: 12_500 });
		expect(await cache.get('e')).toEqual({ value: { content: 'v1', generated: '2026-11-20T08:00:00Z' }, maxAgeSeconds: 18 });
		expect(state.computations).toBe(1);
	});

	it('recomputes once the elapsed time passes the interval, even with a frozen clock (FIXED_NOW)', async () => {
		const { state, cache } = harness();
		await cache.get('e');
		state.content = 'v2';
		state.elapsedMs += 30_000;
		expect((await cache.get('e'))?.value.content).toBe('v2');
		expect(state.computations).toBe(2);
	});

	it('recomputes once the portal clock moves by the interval, either way', async () => {
		const { state, cache } = harness();
		await cache.get('e');
		state.content = 'v2';
		state.now = state.now.add({ seconds: 31 });
		expect((await cache.get('e'))?.value).toEqual({ content: 'v2', generated: '2026-11-20T08:00:31Z' });
		state.content = 'v3';
		state.now = state.now.subtract({ hours: 1 });
		expect((await cache.get('e'))?.value.content).toBe('v3');
		expect(state.computations).toBe(3);
	});

	it('keeps the same snapshot (same ETag, same generated time) when nothing changed', async () => {
		const { state, cache } = harness();
		const first = await cache.get('e');
		state.now = state.now.add({ minutes: 5 });
		state.elapsedMs += 300_000;
		const second = await cache.get('e');
		expect(state.computations).toBe(2);
		expect(state.builds).toBe(1);
		expect(second?.value).toBe(first?.value);
		expect(second?.maxAgeSeconds).toBe(30);
	});

	it('shares one computation between concurrent requests (single-flight)', async () => {
		const { state, cache } = harness();
		const gate = deferred<void>();
		state.gate = gate.promise;
		const all = Promise.all(Array.from({ length: 50 }, () => cache.get('e')));
		await Promise.resolve();
		gate.resolve();
		const results = await all;
		expect(state.computations).toBe(1);
		expect(new Set(results.map((r) => r?.value)).size).toBe(1);
		// another key is its own flight
		state.gate = undefined;
		await cache.get('other');
		expect(state.computations).toBe(2);
	});

	it('answers undefined for an unknown key and caches nothing for it', async () => {
		const { state, cache } = harness();
		state.content = undefined;
		expect(await cache.get('nope')).toBeUndefined();
		expect(await cache.get('nope')).toBeUndefined();
		expect(state.computations).toBe(2);
	});

	it('serves the last snapshot for another interval when a recomputation fails, and fails without one', async () => {
		const { state, cache } = harness();
		await cache.get('e');
		state.fail = true;
		state.elapsedMs += 31_000;
		expect((await cache.get('e'))?.value.content).toBe('v1');
		expect(state.computations).toBe(2);
		expect((await cache.get('e'))?.value.content).toBe('v1');
		expect(state.computations).toBe(2);
		await expect(cache.get('never-computed')).rejects.toThrow('database down');
	});
});
