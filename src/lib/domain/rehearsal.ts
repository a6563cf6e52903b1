/**
 * Rehearsal elections (issue 14): the instants an administrator moves a rehearsal's clock
 * to ("jump to"), computed from the same deadlines as the real rules (DOMAIN.md, all in
 * Europe/Prague, §78(2)). Pure: the caller passes the election and its embassies' voting.
 */
import { Temporal } from 'temporal-polyfill';
import { PRAGUE, requestsOpenAt, returnEnvelopeDeadline, windowInstant, type EmbassyVoting } from './deadlines';
import { parseIsoDate, type Election } from './elections';

export const REHEARSAL_JUMPS = ['requests-open', 'd-25', 'last-day-of-requests', 'first-day-abroad', 'close-of-voting', 'after-the-count'] as const;
export type RehearsalJump = (typeof REHEARSAL_JUMPS)[number];

export function isRehearsalJump(value: unknown): value is RehearsalJump {
	return typeof value === 'string' && (REHEARSAL_JUMPS as readonly string[]).includes(value);
}

const MORNING = Temporal.PlainTime.from('09:00');

/** 09:00 Prague on the calendar day `days` before D: inside that day, before its 16:00 deadline (§78(1)(c)). */
function morningBefore(firstDay: Temporal.PlainDate, days: number): Temporal.Instant {
	return firstDay.subtract({ days }).toZonedDateTime({ timeZone: PRAGUE, plainTime: MORNING }).toInstant();
}

/** Voting in Czechia (§2(2)) when no embassy takes part: Friday 14:00 to Saturday 14:00 Prague. */
function czechVoting(firstDay: Temporal.PlainDate): EmbassyVoting {
	const saturday = firstDay.add({ days: 1 });
	return {
		timeZone: PRAGUE,
		windows: [
			{ start: `${firstDay.toString()}T14:00:00`, end: `${firstDay.toString()}T22:00:00` },
			{ start: `${saturday.toString()}T08:00:00`, end: `${saturday.toString()}T14:00:00` }
		]
	};
}

/**
 * The instant a jump moves a rehearsal's clock to, for round 1:
 * - requests-open: 09:00 on the announcement day (§57(1));
 * - d-25: 09:00 on D−25, the last day the embassy sends packages (§57b(1));
 * - last-day-of-requests: 09:00 on D−2, the last day any request is taken (§57(3), §57a(3));
 * - first-day-abroad: the opening of the earliest voting window of the embassies taking part (§2(3));
 * - close-of-voting: the close of the latest one (§57c(4)): voting has closed, envelopes arriving now are late;
 * - after-the-count: one day after the close of voting.
 * `voting` are the windows of round 1 of the embassies taking part; none means voting in Czechia.
 */
export function rehearsalJumpTarget(election: Pick<Election, 'announcedOn' | 'rounds'>, voting: readonly EmbassyVoting[], jump: RehearsalJump): Temporal.Instant {
	const first = election.rounds.find((r) => r.round === 1) ?? election.rounds[0];
	const firstDay = first ? parseIsoDate(first.firstDay) : null;
	if (!firstDay) throw new RangeError('Election has no valid first day');
	const votings = voting.length > 0 ? voting : [czechVoting(firstDay)];
	switch (jump) {
		case 'requests-open':
			return requestsOpenAt(election).toInstant().add({ hours: 9 });
		case 'd-25':
			return morningBefore(firstDay, 25);
		case 'last-day-of-requests':
			return morningBefore(firstDay, 2);
		case 'first-day-abroad': {
			const opens = votings.flatMap((v) => v.windows.map((w) => windowInstant(w.start, v.timeZone).toInstant()));
			return opens.reduce((a, b) => (Temporal.Instant.compare(a, b) <= 0 ? a : b));
		}
		case 'close-of-voting':
			return latestClose(votings);
		case 'after-the-count':
			return latestClose(votings).add({ hours: 24 });
	}
}

function latestClose(votings: readonly EmbassyVoting[]): Temporal.Instant {
	return votings.map((v) => returnEnvelopeDeadline(v).toInstant()).reduce((a, b) => (Temporal.Instant.compare(a, b) >= 0 ? a : b));
}
