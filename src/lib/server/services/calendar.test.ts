import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { CHAMBER_2025, prague } from '../../domain/test-support';
import { deadlineFor } from '../../domain';
import { deadlineStatus, formatSection, isUuid, toEmbassyVoting } from './calendar';

describe('deadlineStatus', () => {
	// §57a(3): D−35 for Chamber 2025 (D = 3 October) is Friday 29 August 2025, 16:00 Prague.
	const written = deadlineFor(CHAMBER_2025, 'correspondence-request-written')!;

	it('counts Prague calendar days while the deadline is open', () => {
		expect(deadlineStatus(prague('2025-08-19T23:59'), written)).toEqual({ kind: 'days', days: 10 });
		expect(deadlineStatus(prague('2025-08-28T00:00'), written)).toEqual({ kind: 'tomorrow' });
		expect(deadlineStatus(prague('2025-08-29T00:00'), written)).toEqual({ kind: 'today' });
		expect(deadlineStatus(prague('2025-08-29T15:59:59.999'), written)).toEqual({ kind: 'today' });
	});

	it('§78(1)(c): passed from 16:00:00 Prague on the last day', () => {
		expect(deadlineStatus(prague('2025-08-29T16:00'), written)).toEqual({ kind: 'passed' });
		expect(deadlineStatus(prague('2025-09-30T12:00'), written)).toEqual({ kind: 'passed' });
	});

	it('counts days in Prague, not in UTC', () => {
		// 23:30 Prague on 27 August is 21:30 UTC: still two Prague days before the deadline day.
		expect(deadlineStatus(Temporal.Instant.from('2025-08-27T21:30:00Z'), written)).toEqual({ kind: 'days', days: 2 });
		// 00:30 Prague on 28 August is 22:30 UTC on the 27th: already "tomorrow" in Prague.
		expect(deadlineStatus(Temporal.Instant.from('2025-08-27T22:30:00Z'), written)).toEqual({ kind: 'tomorrow' });
	});
});

describe('formatSection', () => {
	it('cites the way each language does', () => {
		expect(formatSection('§57a(3)', 'cs')).toBe('§ 57a odst. 3');
		expect(formatSection('§57c(4)', 'cs')).toBe('§ 57c odst. 4');
		expect(formatSection('§78(1)(c)', 'cs')).toBe('§ 78 odst. 1 písm. c)');
		expect(formatSection('§2', 'cs')).toBe('§ 2');
		expect(formatSection('§57a(3)', 'en')).toBe('§57a(3)');
	});

	it('leaves anything it does not recognise as it is', () => {
		expect(formatSection('čl. 5', 'cs')).toBe('čl. 5');
	});
});

describe('isUuid', () => {
	it('accepts any 8-4-4-4-12 hex id and nothing else', () => {
		expect(isUuid('6fb5073b-cdcd-4706-ade5-771e45d96192')).toBe(true);
		expect(isUuid('6FB5073B-CDCD-4706-ADE5-771E45D96192')).toBe(true);
		expect(isUuid('6fb5073b-cdcd-4706-ade5-771e45d9619')).toBe(false);
		expect(isUuid('not-a-uuid')).toBe(false);
		expect(isUuid("6fb5073b-cdcd-4706-ade5-771e45d96192' OR 1=1")).toBe(false);
	});
});

describe('toEmbassyVoting', () => {
	it('groups stored windows per round and drops the seconds', () => {
		const voting = toEmbassyVoting('America/New_York', [
			{ round: 1, window_no: 1, starts_local: '2025-10-02T14:00:00', ends_local: '2025-10-02T22:00:00' },
			{ round: 1, window_no: 2, starts_local: '2025-10-03T08:00:00', ends_local: '2025-10-03T14:00:00' },
			{ round: 2, window_no: 1, starts_local: '2025-10-16T14:00:00', ends_local: '2025-10-16T22:00:00' }
		]);
		expect(voting).toEqual([
			{
				timeZone: 'America/New_York',
				round: 1,
				windows: [
					{ start: '2025-10-02T14:00', end: '2025-10-02T22:00' },
					{ start: '2025-10-03T08:00', end: '2025-10-03T14:00' }
				]
			},
			{ timeZone: 'America/New_York', round: 2, windows: [{ start: '2025-10-16T14:00', end: '2025-10-16T22:00' }] }
		]);
	});
});
