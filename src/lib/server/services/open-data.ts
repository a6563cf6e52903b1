/**
 * The public open data feed (issue 7): aggregate figures per election, office and day as
 * JSON, CSV (one table per file) and XML, with no login. Read-only: no state changes,
 * hence no audit entry. What may be published and how small counts are protected is a
 * rule of src/lib/domain/open-data.ts; this file gathers the counts, renders the formats
 * and keeps one snapshot per election in memory so that many clients polling every few
 * seconds cost the database one set of queries per update interval.
 */
import { createHash } from 'node:crypto';
import type { Temporal } from 'temporal-polyfill';
import { csvDocument, type CsvValue } from '../../csv';
import type { ElectionType, Round } from '../../domain/elections';
import {
	OPEN_DATA_TABLES,
	registrationWindow,
	shapeOpenDataTables,
	SUPPRESSION_THRESHOLD,
	type OpenDataTableName,
	type OpenDataTables,
	type RequestStateName
} from '../../domain/open-data';
import { config, type Config } from '../config';
import type { Db } from '../db/index';
import { findElectionById, listElections } from '../db/queries/elections';
import {
	countPackagesDispatchedByDay,
	countRegistrationsByDay,
	countRequestsByDay,
	countReturnEnvelopesByDay,
	countVoterCardsIssuedByDay,
	listCommissionClosures,
	listStatisticsOffices
} from '../db/queries/statistics';
import { findFreshOpenDataBuild, lockOpenDataBuild, saveOpenDataBuild } from '../db/queries/open-data-builds';
import { metrics } from '../metrics';
import { log } from '../log';

/**
 * How often a snapshot is recomputed at most, in seconds. Thirty seconds keeps the feed
 * current enough for election-night media while a crowd of pollers costs one set of
 * queries per election per half minute. OPEN_DATA_INTERVAL_SECONDS overrides it; under
 * APP_ENV=test it defaults to TEST_UPDATE_INTERVAL_SECONDS so that tests need not wait.
 */
export const UPDATE_INTERVAL_SECONDS = 30;
export const TEST_UPDATE_INTERVAL_SECONDS = 1;

export function openDataIntervalSeconds(cfg: Pick<Config, 'APP_ENV' | 'OPEN_DATA_INTERVAL_SECONDS'> = config()): number {
	return cfg.OPEN_DATA_INTERVAL_SECONDS ?? (cfg.APP_ENV === 'test' ? TEST_UPDATE_INTERVAL_SECONDS : UPDATE_INTERVAL_SECONDS);
}

/** The namespace of the XML variant. */
export const OPEN_DATA_XML_NAMESPACE = 'urn:volebni-portal:open-data:1';
export const OPEN_DATA_FORMAT_VERSION = 1;
export const OPEN_DATA_DOCUMENTATION_PATH = '/otevrena-data';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a path segment can be an election id at all; anything else is a 404 without a query. */
export function isElectionId(value: string): boolean {
	return UUID.test(value);
}

export function electionFeedPaths(id: string, kind: 'real' | 'test' = 'real') {
	const base = `/api/open-data/elections/${id}`;
	const test = kind === 'test' ? '?test=1' : '';
	return {
		json: `${base}.json${test}`,
		xml: `${base}.xml${test}`,
		csv: Object.fromEntries(OPEN_DATA_TABLES.map((t) => [t, `${base}.csv?table=${t}${test ? '&test=1' : ''}`])) as Record<OpenDataTableName, string>
	};
}

// ---------------------------------------------------------------------------------------
// The figures

export interface FeedOffice {
	code: string;
	kind: 'municipal' | 'embassy';
	nameCs: string;
	nameEn: string;
	municipalityCode: string | null;
	specialDistrictNumber: number | null;
	countryCode: string | null;
}

/** Everything a snapshot publishes except the time it was computed. */
export interface ElectionFeedData {
	election: {
		id: string;
		type: ElectionType;
		titleCs: string;
		titleEn: string;
		announcedOn: string;
		votingAbroad: boolean;
		correspondenceAllowed: boolean;
		rounds: { round: Round; firstDay: string }[];
	};
	updateIntervalSeconds: number;
	suppression: { threshold: number; documentation: string };
	/** The days whose special-district registrations are counted (domain: registrationWindow). */
	registrationWindow: { from: string; to: string } | null;
	offices: FeedOffice[];
	tables: OpenDataTables;
}

/**
 * Reads every count of one election in one read-only REPEATABLE READ transaction, so that
 * the tables of a snapshot agree with each other, and shapes them by the domain's rules.
 * Undefined for an unknown election.
 */
export async function loadElectionFeedData(
	db: Db,
	electionId: string,
	intervalSeconds: number,
	feed: OpenDataFeedKind = 'real'
): Promise<ElectionFeedData | undefined> {
	if (!isElectionId(electionId)) return undefined;
	return db
		.transaction()
		.setIsolationLevel('repeatable read')
		.setAccessMode('read only')
		.execute(async (trx) => {
			const election = await findElectionById(trx, electionId);
			// Issue 14: a rehearsal is published only in the test feed, a real election only in the real one.
			if (!election || election.rehearsal !== (feed === 'test')) return undefined;
			const scope = { electionId };
			const window = registrationWindow({
				announcedOn: election.announced_on,
				votingAbroad: election.voting_abroad,
				rounds: election.rounds.map((r) => ({ round: r.round, firstDay: r.first_day }))
			});
			const requests = await countRequestsByDay(trx, scope);
			const voterCards = await countVoterCardsIssuedByDay(trx, scope);
			const registrations = window ? await countRegistrationsByDay(trx, window) : [];
			const packages = await countPackagesDispatchedByDay(trx, scope);
			const envelopes = await countReturnEnvelopesByDay(trx, scope);
			const closures = await listCommissionClosures(trx, scope);

			const officeIds = new Set<string>();
			for (const list of [requests, voterCards, registrations, packages, envelopes, closures]) {
				for (const row of list) officeIds.add(row.office_id);
			}
			const offices = await listStatisticsOffices(trx, [...officeIds]);
			const codeOf = new Map(offices.map((o) => [o.id, o.code]));
			const code = (id: string) => codeOf.get(id) ?? id;

			const tables = shapeOpenDataTables({
				requests: requests.map((r) => ({ office: code(r.office_id), round: r.round, day: r.day, kind: r.kind, state: r.state as RequestStateName, count: r.count })),
				voterCards: voterCards.map((r) => ({ office: code(r.office_id), round: r.round, day: r.day, count: r.count })),
				registrations: registrations.map((r) => ({ office: code(r.office_id), day: r.day, received: r.received, accepted: r.accepted })),
				packages: packages.map((r) => ({ office: code(r.office_id), round: r.round, day: r.day, count: r.count })),
				envelopes: envelopes.map((r) => ({
					office: code(r.office_id),
					round: r.round,
					day: r.day,
					received: r.received,
					late: r.late,
					counted: r.counted,
					setAside: r.set_aside
				})),
				closures: closures.map((c) => ({ office: code(c.office_id), round: c.round }))
			});

			return {
				election: {
					id: election.id,
					type: election.type,
					titleCs: election.title_cs,
					titleEn: election.title_en,
					announcedOn: election.announced_on,
					votingAbroad: election.voting_abroad,
					correspondenceAllowed: election.correspondence_allowed,
					rounds: election.rounds.map((r) => ({ round: r.round, firstDay: r.first_day }))
				},
				updateIntervalSeconds: intervalSeconds,
				suppression: { threshold: SUPPRESSION_THRESHOLD, documentation: OPEN_DATA_DOCUMENTATION_PATH },
				registrationWindow: window,
				offices: offices.map((o) => ({
					code: o.code,
					kind: o.kind,
					nameCs: o.name_cs,
					nameEn: o.name_en,
					municipalityCode: o.municipality_code,
					specialDistrictNumber: o.special_district_number,
					countryCode: o.country_code
				})),
				tables
			};
		});
}

// ---------------------------------------------------------------------------------------
// The formats

export interface Rendered {
	body: string;
	/** A strong ETag: a hash of exactly these bytes. */
	etag: string;
}

function rendered(body: string): Rendered {
	return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"` };
}

type Cell = string | number | boolean | null | readonly string[];

interface TableSpec {
	/** The key in JSON's `tables` and the XML element of a row. */
	key: keyof OpenDataTables;
	/** Columns after office (and, in CSV, officeName), in order. */
	columns: readonly string[];
}

/** The tables, as selected by `?table=` of the CSV variant. */
export const TABLE_SPECS: Readonly<Record<OpenDataTableName, TableSpec>> = {
	requests: {
		key: 'requests',
		columns: ['round', 'day', 'kind', 'received', 'accepted', 'issued', 'completed', 'refused', 'cancelled', 'total', 'suppressed']
	},
	'voter-cards': { key: 'voterCards', columns: ['round', 'day', 'issued', 'suppressed'] },
	registrations: { key: 'registrations', columns: ['day', 'received', 'accepted', 'suppressed'] },
	packages: { key: 'packages', columns: ['round', 'day', 'dispatched', 'suppressed'] },
	envelopes: { key: 'envelopes', columns: ['round', 'day', 'received', 'late', 'counted', 'setAside', 'commissionClosed', 'suppressed'] }
};

function rowsOf(data: ElectionFeedData, table: OpenDataTableName): Record<string, Cell>[] {
	return data.tables[TABLE_SPECS[table].key] as unknown as Record<string, Cell>[];
}

export function renderFeedJson(data: ElectionFeedData, generated: Temporal.Instant): Rendered {
	const { election, updateIntervalSeconds, suppression, registrationWindow, offices, tables } = data;
	return rendered(
		JSON.stringify({
			version: OPEN_DATA_FORMAT_VERSION,
			generated: generated.toString(),
			election,
			updateIntervalSeconds,
			suppression,
			registrationWindow,
			offices,
			tables
		})
	);
}

/** One table with a header row; UTF-8, CRLF line ends (RFC 4180). */
export function renderFeedCsv(data: ElectionFeedData, table: OpenDataTableName): Rendered {
	const spec = TABLE_SPECS[table];
	const officeName = new Map(data.offices.map((o) => [o.code, o.nameCs]));
	const header = ['office', 'officeName', ...spec.columns];
	const lines: CsvValue[][] = [header];
	for (const row of rowsOf(data, table)) {
		const office = String(row.office);
		lines.push([office, officeName.get(office) ?? '', ...spec.columns.map((c) => row[c] ?? null)]);
	}
	return rendered(csvDocument(lines));
}

/** Escapes text for an XML attribute value; drops characters that XML 1.0 forbids. */
export function xmlAttribute(value: string): string {
	return value
		.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll('\t', '&#9;')
		.replaceAll('\n', '&#10;')
		.replaceAll('\r', '&#13;');
}

/** An empty element; null attributes are left out, lists become space-separated values. */
function xmlElement(name: string, attributes: Record<string, Cell | undefined>, children?: string[], indent = ''): string {
	const attrs = Object.entries(attributes)
		.filter((entry): entry is [string, Exclude<Cell, null>] => entry[1] !== null && entry[1] !== undefined)
		.filter(([, v]) => !(Array.isArray(v) && v.length === 0))
		.map(([k, v]) => ` ${k}="${xmlAttribute(Array.isArray(v) ? v.join(' ') : String(v))}"`)
		.join('');
	if (!children || children.length === 0) return `${indent}<${name}${attrs}/>`;
	return `${indent}<${name}${attrs}>\n${children.join('\n')}\n${indent}</${name}>`;
}

/**
 * In the spirit of the Czech Statistical Office's election-night feed (volby.cz): one root
 * element naming the election and the time of generation, then the figures as empty
 * elements with attributes, grouped by office. A suppressed figure is left out and named
 * in the row's `suppressed` attribute; an outcome not yet available is simply left out.
 */
export function renderFeedXml(data: ElectionFeedData, generated: Temporal.Instant): Rendered {
	const { election } = data;
	const children: string[] = [];
	children.push(
		xmlElement(
			'election',
			{ titleCs: election.titleCs, titleEn: election.titleEn, announcedOn: election.announcedOn, votingAbroad: election.votingAbroad, correspondenceAllowed: election.correspondenceAllowed },
			election.rounds.map((r) => xmlElement('round', { number: r.round, firstDay: r.firstDay }, undefined, '    ')),
			'  '
		)
	);
	children.push(xmlElement('suppression', { threshold: data.suppression.threshold, documentation: data.suppression.documentation }, undefined, '  '));
	if (data.registrationWindow) children.push(xmlElement('registrationWindow', data.registrationWindow, undefined, '  '));
	for (const office of data.offices) {
		const rows: string[] = [];
		for (const table of OPEN_DATA_TABLES) {
			const spec = TABLE_SPECS[table];
			for (const row of rowsOf(data, table)) {
				if (row.office !== office.code) continue;
				rows.push(xmlElement(spec.key, Object.fromEntries(spec.columns.map((c) => [c, row[c] ?? null])), undefined, '    '));
			}
		}
		children.push(
			xmlElement(
				'office',
				{
					code: office.code,
					kind: office.kind,
					nameCs: office.nameCs,
					nameEn: office.nameEn,
					municipalityCode: office.municipalityCode,
					specialDistrict: office.specialDistrictNumber,
					country: office.countryCode
				},
				rows,
				'  '
			)
		);
	}
	const root = xmlElement(
		'openData',
		{
			xmlns: OPEN_DATA_XML_NAMESPACE,
			version: OPEN_DATA_FORMAT_VERSION,
			electionId: election.id,
			electionType: election.type,
			generated: generated.toString(),
			updateIntervalSeconds: data.updateIntervalSeconds
		},
		children
	);
	return rendered(`<?xml version="1.0" encoding="UTF-8"?>\n${root}\n`);
}

export interface ElectionSnapshot {
	electionId: string;
	/** When these figures were computed; unchanged figures keep their first time ("last updated"). */
	generated: Temporal.Instant;
	json: Rendered;
	xml: Rendered;
	csv: Record<OpenDataTableName, Rendered>;
}

export function renderElectionSnapshot(data: ElectionFeedData, generated: Temporal.Instant): ElectionSnapshot {
	return {
		electionId: data.election.id,
		generated,
		json: renderFeedJson(data, generated),
		xml: renderFeedXml(data, generated),
		csv: Object.fromEntries(OPEN_DATA_TABLES.map((t) => [t, renderFeedCsv(data, t)])) as Record<OpenDataTableName, Rendered>
	};
}

/** A hash of what a snapshot publishes, without its time, to tell whether anything changed. */
export function feedDataHash(data: unknown): string {
	return createHash('sha256').update(JSON.stringify(data)).digest('base64url');
}

// ---------------------------------------------------------------------------------------
// The snapshot cache

export interface Computed<V> {
	/** A hash of the content: when it equals the cached one, the cached value is kept. */
	hash: string;
	build(): V;
}

export interface SnapshotCacheOptions<V> {
	intervalSeconds: number;
	/** The portal's clock (clock().now()); read once per request and once per computation. */
	now: () => Temporal.Instant;
	/**
	 * Elapsed time in milliseconds (performance.now()). FIXED_NOW freezes the portal's clock
	 * in demos and tests, and a frozen clock must not freeze the feed: a snapshot is stale
	 * once either the elapsed time or the portal's clock has moved by the interval.
	 */
	elapsedMs?: () => number;
	compute: (key: string, now: Temporal.Instant) => Promise<Computed<V> | undefined>;
}

interface Entry<V> {
	value: V;
	hash: string;
	checkedAt: Temporal.Instant;
	checkedAtMs: number;
}

/**
 * At most one computation per key and update interval, shared by every request that
 * arrives while it runs (single-flight). A computation whose content is unchanged keeps the
 * cached value, so its ETag and `generated` time stay and conditional requests keep
 * getting 304. When a computation fails, the last value is served for another interval.
 */
export class SnapshotCache<V> {
	readonly #entries = new Map<string, Entry<V>>();
	readonly #inflight = new Map<string, Promise<Entry<V> | undefined>>();
	readonly #options: SnapshotCacheOptions<V>;
	readonly #elapsedMs: () => number;

	constructor(options: SnapshotCacheOptions<V>) {
		this.#options = options;
		this.#elapsedMs = options.elapsedMs ?? (() => performance.now());
	}

	get intervalSeconds(): number {
		return this.#options.intervalSeconds;
	}

	/** Seconds left before the entry must be recomputed; 0 when stale. */
	#remainingSeconds(entry: Entry<V>, now: Temporal.Instant, elapsed: number): number {
		const interval = this.#options.intervalSeconds;
		const byElapsed = interval - (elapsed - entry.checkedAtMs) / 1000;
		const byClock = interval - Math.abs(now.epochMilliseconds - entry.checkedAt.epochMilliseconds) / 1000;
		return Math.max(0, Math.min(byElapsed, byClock));
	}

	/** The value for a key with the seconds a client may cache it, or undefined if there is none (unknown key). */
	async get(key: string): Promise<{ value: V; maxAgeSeconds: number } | undefined> {
		const now = this.#options.now();
		const cached = this.#entries.get(key);
		if (cached) {
			const remaining = this.#remainingSeconds(cached, now, this.#elapsedMs());
			if (remaining > 0) return { value: cached.value, maxAgeSeconds: Math.ceil(remaining) };
		}
		let flight = this.#inflight.get(key);
		if (!flight) {
			flight = this.#refresh(key).finally(() => this.#inflight.delete(key));
			this.#inflight.set(key, flight);
		}
		const entry = await flight;
		return entry && { value: entry.value, maxAgeSeconds: this.#options.intervalSeconds };
	}

	async #refresh(key: string): Promise<Entry<V> | undefined> {
		const now = this.#options.now();
		const previous = this.#entries.get(key);
		try {
			const computed = await this.#options.compute(key, now);
			const checkedAtMs = this.#elapsedMs();
			if (!computed) {
				this.#entries.delete(key);
				return undefined;
			}
			const value = previous && previous.hash === computed.hash ? previous.value : computed.build();
			const entry = { value, hash: computed.hash, checkedAt: now, checkedAtMs };
			this.#entries.set(key, entry);
			return entry;
		} catch (error) {
			if (!previous) throw error;
			log.warn({ err: String(error), key }, 'open data: recomputation failed, serving the last snapshot');
			const entry = { ...previous, checkedAt: now, checkedAtMs: this.#elapsedMs() };
			this.#entries.set(key, entry);
			return entry;
		}
	}
}

// ---------------------------------------------------------------------------------------
// The feed

export interface ElectionListSnapshot {
	generated: Temporal.Instant;
	json: Rendered;
}

export interface OpenDataFeed {
	intervalSeconds: number;
	/** One election's snapshot; undefined for an unknown or malformed id. */
	election(id: string): Promise<{ value: ElectionSnapshot; maxAgeSeconds: number } | undefined>;
	/** Every election with the addresses of its files. */
	elections(): Promise<{ value: ElectionListSnapshot; maxAgeSeconds: number }>;
}

/**
 * 'real': the real elections. 'test' (issue 14): the rehearsals only, published exactly as real
 * ones will be, so that anyone reusing the data can test their software before the election.
 */
export type OpenDataFeedKind = 'real' | 'test';

/**
 * The data of one election built once per interval for all portal processes (issue 16): the
 * process that holds the key's advisory lock builds it and stores it; the others, waiting on
 * the lock, find it fresh and take it. Every process still renders and caches its own copy
 * (SnapshotCache), from the same data and so with the same ETag.
 */
export async function loadSharedElectionFeedData(
	db: Db,
	electionId: string,
	intervalSeconds: number,
	kind: OpenDataFeedKind
): Promise<ElectionFeedData | undefined> {
	if (!isElectionId(electionId)) return undefined;
	const cacheKey = `${kind}:${electionId}`;
	return db.transaction().execute(async (trx) => {
		await lockOpenDataBuild(trx, cacheKey);
		const fresh = await findFreshOpenDataBuild(trx, cacheKey, intervalSeconds);
		if (fresh) return fresh.data as ElectionFeedData;
		const data = await loadElectionFeedData(db, electionId, intervalSeconds, kind);
		if (data) {
			await saveOpenDataBuild(trx, cacheKey, data);
			metrics().openDataBuilds.inc();
		}
		return data;
	});
}

export function createOpenDataFeed(options: {
	db: Db;
	intervalSeconds: number;
	now: () => Temporal.Instant;
	elapsedMs?: () => number;
	kind?: OpenDataFeedKind;
	/** Built once per interval across processes (loadSharedElectionFeedData): the running portal's feed. */
	shared?: boolean;
}): OpenDataFeed {
	const kind = options.kind ?? 'real';
	const { db, intervalSeconds } = options;
	const load = options.shared ? loadSharedElectionFeedData : loadElectionFeedData;
	const electionCache = new SnapshotCache<ElectionSnapshot>({
		intervalSeconds,
		now: options.now,
		elapsedMs: options.elapsedMs,
		compute: async (id, now) => {
			const data = await load(db, id, intervalSeconds, kind);
			return data && { hash: feedDataHash(data), build: () => renderElectionSnapshot(data, now) };
		}
	});
	const listCache = new SnapshotCache<ElectionListSnapshot>({
		intervalSeconds,
		now: options.now,
		elapsedMs: options.elapsedMs,
		compute: async (_key, now) => {
			const rows = await listElections(db, kind === 'test' ? { only: true } : {});
			const elections = rows.map((e) => ({
				id: e.id,
				type: e.type,
				titleCs: e.title_cs,
				titleEn: e.title_en,
				announcedOn: e.announced_on,
				rounds: e.rounds.map((r) => ({ round: r.round, firstDay: r.first_day })),
				links: electionFeedPaths(e.id, kind)
			}));
			const data = { documentation: OPEN_DATA_DOCUMENTATION_PATH, updateIntervalSeconds: intervalSeconds, elections };
			return {
				hash: feedDataHash(data),
				build: () => ({
					generated: now,
					json: rendered(JSON.stringify({ version: OPEN_DATA_FORMAT_VERSION, generated: now.toString(), ...data }))
				})
			};
		}
	});
	return {
		intervalSeconds,
		election: (id) => (isElectionId(id) ? electionCache.get(id.toLowerCase()) : Promise.resolve(undefined)),
		elections: async () => {
			const result = await listCache.get('all');
			if (!result) throw new Error('The election list is always computed.');
			return result;
		}
	};
}

const feeds = new Map<OpenDataFeedKind, { db: Db; feed: OpenDataFeed }>();

/** The process's feed of each kind over the running database (one cache for all requests). */
export function openDataFeed(db: Db, now: () => Temporal.Instant, kind: OpenDataFeedKind = 'real'): OpenDataFeed {
	let entry = feeds.get(kind);
	if (!entry || entry.db !== db) {
		entry = { db, feed: createOpenDataFeed({ db, intervalSeconds: openDataIntervalSeconds(), now, kind, shared: true }) };
		feeds.set(kind, entry);
	}
	return entry.feed;
}
