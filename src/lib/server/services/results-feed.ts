/**
 * The special districts' results in the public feed (issue 17): the closed records of the
 * result (district-results.ts) of one election as JSON, CSV and XML in the shape of the
 * statistical office's results abroad (`vysledky_zahranici.xml`, DOMAIN.md), each file naming
 * its source and licence, with a sequence number that grows with every closed record or
 * correction and the head of the audit chain.
 *
 * One snapshot per election and interval for every client (SnapshotCache of open-data.ts):
 * however many poll, the database sees one set of queries per interval. Each new snapshot is
 * also written to the static mirror when OPEN_DATA_MIRROR_DIR is set (results-mirror.ts).
 */
import { createHash } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { csvDocument, type CsvValue } from '../../csv';
import type { ElectionType } from '../../domain/elections';
import { hasPreferentialVotes, preferencesAllowed, recordFields, recordValue, type CandidateListDefinition, type ResultRecord, type ResultShape } from '../../domain/results';
import { formatAuditHead, readAuditHead, type AuditHead } from '../audit-chain';
import { countryName } from '../countries';
import type { Db } from '../db/index';
import { findElectionById } from '../db/queries/elections';
import { listCandidateLists, listElectionDistricts, listLatestDistrictResults } from '../db/queries/district-results';
import { isElectionId, SnapshotCache, xmlAttribute, type OpenDataFeedKind, type Rendered } from './open-data';

/** The file names, the same in the API and in the static mirror. */
export const RESULT_FILES = {
	json: 'vysledky_zahranici.json',
	csv: 'vysledky_zahranici.csv',
	xml: 'vysledky_zahranici.xml'
} as const;
export type ResultFileFormat = keyof typeof RESULT_FILES;
export const MANIFEST_FILE = 'manifest.json';

/** Named in every file: the condition of reuse is that the source is named. */
export const RESULTS_SOURCE = 'Zdroj: Volební portál, výsledky zvláštních volebních okrsků v zahraničí (Source: Volební portál, results of the special districts abroad)';
export const RESULTS_LICENCE = 'CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/) – uveďte zdroj / name the source';
export const RESULTS_FORMAT_VERSION = 1;
/** The XSD of each kind of results file (static/), one per namespace of resultsNamespace. */
export const RESULTS_XSD_PATHS = {
	chamber: '/vysledky_zahranici.xsd',
	president: '/vysledky_zahranici_prezident.xsd',
	european: '/vysledky_zahranici_ep.xsd'
} as const;

/** The XSD the election's results XML validates against: the same choice as resultsNamespace. */
export function resultsXsdPath(type: ElectionType): string {
	if (type === 'president') return RESULTS_XSD_PATHS.president;
	if (type === 'european') return RESULTS_XSD_PATHS.european;
	return RESULTS_XSD_PATHS.chamber;
}

/** The statistical office's namespace for the kind of election (DOMAIN.md). */
export function resultsNamespace(type: ElectionType): string {
	if (type === 'president') return 'http://www.volby.cz/prezident/';
	if (type === 'european') return 'http://www.volby.cz/ep/';
	return 'http://www.volby.cz/ps/';
}

export interface FeedDistrict {
	code: string;
	nameCs: string;
	nameEn: string;
	specialDistrictNumber: number | null;
	countryCode: string;
	countryNameCs: string;
	round: number;
	/** The closed record in force, or null while the district's result is not closed. */
	result: { version: number; closedAt: string; record: ResultRecord } | null;
}

export interface ResultsFeedData {
	election: { id: string; type: ElectionType; titleCs: string; titleEn: string; rehearsal: boolean; rounds: number[] };
	lists: CandidateListDefinition[];
	preferencesAllowed: number;
	/** Grows with every closed record and every correction (the count of closed versions). */
	sequence: number;
	auditHead: { position: number; hash: string } | null;
	districts: FeedDistrict[];
}

/** All of one election's published results, read in one read-only REPEATABLE READ transaction. */
export async function loadResultsFeedData(
	db: Db,
	electionId: string,
	kind: OpenDataFeedKind,
	previousHead: AuditHead | null = null
): Promise<{ data: ResultsFeedData; head: AuditHead | null } | undefined> {
	if (!isElectionId(electionId)) return undefined;
	return db
		.transaction()
		.setIsolationLevel('repeatable read')
		.setAccessMode('read only')
		.execute(async (trx) => {
			const election = await findElectionById(trx, electionId);
			// Issue 14: a rehearsal is published only in the test feed, a real election only in the real one.
			if (!election || election.rehearsal !== (kind === 'test') || !election.voting_abroad) return undefined;
			const lists = await listCandidateLists(trx, electionId);
			const districts = await listElectionDistricts(trx, electionId);
			const results = await listLatestDistrictResults(trx, electionId);
			const head = await readAuditHead(trx, previousHead);
			const sequence = results.reduce((n, r) => n + r.version, 0);
			const resultOf = new Map(results.map((r) => [`${r.office_id}/${r.round}`, r]));
			return {
				head,
				data: {
					election: {
						id: election.id,
						type: election.type,
						titleCs: election.title_cs,
						titleEn: election.title_en,
						rehearsal: election.rehearsal,
						rounds: election.rounds.map((r) => r.round)
					},
					lists,
					preferencesAllowed: preferencesAllowed(election.type),
					sequence,
					auditHead: head && { position: head.position, hash: head.hash },
					districts: districts.map((d) => {
						const r = resultOf.get(`${d.office_id}/${d.round}`);
						const country = (d.country_code ?? 'XX').toUpperCase();
						return {
							code: d.code,
							nameCs: d.name_cs,
							nameEn: d.name_en,
							specialDistrictNumber: d.special_district_number,
							countryCode: country,
							countryNameCs: countryName(country, 'cs'),
							round: d.round,
							result: r ? { version: r.version, closedAt: r.closed_at.toISOString(), record: r.figures as ResultRecord } : null
						};
					})
				}
			};
		});
}

// ---------------------------------------------------------------------------------------
// Totals

interface Totals {
	districts: number;
	closed: number;
	votersOnList: number;
	envelopesIssued: number;
	envelopesReceived: number;
	validVotes: number;
	listVotes: Map<number, number>;
}

function totalsOf(districts: readonly FeedDistrict[]): Totals {
	const t: Totals = { districts: districts.length, closed: 0, votersOnList: 0, envelopesIssued: 0, envelopesReceived: 0, validVotes: 0, listVotes: new Map() };
	for (const d of districts) {
		if (!d.result) continue;
		const r = d.result.record;
		t.closed++;
		t.votersOnList += r.votersOnList;
		t.envelopesIssued += r.envelopesIssued;
		t.envelopesReceived += r.envelopesReceived;
		t.validVotes += r.validVotes;
		for (const [list, votes] of Object.entries(r.listVotes)) t.listVotes.set(Number(list), (t.listVotes.get(Number(list)) ?? 0) + votes);
	}
	return t;
}

/** A percentage with two decimals and a decimal point, as the statistical office writes it. */
export function percent(part: number, whole: number): string {
	return whole > 0 ? ((part * 100) / whole).toFixed(2) : '0.00';
}

/** `YYYY-MM-DDTHH:MM:SS`, Prague time (DATUM_CAS_GENEROVANI). */
export function pragueDateTime(instant: Temporal.Instant): string {
	return instant.toZonedDateTimeISO('Europe/Prague').toPlainDateTime().toString({ smallestUnit: 'second' });
}

/** The round the XML describes: the latest with a closed district, else the first. */
export function xmlRound(data: ResultsFeedData): number {
	const closed = data.districts.filter((d) => d.result).map((d) => d.round);
	return closed.length ? Math.max(...closed) : (data.election.rounds[0] ?? 1);
}

// ---------------------------------------------------------------------------------------
// The formats

function rendered(body: string): Rendered {
	return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"` };
}

export function renderResultsJson(data: ResultsFeedData, generated: Temporal.Instant): Rendered {
	return rendered(
		JSON.stringify({
			source: RESULTS_SOURCE,
			licence: RESULTS_LICENCE,
			version: RESULTS_FORMAT_VERSION,
			sequence: data.sequence,
			generated: generated.toString(),
			auditHead: data.auditHead && { ...data.auditHead, verify: `npm run audit:verify -- --against ${formatAuditHead(data.auditHead)}` },
			election: data.election,
			lists: data.lists,
			preferencesAllowed: data.preferencesAllowed,
			rounds: data.election.rounds.map((round) => {
				const districts = data.districts.filter((d) => d.round === round);
				const t = totalsOf(districts);
				return {
					round,
					districts: t.districts,
					closed: t.closed,
					totals: {
						votersOnList: t.votersOnList,
						envelopesIssued: t.envelopesIssued,
						envelopesReceived: t.envelopesReceived,
						validVotes: t.validVotes,
						listVotes: Object.fromEntries([...t.listVotes].sort((a, b) => a[0] - b[0]))
					}
				};
			}),
			districts: data.districts
		})
	);
}

/**
 * Long form, one row per figure of every closed district (RFC 4180, UTF-8, CRLF), so that a
 * spreadsheet can pivot it; every row names the source and the sequence.
 */
export function renderResultsCsv(data: ResultsFeedData): Rendered {
	const shape: ResultShape = { lists: data.lists, preferencesAllowed: data.preferencesAllowed };
	const rows: CsvValue[][] = [['round', 'district', 'office', 'officeName', 'country', 'version', 'figure', 'list', 'candidate', 'value', 'sequence', 'source']];
	for (const d of data.districts) {
		if (!d.result) continue;
		for (const f of recordFields(shape)) {
			rows.push([
				d.round,
				d.specialDistrictNumber,
				d.code,
				d.nameCs,
				d.countryCode,
				d.result.version,
				f.kind === 'total' ? f.field : f.kind === 'list' ? 'listVotes' : 'preferentialVotes',
				f.kind === 'total' ? null : f.list,
				f.kind === 'candidate' ? f.candidate : null,
				recordValue(d.result.record, f),
				data.sequence,
				RESULTS_SOURCE
			]);
		}
	}
	if (rows.length === 1) rows.push([null, null, null, null, null, null, null, null, null, null, data.sequence, RESULTS_SOURCE]);
	return rendered(csvDocument(rows));
}

function attrs(values: Record<string, string | number | null | undefined>): string {
	return Object.entries(values)
		.filter((e): e is [string, string | number] => e[1] !== null && e[1] !== undefined)
		.map(([k, v]) => ` ${k}="${xmlAttribute(String(v))}"`)
		.join('');
}

function participation(t: Totals, round: number, president: boolean): string {
	return `<UCAST${attrs({
		...(president ? { KOLO: round } : {}),
		OKRSKY_CELKEM: t.districts,
		OKRSKY_ZPRAC: t.closed,
		OKRSKY_ZPRAC_PROC: percent(t.closed, t.districts),
		ZAPSANI_VOLICI: t.votersOnList,
		VYDANE_OBALKY: t.envelopesIssued,
		UCAST_PROC: percent(t.envelopesIssued, t.votersOnList),
		ODEVZDANE_OBALKY: t.envelopesReceived,
		PLATNE_HLASY: t.validVotes,
		PLATNE_HLASY_PROC: percent(t.validVotes, t.envelopesReceived)
	})}/>`;
}

function votes(t: Totals, lists: readonly CandidateListDefinition[], president: boolean, indent: string): string[] {
	return lists.map((l) => {
		const v = t.listVotes.get(l.number) ?? 0;
		return president
			? `${indent}<HODN_KAND${attrs({ PORADOVE_CISLO: l.number, HLASY: v, PROC_HLASU: percent(v, t.validVotes) })}/>`
			: `${indent}<HLASY_STRANA${attrs({ KSTRANA: l.number, HLASY: v, PROC_HLASU: percent(v, t.validVotes) })}/>`;
	});
}

/**
 * The statistical office's shape (DOMAIN.md, "Results abroad"): `CELKEM` first, then one `STAT`
 * per country with its totals and votes directly under it, and each special district's own
 * figures in an `OKRSEK` inside, which existing clients skip. Source, licence, sequence and
 * audit head are attributes of the root (clients ignore unknown attributes) and a comment.
 */
export function renderResultsXml(data: ResultsFeedData, generated: Temporal.Instant): Rendered {
	const president = data.election.type === 'president';
	const round = xmlRound(data);
	const districts = data.districts.filter((d) => d.round === round);
	const lines: string[] = [];
	lines.push(`<CELKEM>`, `    ${participation(totalsOf(districts), round, president)}`, ...votes(totalsOf(districts), data.lists, president, '    '), `  </CELKEM>`);
	const countries = [...new Set(districts.map((d) => d.countryCode))].sort();
	for (const country of countries) {
		const inCountry = districts.filter((d) => d.countryCode === country);
		const t = totalsOf(inCountry);
		lines.push(`  <STAT${attrs({ ZKRATKA: country, NAZEV: inCountry[0]!.countryNameCs })}>`);
		lines.push(`    ${participation(t, round, president)}`, ...votes(t, data.lists, president, '    '));
		for (const d of inCountry) {
			const own = totalsOf([d]);
			lines.push(
				`    <OKRSEK${attrs({ CIS_OBEC: null, CIS_OKRSEK: d.specialDistrictNumber, KOD_URADU: d.code, NAZEV: d.nameCs, ZPRAC: d.result ? 1 : 0, VERZE: d.result?.version })}>`
			);
			if (d.result) {
				const r = d.result.record;
				lines.push(`      ${participation(own, round, president)}`, ...votes(own, data.lists, president, '      '));
				lines.push(`      <NEPLATNE${attrs({ OBALKY_SECTENE: r.envelopesCounted, NEPLATNE_HLASY: r.invalidVotes })}/>`);
				if (hasPreferentialVotes(data)) {
					for (const l of data.lists) {
						for (const c of l.candidates) {
							lines.push(`      <PREF_HLASY${attrs({ KSTRANA: l.number, PORCISLO: c.number, HLASY: r.preferentialVotes[l.number]?.[c.number] ?? 0 })}/>`);
						}
					}
				}
			}
			lines.push(`    </OKRSEK>`);
		}
		lines.push(`  </STAT>`);
	}
	const root = attrs({
		xmlns: resultsNamespace(data.election.type),
		DATUM_CAS_GENEROVANI: pragueDateTime(generated),
		ZDROJ: RESULTS_SOURCE,
		LICENCE: RESULTS_LICENCE,
		SEKVENCE: data.sequence,
		AUDIT_HLAVA: data.auditHead ? formatAuditHead(data.auditHead) : null,
		ZKOUSKA: data.election.rehearsal ? 1 : null
	});
	return rendered(
		`<?xml version="1.0" encoding="UTF-8"?>\n<!-- ${RESULTS_SOURCE}. ${RESULTS_LICENCE}. XSD: ${resultsXsdPath(data.election.type)} -->\n<VYSLEDKY_ZAHRANICI${root}>\n  ${lines.join('\n')}\n</VYSLEDKY_ZAHRANICI>\n`
	);
}

export interface ResultsSnapshot {
	electionId: string;
	sequence: number;
	generated: Temporal.Instant;
	files: Record<ResultFileFormat, Rendered>;
	manifest: Rendered;
}

/** The SHA-256 of a file's bytes, hex. */
export function sha256Hex(body: string): string {
	return createHash('sha256').update(body).digest('hex');
}

export function renderResultsSnapshot(data: ResultsFeedData, generated: Temporal.Instant): ResultsSnapshot {
	const files = { json: renderResultsJson(data, generated), csv: renderResultsCsv(data), xml: renderResultsXml(data, generated) };
	const manifest = rendered(
		`${JSON.stringify(
			{
				source: RESULTS_SOURCE,
				licence: RESULTS_LICENCE,
				electionId: data.election.id,
				sequence: data.sequence,
				generated: generated.toString(),
				auditHead: data.auditHead,
				files: Object.fromEntries(
					(Object.keys(RESULT_FILES) as ResultFileFormat[]).map((f) => [RESULT_FILES[f], { sha256: sha256Hex(files[f].body), bytes: Buffer.byteLength(files[f].body) }])
				)
			},
			null,
			2
		)}\n`
	);
	return { electionId: data.election.id, sequence: data.sequence, generated, files, manifest };
}

// ---------------------------------------------------------------------------------------
// The feed

export interface ResultsFeed {
	intervalSeconds: number;
	/** One election's snapshot; undefined for an unknown election (or one without voting abroad). */
	election(id: string): Promise<{ value: ResultsSnapshot; maxAgeSeconds: number } | undefined>;
}

export function createResultsFeed(options: {
	db: Db;
	intervalSeconds: number;
	now: () => Temporal.Instant;
	kind: OpenDataFeedKind;
	elapsedMs?: () => number;
	/** Called with every new snapshot (the static mirror). */
	onSnapshot?: (snapshot: ResultsSnapshot, kind: OpenDataFeedKind) => void;
}): ResultsFeed {
	let head: AuditHead | null = null;
	const cache = new SnapshotCache<ResultsSnapshot>({
		intervalSeconds: options.intervalSeconds,
		now: options.now,
		elapsedMs: options.elapsedMs,
		compute: async (id, now) => {
			const loaded = await loadResultsFeedData(options.db, id, options.kind, head);
			if (!loaded) return undefined;
			if (loaded.head) head = loaded.head;
			const { data } = loaded;
			return {
				hash: createHash('sha256').update(JSON.stringify(data)).digest('base64url'),
				build: () => {
					const snapshot = renderResultsSnapshot(data, now);
					options.onSnapshot?.(snapshot, options.kind);
					return snapshot;
				}
			};
		}
	});
	return {
		intervalSeconds: options.intervalSeconds,
		election: (id) => (isElectionId(id) ? cache.get(id.toLowerCase()) : Promise.resolve(undefined))
	};
}

const feeds = new Map<string, { db: Db; feed: ResultsFeed }>();

/**
 * The process's results feed of each kind and tier over the running database (one cache for
 * all requests of that tier). `intervalSeconds` defaults to the open data's interval.
 */
export function resultsFeed(
	db: Db,
	now: () => Temporal.Instant,
	kind: OpenDataFeedKind,
	options: { intervalSeconds: number; tier: string; onSnapshot?: (snapshot: ResultsSnapshot, kind: OpenDataFeedKind) => void }
): ResultsFeed {
	const key = `${kind}/${options.tier}`;
	let entry = feeds.get(key);
	if (!entry || entry.db !== db || entry.feed.intervalSeconds !== options.intervalSeconds) {
		entry = { db, feed: createResultsFeed({ db, intervalSeconds: options.intervalSeconds, now, kind, onSnapshot: options.onSnapshot }) };
		feeds.set(key, entry);
	}
	return entry.feed;
}
