import { describe, expect, it } from 'vitest';
import {
	isSensitive,
	protectCount,
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
	it('withholds 1 to 4 and publishes 0 and 5 upwards', () => {
		expect(SUPPRESSION_THRESHOLD).toBe(5);
		expect([0, 1, 2, 3, 4, 5, 6, 100].map(isSensitive)).toEqual([false, true, true, true, true, false, false, false]);
		expect([0, 1, 4, 5, 17].map(protectCount)).toEqual([0, null, null, 5, 17]);
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

	it('withholds a second part and the total when one part is small, so that no subtraction recovers it', () => {
		const p = protectPartition(
			[
				['a', 9],
				['b', 2],
				['c', 6]
			],
			17
		);
		// b is withheld (primary); c, the smallest other non-zero part, too (secondary)
		expect(p.parts).toEqual({ a: 9, b: null, c: null });
		expect(p.total).toBeNull();
		expect(p.suppressed).toEqual(['b', 'c', 'total']);
	});

	it('takes the first column on a tie for the secondary cell', () => {
		const p = protectPartition(
			[
				['a', 6],
				['b', 6],
				['c', 1]
			],
			13
		);
		expect(p.parts).toEqual({ a: null, b: 6, c: null });
	});

	it('needs no secondary cell when two cells are already withheld', () => {
		const p = protectPartition(
			[
				['a', 1],
				['b', 3],
				['c', 8]
			],
			12
		);
		expect(p.parts).toEqual({ a: null, b: null, c: 8 });
		expect(p.total).toBeNull();
	});

	it('withholds the total when only one part is non-zero and small', () => {
		const p = protectPartition(
			[
				['a', 0],
				['b', 3]
			],
			3
		);
		expect(p).toEqual({ parts: { a: 0, b: null }, total: null, suppressed: ['b', 'total'] });
	});

	it('treats the unpublished remainder of a total as a cell: a small remainder hides the row', () => {
		// received 7, accepted 5: the 2 not accepted would follow by subtraction
		const p = protectPartition([['accepted', 5]], 7);
		expect(p).toEqual({ parts: { accepted: null }, total: null, suppressed: ['accepted', 'total'] });
	});

	it('prefers the remainder as the secondary cell, since it is never published anyway', () => {
		const p = protectPartition(
			[
				['late', 2],
				['other', 30]
			],
			50
		);
		// late is withheld; the remainder (18) rather than `other` (30) takes the secondary role
		expect(p.parts).toEqual({ late: null, other: 30 });
		expect(p.total).toBeNull();
	});

	it('publishes a total equal to a single large part', () => {
		expect(protectPartition([['accepted', 8]], 8)).toEqual({ parts: { accepted: 8 }, total: 8, suppressed: [] });
	});

	it('no published figure of a protected row lets a withheld cell be worked out from the true total', () => {
		// Exhaustive over small rows: with a total of 5 or more known (e.g. from an earlier
		// snapshot), at least two non-zero cells stay unknown whenever any cell is 1–4.
		for (let a = 0; a <= 7; a++)
			for (let b = 0; b <= 7; b++)
				for (let c = 0; c <= 7; c++) {
					const p = protectPartition(
						[
							['a', a],
							['b', b],
							['c', c]
						],
						a + b + c
					);
					const values = { a, b, c };
					const hidden = (['a', 'b', 'c'] as const).filter((k) => p.parts[k] === null);
					for (const k of ['a', 'b', 'c'] as const) {
						if (isSensitive(values[k])) expect(p.parts[k]).toBeNull();
					}
					const hiddenNonZero = hidden.filter((k) => values[k] > 0);
					if (isSensitive(a + b + c)) {
						// a total of 1–4 is never published, now or before (a day's total only grows)
						expect(p.total).toBeNull();
						expect(hiddenNonZero.length).toBe([a, b, c].filter((v) => v > 0).length);
					} else {
						expect(hiddenNonZero.length === 0 || hiddenNonZero.length >= 2).toBe(true);
					}
				}
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
		expect(rows[0]).toMatchObject({ received: null, refused: null, accepted: 0, total: null, suppressed: ['received', 'refused', 'total'] });
		expect(rows[1]).toMatchObject({ received: 7, issued: 5, accepted: 0, refused: 0, total: 12, suppressed: [] });
		expect(rows[2]).toMatchObject({ received: 6, total: 6 });
	});

	it('withholds voter cards below five', () => {
		expect(
			shapeVoterCardRows([
				{ office: 'mu-1', round: 1, day: '2026-11-03', count: 4 },
				{ office: 'mu-1', round: 1, day: '2026-11-04', count: 5 }
			])
		).toEqual([
			{ office: 'mu-1', round: 1, day: '2026-11-03', issued: null, suppressed: ['issued'] },
			{ office: 'mu-1', round: 1, day: '2026-11-04', issued: 5, suppressed: [] }
		]);
	});

	it('publishes registrations received and accepted, protecting the not-accepted remainder', () => {
		const rows = shapeRegistrationRows([
			{ office: 'zu-a', day: '2026-11-01', received: 12, accepted: 6 },
			{ office: 'zu-a', day: '2026-11-02', received: 8, accepted: 5 }
		]);
		expect(rows[0]).toEqual({ office: 'zu-a', day: '2026-11-01', received: 12, accepted: 6, suppressed: [] });
		expect(rows[1]).toEqual({ office: 'zu-a', day: '2026-11-02', received: null, accepted: null, suppressed: ['accepted', 'received'] });
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
		expect(rows[0]).toMatchObject({ received: null, late: 0, counted: null, setAside: null, suppressed: ['counted', 'setAside', 'received'] });
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
