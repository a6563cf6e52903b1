import { Temporal } from 'temporal-polyfill';
import {
	defaultElectionSettings,
	defaultEmbassyVotingWindows,
	ELECTION_TYPE_RULES,
	electionDeadlines,
	formatIsoWithOffset,
	requestsOpenAt,
	validateElection,
	type DeadlineKey,
	type Election,
	type ElectionError,
	type ElectionRound,
	type ElectionType,
	type Round
} from '../../domain';
import { DEFAULT_RETENTION_DAYS, validateRetentionDays } from '../../domain/retention';
import { parseIsoDate } from '../../domain/elections';
import { toDate } from '../clock';
import type { Db, Trx } from '../db/index';
import {
	findAdminElectionByIdForUpdate,
	listElectionVotingWindows,
	replaceVotingWindowsOfRound,
	updateElectionRoundFirstDay,
	updateElectionSettings,
	type AdminElectionRow,
	type VotingWindowRow
} from '../db/queries/admin';
import { insertElectionWithRounds } from '../db/queries/elections';
import { appendAudit, type Actor } from './audit';

export interface CreateElectionInput {
	type: ElectionType;
	announcedOn: string;
	rounds: ElectionRound[];
	titleCs?: string;
	titleEn?: string;
	correspondenceAllowed?: boolean;
	earliestVoterCardIssueDays?: number | null;
	excludedCountries?: string[];
	/** §22(6): the day the results were declared, YYYY-MM-DD; usually set later, by an edit. */
	resultsDeclaredOn?: string | null;
	/** §22(6): a pending court challenge stops the retention clock. */
	underCourtChallenge?: boolean;
	/** §22(6): days the voter data is kept after the results are declared (*configurable*, default 90). */
	retentionDays?: number;
}

export type CreateElectionResult = { ok: true; id: string } | { ok: false; errors: ElectionError[] };

const TITLES: Record<ElectionType, { cs: string; en: string }> = {
	chamber: { cs: 'Volby do Poslanecké sněmovny', en: 'Elections to the Chamber of Deputies' },
	president: { cs: 'Volba prezidenta republiky', en: 'Presidential election' },
	european: { cs: 'Volby do Evropského parlamentu', en: 'Elections to the European Parliament' },
	senate: { cs: 'Volby do Senátu', en: 'Elections to the Senate' },
	regional: { cs: 'Volby do zastupitelstev krajů', en: 'Regional elections' },
	municipal: { cs: 'Volby do zastupitelstev obcí', en: 'Municipal elections' }
};

export function defaultTitles(type: ElectionType, firstDay: string): { cs: string; en: string } {
	const year = firstDay.slice(0, 4);
	return { cs: `${TITLES[type].cs} ${year}`, en: `${TITLES[type].en} ${year}` };
}

/**
 * Creates an election with its rounds and, where it is held abroad, every embassy's
 * default voting windows of §2(3); rules and rows and the audit entry in one transaction.
 */
export async function createElection(
	db: Db,
	input: CreateElectionInput,
	actor: Actor,
	now: Temporal.Instant
): Promise<CreateElectionResult> {
	const defaults = defaultElectionSettings(input.type);
	const election: Election = {
		id: 'new',
		type: input.type,
		announcedOn: input.announcedOn,
		rounds: input.rounds,
		votingAbroad: defaults.votingAbroad,
		correspondenceAllowed: input.correspondenceAllowed ?? defaults.correspondenceAllowed,
		earliestVoterCardIssueDays:
			input.earliestVoterCardIssueDays === undefined ? defaults.earliestVoterCardIssueDays : input.earliestVoterCardIssueDays,
		excludedCountries: input.excludedCountries ?? [...defaults.excludedCountries]
	};
	const validation = validateElection(election);
	if (!validation.ok) return validation;
	const retention = retentionSettings(input);
	const titles = defaultTitles(input.type, input.rounds[0]?.firstDay ?? '');

	const id = await db.transaction().execute(async (trx) => {
		const newId = await insertElectionWithRounds(trx, election, {
			title_cs: input.titleCs ?? titles.cs,
			title_en: input.titleEn ?? input.titleCs ?? titles.en,
			results_declared_on: retention.resultsDeclaredOn,
			under_court_challenge: retention.underCourtChallenge,
			retention_days: retention.retentionDays
		});
		if (election.votingAbroad) {
			const embassies = await trx.selectFrom('office').select(['id', 'time_zone']).where('kind', '=', 'embassy').execute();
			const windows = embassies.flatMap((embassy) => election.rounds.flatMap((r) => defaultWindowRows(newId, r, embassy)));
			if (windows.length) await trx.insertInto('embassy_voting_window').values(windows).execute();
		}
		await appendAudit(trx, {
			actor,
			action: 'election.create',
			entityType: 'election',
			entityId: newId,
			after: { ...election, id: newId, ...retention },
			at: now
		});
		return newId;
	});
	return { ok: true, id };
}

/** §22(6) settings with their defaults; callers validate them first (admin-elections.ts), so a bad one is a bug. */
function retentionSettings(input: Pick<CreateElectionInput, 'resultsDeclaredOn' | 'underCourtChallenge' | 'retentionDays'>) {
	const retentionDays = input.retentionDays ?? DEFAULT_RETENTION_DAYS;
	if (validateRetentionDays(retentionDays)) throw new RangeError(`Invalid retention days: ${retentionDays}`);
	const resultsDeclaredOn = input.resultsDeclaredOn ?? null;
	if (resultsDeclaredOn !== null && !parseIsoDate(resultsDeclaredOn)) throw new RangeError(`Invalid results date: ${resultsDeclaredOn}`);
	return { resultsDeclaredOn, underCourtChallenge: input.underCourtChallenge ?? false, retentionDays };
}

// --- Editing an election ------------------------------------------------------------------------

/** The domain's view of an election row with its rounds. */
export function electionFromRow(row: Pick<AdminElectionRow, 'id' | 'type' | 'announced_on' | 'rounds' | 'correspondence_allowed' | 'voting_abroad' | 'earliest_voter_card_issue_days' | 'excluded_countries'>): Election {
	return {
		id: row.id,
		type: row.type,
		announcedOn: row.announced_on,
		rounds: row.rounds.map((r) => ({ round: r.round, firstDay: r.first_day })),
		correspondenceAllowed: row.correspondence_allowed,
		votingAbroad: row.voting_abroad,
		earliestVoterCardIssueDays: row.earliest_voter_card_issue_days,
		excludedCountries: row.excluded_countries
	};
}

/** A deadline of the deadline table, or the opening of requests at the announcement (§57(1)). */
export type CalendarKey = DeadlineKey | 'requests-open';

/** One deadline that an edit moves, with its instant before and after (ISO with the Prague offset; null = none). */
export interface MovedDeadline {
	key: CalendarKey;
	round: Round;
	section: string;
	before: string | null;
	after: string | null;
	/** Whether it had passed at `now` before the change, or would have after it. */
	passed: boolean;
}

/** 'key:round', e.g. 'correspondence-request-written:1'. */
export function deadlineId(d: Pick<MovedDeadline, 'key' | 'round'>): string {
	return `${d.key}:${d.round}`;
}

function calendarOf(election: Election): Map<string, { key: CalendarKey; round: Round; section: string; at: Temporal.ZonedDateTime }> {
	const entries = new Map<string, { key: CalendarKey; round: Round; section: string; at: Temporal.ZonedDateTime }>();
	// §57(1): requests are accepted from the announcement day.
	entries.set('requests-open:1', { key: 'requests-open', round: 1, section: '§57(1)', at: requestsOpenAt(election) });
	for (const d of electionDeadlines(election)) entries.set(`${d.key}:${d.round}`, { key: d.key, round: d.round, section: d.section, at: d.at });
	return entries;
}

/**
 * The deadlines (DOMAIN.md "Deadlines", without the per-embassy return envelope) that differ
 * between two versions of an election, in calendar order. A deadline that appears or goes
 * (e.g. correspondence switched off) counts as moved.
 */
export function movedDeadlines(before: Election, after: Election, now: Temporal.Instant): MovedDeadline[] {
	const a = calendarOf(before);
	const b = calendarOf(after);
	const moved: (MovedDeadline & { sortAt: Temporal.Instant })[] = [];
	for (const id of new Set([...a.keys(), ...b.keys()])) {
		const was = a.get(id);
		const will = b.get(id);
		if (was && will && Temporal.ZonedDateTime.compare(was.at, will.at) === 0) continue;
		const hasPassed = (at: Temporal.ZonedDateTime | undefined) => at !== undefined && Temporal.Instant.compare(now, at.toInstant()) >= 0;
		const entry = (was ?? will)!;
		moved.push({
			key: entry.key,
			round: entry.round,
			section: entry.section,
			before: was ? formatIsoWithOffset(was.at) : null,
			after: will ? formatIsoWithOffset(will.at) : null,
			passed: hasPassed(was?.at) || hasPassed(will?.at),
			sortAt: (was ?? will)!.at.toInstant()
		});
	}
	return moved
		.sort((x, y) => Temporal.Instant.compare(x.sortAt, y.sortAt) || x.round - y.round)
		.map(({ sortAt: _sortAt, ...rest }) => rest);
}

/** Local wall-clock minutes, as the domain writes windows: 'YYYY-MM-DDTHH:mm'. */
function minutes(local: string): string {
	return local.slice(0, 16);
}

/** Whether stored windows of one round are exactly the §2(3) defaults for a first day and zone. */
export function windowsAreDefault(
	windows: readonly { starts_local: string; ends_local: string }[],
	firstDay: string,
	timeZone: string
): boolean {
	const defaults = defaultEmbassyVotingWindows(firstDay, timeZone);
	return (
		windows.length === defaults.length &&
		windows.every((w, i) => minutes(w.starts_local) === defaults[i]!.start && minutes(w.ends_local) === defaults[i]!.end)
	);
}

export interface WindowShift {
	/** Embassy rounds moved to the new defaults. */
	moved: { officeId: string; round: Round }[];
	/** Embassy rounds whose own windows were kept: an administrator should look at them. */
	customKept: { officeId: string; round: Round }[];
}

/**
 * §2(3): after D of a round or an embassy's time zone changed, the windows that still equal
 * the old defaults move to the new defaults; windows an administrator set are kept, and named.
 */
export async function shiftDefaultWindows(
	trx: Trx,
	changes: readonly { officeId: string; electionId: string; round: Round; before: { firstDay: string; timeZone: string }; after: { firstDay: string; timeZone: string }; windows: readonly VotingWindowRow[] }[]
): Promise<WindowShift> {
	const shift: WindowShift = { moved: [], customKept: [] };
	for (const change of changes) {
		if (change.windows.length > 0 && !windowsAreDefault(change.windows, change.before.firstDay, change.before.timeZone)) {
			shift.customKept.push({ officeId: change.officeId, round: change.round });
			continue;
		}
		await replaceVotingWindowsOfRound(
			trx,
			{ officeId: change.officeId, electionId: change.electionId, round: change.round },
			defaultEmbassyVotingWindows(change.after.firstDay, change.after.timeZone)
		);
		shift.moved.push({ officeId: change.officeId, round: change.round });
	}
	return shift;
}

export interface UpdateElectionInput {
	id: string;
	/** The election's version as the administrator saw it (AdminElectionRow.version): an edit of an older one is refused. */
	version: string;
	titleCs: string;
	titleEn: string;
	announcedOn: string;
	/** The same rounds as before (the type, and so the number of rounds, is fixed), with their D. */
	rounds: ElectionRound[];
	correspondenceAllowed: boolean;
	earliestVoterCardIssueDays: number | null;
	excludedCountries: string[];
	resultsDeclaredOn: string | null;
	underCourtChallenge: boolean;
	retentionDays: number;
	/**
	 * The passed deadlines the administrator saw and confirmed moving (`deadlineId`); one that
	 * passed since they looked asks again.
	 */
	confirmed: readonly string[];
}

export type UpdateElectionResult =
	| { kind: 'ok'; movedDeadlines: MovedDeadline[]; windows: WindowShift }
	| { kind: 'invalid'; errors: ElectionError[] }
	/** Moving a deadline that has passed (or would have) needs the administrator's confirmation first. */
	| { kind: 'confirm'; movedDeadlines: MovedDeadline[] }
	| { kind: 'not-found' }
	/** Someone else saved the election since the administrator opened it. */
	| { kind: 'changed-meanwhile' };

/**
 * Edits an election: its dates (the type is fixed), correspondence voting where the law leaves
 * it open, the excluded countries, the earliest voter-card issue and the §22(6) settings. A
 * change that moves a deadline that has already passed at `now` (or puts one in the past) is
 * written only once confirmed. Embassies' windows that still equal the old defaults follow
 * the new D (§2(3)). Rules, rows and the audit entry in one transaction.
 */
export async function updateElection(db: Db, input: UpdateElectionInput, actor: Actor, now: Temporal.Instant): Promise<UpdateElectionResult> {
	const retention = retentionSettings(input);
	return db.transaction().execute(async (trx): Promise<UpdateElectionResult> => {
		const row = await findAdminElectionByIdForUpdate(trx, input.id);
		if (!row) return { kind: 'not-found' };
		if (row.version !== input.version) return { kind: 'changed-meanwhile' };

		const before = electionFromRow(row);
		const rules = ELECTION_TYPE_RULES[row.type];
		const after: Election = {
			...before,
			announcedOn: input.announcedOn,
			rounds: input.rounds,
			// §57a(1): only where the law leaves it to the administrator (European Parliament).
			correspondenceAllowed: rules.correspondenceConfigurable ? input.correspondenceAllowed : before.correspondenceAllowed,
			earliestVoterCardIssueDays: input.earliestVoterCardIssueDays,
			excludedCountries: input.excludedCountries
		};
		const sameRounds =
			after.rounds.length === before.rounds.length && after.rounds.every((r, i) => r.round === before.rounds[i]?.round);
		if (!sameRounds) return { kind: 'invalid', errors: [{ field: 'rounds', code: 'wrong-number-of-rounds' }] };
		const validation = validateElection(after);
		if (!validation.ok) return { kind: 'invalid', errors: validation.errors };

		const moved = movedDeadlines(before, after, now);
		const passed = moved.filter((d) => d.passed);
		if (passed.some((d) => !input.confirmed.includes(deadlineId(d)))) return { kind: 'confirm', movedDeadlines: passed };

		const written = await updateElectionSettings(
			trx,
			row.id,
			row.version,
			{
				title_cs: input.titleCs,
				title_en: input.titleEn,
				announced_on: after.announcedOn,
				correspondence_allowed: after.correspondenceAllowed,
				excluded_countries: [...after.excludedCountries],
				earliest_voter_card_issue_days: after.earliestVoterCardIssueDays,
				results_declared_on: retention.resultsDeclaredOn,
				under_court_challenge: retention.underCourtChallenge,
				retention_days: retention.retentionDays
			},
			toDate(now)
		);
		if (!written) return { kind: 'changed-meanwhile' };

		const changedRounds = after.rounds.filter((r, i) => r.firstDay !== before.rounds[i]!.firstDay);
		for (const r of changedRounds) await updateElectionRoundFirstDay(trx, row.id, r.round, r.firstDay);

		let windows: WindowShift = { moved: [], customKept: [] };
		if (after.votingAbroad && changedRounds.length > 0) {
			const stored = await listElectionVotingWindows(trx, row.id);
			const zones = new Map(
				(await trx.selectFrom('office').select(['id', 'time_zone']).where('kind', '=', 'embassy').execute()).map((o) => [o.id, o.time_zone])
			);
			windows = await shiftDefaultWindows(
				trx,
				[...zones].flatMap(([officeId, timeZone]) =>
					changedRounds.map((r) => ({
						officeId,
						electionId: row.id,
						round: r.round,
						before: { firstDay: before.rounds.find((b) => b.round === r.round)!.firstDay, timeZone },
						after: { firstDay: r.firstDay, timeZone },
						windows: stored.filter((w) => w.office_id === officeId && w.round === r.round)
					}))
				)
			);
		}

		await appendAudit(trx, {
			actor,
			action: 'election.update',
			entityType: 'election',
			entityId: row.id,
			before: {
				...before,
				titleCs: row.title_cs,
				titleEn: row.title_en,
				resultsDeclaredOn: row.results_declared_on,
				underCourtChallenge: row.under_court_challenge,
				retentionDays: row.retention_days
			},
			after: {
				...after,
				titleCs: input.titleCs,
				titleEn: input.titleEn,
				...retention,
				movedDeadlines: moved,
				passedDeadlinesConfirmed: passed.length > 0,
				windowsMoved: windows.moved,
				customWindowsKept: windows.customKept
			},
			at: now
		});
		return { kind: 'ok', movedDeadlines: moved, windows };
	});
}

/**
 * §2(3): the voting-window rows an embassy is proposed for one round, from its time zone; an
 * administrator may change them. Used when an election or a rehearsal is created.
 */
export function defaultWindowRows(electionId: string, round: { round: number; firstDay: string }, embassy: { id: string; time_zone: string }) {
	return defaultEmbassyVotingWindows(round.firstDay, embassy.time_zone).map((w, i) => ({
		election_id: electionId,
		round: round.round,
		office_id: embassy.id,
		window_no: i + 1,
		starts_local: w.start,
		ends_local: w.end
	}));
}
