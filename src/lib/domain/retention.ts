/**
 * Retention of voter data after an election (§22(6)).
 *
 * DOMAIN.md "Personal data": voter data is kept no longer than 90 days after the election's
 * results are declared, unless a court challenge is pending (*configurable* per election).
 * Pure: the caller passes `now`.
 */
import { Temporal } from 'temporal-polyfill';
import { parseIsoDate } from './elections';
import { PRAGUE } from './deadlines';

/** §22(6): the default number of days voter data is kept after the results are declared. */
export const DEFAULT_RETENTION_DAYS = 90;

/** The most an administrator may set; longer would no longer be "retention" in the sense of §22(6). */
export const MAX_RETENTION_DAYS = 3650;

export interface RetentionSettings {
	id: string;
	/** YYYY-MM-DD; null while the results are not declared. */
	resultsDeclaredOn: string | null;
	/** §22(6): nothing is removed while a court challenge is pending. */
	underCourtChallenge: boolean;
	retentionDays: number;
	/** When the personal data of the election was removed; null while it is kept. */
	personalDataRemovedAt: Temporal.Instant | null;
}

export type RetentionStatus =
	/** The personal data has been removed already. */
	| { kind: 'done'; removedAt: Temporal.Instant }
	/** No results declared yet: the period has not started. */
	| { kind: 'results-not-declared' }
	/** §22(6): a pending court challenge keeps the data, whatever the date. */
	| { kind: 'court-challenge'; dueAt: Temporal.ZonedDateTime | null }
	/** Kept until `dueAt`. */
	| { kind: 'kept'; dueAt: Temporal.ZonedDateTime }
	/** To be removed now. */
	| { kind: 'due'; dueAt: Temporal.ZonedDateTime };

/**
 * The instant from which the data must be gone: 00:00 Prague on the day `retentionDays` after
 * the declaration. "No longer than N days after" the declaration means the data may live
 * through the N−1 whole days after the day of declaration and is removed on day N, so that a
 * daily run in the small hours never keeps it past the N-th day. null for an invalid date.
 */
export function retentionDueAt(resultsDeclaredOn: string, retentionDays: number): Temporal.ZonedDateTime | null {
	const declared = parseIsoDate(resultsDeclaredOn);
	if (!declared || !Number.isInteger(retentionDays) || retentionDays < 0) return null;
	return declared.add({ days: retentionDays }).toZonedDateTime({ timeZone: PRAGUE });
}

/** Where one election stands at `now` (§22(6)). */
export function retentionStatus(election: RetentionSettings, now: Temporal.Instant): RetentionStatus {
	if (election.personalDataRemovedAt) return { kind: 'done', removedAt: election.personalDataRemovedAt };
	const dueAt = election.resultsDeclaredOn ? retentionDueAt(election.resultsDeclaredOn, election.retentionDays) : null;
	if (election.underCourtChallenge) return { kind: 'court-challenge', dueAt };
	if (!dueAt) return { kind: 'results-not-declared' };
	return Temporal.Instant.compare(now, dueAt.toInstant()) >= 0 ? { kind: 'due', dueAt } : { kind: 'kept', dueAt };
}

/** The elections whose voter data is to be removed at `now` (§22(6)), in the order given. */
export function electionsDueForRetention<T extends RetentionSettings>(elections: readonly T[], now: Temporal.Instant): T[] {
	return elections.filter((e) => retentionStatus(e, now).kind === 'due');
}

export type RetentionDaysError = 'not-a-whole-number' | 'negative' | 'too-long';

/** Checks an administrator's retention period (§22(6), *configurable*). */
export function validateRetentionDays(days: number): RetentionDaysError | null {
	if (!Number.isInteger(days)) return 'not-a-whole-number';
	if (days < 0) return 'negative';
	if (days > MAX_RETENTION_DAYS) return 'too-long';
	return null;
}
