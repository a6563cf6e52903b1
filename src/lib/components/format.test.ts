import { describe, expect, it } from 'vitest';
import { formatDay, formatInstant, formatLongDay, formatLongInstant, wallClock } from './format';

describe('voter page formatting', () => {
	it('shows a Prague deadline as written, whatever the viewer\'s zone', () => {
		expect(wallClock('2025-08-29T16:00:00+02:00', 'cs')).toEqual({ date: '29. 8. 2025', time: '16:00' });
		expect(wallClock('2027-01-05T16:00:00+01:00', 'en')).toEqual({ date: '5 January 2027', time: '16:00' });
	});

	it('formats calendar days', () => {
		expect(formatDay('2027-01-15', 'cs')).toBe('15. 1. 2027');
		expect(formatDay('2027-01-15', 'en')).toBe('15 January 2027');
	});

	it('shows instants in Prague time across daylight saving', () => {
		expect(formatInstant('2026-11-20T08:00:00.000Z', 'cs')).toBe('20. 11. 2026 v 09:00');
		expect(formatInstant('2026-07-01T22:30:00.000Z', 'en')).toBe('2 July 2026, 00:30');
	});

	it('writes days and times as a person does, never ISO', () => {
		expect(formatLongDay('2026-10-02', 'cs')).toBe('pátek 2. října 2026');
		expect(formatLongDay('2026-04-08', 'en')).toBe('Wednesday 8 April 2026');
		expect(formatLongInstant('2026-10-02T12:00:00.000Z', 'cs')).toBe('pátek 2. října 2026, 14:00 (Praha)');
		expect(formatLongInstant('2026-12-29T13:05:00.000Z', 'en')).toBe('Tuesday 29 December 2026, 14:05 (Prague time)');
	});
});
