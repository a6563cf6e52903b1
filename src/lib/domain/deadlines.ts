/**
 * Deadlines of an election and voting windows abroad.
 *
 * DOMAIN.md "Deadlines (all in Europe/Prague time)". Pure: the caller passes `now`.
 * All time-zone arithmetic goes through Temporal; no offsets are computed by hand.
 */
import { Temporal } from 'temporal-polyfill';
import {
	allowsCorrespondence,
	firstDayOf,
	hasVoterCards,
	parseIsoDate,
	type Election,
	type Round
} from './elections';

/** §78(2): the Prague hour and day govern abroad too. */
export const PRAGUE = 'Europe/Prague';

/** §78(1)(c): a day-counted deadline is met if the filing reaches the office by 16:00 on its last day. */
export const DEADLINE_HOUR = Temporal.PlainTime.from('16:00');

export type DeadlineKey =
	| 'voter-card-mail-request'
	| 'voter-card-post-dispatch'
	| 'voter-card-pickup-request'
	| 'voter-card-pickup'
	| 'voter-card-earliest-issue'
	| 'special-district-registration'
	| 'correspondence-request-written'
	| 'correspondence-request-in-person'
	| 'correspondence-dispatch'
	| 'return-envelope';

export const DEADLINE_KEYS: readonly DeadlineKey[] = [
	'voter-card-mail-request',
	'voter-card-post-dispatch',
	'voter-card-pickup-request',
	'voter-card-pickup',
	'voter-card-earliest-issue',
	'special-district-registration',
	'correspondence-request-written',
	'correspondence-request-in-person',
	'correspondence-dispatch',
	'return-envelope'
];

export interface Deadline {
	key: DeadlineKey;
	round: Round;
	/** The instant of the deadline, in Europe/Prague. */
	at: Temporal.ZonedDateTime;
	/** The section that sets it, e.g. '§57(3)'. */
	section: string;
	/** For 'return-envelope' only: the same instant in the embassy's own time zone (§57c(4)). */
	localAt?: Temporal.ZonedDateTime;
}

/** One voting window of an embassy, as local wall-clock time 'YYYY-MM-DDTHH:mm' (§2(3)). */
export interface VotingWindow {
	start: string;
	end: string;
}

/** How one embassy votes in one round: its IANA time zone and its two windows (§2(3), *configurable*). */
export interface EmbassyVoting {
	timeZone: string;
	windows: readonly VotingWindow[];
	/** The round these windows belong to; 1 when absent. */
	round?: Round;
}

/** "D−N": 16:00 Prague on the calendar day N days before D, with no shift for weekends or holidays (§78(1)(c)). */
export function daysBeforeAt16Prague(firstDay: Temporal.PlainDate, days: number): Temporal.ZonedDateTime {
	return firstDay.subtract({ days }).toZonedDateTime({ timeZone: PRAGUE, plainTime: DEADLINE_HOUR });
}

/** 00:00 Prague at the start of the calendar day N days before D. */
export function startOfDayBeforePrague(firstDay: Temporal.PlainDate, days: number): Temporal.ZonedDateTime {
	return firstDay.subtract({ days }).toZonedDateTime({ timeZone: PRAGUE });
}

interface DayCountedRule {
	key: Exclude<DeadlineKey, 'voter-card-earliest-issue' | 'return-envelope'>;
	daysBefore: number;
	section: string;
	appliesTo: (election: Election) => boolean;
}

/** §2(1): only elections held abroad have special districts. */
const heldAbroad = (election: Election) => election.votingAbroad;

/** Rows 2–5 and 7–10 of the deadline table: every "D−N" rule. */
export const DAY_COUNTED_RULES: readonly DayCountedRule[] = [
	// §57(3): a voter card to be mailed is requested by D−10.
	{ key: 'voter-card-mail-request', daysBefore: 10, section: '§57(3)', appliesTo: hasVoterCards },
	// §57(3): the office hands a mailed card to the post by D−7.
	{ key: 'voter-card-post-dispatch', daysBefore: 7, section: '§57(3)', appliesTo: hasVoterCards },
	// §57(3): a card collected in person or by proxy is requested (any channel) by D−2.
	{ key: 'voter-card-pickup-request', daysBefore: 2, section: '§57(3)', appliesTo: hasVoterCards },
	// §57(3): the last collection of a voter card is on D−2.
	{ key: 'voter-card-pickup', daysBefore: 2, section: '§57(3)', appliesTo: hasVoterCards },
	// §57(6): special-district registration at an embassy by D−3.
	{ key: 'special-district-registration', daysBefore: 3, section: '§57(6)', appliesTo: heldAbroad },
	// §57a(3): correspondence request in writing or online (data box, verified letter, portal with eID) by D−35.
	{ key: 'correspondence-request-written', daysBefore: 35, section: '§57a(3)', appliesTo: allowsCorrespondence },
	// §57a(3): correspondence request in person or by proxy at the embassy by D−2.
	{ key: 'correspondence-request-in-person', daysBefore: 2, section: '§57a(3)', appliesTo: allowsCorrespondence },
	// §57b(1): the embassy sends the packages by D−25.
	{ key: 'correspondence-dispatch', daysBefore: 25, section: '§57b(1)', appliesTo: allowsCorrespondence }
];

/** §57(1): all requests are accepted from the announcement day, i.e. 00:00 Prague on `announcedOn`. */
export function requestsOpenAt(election: Pick<Election, 'announcedOn'>): Temporal.ZonedDateTime {
	const announcedOn = parseIsoDate(election.announcedOn);
	if (!announcedOn) throw new RangeError('Election has no valid announcement date');
	return announcedOn.toZonedDateTime({ timeZone: PRAGUE });
}

/** §57(1): whether requests for this election are already accepted at `now`. */
export function areRequestsOpen(now: Temporal.Instant, election: Pick<Election, 'announcedOn'>): boolean {
	return Temporal.Instant.compare(now, requestsOpenAt(election).toInstant()) >= 0;
}

function embassyVotingsOf(embassy: EmbassyVoting | readonly EmbassyVoting[] | undefined): readonly EmbassyVoting[] {
	if (embassy === undefined) return [];
	return isEmbassyVotingList(embassy) ? embassy : [embassy];
}

function isEmbassyVotingList(value: EmbassyVoting | readonly EmbassyVoting[]): value is readonly EmbassyVoting[] {
	return Array.isArray(value);
}

/**
 * Every deadline of an election, per round, sorted by instant then round.
 * Keys that do not apply to the election are absent. 'return-envelope' is present only
 * for the embassy (one `EmbassyVoting` per round) given in `opts.embassy`.
 */
export function electionDeadlines(
	election: Election,
	opts: { embassy?: EmbassyVoting | readonly EmbassyVoting[] } = {}
): Deadline[] {
	if (opts.embassy !== undefined) return computeElectionDeadlines(election, opts);
	// Without an embassy the deadlines depend on the election's settings alone: computed once per
	// settings (npm run bench: computing them took a sixth of the portal's CPU per filing). A
	// fresh array each time; the deadlines in it are frozen, as shared values must be.
	const key = JSON.stringify([election.type, election.announcedOn, election.rounds, election.correspondenceAllowed, election.votingAbroad, election.earliestVoterCardIssueDays, election.excludedCountries]);
	let cached = deadlinesBySettings.get(key);
	if (!cached) {
		cached = computeElectionDeadlines(election, opts).map((d) => Object.freeze(d));
		if (deadlinesBySettings.size >= DEADLINE_CACHE_SIZE) deadlinesBySettings.clear();
		deadlinesBySettings.set(key, cached);
	}
	return [...cached];
}

/** Elections' deadlines by their settings (there are a handful of elections at a time). */
const deadlinesBySettings = new Map<string, readonly Deadline[]>();
const DEADLINE_CACHE_SIZE = 256;

function computeElectionDeadlines(election: Election, opts: { embassy?: EmbassyVoting | readonly EmbassyVoting[] }): Deadline[] {
	const deadlines: Deadline[] = [];

	for (const { round } of election.rounds) {
		const firstDay = firstDayOf(election, round);

		for (const rule of DAY_COUNTED_RULES) {
			if (!rule.appliesTo(election)) continue;
			deadlines.push({
				key: rule.key,
				round,
				at: daysBeforeAt16Prague(firstDay, rule.daysBefore),
				section: rule.section
			});
		}

		// §57(4): voter cards are handed over or mailed no earlier than the start of day D−N
		// (D−15 for European Parliament by default; none for others).
		const earliest = election.earliestVoterCardIssueDays;
		if (earliest !== null && hasVoterCards(election)) {
			deadlines.push({
				key: 'voter-card-earliest-issue',
				round,
				at: startOfDayBeforePrague(firstDay, earliest),
				section: '§57(4)'
			});
		}
	}

	// §57c(4): the return envelope must reach the embassy by the close of voting in its special district.
	if (allowsCorrespondence(election)) {
		for (const voting of embassyVotingsOf(opts.embassy)) {
			const round = voting.round ?? 1;
			if (!election.rounds.some((r) => r.round === round)) continue;
			const localAt = returnEnvelopeDeadline(voting);
			deadlines.push({
				key: 'return-envelope',
				round,
				at: localAt.withTimeZone(PRAGUE),
				section: '§57c(4)',
				localAt
			});
		}
	}

	return deadlines.sort(
		(a, b) => Temporal.ZonedDateTime.compare(a.at, b.at) || a.round - b.round
	);
}

export function findDeadline(
	deadlines: readonly Deadline[],
	key: DeadlineKey,
	round: Round = 1
): Deadline | undefined {
	return deadlines.find((d) => d.key === key && d.round === round);
}

/**
 * One deadline of one round, or undefined where it does not apply.
 * 'return-envelope' needs the embassy's voting windows.
 */
export function deadlineFor(
	election: Election,
	key: DeadlineKey,
	round: Round = 1,
	opts: { embassy?: EmbassyVoting | readonly EmbassyVoting[] } = {}
): Deadline | undefined {
	return findDeadline(electionDeadlines(election, opts), key, round);
}

/** §78(1)(c): on time means strictly before the deadline; 16:00:00.000 Prague is already late. */
export function isOnTime(now: Temporal.Instant, deadline: Pick<Deadline, 'at'>): boolean {
	return Temporal.Instant.compare(now, deadline.at.toInstant()) < 0;
}

/** The inverse, for lower limits such as 'voter-card-earliest-issue' (§57(4)): `now` is at or after it. */
export function isNotBefore(now: Temporal.Instant, deadline: Pick<Deadline, 'at'>): boolean {
	return !isOnTime(now, deadline);
}

/** ISO 8601 with offset and whole seconds, e.g. '2025-08-29T16:00:00+02:00', for JSON APIs. */
export function formatIsoWithOffset(zdt: Temporal.ZonedDateTime): string {
	return zdt.toString({ timeZoneName: 'never', fractionalSecondDigits: 0 });
}

/**
 * Whole Prague calendar days from today's Prague date to the deadline's Prague date.
 * 1 = the deadline is tomorrow; 0 = it is today (it may already have passed if it is
 * after 16:00, so ask `isOnTime` too); negative = the deadline day is over.
 */
export function daysLeft(now: Temporal.Instant, deadline: Pick<Deadline, 'at'>): number {
	const today = now.toZonedDateTimeISO(PRAGUE).toPlainDate();
	const deadlineDay = deadline.at.withTimeZone(PRAGUE).toPlainDate();
	return today.until(deadlineDay, { largestUnit: 'days' }).days;
}

/**
 * §77: a refusal of any request is notified in writing "within 3 days of the request".
 * Interpretation: the day of receipt does not count (the usual way of counting periods in
 * days); the period ends at the end of the third Prague calendar day after it. The 16:00 rule
 * of §78(1)(c) governs filings reaching an office, not the office's own notice, so the
 * notice is due before 00:00 Prague at the start of (day of receipt + 4).
 */
export function decisionDeadline(receivedAt: Temporal.Instant): Temporal.Instant {
	const receiptDay = receivedAt.toZonedDateTimeISO(PRAGUE).toPlainDate();
	return receiptDay.add({ days: 4 }).toZonedDateTime({ timeZone: PRAGUE }).toInstant();
}

// --- Voting windows abroad (§2(2), §2(3)) ---

/** Whether a string names an IANA time zone known to the runtime. */
export function isKnownTimeZone(timeZone: string): boolean {
	try {
		new Temporal.ZonedDateTime(0n, timeZone);
		return true;
	} catch {
		return false;
	}
}

const HOUR_NS = 3_600_000_000_000;

function localWindow(day: Temporal.PlainDate, from: string, to: string): VotingWindow {
	return {
		start: day.toPlainDateTime(Temporal.PlainTime.from(from)).toString({ smallestUnit: 'minute' }),
		end: day.toPlainDateTime(Temporal.PlainTime.from(to)).toString({ smallestUnit: 'minute' })
	};
}

/**
 * §2(3): the default two voting windows of an embassy, in its local time, for the round
 * whose first day in Czechia (D, a Friday) is `firstDay`. The embassy's offset is compared
 * with Prague's at the opening of voting in Czechia, D 14:00 Prague (§2(2)):
 * - more than 2 hours behind Prague (the Americas): Thursday 14:00–22:00, Friday 08:00–14:00;
 * - behind by more than 0 and at most 2 hours: Friday 12:00–22:00, Saturday 08:00–12:00;
 * - same time or ahead: Friday 14:00–22:00, Saturday 08:00–14:00.
 * The result is a default: each embassy's windows are stored per election (*configurable*).
 */
export function defaultEmbassyVotingWindows(firstDay: string, timeZone: string): VotingWindow[] {
	const d = parseIsoDate(firstDay);
	if (!d) throw new RangeError(`Invalid first day: ${firstDay}`);
	const opening = d.toZonedDateTime({ timeZone: PRAGUE, plainTime: Temporal.PlainTime.from('14:00') });
	const behindNs = opening.offsetNanoseconds - opening.withTimeZone(timeZone).offsetNanoseconds;

	if (behindNs > 2 * HOUR_NS) {
		const thursday = d.subtract({ days: 1 });
		return [localWindow(thursday, '14:00', '22:00'), localWindow(d, '08:00', '14:00')];
	}
	const saturday = d.add({ days: 1 });
	if (behindNs > 0) {
		return [localWindow(d, '12:00', '22:00'), localWindow(saturday, '08:00', '12:00')];
	}
	return [localWindow(d, '14:00', '22:00'), localWindow(saturday, '08:00', '14:00')];
}

/** §2(3): default voting of one embassy in every round of an election. */
export function defaultEmbassyVoting(election: Pick<Election, 'rounds'>, timeZone: string): EmbassyVoting[] {
	return election.rounds.map(({ round, firstDay }) => ({
		timeZone,
		round,
		windows: defaultEmbassyVotingWindows(firstDay, timeZone)
	}));
}

/**
 * A local wall-clock time of the embassy as an instant in its zone. A time inside a
 * daylight-saving gap or overlap resolves the 'compatible' way (later for gaps, earlier for overlaps).
 */
export function windowInstant(localDateTime: string, timeZone: string): Temporal.ZonedDateTime {
	return Temporal.PlainDateTime.from(localDateTime).toZonedDateTime(timeZone, { disambiguation: 'compatible' });
}

/** §57c(4): the close of the embassy's last voting window, in the embassy's own time zone. */
export function returnEnvelopeDeadline(voting: EmbassyVoting): Temporal.ZonedDateTime {
	let last: Temporal.ZonedDateTime | null = null;
	for (const window of voting.windows) {
		const end = windowInstant(window.end, voting.timeZone);
		if (last === null || Temporal.ZonedDateTime.compare(end, last) > 0) last = end;
	}
	if (last === null) throw new RangeError('Embassy voting has no windows');
	return last;
}

/** §57c(4) and §78(2): the same deadline shown in Prague time. */
export function returnEnvelopeDeadlineInPrague(voting: EmbassyVoting): Temporal.ZonedDateTime {
	return returnEnvelopeDeadline(voting).withTimeZone(PRAGUE);
}

/**
 * §57c(4), §57c(5): voting in the special district has closed at `now`; a return envelope
 * arriving now is kept unopened and never counted.
 */
export function isVotingClosed(now: Temporal.Instant, voting: EmbassyVoting): boolean {
	return Temporal.Instant.compare(now, returnEnvelopeDeadline(voting).toInstant()) >= 0;
}

export type EmbassyVotingErrorCode =
	| 'invalid-time-zone'
	| 'no-windows'
	| 'invalid-window-time'
	| 'window-end-not-after-start'
	| 'windows-overlap';

/** Checks an embassy's configured windows before they are stored (§2(3), *configurable*). */
export function validateEmbassyVoting(
	voting: EmbassyVoting
): { ok: true } | { ok: false; errors: { window?: number; code: EmbassyVotingErrorCode }[] } {
	if (!isKnownTimeZone(voting.timeZone)) return { ok: false, errors: [{ code: 'invalid-time-zone' }] };
	if (voting.windows.length === 0) return { ok: false, errors: [{ code: 'no-windows' }] };

	const errors: { window?: number; code: EmbassyVotingErrorCode }[] = [];
	const spans: { start: Temporal.ZonedDateTime; end: Temporal.ZonedDateTime }[] = [];
	voting.windows.forEach((window, index) => {
		const start = parseLocalDateTime(window.start);
		const end = parseLocalDateTime(window.end);
		if (!start || !end) {
			errors.push({ window: index, code: 'invalid-window-time' });
			return;
		}
		const span = {
			start: start.toZonedDateTime(voting.timeZone, { disambiguation: 'compatible' }),
			end: end.toZonedDateTime(voting.timeZone, { disambiguation: 'compatible' })
		};
		if (Temporal.ZonedDateTime.compare(span.end, span.start) <= 0) {
			errors.push({ window: index, code: 'window-end-not-after-start' });
			return;
		}
		const overlaps = spans.some(
			(other) =>
				Temporal.ZonedDateTime.compare(span.start, other.end) < 0 &&
				Temporal.ZonedDateTime.compare(other.start, span.end) < 0
		);
		if (overlaps) errors.push({ window: index, code: 'windows-overlap' });
		spans.push(span);
	});
	return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

function parseLocalDateTime(value: string): Temporal.PlainDateTime | null {
	if (!LOCAL_DATE_TIME.test(value)) return null;
	try {
		return Temporal.PlainDateTime.from(value, { overflow: 'reject' });
	} catch {
		return null;
	}
}
