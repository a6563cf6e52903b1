import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import {
	addWorkingDays,
	competentCourt,
	courtDeadline,
	courtDeadlineEnd,
	czechPublicHolidays,
	easterSunday,
	isCzechPublicHoliday,
	isWorkingDay,
	noticeCountdown
} from './court';

const day = (s: string) => Temporal.PlainDate.from(s);
/** An instant given as Prague wall-clock time. */
const prague = (s: string) => Temporal.PlainDateTime.from(s).toZonedDateTime('Europe/Prague').toInstant();

describe('Easter Sunday (computed, never listed)', () => {
	const table: [number, string][] = [
		[2015, '2015-04-05'],
		[2016, '2016-03-27'],
		[2018, '2018-04-01'],
		[2019, '2019-04-21'],
		[2020, '2020-04-12'],
		[2021, '2021-04-04'],
		[2022, '2022-04-17'],
		[2023, '2023-04-09'],
		[2024, '2024-03-31'],
		[2025, '2025-04-20'],
		[2026, '2026-04-05'],
		[2027, '2027-03-28'],
		[2028, '2028-04-16'],
		[2029, '2029-04-01'],
		[2030, '2030-04-21'],
		[2038, '2038-04-25'],
		[2285, '2285-03-22']
	];
	it.each(table)('%i: %s', (year, expected) => {
		expect(easterSunday(year).toString()).toBe(expected);
		expect(easterSunday(year).dayOfWeek).toBe(7);
	});
});

describe('Czech public holidays (Act No. 245/2000 Sb.)', () => {
	it('2026: thirteen days, Good Friday 3 April and Easter Monday 6 April among them', () => {
		expect(czechPublicHolidays(2026).map(String)).toEqual([
			'2026-01-01',
			'2026-04-03',
			'2026-04-06',
			'2026-05-01',
			'2026-05-08',
			'2026-07-05',
			'2026-07-06',
			'2026-09-28',
			'2026-10-28',
			'2026-11-17',
			'2026-12-24',
			'2026-12-25',
			'2026-12-26'
		]);
	});

	it('Good Friday is a holiday from 2016 on only; Easter Monday always', () => {
		expect(isCzechPublicHoliday(day('2015-04-03'))).toBe(false);
		expect(isCzechPublicHoliday(day('2015-04-06'))).toBe(true);
		expect(isCzechPublicHoliday(day('2016-03-25'))).toBe(true);
		expect(isCzechPublicHoliday(day('2016-03-28'))).toBe(true);
	});

	it('Good Friday and Easter Monday of each year 2016–2030 are holidays and not working days', () => {
		for (let year = 2016; year <= 2030; year++) {
			const easter = easterSunday(year);
			expect(easter.subtract({ days: 2 }).dayOfWeek).toBe(5);
			expect(isWorkingDay(easter.subtract({ days: 2 }))).toBe(false);
			expect(isWorkingDay(easter.add({ days: 1 }))).toBe(false);
			expect(isWorkingDay(easter.subtract({ days: 3 }))).toBe(true);
			expect(isWorkingDay(easter.add({ days: 2 }))).toBe(true);
		}
	});

	it('weekends are never working days; an ordinary weekday is', () => {
		expect(isWorkingDay(day('2026-10-03'))).toBe(false);
		expect(isWorkingDay(day('2026-10-04'))).toBe(false);
		expect(isWorkingDay(day('2026-10-05'))).toBe(true);
	});

	it('adds working days, never counting the day it starts from', () => {
		expect(addWorkingDays(day('2026-10-05'), 0).toString()).toBe('2026-10-05');
		expect(addWorkingDays(day('2026-10-05'), 1).toString()).toBe('2026-10-06');
		expect(addWorkingDays(day('2026-10-09'), 1).toString()).toBe('2026-10-12');
	});
});

describe('§80(1): the court within 2 working days of the notice', () => {
	const table: [string, string, string][] = [
		['Thu 2 Apr 2026 (Good Friday, Easter Monday)', '2026-04-02T10:00', '2026-04-08'],
		['Wed 23 Dec 2026 (Christmas, then a weekend)', '2026-12-23T15:00', '2026-12-29'],
		['Fri 2 Oct 2026 (a weekend)', '2026-10-02T14:00', '2026-10-06'],
		['Mon 5 Oct 2026 (nothing in the way)', '2026-10-05T09:00', '2026-10-07'],
		['Thu 2 Apr 2015 (Good Friday not yet a holiday)', '2015-04-02T12:00', '2015-04-07'],
		['Thu 28 Mar 2024 (Easter in March)', '2024-03-28T12:00', '2024-04-03'],
		['Thu 4 Jul 2024 (5 July a Friday)', '2024-07-04T12:00', '2024-07-09'],
		['Thu 17 Apr 2025 (Easter 2025)', '2025-04-17T12:00', '2025-04-23'],
		['Wed 30 Apr 2025 (1 May)', '2025-04-30T12:00', '2025-05-05'],
		['Fri 4 Jul 2025 (5 and 6 July on a weekend)', '2025-07-04T12:00', '2025-07-08'],
		['Mon 27 Oct 2025 (28 October)', '2025-10-27T12:00', '2025-10-30'],
		['Wed 31 Dec 2025 (New Year)', '2025-12-31T12:00', '2026-01-05'],
		['Thu 13 Apr 2028 (Easter 2028)', '2028-04-13T12:00', '2028-04-19'],
		['Thu 18 Apr 2030 (Easter 2030)', '2030-04-18T12:00', '2030-04-24'],
		['Fri 16 Nov 2029 (17 November a Saturday)', '2029-11-16T12:00', '2029-11-20']
	];
	it.each(table)('notice on %s', (_name, noticeAt, expected) => {
		expect(courtDeadline(prague(noticeAt)).toString()).toBe(expected);
	});

	it('counts Prague days: a notice at 00:30 Prague is that day’s, whatever the UTC date', () => {
		expect(courtDeadline(Temporal.Instant.from('2026-04-01T22:30:00Z')).toString()).toBe('2026-04-08');
	});

	it('ends at 00:00 Prague after the last day', () => {
		expect(courtDeadlineEnd(prague('2026-04-02T10:00')).toString()).toBe('2026-04-09T00:00:00+02:00[Europe/Prague]');
	});
});

describe('§81(1): the competent court', () => {
	it('is the Municipal Court in Prague for an embassy and for Prague', () => {
		expect(competentCourt({ kind: 'embassy', regionCode: null })).toEqual({ kind: 'municipal-court-prague' });
		expect(competentCourt({ kind: 'municipal', regionCode: 'CZ010' })).toEqual({ kind: 'municipal-court-prague' });
	});
	it('is the regional court of the municipal office’s region otherwise', () => {
		expect(competentCourt({ kind: 'municipal', regionCode: 'CZ064' })).toEqual({ kind: 'regional', seat: 'brno' });
		expect(competentCourt({ kind: 'municipal', regionCode: 'CZ051' })).toEqual({ kind: 'regional', seat: 'usti-nad-labem' });
		expect(competentCourt({ kind: 'municipal', regionCode: 'CZ080' })).toEqual({ kind: 'regional', seat: 'ostrava' });
	});
});

describe('§77(1): the 3-day countdown of a request waiting for a decision', () => {
	const received = prague('2026-10-01T10:00');
	it('runs from the day after receipt; the third day is the last', () => {
		const first = noticeCountdown(received, prague('2026-10-01T11:00'));
		expect(first.lastDay.toString()).toBe('2026-10-04');
		expect(first).toMatchObject({ daysLeft: 3, urgent: false, overdue: false });
		expect(noticeCountdown(received, prague('2026-10-03T23:59'))).toMatchObject({ daysLeft: 1, urgent: false });
	});
	it('is red on the last day and after', () => {
		expect(noticeCountdown(received, prague('2026-10-04T00:00'))).toMatchObject({ daysLeft: 0, urgent: true, overdue: false });
		expect(noticeCountdown(received, prague('2026-10-05T08:00'))).toMatchObject({ daysLeft: -1, urgent: true, overdue: true });
	});
	it('counts calendar days across a change of clocks', () => {
		const across = noticeCountdown(prague('2026-10-23T23:30'), prague('2026-10-26T12:00'));
		expect(across.lastDay.toString()).toBe('2026-10-26');
		expect(across).toMatchObject({ daysLeft: 0, urgent: true });
	});
});
