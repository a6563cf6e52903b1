import { describe, it, expect } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import {
	PRAGUE,
	areRequestsOpen,
	daysBeforeAt16Prague,
	daysLeft,
	decisionDeadline,
	defaultEmbassyVoting,
	defaultEmbassyVotingWindows,
	electionDeadlines,
	findDeadline,
	formatIsoWithOffset,
	isNotBefore,
	isOnTime,
	isVotingClosed,
	requestsOpenAt,
	returnEnvelopeDeadline,
	returnEnvelopeDeadlineInPrague,
	validateEmbassyVoting,
	type DeadlineKey,
	type EmbassyVoting
} from './deadlines';
import type { Election, Round } from './elections';
import { CHAMBER_2025, EUROPEAN_2024, PRESIDENT_2023, makeElection, prague } from './test-support';

function iso(election: Election, key: DeadlineKey, round: Round = 1, embassy?: EmbassyVoting | EmbassyVoting[]) {
	const deadline = findDeadline(electionDeadlines(election, { embassy }), key, round);
	return deadline ? formatIsoWithOffset(deadline.at) : undefined;
}

describe('the 2025 Chamber election as a worked example (D = Friday 3 October 2025)', () => {
	const table: [string, DeadlineKey, string, string][] = [
		['§57a(3) correspondence written request: D−35 16:00 Prague', 'correspondence-request-written', '2025-08-29T16:00:00+02:00', '§57a(3)'],
		['§57b(1) embassy sends packages: D−25 16:00 Prague', 'correspondence-dispatch', '2025-09-08T16:00:00+02:00', '§57b(1)'],
		['§57(3) voter card to be mailed, request: D−10 16:00 Prague', 'voter-card-mail-request', '2025-09-23T16:00:00+02:00', '§57(3)'],
		['§57(3) voter card handed to the post: D−7 16:00 Prague', 'voter-card-post-dispatch', '2025-09-26T16:00:00+02:00', '§57(3)'],
		['§57(6) special-district registration: D−3 16:00 Prague', 'special-district-registration', '2025-09-30T16:00:00+02:00', '§57(6)'],
		['§57(3) voter card to be collected, request: D−2 16:00 Prague', 'voter-card-pickup-request', '2025-10-01T16:00:00+02:00', '§57(3)'],
		['§57(3) last collection of a voter card: D−2 16:00 Prague', 'voter-card-pickup', '2025-10-01T16:00:00+02:00', '§57(3)'],
		['§57a(3) correspondence request in person or by proxy: D−2 16:00 Prague', 'correspondence-request-in-person', '2025-10-01T16:00:00+02:00', '§57a(3)']
	];
	it.each(table)('%s', (_name, key, expected, section) => {
		const deadline = findDeadline(electionDeadlines(CHAMBER_2025), key, 1);
		expect(deadline).toBeDefined();
		expect(formatIsoWithOffset(deadline!.at)).toBe(expected);
		expect(deadline!.at.timeZoneId).toBe(PRAGUE);
		expect(deadline!.section).toBe(section);
	});

	it('§57(4) the Chamber has no earliest issue day, and without an embassy no return-envelope row', () => {
		const keys = electionDeadlines(CHAMBER_2025).map((d) => d.key);
		expect(keys).not.toContain('voter-card-earliest-issue');
		expect(keys).not.toContain('return-envelope');
		expect(keys).toHaveLength(8);
	});

	it('formatIsoWithOffset gives 2025-08-29T16:00:00+02:00 (no zone, no fraction)', () => {
		const zdt = Temporal.ZonedDateTime.from('2025-08-29T16:00:00.123456789+02:00[Europe/Prague]');
		expect(formatIsoWithOffset(zdt)).toBe('2025-08-29T16:00:00+02:00');
	});

	it('sorts by instant then round', () => {
		const at = electionDeadlines(CHAMBER_2025).map((d) => d.at.epochNanoseconds);
		expect(at).toEqual([...at].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
		expect(electionDeadlines(CHAMBER_2025)[0]?.key).toBe('correspondence-request-written');
	});
});

describe('§78(1)(c) the exact minute', () => {
	const written = findDeadline(electionDeadlines(CHAMBER_2025), 'correspondence-request-written', 1)!;
	const table: [string, string, boolean][] = [
		['§78(1)(c) 15:59:59.999 Prague on D−35 is on time', '2025-08-29T15:59:59.999', true],
		['§78(1)(c) 16:00:00.000 Prague on D−35 is late', '2025-08-29T16:00:00.000', false],
		['§78(1)(c) 16:00:00.001 Prague on D−35 is late', '2025-08-29T16:00:00.001', false],
		['§78(1)(c) the evening before is on time', '2025-08-28T23:59', true]
	];
	it.each(table)('%s', (_name, local, onTime) => {
		expect(isOnTime(prague(local), written)).toBe(onTime);
		expect(isNotBefore(prague(local), written)).toBe(!onTime);
	});

	it('§78(2) the Prague hour governs abroad: 10:00 in New York on D−35 is already late', () => {
		const ny = Temporal.ZonedDateTime.from('2025-08-29T10:00:00-04:00[America/New_York]').toInstant();
		expect(isOnTime(ny, written)).toBe(false);
		const ny959 = Temporal.ZonedDateTime.from('2025-08-29T09:59:59.999-04:00[America/New_York]').toInstant();
		expect(isOnTime(ny959, written)).toBe(true);
	});

	it('§78(1)(c) no shift for holidays: D−25 on Monday 28 Sep 2026 (Statehood Day) stays there', () => {
		expect(iso(makeElection('chamber', ['2026-10-23']), 'correspondence-dispatch')).toBe('2026-09-28T16:00:00+02:00');
	});

	it('§78(1)(c) no shift for weekends: a D−5 count lands on Sunday and stays there', () => {
		const sunday = daysBeforeAt16Prague(Temporal.PlainDate.from('2025-10-03'), 5);
		expect(sunday.dayOfWeek).toBe(7);
		expect(formatIsoWithOffset(sunday)).toBe('2025-09-28T16:00:00+02:00');
	});
});

describe('daylight saving time', () => {
	it('§78(1)(c) D in CET (6 Nov 2026), D−35 in CEST: 16:00 Prague at +02:00, D−2 at +01:00', () => {
		const e = makeElection('chamber', ['2026-11-06']);
		expect(iso(e, 'correspondence-request-written')).toBe('2026-10-02T16:00:00+02:00');
		expect(iso(e, 'correspondence-dispatch')).toBe('2026-10-12T16:00:00+02:00');
		expect(iso(e, 'voter-card-mail-request')).toBe('2026-10-27T16:00:00+01:00');
		expect(iso(e, 'correspondence-request-in-person')).toBe('2026-11-04T16:00:00+01:00');
	});

	it('§78(1)(c) D in CEST (9 Apr 2027), D−35 in CET: 16:00 Prague at +01:00, D−2 at +02:00', () => {
		const e = makeElection('chamber', ['2027-04-09']);
		expect(iso(e, 'correspondence-request-written')).toBe('2027-03-05T16:00:00+01:00');
		expect(iso(e, 'correspondence-dispatch')).toBe('2027-03-15T16:00:00+01:00');
		expect(iso(e, 'voter-card-mail-request')).toBe('2027-03-30T16:00:00+02:00');
		expect(iso(e, 'voter-card-pickup-request')).toBe('2027-04-07T16:00:00+02:00');
	});

	it('§78(1)(c) the UTC instant moves with the offset: 14:00Z in summer, 15:00Z in winter', () => {
		const summer = findDeadline(electionDeadlines(makeElection('chamber', ['2026-11-06'])), 'correspondence-request-written')!;
		const winter = findDeadline(electionDeadlines(makeElection('chamber', ['2026-11-06'])), 'voter-card-mail-request')!;
		expect(summer.at.toInstant().toString()).toBe('2026-10-02T14:00:00Z');
		expect(winter.at.toInstant().toString()).toBe('2026-10-27T15:00:00Z');
	});
});

describe('leap day', () => {
	it('§57(3) a D−10 deadline landing on 29 Feb 2028 (D = Friday 10 Mar 2028)', () => {
		const e = makeElection('chamber', ['2028-03-10']);
		expect(iso(e, 'voter-card-mail-request')).toBe('2028-02-29T16:00:00+01:00');
		expect(iso(e, 'correspondence-dispatch')).toBe('2028-02-14T16:00:00+01:00');
		expect(iso(e, 'special-district-registration')).toBe('2028-03-07T16:00:00+01:00');
	});
});

describe('two-round elections (president 2023-like)', () => {
	const table: [string, DeadlineKey, Round, string][] = [
		['§57a(3) round 1 written correspondence request: D1−35', 'correspondence-request-written', 1, '2022-12-09T16:00:00+01:00'],
		['§57a(3) round 2 written correspondence request: D2−35', 'correspondence-request-written', 2, '2022-12-23T16:00:00+01:00'],
		['§57b(1) round 1 dispatch: D1−25', 'correspondence-dispatch', 1, '2022-12-19T16:00:00+01:00'],
		['§57b(1) round 2 dispatch: D2−25', 'correspondence-dispatch', 2, '2023-01-02T16:00:00+01:00'],
		['§57(3) round 1 mailed voter card request: D1−10', 'voter-card-mail-request', 1, '2023-01-03T16:00:00+01:00'],
		['§57(3) round 2 mailed voter card request: D2−10', 'voter-card-mail-request', 2, '2023-01-17T16:00:00+01:00'],
		['§57(3) round 2 collected voter card request: D2−2', 'voter-card-pickup-request', 2, '2023-01-25T16:00:00+01:00'],
		['§57(6) round 2 special-district registration: D2−3', 'special-district-registration', 2, '2023-01-24T16:00:00+01:00']
	];
	it.each(table)('%s', (_name, key, round, expected) => {
		expect(iso(PRESIDENT_2023, key, round)).toBe(expected);
	});

	it('every key exists once per round', () => {
		const deadlines = electionDeadlines(PRESIDENT_2023);
		expect(deadlines.filter((d) => d.round === 1)).toHaveLength(8);
		expect(deadlines.filter((d) => d.round === 2)).toHaveLength(8);
	});

	it('sorted by instant then round: round 2 D−35 comes before round 1 D−2', () => {
		const deadlines = electionDeadlines(PRESIDENT_2023);
		const r2written = deadlines.findIndex((d) => d.key === 'correspondence-request-written' && d.round === 2);
		const r1pickup = deadlines.findIndex((d) => d.key === 'voter-card-pickup' && d.round === 1);
		expect(r2written).toBeLessThan(r1pickup);
	});
});

describe('which keys apply', () => {
	const table: [string, Election, DeadlineKey[]][] = [
		['§56(2) municipal: no voter cards, no abroad, no correspondence → nothing', makeElection('municipal', ['2026-10-02']), []],
		['§56(2) §2(1) regional: voter cards only', makeElection('regional', ['2028-10-06']), ['voter-card-mail-request', 'voter-card-post-dispatch', 'voter-card-pickup-request', 'voter-card-pickup']],
		['§56(2) §2(1) senate: voter cards only', makeElection('senate', ['2026-10-02', '2026-10-09']), ['voter-card-mail-request', 'voter-card-post-dispatch', 'voter-card-pickup-request', 'voter-card-pickup']],
		['§57(4) european: adds the earliest issue day', EUROPEAN_2024, ['voter-card-mail-request', 'voter-card-post-dispatch', 'voter-card-pickup-request', 'voter-card-pickup', 'voter-card-earliest-issue', 'special-district-registration', 'correspondence-request-written', 'correspondence-request-in-person', 'correspondence-dispatch']],
		['§57a(1) european with correspondence switched off: no correspondence keys', makeElection('european', ['2029-06-08'], { correspondenceAllowed: false }), ['voter-card-mail-request', 'voter-card-post-dispatch', 'voter-card-pickup-request', 'voter-card-pickup', 'voter-card-earliest-issue', 'special-district-registration']],
		['§57(4) configurable: the Chamber with an earliest issue offset set by the administrator', makeElection('chamber', ['2029-10-05'], { earliestVoterCardIssueDays: 20 }), ['voter-card-mail-request', 'voter-card-post-dispatch', 'voter-card-pickup-request', 'voter-card-pickup', 'voter-card-earliest-issue', 'special-district-registration', 'correspondence-request-written', 'correspondence-request-in-person', 'correspondence-dispatch']]
	];
	it.each(table)('%s', (_name, election, keys) => {
		const present = new Set(electionDeadlines(election).map((d) => d.key));
		expect([...present].sort()).toEqual([...keys].sort());
	});

	it('§57(4) european earliest issue: 00:00 Prague at the start of D−15 (D = 7 Jun 2024 → 23 May 2024)', () => {
		expect(iso(EUROPEAN_2024, 'voter-card-earliest-issue')).toBe('2024-05-23T00:00:00+02:00');
		const earliest = findDeadline(electionDeadlines(EUROPEAN_2024), 'voter-card-earliest-issue')!;
		expect(earliest.section).toBe('§57(4)');
		expect(isNotBefore(prague('2024-05-22T23:59:59.999'), earliest)).toBe(false);
		expect(isNotBefore(prague('2024-05-23T00:00'), earliest)).toBe(true);
	});

	it('§57c(4) no return-envelope row where correspondence is not allowed', () => {
		const senate = makeElection('senate', ['2026-10-02', '2026-10-09']);
		const embassy = { timeZone: 'Europe/Paris', windows: [{ start: '2026-10-02T14:00', end: '2026-10-02T22:00' }] };
		expect(electionDeadlines(senate, { embassy }).map((d) => d.key)).not.toContain('return-envelope');
	});
});

describe('§57(1) requests open from the announcement day', () => {
	it('§57(1) 00:00 Prague on announcedOn', () => {
		expect(formatIsoWithOffset(requestsOpenAt(CHAMBER_2025))).toBe('2025-06-26T00:00:00+02:00');
		expect(areRequestsOpen(prague('2025-06-25T23:59:59.999'), CHAMBER_2025)).toBe(false);
		expect(areRequestsOpen(prague('2025-06-26T00:00'), CHAMBER_2025)).toBe(true);
	});
});

describe('§77 refusal notice within 3 days of the request', () => {
	const table: [string, string, string][] = [
		['§77 received Monday 10:00 → due before Friday 00:00 Prague', '2025-09-01T10:00', '2025-09-05T00:00:00+02:00'],
		['§77 received 23:30 Prague still counts from that Prague day', '2025-09-01T23:30', '2025-09-05T00:00:00+02:00'],
		['§77 received 00:30 Prague counts from the next day', '2025-09-02T00:30', '2025-09-06T00:00:00+02:00'],
		['§77 across the end of summer time', '2025-10-24T12:00', '2025-10-28T00:00:00+01:00']
	];
	it.each(table)('%s', (_name, receivedLocal, expected) => {
		const due = decisionDeadline(prague(receivedLocal));
		expect(formatIsoWithOffset(due.toZonedDateTimeISO(PRAGUE))).toBe(expected);
	});

	it('§77 uses the Prague day, not the UTC day (23:30 Prague = 21:30Z)', () => {
		const received = Temporal.Instant.from('2025-09-01T21:30:00Z');
		expect(decisionDeadline(received).toString()).toBe('2025-09-04T22:00:00Z');
	});
});

describe('daysLeft (Prague calendar days)', () => {
	const written = findDeadline(electionDeadlines(CHAMBER_2025), 'correspondence-request-written')!;
	const table: [string, string, number][] = [
		['the day before: 1', '2025-08-28T10:00', 1],
		['the same day before 16:00: 0', '2025-08-29T09:00', 0],
		['the same day after 16:00: still 0 (isOnTime says it is late)', '2025-08-29T18:00', 0],
		['the next day: −1', '2025-08-30T09:00', -1],
		['a week before: 7', '2025-08-22T23:59', 7],
		['01:30 Prague is already the Prague date, though still the previous UTC date', '2025-08-28T01:30', 1]
	];
	it.each(table)('%s', (_name, local, expected) => {
		expect(daysLeft(prague(local), written)).toBe(expected);
	});
});

describe('§2(3) voting windows abroad', () => {
	const table: [string, string, string, { start: string; end: string }[]][] = [
		[
			'§2(3) New York (6 h behind): Thursday 14–22 and Friday 08–14 local',
			'2025-10-03',
			'America/New_York',
			[{ start: '2025-10-02T14:00', end: '2025-10-02T22:00' }, { start: '2025-10-03T08:00', end: '2025-10-03T14:00' }]
		],
		[
			'§2(3) London (1 h behind): Friday 12–22 and Saturday 08–12 local',
			'2025-10-03',
			'Europe/London',
			[{ start: '2025-10-03T12:00', end: '2025-10-03T22:00' }, { start: '2025-10-04T08:00', end: '2025-10-04T12:00' }]
		],
		[
			'§2(3) Reykjavik (exactly 2 h behind in summer): Friday 12–22 and Saturday 08–12 local',
			'2025-10-03',
			'Atlantic/Reykjavik',
			[{ start: '2025-10-03T12:00', end: '2025-10-03T22:00' }, { start: '2025-10-04T08:00', end: '2025-10-04T12:00' }]
		],
		[
			'§2(3) Tokyo (ahead): Friday 14–22 and Saturday 08–14 local',
			'2025-10-03',
			'Asia/Tokyo',
			[{ start: '2025-10-03T14:00', end: '2025-10-03T22:00' }, { start: '2025-10-04T08:00', end: '2025-10-04T14:00' }]
		],
		[
			'§2(3) Bratislava (same time): Friday 14–22 and Saturday 08–14 local',
			'2025-10-03',
			'Europe/Bratislava',
			[{ start: '2025-10-03T14:00', end: '2025-10-03T22:00' }, { start: '2025-10-04T08:00', end: '2025-10-04T14:00' }]
		],
		[
			'§2(3) Cape Verde in summer (3 h behind): Thursday/Friday',
			'2025-10-03',
			'Atlantic/Cape_Verde',
			[{ start: '2025-10-02T14:00', end: '2025-10-02T22:00' }, { start: '2025-10-03T08:00', end: '2025-10-03T14:00' }]
		],
		[
			'§2(3) Cape Verde in winter (2 h behind): Friday/Saturday — the offset is taken at D',
			'2026-01-16',
			'Atlantic/Cape_Verde',
			[{ start: '2026-01-16T12:00', end: '2026-01-16T22:00' }, { start: '2026-01-17T08:00', end: '2026-01-17T12:00' }]
		]
	];
	it.each(table)('%s', (_name, firstDay, timeZone, windows) => {
		expect(defaultEmbassyVotingWindows(firstDay, timeZone)).toEqual(windows);
	});

	it('§2(3) one set of windows per round', () => {
		const voting = defaultEmbassyVoting(PRESIDENT_2023, 'Asia/Tokyo');
		expect(voting.map((v) => [v.round, v.windows[0]?.start])).toEqual([
			[1, '2023-01-13T14:00'],
			[2, '2023-01-27T14:00']
		]);
	});
});

describe('§57c(4) return envelope: by the close of voting in the special district', () => {
	const table: [string, string, string, string][] = [
		['§57c(4) New York: Friday 14:00 New York time', 'America/New_York', '2025-10-03T14:00:00-04:00', '2025-10-03T20:00:00+02:00'],
		['§57c(4) Tokyo: Saturday 14:00 Tokyo time', 'Asia/Tokyo', '2025-10-04T14:00:00+09:00', '2025-10-04T07:00:00+02:00'],
		['§57c(4) London: Saturday 12:00 London time', 'Europe/London', '2025-10-04T12:00:00+01:00', '2025-10-04T13:00:00+02:00']
	];
	it.each(table)('%s', (_name, timeZone, local, inPrague) => {
		const [voting] = defaultEmbassyVoting(CHAMBER_2025, timeZone);
		expect(formatIsoWithOffset(returnEnvelopeDeadline(voting!))).toBe(local);
		expect(returnEnvelopeDeadline(voting!).timeZoneId).toBe(timeZone);
		expect(formatIsoWithOffset(returnEnvelopeDeadlineInPrague(voting!))).toBe(inPrague);

		const row = findDeadline(electionDeadlines(CHAMBER_2025, { embassy: voting }), 'return-envelope', 1)!;
		expect(row.section).toBe('§57c(4)');
		expect(row.at.timeZoneId).toBe(PRAGUE);
		expect(formatIsoWithOffset(row.at)).toBe(inPrague);
		expect(formatIsoWithOffset(row.localAt!)).toBe(local);
	});

	it('§57c(4) §57c(5) New York: 13:59:59.999 local is open, 14:00 local is closed', () => {
		const [voting] = defaultEmbassyVoting(CHAMBER_2025, 'America/New_York');
		const at = (s: string) => Temporal.ZonedDateTime.from(`${s}[America/New_York]`).toInstant();
		expect(isVotingClosed(at('2025-10-03T13:59:59.999-04:00'), voting!)).toBe(false);
		expect(isVotingClosed(at('2025-10-03T14:00:00-04:00'), voting!)).toBe(true);
	});

	it('§57c(4) the last window counts even when listed first', () => {
		const voting: EmbassyVoting = {
			timeZone: 'Asia/Tokyo',
			windows: [
				{ start: '2025-10-04T08:00', end: '2025-10-04T14:00' },
				{ start: '2025-10-03T14:00', end: '2025-10-03T22:00' }
			]
		};
		expect(formatIsoWithOffset(returnEnvelopeDeadline(voting))).toBe('2025-10-04T14:00:00+09:00');
	});

	it('§57c(4) two rounds: one return-envelope row per round given', () => {
		const voting = defaultEmbassyVoting(PRESIDENT_2023, 'America/New_York');
		const rows = electionDeadlines(PRESIDENT_2023, { embassy: voting }).filter((d) => d.key === 'return-envelope');
		expect(rows.map((d) => [d.round, formatIsoWithOffset(d.localAt!)])).toEqual([
			[1, '2023-01-13T14:00:00-05:00'],
			[2, '2023-01-27T14:00:00-05:00']
		]);
	});
});

describe('validateEmbassyVoting (§2(3), configurable)', () => {
	it('accepts the defaults', () => {
		for (const voting of defaultEmbassyVoting(PRESIDENT_2023, 'America/Sao_Paulo')) {
			expect(validateEmbassyVoting(voting)).toEqual({ ok: true });
		}
	});
	const table: [string, EmbassyVoting, string][] = [
		['an unknown time zone', { timeZone: 'Mars/Olympus', windows: [{ start: '2025-10-03T14:00', end: '2025-10-03T22:00' }] }, 'invalid-time-zone'],
		['no windows', { timeZone: 'Asia/Tokyo', windows: [] }, 'no-windows'],
		['a malformed time', { timeZone: 'Asia/Tokyo', windows: [{ start: '2025-10-03 14:00', end: '2025-10-03T22:00' }] }, 'invalid-window-time'],
		['an end before the start', { timeZone: 'Asia/Tokyo', windows: [{ start: '2025-10-03T22:00', end: '2025-10-03T14:00' }] }, 'window-end-not-after-start'],
		[
			'overlapping windows',
			{ timeZone: 'Asia/Tokyo', windows: [{ start: '2025-10-03T14:00', end: '2025-10-03T22:00' }, { start: '2025-10-03T21:00', end: '2025-10-03T23:00' }] },
			'windows-overlap'
		]
	];
	it.each(table)('refuses %s', (_name, voting, code) => {
		const result = validateEmbassyVoting(voting);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors.map((e) => e.code)).toContain(code);
	});
});

describe('electionDeadlines computed once per election settings', () => {
	it('gives a fresh array each time, and other settings their own deadlines', () => {
		const a = makeElection('chamber', ['2025-10-03']);
		const first = electionDeadlines(a);
		const second = electionDeadlines({ ...a, id: 'another-id-same-settings' });
		expect(second).not.toBe(first);
		expect(second).toEqual(first);
		first.pop();
		expect(electionDeadlines(a)).toEqual(second);
		// The deadlines are shared between calls, so they cannot be changed.
		expect(Object.isFrozen(second[0])).toBe(true);

		const moved = electionDeadlines(makeElection('chamber', ['2025-10-10']));
		expect(formatIsoWithOffset(findDeadline(moved, 'voter-card-mail-request')!.at)).toBe('2025-09-30T16:00:00+02:00');
		expect(formatIsoWithOffset(findDeadline(second, 'voter-card-mail-request')!.at)).toBe('2025-09-23T16:00:00+02:00');
		const noAbroad = electionDeadlines({ ...a, votingAbroad: false, correspondenceAllowed: false });
		expect(findDeadline(noAbroad, 'special-district-registration')).toBeUndefined();
		expect(findDeadline(second, 'special-district-registration')).toBeDefined();
	});
});
