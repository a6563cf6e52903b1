import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
	DEFAULT_RETENTION_DAYS,
	electionsDueForRetention,
	retentionDueAt,
	retentionStatus,
	validateRetentionDays,
	type RetentionSettings
} from './retention';
import { prague } from './test-support';

const election = (overrides: Partial<RetentionSettings> = {}): RetentionSettings => ({
	id: 'e',
	resultsDeclaredOn: '2026-10-10',
	underCourtChallenge: false,
	retentionDays: DEFAULT_RETENTION_DAYS,
	personalDataRemovedAt: null,
	...overrides
});

describe('§22(6) retention of voter data after the results are declared', () => {
	it('is 90 days by default', () => {
		expect(DEFAULT_RETENTION_DAYS).toBe(90);
	});

	it('falls due at 00:00 Prague on the 90th day after the declaration', () => {
		// 10 October 2026 + 90 days = 8 January 2027 (winter time, +01:00).
		expect(retentionDueAt('2026-10-10', 90)?.toString()).toBe('2027-01-08T00:00:00+01:00[Europe/Prague]');
		// Across the change to summer time the day still starts at 00:00 Prague.
		expect(retentionDueAt('2027-01-01', 90)?.toString()).toBe('2027-04-01T00:00:00+02:00[Europe/Prague]');
		expect(retentionDueAt('2026-10-10', 0)?.toString()).toBe('2026-10-10T00:00:00+02:00[Europe/Prague]');
	});

	it('refuses a malformed date or period', () => {
		expect(retentionDueAt('2026-02-30', 90)).toBeNull();
		expect(retentionDueAt('2026-10-10', -1)).toBeNull();
		expect(retentionDueAt('2026-10-10', 1.5)).toBeNull();
	});

	it('keeps the data until the due instant and removes it from then on', () => {
		const e = election();
		expect(retentionStatus(e, prague('2027-01-07T23:59:59.999'))).toMatchObject({ kind: 'kept' });
		expect(retentionStatus(e, prague('2027-01-08T00:00'))).toMatchObject({ kind: 'due' });
		expect(retentionStatus(e, prague('2027-06-01T12:00'))).toMatchObject({ kind: 'due' });
	});

	it('uses the per-election period (*configurable*)', () => {
		const e = election({ retentionDays: 30 });
		expect(retentionStatus(e, prague('2026-11-08T23:59'))).toMatchObject({ kind: 'kept' });
		expect(retentionStatus(e, prague('2026-11-09T00:00'))).toMatchObject({ kind: 'due' });
	});

	it('never falls due before the results are declared', () => {
		expect(retentionStatus(election({ resultsDeclaredOn: null }), prague('2040-01-01T00:00'))).toEqual({ kind: 'results-not-declared' });
	});

	it('never falls due while a court challenge is pending, however late', () => {
		const status = retentionStatus(election({ underCourtChallenge: true }), prague('2040-01-01T00:00'));
		expect(status.kind).toBe('court-challenge');
		expect(retentionStatus(election({ underCourtChallenge: true, resultsDeclaredOn: null }), prague('2040-01-01T00:00'))).toEqual({
			kind: 'court-challenge',
			dueAt: null
		});
	});

	it('is done once the data was removed', () => {
		const removedAt = Temporal.Instant.from('2027-01-08T01:30:00Z');
		expect(retentionStatus(election({ personalDataRemovedAt: removedAt }), prague('2027-02-01T00:00'))).toEqual({ kind: 'done', removedAt });
	});

	it('picks exactly the elections due at now', () => {
		const now = prague('2027-01-08T01:30');
		const due = election({ id: 'due' });
		const dueLongAgo = election({ id: 'due-long-ago', resultsDeclaredOn: '2025-01-01' });
		const notYet = election({ id: 'not-yet', resultsDeclaredOn: '2026-10-11' });
		const court = election({ id: 'court', resultsDeclaredOn: '2025-01-01', underCourtChallenge: true });
		const undeclared = election({ id: 'undeclared', resultsDeclaredOn: null });
		const done = election({ id: 'done', resultsDeclaredOn: '2025-01-01', personalDataRemovedAt: prague('2025-04-01T01:30') });
		expect(electionsDueForRetention([due, notYet, court, undeclared, done, dueLongAgo], now).map((e) => e.id)).toEqual(['due', 'due-long-ago']);
	});

	it('validates the period an administrator sets', () => {
		expect(validateRetentionDays(90)).toBeNull();
		expect(validateRetentionDays(0)).toBeNull();
		expect(validateRetentionDays(-1)).toBe('negative');
		expect(validateRetentionDays(2.5)).toBe('not-a-whole-number');
		expect(validateRetentionDays(100000)).toBe('too-long');
	});
});
