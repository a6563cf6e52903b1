import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	checkResultClosing,
	checkResultRecord,
	differingFields,
	parseCandidateListCsv,
	parseResultRecord,
	preferencesAllowed,
	recordFieldKey,
	recordFields,
	recordValue,
	withRecordValue,
	type RecordField,
	type ResultCheckName,
	type ResultRecord,
	type ResultShape
} from './results';

/** A shape of 1–4 lists with up to 4 candidates each, with or without preferential votes. */
const shapeArb: fc.Arbitrary<ResultShape> = fc
	.record({
		candidates: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 4 }),
		preferences: fc.constantFrom(0, 4)
	})
	.map(({ candidates, preferences }) => ({
		preferencesAllowed: preferences,
		lists: candidates.map((n, i) => ({
			number: i + 1,
			name: `List ${i + 1}`,
			candidates: Array.from({ length: n }, (_, c) => ({ number: c + 1, name: `Candidate ${c + 1}` }))
		}))
	}));

/** A consistent record of a shape: every sum agrees and every bound holds. */
function consistentArb(shape: ResultShape): fc.Arbitrary<ResultRecord> {
	const listCount = shape.lists.length;
	return fc
		.record({
			lists: fc.array(fc.integer({ min: 0, max: 500 }), { minLength: listCount, maxLength: listCount }),
			invalid: fc.integer({ min: 0, max: 50 }),
			slack: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 3, maxLength: 3 }),
			prefShare: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 16, maxLength: 16 })
		})
		.map(({ lists, invalid, slack, prefShare }) => {
			const valid = lists.reduce((a, b) => a + b, 0);
			const counted = valid + invalid;
			const received = counted + slack[0]!;
			const issued = received + slack[1]!;
			const listVotes: Record<number, number> = {};
			const preferentialVotes: Record<number, Record<number, number>> = {};
			shape.lists.forEach((l, i) => {
				listVotes[l.number] = lists[i]!;
				if (shape.preferencesAllowed > 0) {
					preferentialVotes[l.number] = Object.fromEntries(
						l.candidates.map((c, j) => [c.number, Math.floor(lists[i]! * prefShare[(i * 4 + j) % 16]!)])
					);
				}
			});
			return {
				votersOnList: issued + slack[2]!,
				envelopesIssued: issued,
				envelopesReceived: received,
				envelopesCounted: counted,
				validVotes: valid,
				invalidVotes: invalid,
				listVotes,
				preferentialVotes
			};
		});
}

const shapeAndRecord = shapeArb.chain((shape) => consistentArb(shape).map((record) => ({ shape, record })));

/** The checks a field takes part in. */
function checksOf(field: RecordField): ResultCheckName[] {
	if (field.kind === 'list') return ['valid-equals-sum-of-lists', 'candidate-within-list', 'preferences-within-allowed'];
	if (field.kind === 'candidate') return ['candidate-within-list', 'preferences-within-allowed'];
	switch (field.field) {
		case 'votersOnList':
			return ['issued-within-voters'];
		case 'envelopesIssued':
			return ['issued-within-voters', 'received-within-issued'];
		case 'envelopesReceived':
			return ['received-within-issued', 'counted-within-received'];
		case 'envelopesCounted':
			return ['counted-within-received', 'valid-plus-invalid-equals-counted'];
		case 'validVotes':
			return ['valid-plus-invalid-equals-counted', 'valid-equals-sum-of-lists'];
		case 'invalidVotes':
			return ['valid-plus-invalid-equals-counted'];
	}
}

/** The check a change of a field must fail: the field's sum, or the bound it was pushed past. */
function expectedCheck(field: RecordField, record: ResultRecord, value: number): ResultCheckName | null {
	const old = recordValue(record, field);
	if (field.kind === 'list') return value !== old ? 'valid-equals-sum-of-lists' : null;
	if (field.kind === 'candidate') return value > (record.listVotes[field.list] ?? 0) ? 'candidate-within-list' : null;
	switch (field.field) {
		case 'votersOnList':
			return value < record.envelopesIssued ? 'issued-within-voters' : null;
		case 'envelopesIssued':
			return value > record.votersOnList ? 'issued-within-voters' : value < record.envelopesReceived ? 'received-within-issued' : null;
		case 'envelopesReceived':
			return value > record.envelopesIssued ? 'received-within-issued' : value < record.envelopesCounted ? 'counted-within-received' : null;
		case 'envelopesCounted':
		case 'invalidVotes':
			return value !== old ? 'valid-plus-invalid-equals-counted' : null;
		case 'validVotes':
			return value !== old ? 'valid-equals-sum-of-lists' : null;
	}
}

describe('checkResultRecord (the statistical office’s checks)', () => {
	it('a consistent record passes every check', () => {
		fc.assert(
			fc.property(shapeAndRecord, ({ shape, record }) => {
				expect(checkResultRecord(shape, record)).toEqual([]);
			})
		);
	});

	it('any single changed number fails the right check, and only checks that involve it', () => {
		fc.assert(
			fc.property(
				shapeAndRecord.chain(({ shape, record }) =>
					fc.record({
						shape: fc.constant(shape),
						record: fc.constant(record),
						field: fc.constantFrom(...recordFields(shape)),
						delta: fc.integer({ min: -60, max: 60 }).filter((d) => d !== 0)
					})
				),
				({ shape, record, field, delta }) => {
					const value = Math.max(0, recordValue(record, field) + delta);
					const changed = withRecordValue(record, field, value);
					const failed = checkResultRecord(shape, changed).map((f) => f.check);
					const expected = expectedCheck(field, record, value);
					if (expected) expect(failed).toContain(expected);
					for (const check of failed) expect(checksOf(field)).toContain(check);
				}
			)
		);
	});

	it('names the list and candidate of a preferential-vote failure', () => {
		const shape: ResultShape = {
			preferencesAllowed: 1,
			lists: [{ number: 7, name: 'L', candidates: [1, 2].map((n) => ({ number: n, name: `C${n}` })) }]
		};
		const record: ResultRecord = {
			votersOnList: 10,
			envelopesIssued: 10,
			envelopesReceived: 10,
			envelopesCounted: 10,
			validVotes: 10,
			invalidVotes: 0,
			listVotes: { 7: 10 },
			preferentialVotes: { 7: { 1: 6, 2: 6 } }
		};
		expect(checkResultRecord(shape, record)).toEqual([{ check: 'preferences-within-allowed', list: 7, left: 12, right: 10 }]);
		expect(checkResultRecord(shape, withRecordValue(record, { kind: 'candidate', list: 7, candidate: 2 }, 11))).toContainEqual({
			check: 'candidate-within-list',
			list: 7,
			candidate: 2,
			left: 11,
			right: 10
		});
	});

	it('the number of preferential votes follows the kind of election', () => {
		expect(preferencesAllowed('chamber')).toBe(4);
		expect(preferencesAllowed('european')).toBe(2);
		expect(preferencesAllowed('president')).toBe(0);
	});
});

describe('double entry', () => {
	it('identical entries differ nowhere; one changed number is the one difference', () => {
		fc.assert(
			fc.property(
				shapeAndRecord.chain(({ shape, record }) => fc.record({ shape: fc.constant(shape), record: fc.constant(record), field: fc.constantFrom(...recordFields(shape)) })),
				({ shape, record, field }) => {
					expect(differingFields(shape, record, record)).toEqual([]);
					const other = withRecordValue(record, field, recordValue(record, field) + 1);
					expect(differingFields(shape, record, other)).toEqual([field]);
				}
			)
		);
	});

	it('closes only when both entries exist, agree and pass; a correction needs a reason', () => {
		fc.assert(
			fc.property(shapeAndRecord, ({ shape, record }) => {
				const base = { ballotBoxOpened: true, chair: record, member: record, correction: false, reason: '' };
				expect(checkResultClosing(shape, base)).toEqual({ ok: true });
				expect(checkResultClosing(shape, { ...base, ballotBoxOpened: false })).toEqual({ ok: false, reason: 'ballot-box-not-opened' });
				expect(checkResultClosing(shape, { ...base, member: null })).toEqual({ ok: false, reason: 'member-entry-missing' });
				expect(checkResultClosing(shape, { ...base, chair: null })).toEqual({ ok: false, reason: 'chair-entry-missing' });
				const differs = withRecordValue(record, { kind: 'total', field: 'invalidVotes' }, record.invalidVotes + 1);
				expect(checkResultClosing(shape, { ...base, member: differs })).toEqual({ ok: false, reason: 'entries-differ' });
				expect(checkResultClosing(shape, { ...base, chair: differs, member: differs })).toEqual({ ok: false, reason: 'checks-failed' });
				expect(checkResultClosing(shape, { ...base, correction: true, reason: '  ' })).toEqual({ ok: false, reason: 'reason-required' });
				expect(checkResultClosing(shape, { ...base, correction: true, reason: 'Přepočítáno' })).toEqual({ ok: true });
			})
		);
	});
});

describe('parseResultRecord', () => {
	const shape: ResultShape = { preferencesAllowed: 4, lists: [{ number: 1, name: 'A', candidates: [{ number: 1, name: 'X' }] }] };

	it('reads every field of the form and forgives thousands separators', () => {
		const input = Object.fromEntries(recordFields(shape).map((f, i) => [recordFieldKey(f), i === 0 ? '1 200' : String(i)]));
		const parsed = parseResultRecord(shape, input);
		expect(parsed.ok && parsed.record.votersOnList).toBe(1200);
		expect(parsed.ok && parsed.record.preferentialVotes[1]?.[1]).toBe(7);
	});

	it('names each missing or malformed field', () => {
		expect(parseResultRecord(shape, { votersOnList: '-1', envelopesIssued: '1.5', 'list-1': '99999999999' })).toMatchObject({
			ok: false,
			errors: { votersOnList: 'not-a-number', envelopesIssued: 'not-a-number', 'list-1': 'not-a-number', envelopesReceived: 'required', 'pref-1-1': 'required' }
		});
	});
});

describe('parseCandidateListCsv', () => {
	it('reads lists and their candidates, with a header, commas or semicolons', () => {
		const parsed = parseCandidateListCsv('list,candidate,name\r\n2,,SPOLU\n1;;ANO 2011\n2,1,Jana Nováková\n2,2,"Petr Svoboda"\n');
		expect(parsed).toEqual({
			ok: true,
			lists: [
				{ number: 1, name: 'ANO 2011', candidates: [] },
				{
					number: 2,
					name: 'SPOLU',
					candidates: [
						{ number: 1, name: 'Jana Nováková' },
						{ number: 2, name: 'Petr Svoboda' }
					]
				}
			]
		});
	});

	it('names the line of each problem', () => {
		expect(parseCandidateListCsv('1,,A\n1,,B\n2,1,X\nx,,C\n3,,\n4')).toEqual({
			ok: false,
			errors: [
				{ line: 2, problem: 'duplicate' },
				{ line: 4, problem: 'number' },
				{ line: 5, problem: 'name' },
				{ line: 6, problem: 'columns' },
				{ line: 3, problem: 'unknown-list' }
			]
		});
		expect(parseCandidateListCsv('')).toEqual({ ok: false, errors: [{ line: 1, problem: 'empty' }] });
	});
});
