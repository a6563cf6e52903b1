/**
 * The public open data feed (issue 7): which aggregate figures may be published and how
 * small counts are protected. Pure: no clock, no I/O; the caller passes raw counts in.
 *
 * No personal data is published, only counts of administrative acts per office, election
 * round and day. A count of 1–4 in a cell could still point at a person who is known to
 * have filed that day at that office (a small embassy), so such cells are suppressed.
 */
import { lastDayOfVoting, type Election, type Round } from './elections';

/** Counts of 1 to SUPPRESSION_THRESHOLD − 1 are never published; 0 is (it is no one). */
export const SUPPRESSION_THRESHOLD = 5;

/** A sensitive count: positive and below the threshold. */
export function isSensitive(count: number): boolean {
	return count > 0 && count < SUPPRESSION_THRESHOLD;
}

export interface ProtectedPartition<N extends string> {
	/** Each part as published: the count, or null when withheld. */
	parts: Record<N, number | null>;
	/** The row's total, always published for a row that is published at all (it is at least SUPPRESSION_THRESHOLD). */
	total: number;
	/** The withheld parts in column order: none, or every part. */
	suppressed: N[];
}

/**
 * Protects one row whose parts are mutually exclusive, e.g. requests of one office, round,
 * day and kind split by state. `total` (the sum of the parts when not given) may exceed the
 * sum of the parts: the difference is a cell of its own, the "remainder" (e.g. registrations
 * not accepted), never published as a column but known as total − parts.
 *
 * The rule (README, "Open data"; proved by the brute-force attacker of open-data.property.test.ts):
 * 1. A row whose total is 1–4 is left out (null), exactly like a row whose total is 0: the
 *    feed never shows that an office had a handful of anything on a day.
 * 2. A row with any cell (a part or the remainder) of 1–4 publishes its total and no part at
 *    all — zeros included, so that no subtraction and no "every other cell is 0" pins a
 *    withheld cell: with at least two cells and a total of 5 or more, every withheld cell
 *    can still take two or more values.
 * 3. Any other row is published whole.
 * Rows are protected one by one and no table publishes sums across rows (per office or per
 * election), so there is no margin to subtract from either.
 */
export function protectPartition<N extends string>(parts: readonly (readonly [N, number])[], total?: number): ProtectedPartition<N> | null {
	for (const [name, value] of parts) {
		if (!Number.isInteger(value) || value < 0) throw new RangeError(`Count ${name} must be a non-negative integer.`);
	}
	const partSum = parts.reduce((sum, [, value]) => sum + value, 0);
	const rowTotal = total ?? partSum;
	if (rowTotal < partSum) throw new RangeError(`A total (${rowTotal}) cannot be smaller than the sum of its parts (${partSum}).`);
	if (rowTotal < SUPPRESSION_THRESHOLD) return null;
	const withhold = parts.some(([, value]) => isSensitive(value)) || isSensitive(rowTotal - partSum);
	const published = {} as Record<N, number | null>;
	for (const [name, value] of parts) published[name] = withhold ? null : value;
	return { parts: published, total: rowTotal, suppressed: withhold ? parts.map(([name]) => name) : [] };
}

// ---------------------------------------------------------------------------------------
// The tables of the feed

export type OpenDataTableName = 'requests' | 'voter-cards' | 'registrations' | 'packages' | 'envelopes';
export const OPEN_DATA_TABLES: readonly OpenDataTableName[] = ['requests', 'voter-cards', 'registrations', 'packages', 'envelopes'];

export function isOpenDataTableName(value: string): value is OpenDataTableName {
	return (OPEN_DATA_TABLES as readonly string[]).includes(value);
}

/** The request kinds that belong to an election (a special-district registration does not). */
export type ElectionRequestKind = 'voter-card' | 'correspondence-package';
export type RequestStateName = 'received' | 'accepted' | 'issued' | 'completed' | 'refused' | 'cancelled';
export const REQUEST_STATES: readonly RequestStateName[] = ['received', 'accepted', 'issued', 'completed', 'refused', 'cancelled'];
/** A special-district registration counts as accepted once it was granted (§56(4)). */
export const REGISTRATION_ACCEPTED_STATES: readonly RequestStateName[] = ['accepted', 'issued', 'completed'];

/** Raw counts, as the statistics queries return them; `office` is the office's public code. */
export interface RawRequestCount {
	office: string;
	round: Round;
	day: string;
	kind: ElectionRequestKind;
	state: RequestStateName;
	count: number;
}
export interface RawDayCount {
	office: string;
	round: Round;
	day: string;
	count: number;
}
export interface RawRegistrationCount {
	office: string;
	day: string;
	received: number;
	accepted: number;
}
export interface RawEnvelopeCount {
	office: string;
	round: Round;
	day: string;
	received: number;
	late: number;
	/** outcome 'accepted': the official envelope went into the ballot box (§57d(3),(4)) */
	counted: number;
	/** §57d(2) */
	setAside: number;
}

export interface RequestRow {
	office: string;
	round: Round;
	day: string;
	kind: ElectionRequestKind;
	received: number | null;
	accepted: number | null;
	issued: number | null;
	completed: number | null;
	refused: number | null;
	cancelled: number | null;
	total: number;
	suppressed: string[];
}
export interface VoterCardRow {
	office: string;
	round: Round;
	day: string;
	issued: number;
	suppressed: string[];
}
export interface RegistrationRow {
	office: string;
	day: string;
	received: number;
	accepted: number | null;
	suppressed: string[];
}
export interface PackageRow {
	office: string;
	round: Round;
	day: string;
	dispatched: number;
	suppressed: string[];
}
export interface EnvelopeRow {
	office: string;
	round: Round;
	day: string;
	received: number;
	late: number | null;
	/** null and not in `suppressed` while the commission has not finished (no closure yet) */
	counted: number | null;
	setAside: number | null;
	commissionClosed: boolean;
	suppressed: string[];
}

export interface OpenDataTables {
	requests: RequestRow[];
	voterCards: VoterCardRow[];
	registrations: RegistrationRow[];
	packages: PackageRow[];
	envelopes: EnvelopeRow[];
}

export interface OpenDataInput {
	requests: readonly RawRequestCount[];
	voterCards: readonly RawDayCount[];
	registrations: readonly RawRegistrationCount[];
	packages: readonly RawDayCount[];
	envelopes: readonly RawEnvelopeCount[];
	/** The office/round pairs whose special commission has opened the ballot box (§57d(6)). */
	closures: readonly { office: string; round: Round }[];
}

const byOfficeRoundDay = (a: { office: string; round?: number; day: string }, b: { office: string; round?: number; day: string }) =>
	a.office.localeCompare(b.office) || (a.round ?? 0) - (b.round ?? 0) || a.day.localeCompare(b.day);

/** Requests of one office, round, day and kind, split by their current state. */
export function shapeRequestRows(counts: readonly RawRequestCount[]): RequestRow[] {
	const groups = new Map<string, { key: Omit<RawRequestCount, 'state' | 'count'>; byState: Record<RequestStateName, number> }>();
	for (const c of counts) {
		const id = `${c.office}|${c.round}|${c.day}|${c.kind}`;
		let group = groups.get(id);
		if (!group) {
			group = {
				key: { office: c.office, round: c.round, day: c.day, kind: c.kind },
				byState: { received: 0, accepted: 0, issued: 0, completed: 0, refused: 0, cancelled: 0 }
			};
			groups.set(id, group);
		}
		group.byState[c.state] += c.count;
	}
	return [...groups.values()]
		.flatMap(({ key, byState }) => {
			const p = protectPartition(REQUEST_STATES.map((s) => [s, byState[s]] as const));
			return p ? [{ ...key, ...p.parts, total: p.total, suppressed: p.suppressed }] : [];
		})
		.sort((a, b) => byOfficeRoundDay(a, b) || a.kind.localeCompare(b.kind));
}

/** A single count of 1–4 has nothing to hide among: its row is left out, like a day with none. */
export function shapeVoterCardRows(counts: readonly RawDayCount[]): VoterCardRow[] {
	return counts
		.filter((c) => c.count >= SUPPRESSION_THRESHOLD)
		.map((c) => ({ office: c.office, round: c.round, day: c.day, issued: c.count, suppressed: [] }))
		.sort(byOfficeRoundDay);
}

/** As voter cards: a day with 1–4 packages dispatched is left out. */
export function shapePackageRows(counts: readonly RawDayCount[]): PackageRow[] {
	return counts
		.filter((c) => c.count >= SUPPRESSION_THRESHOLD)
		.map((c) => ({ office: c.office, round: c.round, day: c.day, dispatched: c.count, suppressed: [] }))
		.sort(byOfficeRoundDay);
}

/** Received is the total; accepted is a part, and received − accepted the unpublished remainder. */
export function shapeRegistrationRows(counts: readonly RawRegistrationCount[]): RegistrationRow[] {
	return counts
		.flatMap((c) => {
			const p = protectPartition([['accepted', c.accepted] as const], c.received);
			return p ? [{ office: c.office, day: c.day, received: p.total, accepted: p.parts.accepted, suppressed: p.suppressed }] : [];
		})
		.sort(byOfficeRoundDay);
}

/**
 * Envelopes received on a day: how many arrived late (§57c(5)) and, only once the office's
 * commission has finished that round (a closure exists, §57d(6)), how many were counted
 * and how many set aside (§57d(2)). Before that the outcomes are not published at all:
 * partial figures from an unfinished count must not be read as results.
 */
export function shapeEnvelopeRows(
	counts: readonly RawEnvelopeCount[],
	closures: readonly { office: string; round: Round }[]
): EnvelopeRow[] {
	const closed = new Set(closures.map((c) => `${c.office}|${c.round}`));
	return counts
		.flatMap((c) => {
			const commissionClosed = closed.has(`${c.office}|${c.round}`);
			const parts: (readonly ['late' | 'counted' | 'setAside', number])[] = commissionClosed
				? [
						['late', c.late],
						['counted', c.counted],
						['setAside', c.setAside]
					]
				: [['late', c.late]];
			const p = protectPartition(parts, c.received);
			if (!p) return [];
			const part = (name: 'late' | 'counted' | 'setAside') => (p.parts as Partial<Record<string, number | null>>)[name] ?? null;
			return [
				{
					office: c.office,
					round: c.round,
					day: c.day,
					received: p.total,
					late: part('late'),
					counted: commissionClosed ? part('counted') : null,
					setAside: commissionClosed ? part('setAside') : null,
					commissionClosed,
					suppressed: p.suppressed as string[]
				}
			];
		})
		.sort(byOfficeRoundDay);
}

export function shapeOpenDataTables(input: OpenDataInput): OpenDataTables {
	return {
		requests: shapeRequestRows(input.requests),
		voterCards: shapeVoterCardRows(input.voterCards),
		registrations: shapeRegistrationRows(input.registrations),
		packages: shapePackageRows(input.packages),
		envelopes: shapeEnvelopeRows(input.envelopes, input.closures)
	};
}

/**
 * Special-district registrations belong to no election (§56(4): permanent until removal).
 * The feed of an election held abroad (§2(1)) counts those received from the announcement
 * day (§57(1)) to the last day of voting in Czechia of its last round (§2(2): D+1), in
 * Prague days (§78(2)). The windows of two elections may overlap; a registration in the
 * overlap is then counted in both feeds. Elections not held abroad have no window (null).
 */
export function registrationWindow(
	election: Pick<Election, 'announcedOn' | 'rounds' | 'votingAbroad'>
): { from: string; to: string } | null {
	if (!election.votingAbroad || election.rounds.length === 0) return null;
	const lastRound = Math.max(...election.rounds.map((r) => r.round)) as Round;
	return { from: election.announcedOn, to: lastDayOfVoting(election, lastRound).toString() };
}
