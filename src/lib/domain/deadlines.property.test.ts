import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import {
	PRAGUE,
	daysLeft,
	defaultEmbassyVoting,
	electionDeadlines,
	findDeadline,
	isOnTime,
	returnEnvelopeDeadline,
	validateEmbassyVoting,
	type Deadline,
	type DeadlineKey
} from './deadlines';
import { ELECTION_TYPES, ELECTION_TYPE_RULES, validateElection, type Election, type Round } from './elections';
import { makeElection } from './test-support';

/** Friday 2 January 2026, and the number of whole weeks up to the last Friday of 2040. */
const FIRST_FRIDAY = Temporal.PlainDate.from('2026-01-02');
const WEEKS = FIRST_FRIDAY.until(Temporal.PlainDate.from('2040-12-28'), { largestUnit: 'days' }).days / 7;

const fridayArb = fc.integer({ min: 0, max: Math.floor(WEEKS) }).map((w) => FIRST_FRIDAY.add({ weeks: w }));

/** Any valid election: any type, a Friday in 2026–2040, round 2 one or two weeks later, configurable settings varied. */
const electionArb: fc.Arbitrary<Election> = fc
	.record({
		type: fc.constantFrom(...ELECTION_TYPES),
		firstDay: fridayArb,
		gapWeeks: fc.constantFrom(1, 2),
		announcedDaysBefore: fc.integer({ min: 36, max: 200 }),
		europeanCorrespondence: fc.boolean(),
		earliestIssue: fc.option(fc.integer({ min: 3, max: 30 }), { nil: null })
	})
	.map(({ type, firstDay, gapWeeks, announcedDaysBefore, europeanCorrespondence, earliestIssue }) => {
		const rules = ELECTION_TYPE_RULES[type];
		const days = [firstDay.toString()];
		if (rules.rounds === 2) days.push(firstDay.add({ weeks: gapWeeks }).toString());
		return makeElection(type, days, {
			announcedOn: firstDay.subtract({ days: announcedDaysBefore }).toString(),
			correspondenceAllowed: rules.correspondenceConfigurable ? europeanCorrespondence : rules.correspondenceAllowed,
			// §57(4) is configurable per election; only meaningful where there are voter cards.
			earliestVoterCardIssueDays: rules.voterCardScope === 'none' ? null : earliestIssue
		});
	});

const VOTER_CARD_KEYS: DeadlineKey[] = ['voter-card-mail-request', 'voter-card-post-dispatch', 'voter-card-pickup-request', 'voter-card-pickup'];
const CORRESPONDENCE_KEYS: DeadlineKey[] = ['correspondence-request-written', 'correspondence-request-in-person', 'correspondence-dispatch'];

/** The keys each round must have, straight from DOMAIN.md. */
function expectedKeys(election: Election): Set<DeadlineKey> {
	const rules = ELECTION_TYPE_RULES[election.type];
	const keys = new Set<DeadlineKey>();
	if (rules.voterCardScope !== 'none') {
		VOTER_CARD_KEYS.forEach((k) => keys.add(k));
		if (election.earliestVoterCardIssueDays !== null) keys.add('voter-card-earliest-issue');
	}
	if (rules.votingAbroad) keys.add('special-district-registration');
	if (rules.votingAbroad && election.correspondenceAllowed) CORRESPONDENCE_KEYS.forEach((k) => keys.add(k));
	return keys;
}

function at(deadlines: Deadline[], key: DeadlineKey, round: Round): Temporal.Instant | undefined {
	return findDeadline(deadlines, key, round)?.at.toInstant();
}

describe('deadline properties (fast-check, 2026–2040)', () => {
	it('generated elections are valid', () => {
		fc.assert(fc.property(electionArb, (election) => validateElection(election).ok));
	});

	it('§57(3) §57(6) §57a(3) §57b(1) the deadlines keep their order, all before D 00:00 Prague', () => {
		fc.assert(
			fc.property(electionArb, (election) => {
				const deadlines = electionDeadlines(election);
				for (const { round, firstDay } of election.rounds) {
					const chain: DeadlineKey[] = [
						'correspondence-request-written',
						'correspondence-dispatch',
						'voter-card-mail-request',
						'voter-card-post-dispatch',
						'special-district-registration',
						'voter-card-pickup-request'
					];
					const present = chain.map((k) => at(deadlines, k, round)).filter((i) => i !== undefined);
					for (let i = 1; i < present.length; i++) {
						expect(Temporal.Instant.compare(present[i - 1]!, present[i]!)).toBe(-1);
					}
					const pickup = at(deadlines, 'voter-card-pickup-request', round);
					const inPerson = at(deadlines, 'correspondence-request-in-person', round);
					if (pickup && inPerson) expect(pickup.equals(inPerson)).toBe(true);
					const pickupLast = at(deadlines, 'voter-card-pickup', round);
					if (pickup && pickupLast) expect(pickup.equals(pickupLast)).toBe(true);

					const dayStart = Temporal.PlainDate.from(firstDay).toZonedDateTime({ timeZone: PRAGUE }).toInstant();
					for (const d of deadlines.filter((x) => x.round === round)) {
						expect(Temporal.Instant.compare(d.at.toInstant(), dayStart)).toBe(-1);
					}
				}
			})
		);
	});

	it('§78(1)(c) every deadline is 16:00:00.000 Prague, except §57(4) earliest issue at 00:00', () => {
		fc.assert(
			fc.property(electionArb, (election) => {
				for (const d of electionDeadlines(election)) {
					expect(d.at.timeZoneId).toBe(PRAGUE);
					const time = d.at.toPlainTime();
					const expected = d.key === 'voter-card-earliest-issue' ? '00:00:00' : '16:00:00';
					expect(time.toString()).toBe(expected);
				}
			})
		);
	});

	it('§56(2) §2(1) §57a(1) §57(4) exactly the applicable keys, once per round', () => {
		fc.assert(
			fc.property(electionArb, (election) => {
				const deadlines = electionDeadlines(election);
				const expected = expectedKeys(election);
				for (const { round } of election.rounds) {
					const keys = deadlines.filter((d) => d.round === round).map((d) => d.key);
					expect(keys.length).toBe(new Set(keys).size);
					expect(new Set(keys)).toEqual(expected);
				}
				expect(deadlines).toHaveLength(expected.size * election.rounds.length);
			})
		);
	});

	it('deadlines are sorted by instant then round', () => {
		fc.assert(
			fc.property(electionArb, (election) => {
				const deadlines = electionDeadlines(election);
				for (let i = 1; i < deadlines.length; i++) {
					const a = deadlines[i - 1]!;
					const b = deadlines[i]!;
					const c = Temporal.ZonedDateTime.compare(a.at, b.at);
					expect(c < 0 || (c === 0 && a.round <= b.round)).toBe(true);
				}
			})
		);
	});

	it('§78(1)(c) one millisecond before is on time, the deadline itself is late; daysLeft is 0 on its day', () => {
		fc.assert(
			fc.property(electionArb, (election) => {
				for (const d of electionDeadlines(election)) {
					const instant = d.at.toInstant();
					expect(isOnTime(instant.subtract({ milliseconds: 1 }), d)).toBe(true);
					expect(isOnTime(instant, d)).toBe(false);
					expect(daysLeft(instant, d)).toBe(0);
				}
			})
		);
	});

	it('§2(3) §57c(4) default embassy windows are valid and close after every request deadline of the round', () => {
		const zones = ['America/New_York', 'America/Los_Angeles', 'America/Sao_Paulo', 'Europe/London', 'Atlantic/Reykjavik', 'Atlantic/Cape_Verde', 'Europe/Bratislava', 'Asia/Tokyo', 'Australia/Sydney', 'Pacific/Auckland', 'Pacific/Honolulu'];
		fc.assert(
			fc.property(electionArb, fc.constantFrom(...zones), (election, timeZone) => {
				if (!election.votingAbroad) return;
				const votings = defaultEmbassyVoting(election, timeZone);
				const deadlines = electionDeadlines(election, { embassy: votings });
				for (const voting of votings) {
					expect(validateEmbassyVoting(voting)).toEqual({ ok: true });
					expect(voting.windows).toHaveLength(2);
					const round = voting.round ?? 1;
					const close = returnEnvelopeDeadline(voting).toInstant();
					for (const d of deadlines.filter((x) => x.round === round && x.key !== 'return-envelope')) {
						expect(Temporal.Instant.compare(d.at.toInstant(), close)).toBe(-1);
					}
					if (election.correspondenceAllowed) {
						expect(findDeadline(deadlines, 'return-envelope', round)?.at.toInstant().equals(close)).toBe(true);
					}
				}
			})
		);
	});
});
