/**
 * Issue 19, point 9: the small-count protection of the open data, proved against an attacker
 * who knows the rule (it is public code), sees every published row and the row's total,
 * and tries every raw row that could have produced what was published.
 *
 * For rows of one to three parts, with and without an unpublished remainder (registrations
 * not accepted, envelopes not yet dealt with), the attacker enumerates every raw row with
 * cells 0..MAX_VALUE. Properties, for random true rows well inside that box:
 * - no withheld cell (a part, or the remainder whenever it is not published-derivable) can
 *   be recovered: the rows that publish the same thing give it at least two values;
 * - no published row shows a total of 1–4, and a row with a total of 1–4 publishes exactly
 *   what a row of zeros does (nothing), so the existence of a row never tells "a handful";
 * - no table publishes a sum across rows, so column sums give nothing but lower bounds
 *   (checked on random tables of the requests feed).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { protectPartition, REQUEST_STATES, shapeOpenDataTables, SUPPRESSION_THRESHOLD, type RawRequestCount } from './open-data';

const MAX_VALUE = 14;
const NAMES = ['a', 'b', 'c'] as const;

interface Shape {
	parts: number;
	remainder: boolean;
}

/** The raw row: the parts, and the remainder when the table has one (the total is parts + remainder). */
type Raw = number[];

function publish(shape: Shape, raw: Raw): string {
	const parts = NAMES.slice(0, shape.parts).map((n, i) => [n, raw[i]!] as const);
	const total = shape.remainder ? raw.reduce((a, b) => a + b, 0) : undefined;
	return JSON.stringify(protectPartition(parts, total));
}

/** Every raw row of the box, grouped by what it publishes. */
function attackerTable(shape: Shape): Map<string, Raw[]> {
	const cells = shape.parts + (shape.remainder ? 1 : 0);
	const byPublication = new Map<string, Raw[]>();
	const raw: Raw = new Array<number>(cells).fill(0);
	const walk = (i: number) => {
		if (i === cells) {
			const key = publish(shape, raw);
			const list = byPublication.get(key) ?? [];
			list.push([...raw]);
			byPublication.set(key, list);
			return;
		}
		for (let v = 0; v <= MAX_VALUE; v++) {
			raw[i] = v;
			walk(i + 1);
		}
	};
	walk(0);
	return byPublication;
}

const SHAPES: Shape[] = [
	{ parts: 1, remainder: true },
	{ parts: 2, remainder: false },
	{ parts: 2, remainder: true },
	{ parts: 3, remainder: false },
	{ parts: 3, remainder: true }
];

describe('small counts cannot be recovered from the open data (fast-check against a brute-force attacker)', () => {
	for (const shape of SHAPES) {
		const cells = shape.parts + (shape.remainder ? 1 : 0);
		const table = attackerTable(shape);

		it(`${shape.parts} part(s)${shape.remainder ? ' and a remainder' : ''}`, () => {
			// True rows well inside the box, so that the attacker's candidates are not cut by it.
			const cellValue = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 9 }));
			fc.assert(
				fc.property(fc.array(cellValue, { minLength: cells, maxLength: cells }), (raw) => {
					const published = protectPartition(
						NAMES.slice(0, shape.parts).map((n, i) => [n, raw[i]!] as const),
						shape.remainder ? raw.reduce((a, b) => a + b, 0) : undefined
					);
					const total = raw.reduce((a, b) => a + b, 0);
					if (published === null) {
						// Left out: exactly as a row of zeros, never a row with a total of 5 or more.
						expect(total).toBeLessThan(SUPPRESSION_THRESHOLD);
						return;
					}
					// The total is published, so the attacker knows it: never 1–4.
					expect(published.total).toBe(total);
					expect(total).toBeGreaterThanOrEqual(SUPPRESSION_THRESHOLD);
					const candidates = table.get(publish(shape, raw))!;
					expect(candidates.some((c) => c.every((v, i) => v === raw[i]))).toBe(true);
					const partsWithheld = NAMES.slice(0, shape.parts).filter((n) => published.parts[n] === null);
					// The remainder is known exactly only when every part is published (total − parts).
					const withheldCells = [
						...partsWithheld.map((n) => NAMES.indexOf(n)),
						...(shape.remainder && partsWithheld.length > 0 ? [shape.parts] : [])
					];
					for (const cell of withheldCells) {
						const values = new Set(candidates.map((c) => c[cell]));
						expect(values.size, `cell ${cell} of ${JSON.stringify(raw)}`).toBeGreaterThanOrEqual(2);
					}
					// Every small cell is withheld (directly, or as the remainder of withheld parts).
					raw.forEach((v, cell) => {
						if (v > 0 && v < SUPPRESSION_THRESHOLD) expect(withheldCells).toContain(cell);
					});
				}),
				{ numRuns: 400 }
			);
		});

		it(`${shape.parts} part(s)${shape.remainder ? ' and a remainder' : ''}: a total of 1–4 publishes what a total of 0 does`, () => {
			const zero = publish(shape, new Array<number>(cells).fill(0));
			for (const [key, raws] of table) {
				if (raws.some((r) => r.reduce((a, b) => a + b, 0) < SUPPRESSION_THRESHOLD)) expect(key).toBe(zero);
			}
		});
	}

	it('publishes no row with a total or a count of 1–4, and no sums across rows, in random tables', () => {
		const office = fc.constantFrom('mu-1', 'mu-2', 'zu-a');
		const day = fc.constantFrom('2026-11-01', '2026-11-02', '2026-11-03');
		const count = fc.integer({ min: 1, max: 12 });
		const request = fc.record({
			office,
			round: fc.constant(1 as const),
			day,
			kind: fc.constantFrom('voter-card' as const, 'correspondence-package' as const),
			state: fc.constantFrom(...REQUEST_STATES),
			count
		});
		const dayCount = fc.record({ office, round: fc.constant(1 as const), day, count });
		fc.assert(
			fc.property(
				fc.array(request, { maxLength: 30 }),
				fc.uniqueArray(dayCount, { selector: (c) => `${c.office}|${c.day}`, maxLength: 6 }),
				fc.uniqueArray(fc.record({ office, day, received: count, accepted: fc.integer({ min: 0, max: 12 }) }), { selector: (c) => `${c.office}|${c.day}`, maxLength: 6 }),
				(requests: RawRequestCount[], days, registrations) => {
					const tables = shapeOpenDataTables({
						requests,
						voterCards: days,
						registrations: registrations.map((r) => ({ ...r, accepted: Math.min(r.accepted, r.received) })),
						packages: days,
						envelopes: [],
						closures: []
					});
					for (const row of tables.requests) {
						expect(row.total).toBeGreaterThanOrEqual(SUPPRESSION_THRESHOLD);
						const parts = REQUEST_STATES.map((s) => row[s]);
						// All or nothing: a zero is never published beside a withheld cell.
						expect(parts.every((v) => v === null) || parts.every((v) => v !== null && (v === 0 || v >= SUPPRESSION_THRESHOLD))).toBe(true);
						if (parts.every((v) => v !== null)) expect(parts.reduce((a, b) => a! + b!, 0)).toBe(row.total);
					}
					for (const row of [...tables.voterCards.map((r) => r.issued), ...tables.packages.map((r) => r.dispatched)]) {
						expect(row).toBeGreaterThanOrEqual(SUPPRESSION_THRESHOLD);
					}
					for (const row of tables.registrations) {
						expect(row.received).toBeGreaterThanOrEqual(SUPPRESSION_THRESHOLD);
						if (row.accepted !== null) expect(row.accepted === 0 || (row.accepted >= SUPPRESSION_THRESHOLD && (row.received - row.accepted === 0 || row.received - row.accepted >= SUPPRESSION_THRESHOLD))).toBe(true);
					}
					// One row per office, round, day (and kind): no row sums other rows.
					const keys = tables.requests.map((r) => `${r.office}|${r.round}|${r.day}|${r.kind}`);
					expect(new Set(keys).size).toBe(keys.length);
				}
			),
			{ numRuns: 300 }
		);
	});
});
