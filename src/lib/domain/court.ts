/**
 * Working days, the §77 notice countdown and the §80 court path after a refusal.
 *
 * DOMAIN.md "Voter-list data, refusals and the court". Pure: the caller passes `now`.
 * Dates are Prague calendar dates (§78(2)); all arithmetic goes through Temporal.
 */
import { Temporal } from 'temporal-polyfill';
import { decisionDeadline, PRAGUE } from './deadlines';

/**
 * Easter Sunday of a Gregorian year (the anonymous Gregorian computus, Meeus/Jones/Butcher).
 * Good Friday and Easter Monday move with it every year, so they are computed, never listed.
 */
export function easterSunday(year: number): Temporal.PlainDate {
	const a = year % 19;
	const b = Math.floor(year / 100);
	const c = year % 100;
	const d = Math.floor(b / 4);
	const e = b % 4;
	const f = Math.floor((b + 8) / 25);
	const g = Math.floor((b - f + 1) / 3);
	const h = (19 * a + b - d - g + 15) % 30;
	const i = Math.floor(c / 4);
	const k = c % 4;
	const l = (32 + 2 * e + 2 * i - h - k) % 7;
	const m = Math.floor((a + 11 * h + 22 * l) / 451);
	const month = Math.floor((h + l - 7 * m + 114) / 31);
	const day = ((h + l - 7 * m + 114) % 31) + 1;
	return Temporal.PlainDate.from({ year, month, day });
}

/** The fixed public holidays of Act No. 245/2000 Sb. (§1 and §2), as [month, day]. */
const FIXED_HOLIDAYS: readonly (readonly [number, number])[] = [
	[1, 1], // Restoration Day of the Independent Czech State; New Year's Day
	[5, 1], // Labour Day
	[5, 8], // Liberation Day
	[7, 5], // Saints Cyril and Methodius Day
	[7, 6], // Jan Hus Day
	[9, 28], // St. Wenceslas Day
	[10, 28], // Independent Czechoslovak State Day
	[11, 17], // Struggle for Freedom and Democracy Day
	[12, 24], // Christmas Eve
	[12, 25], // Christmas Day
	[12, 26] // St. Stephen's Day
];

/** Every Czech public holiday of a year, in date order (Act No. 245/2000 Sb., Good Friday since 2016). */
export function czechPublicHolidays(year: number): Temporal.PlainDate[] {
	const easter = easterSunday(year);
	const days = FIXED_HOLIDAYS.map(([month, day]) => Temporal.PlainDate.from({ year, month, day }));
	if (year >= 2016) days.push(easter.subtract({ days: 2 }));
	days.push(easter.add({ days: 1 }));
	return days.sort(Temporal.PlainDate.compare);
}

export function isCzechPublicHoliday(date: Temporal.PlainDate): boolean {
	return czechPublicHolidays(date.year).some((d) => d.equals(date));
}

/** §80(1), DOMAIN.md: a working day is Monday to Friday except a public holiday. */
export function isWorkingDay(date: Temporal.PlainDate): boolean {
	return date.dayOfWeek <= 5 && !isCzechPublicHoliday(date);
}

/** The `count`-th working day after `from` (`from` itself never counts). */
export function addWorkingDays(from: Temporal.PlainDate, count: number): Temporal.PlainDate {
	let date = from;
	for (let left = count; left > 0; ) {
		date = date.add({ days: 1 });
		if (isWorkingDay(date)) left--;
	}
	return date;
}

/** §80(1): the voter may turn to the court within 2 working days of the notice of a refusal. */
export const COURT_WORKING_DAYS = 2;

/**
 * The last day on which the voter may file with the court after a refusal notified at
 * `noticeAt` (§80(1)): the day of the notice does not count; weekends and Czech public
 * holidays do not count. The filing may be made until the end of that Prague day.
 */
export function courtDeadline(noticeAt: Temporal.Instant): Temporal.PlainDate {
	return addWorkingDays(noticeAt.toZonedDateTimeISO(PRAGUE).toPlainDate(), COURT_WORKING_DAYS);
}

/** The end of the §80(1) period: 00:00 Prague after its last day, for calendars. */
export function courtDeadlineEnd(noticeAt: Temporal.Instant): Temporal.ZonedDateTime {
	return courtDeadline(noticeAt).add({ days: 1 }).toZonedDateTime({ timeZone: PRAGUE });
}

/**
 * The court the voter turns to (§81(1)): the Municipal Court in Prague for an embassy's
 * decision; otherwise the regional court of the municipal office's region (for Prague the
 * Municipal Court in Prague, which acts as its regional court).
 */
export type Court = { kind: 'municipal-court-prague' } | { kind: 'regional'; seat: RegionalCourtSeat };

export type RegionalCourtSeat = 'praha' | 'ceske-budejovice' | 'plzen' | 'usti-nad-labem' | 'hradec-kralove' | 'brno' | 'ostrava';

/** Region (NUTS 3 / CZ-NUTS code) → the seat of its regional court (Act No. 6/2002 Sb., annex 3). */
const REGIONAL_COURT_OF_REGION: Readonly<Record<string, RegionalCourtSeat | 'municipal-court-prague'>> = {
	CZ010: 'municipal-court-prague',
	CZ020: 'praha',
	CZ031: 'ceske-budejovice',
	CZ032: 'plzen',
	CZ041: 'plzen',
	CZ042: 'usti-nad-labem',
	CZ051: 'usti-nad-labem',
	CZ052: 'hradec-kralove',
	CZ053: 'hradec-kralove',
	CZ063: 'brno',
	CZ064: 'brno',
	CZ071: 'ostrava',
	CZ072: 'brno',
	CZ080: 'ostrava'
};

export function competentCourt(office: { kind: 'municipal' | 'embassy'; regionCode: string | null }): Court {
	if (office.kind === 'embassy') return { kind: 'municipal-court-prague' };
	const seat = office.regionCode ? REGIONAL_COURT_OF_REGION[office.regionCode] : undefined;
	if (seat === 'municipal-court-prague') return { kind: 'municipal-court-prague' };
	return { kind: 'regional', seat: seat ?? 'praha' };
}

/** §77(1): the days the office has to notify a refusal in writing, counted from the request. */
export const REFUSAL_NOTICE_DAYS = 3;

export interface NoticeCountdown {
	/** The last Prague day on which the notice is on time. */
	lastDay: Temporal.PlainDate;
	/** Whole Prague days from today to the last day: 0 on the last day, negative after it. */
	daysLeft: number;
	/** Red in the queue: the last day has come, or passed. */
	urgent: boolean;
	overdue: boolean;
}

/**
 * The §77(1) countdown of a request waiting for a decision: the office notifies a refusal in
 * writing within 3 days of the request (the day of receipt does not count; deadlines.ts
 * decisionDeadline).
 */
export function noticeCountdown(receivedAt: Temporal.Instant, now: Temporal.Instant): NoticeCountdown {
	const lastDay = decisionDeadline(receivedAt).toZonedDateTimeISO(PRAGUE).toPlainDate().subtract({ days: 1 });
	const today = now.toZonedDateTimeISO(PRAGUE).toPlainDate();
	const daysLeft = today.until(lastDay, { largestUnit: 'days' }).days;
	return { lastDay, daysLeft, urgent: daysLeft <= 0, overdue: daysLeft < 0 };
}
