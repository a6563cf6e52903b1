import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { decisionDeadline } from '../../domain';
import type { ElectionWithRounds } from '../db/queries/elections';
import { deadlineFlag, decodeCursor, defaultElection, encodeCursor, parseQueueSearch } from './queue';

const election = (id: string, days: string[]): ElectionWithRounds => ({
	id,
	type: days.length > 1 ? 'president' : 'chamber',
	title_cs: id,
	title_en: id,
	announced_on: '2026-11-13',
	voting_abroad: true,
	correspondence_allowed: true,
	excluded_countries: [],
	earliest_voter_card_issue_days: null,
	rehearsal: false,
	clock_offset_seconds: 0,
	rounds: days.map((first_day, i) => ({ round: (i + 1) as 1 | 2, first_day }))
});

describe('the queue search box', () => {
	it('reads a date of birth in Czech or ISO form, else up to three words of a name', () => {
		expect(parseQueueSearch('12. 3. 1984')).toEqual({ kind: 'birth-date', date: '1984-03-12' });
		expect(parseQueueSearch('12.3.1984')).toEqual({ kind: 'birth-date', date: '1984-03-12' });
		expect(parseQueueSearch('1984-03-12')).toEqual({ kind: 'birth-date', date: '1984-03-12' });
		expect(parseQueueSearch('31. 2. 1984')).toEqual(null);
		expect(parseQueueSearch('  Jan   Novák ')).toEqual({ kind: 'name', words: ['Jan', 'Novák'] });
		expect(parseQueueSearch('a b c d')).toEqual({ kind: 'name', words: ['a', 'b', 'c'] });
		expect(parseQueueSearch('')).toBeNull();
		expect(parseQueueSearch('123')).toBeNull();
	});
});

describe('the keyset cursor', () => {
	it('goes into the URL and back, and anything else is no cursor', () => {
		const row = { cursor_at: '2026-11-20T08:00:00.123456Z', id: '7a70a7e0-3216-43e2-a0b8-26cd7d684d41' };
		expect(decodeCursor(encodeCursor(row))).toEqual({ at: row.cursor_at, id: row.id });
		expect(decodeCursor('2026-11-20T08:00:00Z_7a70a7e0-3216-43e2-a0b8-26cd7d684d41')).toBeNull();
		expect(decodeCursor("2026-11-20T08:00:00.123456Z_x' OR 1=1 --")).toBeNull();
		expect(decodeCursor(null)).toBeNull();
	});
});

describe('the default election', () => {
	const today = Temporal.PlainDate.from('2026-11-20');
	it('is the nearest whose voting has not begun, a two-round election until its second round', () => {
		const chamber = election('chamber', ['2027-01-15']);
		const president = election('president', ['2027-02-05', '2027-02-19']);
		const past = election('past', ['2026-10-02']);
		expect(defaultElection([president, past, chamber], today)?.id).toBe('chamber');
		expect(defaultElection([president, past, chamber], Temporal.PlainDate.from('2027-01-16'))?.id).toBe('president');
		expect(defaultElection([president, past, chamber], Temporal.PlainDate.from('2027-02-10'))?.id).toBe('president');
	});
	it('is the latest one when all have passed, and none without elections', () => {
		expect(defaultElection([election('a', ['2025-10-03']), election('b', ['2026-10-02'])], today)?.id).toBe('b');
		expect(defaultElection([], today)).toBeNull();
	});
});

describe('the §77 deadline flag', () => {
	const received = Temporal.Instant.from('2026-11-20T09:00:00+01:00');
	const deadline = decisionDeadline(received);
	it('marks a waiting request with less than 24 hours left, then overdue', () => {
		expect(deadline.toString()).toBe('2026-11-23T23:00:00Z');
		expect(deadlineFlag('received', deadline, Temporal.Instant.from('2026-11-22T23:59:59+01:00'))).toBeNull();
		expect(deadlineFlag('received', deadline, Temporal.Instant.from('2026-11-23T00:00:01+01:00'))).toBe('soon');
		expect(deadlineFlag('received', deadline, Temporal.Instant.from('2026-11-24T00:00:00+01:00'))).toBe('overdue');
	});
	it('leaves decided requests alone', () => {
		for (const state of ['accepted', 'issued', 'completed', 'refused', 'cancelled'] as const) {
			expect(deadlineFlag(state, deadline, Temporal.Instant.from('2026-12-24T00:00:00+01:00'))).toBeNull();
		}
	});
});
