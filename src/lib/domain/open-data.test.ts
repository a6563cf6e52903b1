import { describe, expect, it } from 'vitest';
import {
	isSensitive,
	protectPartition,
	registrationWindow,
	shapeEnvelopeRows,
	shapeRegistrationRows,
	shapeRequestRows,
	shapeVoterCardRows,
	SUPPRESSION_THRESHOLD,
	type RawRequestCount
} from './open-data';

describe('the threshold', () => {
	it('treats 1 to 4 as small, and 0 and 5 upwards not', () => {
		expect(SUPPRESSION_THRESHOLD).toBe(5);
		expect([0, 1, 2, 3, 4, 5, 6, 100].map(isSensitive)).toEqual([false, true, true, true, true, false, false, false]);
	});
});

describe('protectPartition', () => {
	it('publishes every part and the total when no cell is 1–4', () => {
		const p = protectPartition(
			[
				['a', 5],
				['b', 0],
				['c', 12]
			],
			17
		);
		expect(p).toEqual({ parts: { a: 5, b: 0, c: 12 }, total: 17, suppressed: [] });
	});

	it('publishes the total and no part, zeros included, when any cell is 1–4', () => {
		const p = protectPartition([
			['a', 9],
			['b', 2],
			['c', 0]
		]);
		expect(p).toEqual({ parts: { a: null, b: null, c: null }, total: 11, suppressed: ['a', 'b', 'c'] });
	});

	it('leaves out a row whose total is 1–4, as it leaves out a row of zeros (the case of issue 19)', () => {
		// Before: { a: 0, b: null, total: null } showed that 1–4 were filed that day.
		expect(
			protectPartition([
				['a', 0],
				['b', 3]
			])
		).toBeNull();
		expect(protectPartition([['accepted', 0]], 3)).toBeNull();
		expect(protectPartition([['accepted', 4]], 4)).toBeNull();
	});

	it('treats the unpublished remainder of a total as a cell', () => {
		// received 7, accepted 5: the 2 not accepted would follow by subtraction
		expect(protectPartition([['accepted', 5]], 7)).toEqual({ parts: { accepted: null }, total: 7, suppressed: ['accepted'] });
		expect(protectPartition([['accepted', 8]], 8)).toEqual({ parts: { accepted: 8 }, total: 8, suppressed: [] });
	});

	it('refuses impossible input', () => {
		expect(() => protectPartition([['a', 6]], 5)).toThrow(RangeError);
		expect(() => protectPartition([['a', -1]])).toThrow(RangeError);
		expect(() => protectPartition([['a', 1.5]])).toThrow(RangeError);
	});
});

describe('shaping the tables', () => {
	it('groups requests by office, round, day and kind with a column per state', () => {
		const counts: RawRequestCount[] = [
			{ office: 'mu-2', round: 1, day: '2026-11-02', kind: 'voter-card', state: 'received', count: 6 },
			{ office: 'mu-1', round: 1, day: '2026-11-02', kind: 'voter-card', state: 'received', count: 7 },
			{ office: 'mu-1', round: 1, day: '2026-11-02', kind: 'voter-card', state: 'issued', count: 5 },
			{ office: 'mu-1', round: 1, day: '2026-11-01', kind: 'voter-card', state: 'refused', count: 1 },
			{ office: 'mu-1', round: 1, day: '2026-11-01', kind: 'voter-card', state: 'received', count: 9 }
		];
		const rows = shapeRequestRows(counts);
		expect(rows.map((r) => [r.office, r.day])).toEqual([
			['mu-1', '2026-11-01'],
			['mu-1', '2026-11-02'],
			['mu-2', '2026-11-02']
		]);
		expect(rows[0]).toMatchObject({ received: null, refused: null, accepted: null, total: 10, suppressed: ['received', 'accepted', 'issued', 'completed', 'refused', 'cancelled'] });
		expect(rows[1]).toMatchObject({ received: 7, issued: 5, accepted: 0, refused: 0, total: 12, suppressed: [] });
		expect(rows[2]).toMatchObject({ received: 6, total: 6 });
	});

	it('leaves out a day with 1–4 voter cards, as a day with none', () => {
		expect(
			shapeVoterCardRows([
				{ office: 'mu-1', round: 1, day: '2026-11-03', count: 4 },
				{ office: 'mu-1', round: 1, day: '2026-11-04', count: 5 }
			])
		).toEqual([{ office: 'mu-1', round: 1, day: '2026-11-04', issued: 5, suppressed: [] }]);
	});

	it('publishes registrations received and accepted, protecting the not-accepted remainder', () => {
		const rows = shapeRegistrationRows([
			{ office: 'zu-a', day: '2026-11-01', received: 12, accepted: 6 },
			{ office: 'zu-a', day: '2026-11-02', received: 8, accepted: 5 },
			{ office: 'zu-a', day: '2026-11-03', received: 3, accepted: 0 }
		]);
		expect(rows).toHaveLength(2);
		expect(rows[0]).toEqual({ office: 'zu-a', day: '2026-11-01', received: 12, accepted: 6, suppressed: [] });
		expect(rows[1]).toEqual({ office: 'zu-a', day: '2026-11-02', received: 8, accepted: null, suppressed: ['accepted'] });
	});

	it('publishes counted and set-aside envelopes only once the commission has closed', () => {
		const counts = [{ office: 'zu-a', round: 1 as const, day: '2026-12-10', received: 16, late: 0, counted: 10, setAside: 6 }];
		const open = shapeEnvelopeRows(counts, []);
		expect(open).toEqual([
			{ office: 'zu-a', round: 1, day: '2026-12-10', received: 16, late: 0, counted: null, setAside: null, commissionClosed: false, suppressed: [] }
		]);
		const closed = shapeEnvelopeRows(counts, [{ office: 'zu-a', round: 1 }]);
		expect(closed[0]).toMatchObject({ received: 16, late: 0, counted: 10, setAside: 6, commissionClosed: true, suppressed: [] });
		// another round's closure does not count
		expect(shapeEnvelopeRows(counts, [{ office: 'zu-a', round: 2 }])[0]?.commissionClosed).toBe(false);
	});

	it('protects small outcomes after the closure', () => {
		const rows = shapeEnvelopeRows(
			[{ office: 'zu-a', round: 1, day: '2026-12-10', received: 20, late: 0, counted: 18, setAside: 2 }],
			[{ office: 'zu-a', round: 1 }]
		);
		expect(rows[0]).toMatchObject({ received: 20, late: null, counted: null, setAside: null, suppressed: ['late', 'counted', 'setAside'] });
	});
});

describe('registrationWindow', () => {
	it('runs from the announcement to the last day of voting of the last round (D+1)', () => {
		expect(
			registrationWindow({
				announcedOn: '2026-11-13',
				votingAbroad: true,
				rounds: [
					{ round: 1, firstDay: '2027-02-05' },
					{ round: 2, firstDay: '2027-02-19' }
				]
			})
		).toEqual({ from: '2026-11-13', to: '2027-02-20' });
	});

	it('is null for an election not held abroad (§2(1))', () => {
		expect(registrationWindow({ announcedOn: '2026-11-13', votingAbroad: false, rounds: [{ round: 1, firstDay: '2027-02-05' }] })).toBeNull();
	});
});
