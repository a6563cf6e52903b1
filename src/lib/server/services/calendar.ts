/**
 * The published legal calendar of an election (issue 3): the deadlines of DOMAIN.md
 * "Deadlines" for voters, as a page, an iCalendar export and JSON. Read-only: no state
 * changes, hence no audit entry. The rules themselves live in src/lib/domain/deadlines.ts.
 */
import { Temporal } from 'temporal-polyfill';
import {
	PRAGUE,
	allowsCorrespondence,
	daysLeft,
	electionDeadlines,
	formatIsoWithOffset,
	isOnTime,
	type Deadline,
	type DeadlineKey,
	type EmbassyVoting,
	type Election,
	type ElectionType,
	type Round
} from '../../domain';
import type { DbOrTrx } from '../db/index';
import {
	findElectionById,
	findEmbassyById,
	listElections,
	listEmbassyVotingWindows,
	toDomainElection,
	type ElectionEmbassy,
	type EmbassyVotingWindowRow
} from '../db/queries/elections';
import { renderIcs, type IcsEvent } from '../ics';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a path or query value can be an id at all; anything else is a 404, never a database error. */
export function isUuid(value: string): boolean {
	return UUID.test(value);
}

export interface ElectionCalendar {
	election: Election;
	titleCs: string;
	titleEn: string;
	/** The embassy asked for, whose return-envelope deadline is included (§57c(4)). */
	embassy: ElectionEmbassy | null;
	deadlines: Deadline[];
}

export type CalendarLookup =
	| { ok: true; calendar: ElectionCalendar }
	| { ok: false; error: 'election-not-found' | 'office-not-found' };

/** An embassy's stored windows as the domain's per-round voting (§2(3)). */
export function toEmbassyVoting(timeZone: string, rows: readonly EmbassyVotingWindowRow[]): EmbassyVoting[] {
	const byRound = new Map<Round, EmbassyVoting & { windows: { start: string; end: string }[] }>();
	for (const row of rows) {
		let voting = byRound.get(row.round);
		if (!voting) {
			voting = { timeZone, round: row.round, windows: [] };
			byRound.set(row.round, voting);
		}
		voting.windows.push({ start: row.starts_local.slice(0, 16), end: row.ends_local.slice(0, 16) });
	}
	return [...byRound.values()].sort((a, b) => (a.round ?? 1) - (b.round ?? 1));
}

/**
 * Every deadline of an election; with `officeId`, also that embassy's return-envelope
 * deadline for each round where the election allows correspondence voting (§57c(4)).
 * A malformed or unknown election id is 'election-not-found'; an office id that is not
 * an embassy is 'office-not-found'.
 */
export async function findElectionCalendar(
	db: DbOrTrx,
	electionId: string,
	opts: { officeId?: string | null } = {}
): Promise<CalendarLookup> {
	if (!isUuid(electionId)) return { ok: false, error: 'election-not-found' };
	const row = await findElectionById(db, electionId);
	if (!row) return { ok: false, error: 'election-not-found' };
	const election = toDomainElection(row);

	let embassy: ElectionEmbassy | null = null;
	let voting: EmbassyVoting[] = [];
	if (opts.officeId !== undefined && opts.officeId !== null) {
		if (!isUuid(opts.officeId)) return { ok: false, error: 'office-not-found' };
		embassy = (await findEmbassyById(db, opts.officeId)) ?? null;
		if (!embassy) return { ok: false, error: 'office-not-found' };
		if (allowsCorrespondence(election)) {
			voting = toEmbassyVoting(embassy.time_zone, await listEmbassyVotingWindows(db, election.id, embassy.id));
		}
	}

	return {
		ok: true,
		calendar: {
			election,
			titleCs: row.title_cs,
			titleEn: row.title_en,
			embassy,
			deadlines: electionDeadlines(election, { embassy: voting })
		}
	};
}

// --- JSON (GET /api/elections, GET /api/elections/{id}/calendar) ---

export interface RoundJson {
	round: Round;
	firstDay: string;
}

export interface CalendarJson {
	election: { id: string; type: ElectionType; rounds: RoundJson[] };
	deadlines: { key: DeadlineKey; round: Round; at: string; section: string }[];
}

export interface ElectionListItemJson {
	id: string;
	type: ElectionType;
	title: string;
	rounds: RoundJson[];
}

function roundsJson(election: Pick<Election, 'rounds'>): RoundJson[] {
	return election.rounds.map((r) => ({ round: r.round, firstDay: r.firstDay }));
}

/** The published shape; `at` in Prague time with its offset (§78(2)), return-envelope included. */
export function calendarJson(calendar: ElectionCalendar): CalendarJson {
	return {
		election: { id: calendar.election.id, type: calendar.election.type, rounds: roundsJson(calendar.election) },
		deadlines: calendar.deadlines.map((d) => ({
			key: d.key,
			round: d.round,
			at: formatIsoWithOffset(d.at.withTimeZone(PRAGUE)),
			section: d.section
		}))
	};
}

/** Every election with its Czech title, soonest first. */
export async function listElectionsJson(db: DbOrTrx): Promise<ElectionListItemJson[]> {
	const rows = await listElections(db);
	return rows.map((row) => {
		const election = toDomainElection(row);
		return { id: election.id, type: election.type, title: row.title_cs, rounds: roundsJson(election) };
	});
}

// --- What a voter sees next to each deadline ---

export type DeadlineStatus =
	| { kind: 'passed' }
	| { kind: 'today' }
	| { kind: 'tomorrow' }
	| { kind: 'days'; days: number };

/**
 * How far away a deadline is at `now`, in Prague calendar days (domain `daysLeft`);
 * 'passed' from the deadline instant on (§78(1)(c): 16:00:00 Prague is already late).
 */
export function deadlineStatus(now: Temporal.Instant, deadline: Pick<Deadline, 'at'>): DeadlineStatus {
	if (!isOnTime(now, deadline)) return { kind: 'passed' };
	const days = daysLeft(now, deadline);
	if (days <= 0) return { kind: 'today' };
	if (days === 1) return { kind: 'tomorrow' };
	return { kind: 'days', days };
}

/**
 * A section as the domain writes it ('§57a(3)') the way each language cites it:
 * Czech '§ 57a odst. 3', English '§57a(3)'.
 */
export function formatSection(section: string, locale: 'cs' | 'en'): string {
	if (locale === 'en') return section;
	const match = /^§\s*(\d+[a-z]?)(?:\((\d+)\))?(?:\(([a-z])\))?$/.exec(section);
	if (!match) return section;
	const [, paragraph, subsection, letter] = match;
	let text = `§ ${paragraph}`;
	if (subsection) text += ` odst. ${subsection}`;
	if (letter) text += ` písm. ${letter})`;
	return text;
}

// --- iCalendar (GET /volby/{id}/kalendar.ics) ---

/** RFC 5545 UID: `<election-id>-<key>-<round>@volebni-portal`, plus the embassy for its return envelope. */
export function deadlineUid(calendar: Pick<ElectionCalendar, 'election' | 'embassy'>, deadline: Deadline): string {
	const office = deadline.key === 'return-envelope' && calendar.embassy ? `-${calendar.embassy.id}` : '';
	return `${calendar.election.id}-${deadline.key}-${deadline.round}${office}@volebni-portal`;
}

export interface IcsTexts {
	calendarName: string;
	summary(deadline: Deadline): string;
	description(deadline: Deadline): string;
}

/**
 * The deadlines as an iCalendar file; every event starts at the deadline instant (UTC)
 * and lasts 15 minutes. `stamp` is the export time from the clock (DTSTAMP).
 */
export function electionIcs(
	calendar: ElectionCalendar,
	opts: { stamp: Temporal.Instant; locale: 'cs' | 'en'; texts: IcsTexts; url?: string }
): string {
	const events: IcsEvent[] = calendar.deadlines.map((deadline) => ({
		uid: deadlineUid(calendar, deadline),
		start: deadline.at.toInstant(),
		durationMinutes: 15,
		summary: opts.texts.summary(deadline),
		description: opts.texts.description(deadline),
		url: opts.url
	}));
	return renderIcs({
		prodId: `-//Volebni portal//Kalendar lhut//${opts.locale.toUpperCase()}`,
		name: opts.texts.calendarName,
		stamp: opts.stamp,
		events
	});
}
