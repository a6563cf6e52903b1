import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { formatCalendarDate, formatPragueDateTime, formatSection } from './format';

describe('document formatting', () => {
	it('shows instants in Prague time whatever the server zone (§78(2))', () => {
		// 15:00 UTC in summer is 17:00 in Prague
		const instant = Temporal.Instant.from('2026-07-01T15:00:00Z');
		expect(formatPragueDateTime(instant, 'cs')).toBe('1. července 2026 v 17:00');
		expect(formatPragueDateTime(instant, 'en')).toBe('1 July 2026 at 17:00');
	});

	it('formats calendar dates without shifting them', () => {
		expect(formatCalendarDate('1984-03-12', 'cs')).toBe('12. března 1984');
		expect(formatCalendarDate('1984-03-12', 'en')).toBe('12 March 1984');
	});

	it('cites sections in the Czech style', () => {
		expect(formatSection('§57a(3)', 'cs')).toBe('§ 57a odst. 3');
		expect(formatSection('§57(1)(c)', 'cs')).toBe('§ 57 odst. 1 písm. c)');
		expect(formatSection('§78', 'cs')).toBe('§ 78');
		expect(formatSection('§57a(3)', 'en')).toBe('§57a(3)');
	});
});
