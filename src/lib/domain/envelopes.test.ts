import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import {
	ENVELOPE_CODE_ALPHABET,
	SET_ASIDE_GROUNDS,
	allowedOutcomes,
	arrivalTiming,
	checkBallotBoxOpening,
	checkEnvelopeOpening,
	checkOutcome,
	envelopeHints,
	formatEnvelopeCode,
	generateEnvelopeCode,
	isLateArrival,
	isSetAsideGround,
	isValidEnvelopeCode,
	parseEnvelopeCode,
	reconcile,
	voterEnvelopeStatus,
	type EnvelopeOpeningState,
	type ReconciliationCounts
} from './envelopes';
import type { EmbassyVoting } from './deadlines';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('envelope codes', () => {
	it('are 12 symbols of Crockford base32 and pass their own check', () => {
		const code = generateEnvelopeCode(bytes(0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde));
		expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
		expect(isValidEnvelopeCode(code)).toBe(true);
	});

	it('take 5 bits per symbol from the bytes given: all zero bits give eleven zeros and check 0', () => {
		expect(generateEnvelopeCode(new Uint8Array(7))).toBe('000000000000');
		// 0xFF… → every payload symbol is 31 ('Z')
		const all = generateEnvelopeCode(bytes(255, 255, 255, 255, 255, 255, 255));
		expect(all.slice(0, 11)).toBe('ZZZZZZZZZZZ');
	});

	it('differ when the randomness differs in any of its first 55 bits', () => {
		const base = generateEnvelopeCode(new Uint8Array(7));
		for (let bit = 0; bit < 55; bit++) {
			const b = new Uint8Array(7);
			b[Math.floor(bit / 8)] = 0x80 >> bit % 8;
			expect(generateEnvelopeCode(b)).not.toBe(base);
		}
	});

	it('refuse too little randomness', () => {
		expect(() => generateEnvelopeCode(new Uint8Array(6))).toThrow(RangeError);
	});

	it('catch every single mistyped symbol', () => {
		const code = generateEnvelopeCode(bytes(3, 141, 59, 26, 53, 58, 97));
		for (let i = 0; i < code.length; i++) {
			for (const other of ENVELOPE_CODE_ALPHABET) {
				if (other === code[i]) continue;
				const typo = code.slice(0, i) + other + code.slice(i + 1);
				expect(parseEnvelopeCode(typo)).toEqual({ ok: false, reason: 'check' });
			}
		}
	});

	it('catch every swap of two neighbouring symbols except 0↔Z', () => {
		let tried = 0;
		for (const a of ENVELOPE_CODE_ALPHABET) {
			for (const b of ENVELOPE_CODE_ALPHABET) {
				if (a === b || (a === '0' && b === 'Z') || (a === 'Z' && b === '0')) continue;
				for (let i = 0; i < 11; i++) {
					const payload = 'K'.repeat(11).split('');
					payload[i] = a;
					if (i + 1 < 11) payload[i + 1] = b;
					else continue;
					const valid = generateCodeFromPayload(payload.join(''));
					const swapped = valid.slice(0, i) + valid[i + 1] + valid[i] + valid.slice(i + 2);
					expect(isValidEnvelopeCode(swapped)).toBe(false);
					tried++;
				}
			}
		}
		expect(tried).toBeGreaterThan(9000);
	});

	it('read what people type: lower case, hyphens, spaces, I/L as 1 and O as 0', () => {
		const code = generateEnvelopeCode(bytes(0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70));
		const typed = ` ${formatEnvelopeCode(code).toLowerCase()} `;
		expect(parseEnvelopeCode(typed)).toEqual({ ok: true, code });
		const withOnes = code.replace(/1/g, 'l').replace(/0/g, 'o');
		expect(parseEnvelopeCode(withOnes)).toEqual({ ok: true, code });
	});

	it('say why a string is no code', () => {
		expect(parseEnvelopeCode('ABC')).toEqual({ ok: false, reason: 'length' });
		expect(parseEnvelopeCode('ABCD-EFGH-JKMU')).toEqual({ ok: false, reason: 'character' });
		expect(parseEnvelopeCode('')).toEqual({ ok: false, reason: 'length' });
	});

	it('print in three groups of four', () => {
		expect(formatEnvelopeCode('ABCDEFGHJKMN')).toBe('ABCD-EFGH-JKMN');
	});
});

/** A valid code whose first 11 symbols are `payload` (the check symbol is found by trying all 32). */
function generateCodeFromPayload(payload: string): string {
	for (const check of ENVELOPE_CODE_ALPHABET) if (isValidEnvelopeCode(payload + check)) return payload + check;
	throw new Error('no check symbol fits');
}

describe('§57c(5) late arrival', () => {
	const washington: EmbassyVoting = {
		timeZone: 'America/New_York',
		windows: [
			{ start: '2026-10-01T14:00', end: '2026-10-01T22:00' },
			{ start: '2026-10-02T08:00', end: '2026-10-02T14:00' }
		]
	};
	const close = Temporal.Instant.from('2026-10-02T14:00:00-04:00');

	it('§57c(4) on time up to the last nanosecond before the close of the last window (local time)', () => {
		expect(isLateArrival(close.subtract({ nanoseconds: 1 }), washington)).toBe(false);
	});

	it('§57c(5) late at the exact instant of the close, and after it', () => {
		expect(isLateArrival(close, washington)).toBe(true);
		expect(isLateArrival(close.add({ minutes: 1 }), washington)).toBe(true);
	});

	it('§78(2) the close is the embassy’s local 14:00, i.e. 20:00 in Prague', () => {
		expect(isLateArrival(Temporal.Instant.from('2026-10-02T19:59:59+02:00'), washington)).toBe(false);
		expect(isLateArrival(Temporal.Instant.from('2026-10-02T20:00:00+02:00'), washington)).toBe(true);
	});

	it('issue 13: received after the close but scanned before it waits for the head; scanned after it is late', () => {
		expect(arrivalTiming(close.subtract({ minutes: 1 }), close.subtract({ minutes: 2 }), washington)).toBe('on-time');
		expect(arrivalTiming(close.add({ minutes: 5 }), close.subtract({ seconds: 1 }), washington)).toBe('scanned-before-close');
		expect(arrivalTiming(close.add({ minutes: 5 }), close, washington)).toBe('late');
		expect(arrivalTiming(close.add({ minutes: 5 }), null, washington)).toBe('late');
	});
});

describe('§57d(2) grounds a–e', () => {
	it('are the five grounds of the Act, in order, each with its §, Czech and English wording', () => {
		expect(SET_ASIDE_GROUNDS.map((g) => g.ground)).toEqual(['a', 'b', 'c', 'd', 'e']);
		for (const g of SET_ASIDE_GROUNDS) {
			expect(g.section).toBe(`§57d(2)(${g.ground})`);
			expect(g.cs.length).toBeGreaterThan(10);
			expect(g.en.length).toBeGreaterThan(10);
		}
		expect(isSetAsideGround('c')).toBe(true);
		expect(isSetAsideGround('f')).toBe(false);
		expect(isSetAsideGround(undefined)).toBe(false);
	});
});

describe('what the system already knows (hints)', () => {
	const none = { voterCardIssued: false, alreadyVoted: null, onEmbassyList: true } as const;

	it('nothing known: no hints', () => {
		expect(envelopeHints(none)).toEqual([]);
	});

	it('§57d(2)(d) a voter card was issued: suggests ground d (unless the card is enclosed)', () => {
		expect(envelopeHints({ ...none, voterCardIssued: true })).toEqual([
			{ code: 'voter-card-issued', suggestedGround: 'd', section: '§57d(2)(d)' }
		]);
	});

	it('§57d(2)(e) already voted in person, or an envelope of this voter already accepted: suggests ground e', () => {
		expect(envelopeHints({ ...none, alreadyVoted: 'in-person' })).toEqual([
			{ code: 'already-voted-in-person', suggestedGround: 'e', section: '§57d(2)(e)' }
		]);
		expect(envelopeHints({ ...none, alreadyVoted: 'correspondence' })).toEqual([
			{ code: 'already-accepted-by-correspondence', suggestedGround: 'e', section: '§57d(2)(e)' }
		]);
	});

	it('§57d(5) a voter not on the embassy’s list is flagged (accepting adds them)', () => {
		expect(envelopeHints({ ...none, onEmbassyList: false })).toEqual([
			{ code: 'not-on-embassy-list', suggestedGround: null, section: '§57d(5)' }
		]);
	});

	it('several facts give several hints, card first', () => {
		expect(envelopeHints({ voterCardIssued: true, alreadyVoted: 'in-person', onEmbassyList: false }).map((h) => h.code)).toEqual([
			'voter-card-issued',
			'already-voted-in-person',
			'not-on-embassy-list'
		]);
	});
});

describe('which outcome may be recorded when', () => {
	const ready: EnvelopeOpeningState = {
		late: false,
		handedOver: true,
		votingClosed: true,
		ballotBoxOpened: false,
		outcome: null,
		voterAlreadyVoted: false
	};

	it('a handed-over envelope after the close: accepted or set aside', () => {
		expect(checkEnvelopeOpening(ready)).toEqual({ ok: true });
		expect(allowedOutcomes(ready)).toEqual(['accepted', 'set-aside']);
		expect(checkOutcome(ready, 'accepted', null)).toEqual({ ok: true });
		for (const g of ['a', 'b', 'c', 'd', 'e'] as const) expect(checkOutcome(ready, 'set-aside', g)).toEqual({ ok: true });
	});

	it('§57c(5) a late envelope is never opened', () => {
		expect(checkOutcome({ ...ready, late: true }, 'accepted', null)).toEqual({ ok: false, reason: 'late', section: '§57c(5)' });
		expect(allowedOutcomes({ ...ready, late: true })).toEqual([]);
	});

	it('§57c(4) only envelopes handed over on a confirmed record', () => {
		expect(checkOutcome({ ...ready, handedOver: false }, 'set-aside', 'a')).toEqual({
			ok: false,
			reason: 'not-handed-over',
			section: '§57c(4)'
		});
	});

	it('§57d(1) not before voting has closed in the special district', () => {
		expect(checkOutcome({ ...ready, votingClosed: false }, 'accepted', null)).toEqual({
			ok: false,
			reason: 'voting-not-closed',
			section: '§57d(1)'
		});
	});

	it('§57d(6) frozen once the ballot box is open, even for an envelope already dealt with', () => {
		expect(checkOutcome({ ...ready, ballotBoxOpened: true, outcome: 'accepted' }, 'set-aside', 'b')).toEqual({
			ok: false,
			reason: 'ballot-box-opened',
			section: '§57d(6)'
		});
	});

	it('§57d(2) one outcome per envelope', () => {
		expect(checkOutcome({ ...ready, outcome: 'set-aside' }, 'accepted', null)).toMatchObject({ ok: false, reason: 'already-recorded' });
	});

	it('§57d(2) set aside needs a ground; §57d(3) accepted has none', () => {
		expect(checkOutcome(ready, 'set-aside', null)).toEqual({ ok: false, reason: 'ground-required', section: '§57d(2)' });
		expect(checkOutcome(ready, 'accepted', 'd')).toEqual({ ok: false, reason: 'ground-not-allowed', section: '§57d(3)' });
	});

	it('§57d(2)(e) a voter already recorded as having voted cannot be accepted, only set aside', () => {
		const voted = { ...ready, voterAlreadyVoted: true };
		expect(checkOutcome(voted, 'accepted', null)).toEqual({ ok: false, reason: 'voter-already-voted', section: '§57d(2)(e)' });
		expect(checkOutcome(voted, 'set-aside', 'e')).toEqual({ ok: true });
		expect(allowedOutcomes(voted)).toEqual(['set-aside']);
	});
});

describe('§57d(6) opening the ballot box', () => {
	const done = { votingClosed: true, alreadyOpened: false, unprocessed: 0, awaitingHandover: 0 };

	it('allowed once voting has closed and every envelope is dealt with', () => {
		expect(checkBallotBoxOpening(done)).toEqual({ ok: true });
	});

	it('refused while one envelope handed over is unprocessed', () => {
		expect(checkBallotBoxOpening({ ...done, unprocessed: 1 })).toEqual({ ok: false, reason: 'envelopes-remaining', section: '§57d(6)' });
	});

	it('§57c(4) refused while the embassy still holds an envelope received on time', () => {
		expect(checkBallotBoxOpening({ ...done, awaitingHandover: 1 })).toMatchObject({ ok: false, reason: 'envelopes-remaining' });
	});

	it('§57d(1) refused before the close of voting; once only', () => {
		expect(checkBallotBoxOpening({ ...done, votingClosed: false })).toMatchObject({ ok: false, reason: 'voting-not-closed' });
		expect(checkBallotBoxOpening({ ...done, alreadyOpened: true })).toMatchObject({ ok: false, reason: 'already-opened' });
	});
});

describe('what the voter’s timeline shows', () => {
	it('§57d(6) the outcome only once the ballot box is open', () => {
		expect(voterEnvelopeStatus({ late: false, outcome: 'accepted', ground: null, ballotBoxOpened: false })).toEqual({ status: 'received' });
		expect(voterEnvelopeStatus({ late: false, outcome: 'accepted', ground: null, ballotBoxOpened: true })).toEqual({ status: 'counted' });
		expect(voterEnvelopeStatus({ late: false, outcome: 'set-aside', ground: 'b', ballotBoxOpened: true })).toEqual({
			status: 'set-aside',
			ground: 'b'
		});
	});

	it('§57c(5) late is late from the start', () => {
		expect(voterEnvelopeStatus({ late: true, outcome: null, ground: null, ballotBoxOpened: false })).toEqual({ status: 'late' });
	});
});

describe('reconciliation', () => {
	const counts: ReconciliationCounts = {
		packagesIssued: 10,
		packagesDispatched: 9,
		packagesNotDispatched: 1,
		packagesWithoutEnvelope: 3,
		received: 7,
		receivedOnTime: 6,
		receivedLate: 1,
		handedOver: 5,
		held: 1,
		accepted: 2,
		setAsideTotal: 2,
		setAside: { a: 1, b: 0, c: 0, d: 1, e: 0 },
		unprocessed: 1,
		markedByCorrespondence: 2
	};

	it('figures that add up: every identity holds', () => {
		const r = reconcile(counts);
		expect(r.balanced).toBe(true);
		expect(r.identities.map((i) => [i.key, i.difference])).toEqual([
			['issued-dispatched', 0],
			['issued-returned', 0],
			['received-on-time-late', 0],
			['on-time-handed-over-held', 0],
			['handed-over-dealt-with', 0],
			['set-aside-by-ground', 0],
			['accepted-marked', 0]
		]);
	});

	it('§57c(5) an envelope counted as received but neither on time nor late shows as a difference of 1', () => {
		const r = reconcile({ ...counts, received: 8, packagesWithoutEnvelope: 2 });
		expect(r.balanced).toBe(false);
		expect(r.identities.filter((i) => i.difference !== 0)).toEqual([
			{
				key: 'received-on-time-late',
				section: '§57c(5)',
				total: { term: 'received', value: 8 },
				parts: [
					{ term: 'receivedOnTime', value: 6 },
					{ term: 'receivedLate', value: 1 }
				],
				difference: 1
			}
		]);
	});

	it('§57d a missing outcome and §57d(3) a mark without an accepted envelope are negative/positive differences', () => {
		const r = reconcile({ ...counts, unprocessed: 0, markedByCorrespondence: 3 });
		const diff = Object.fromEntries(r.identities.map((i) => [i.key, i.difference]));
		expect(diff['handed-over-dealt-with']).toBe(1);
		expect(diff['accepted-marked']).toBe(-1);
	});

	it('§57d(2) the grounds must sum to the envelopes set aside', () => {
		const r = reconcile({ ...counts, setAside: { a: 1, b: 0, c: 0, d: 0, e: 0 } });
		expect(r.identities.find((i) => i.key === 'set-aside-by-ground')?.difference).toBe(1);
	});
});
