/**
 * Dates and times on the voter's pages. Deadlines arrive as ISO strings carrying the Prague
 * offset and are shown as Prague wall-clock time (§78(2)); instants are shown in Prague time.
 */

function parts(iso: string): { y: number; mo: number; d: number; hh: string; mm: string } {
	const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(iso);
	if (!match) throw new RangeError(`Not an ISO date: ${iso}`);
	return { y: Number(match[1]), mo: Number(match[2]), d: Number(match[3]), hh: match[4] ?? '00', mm: match[5] ?? '00' };
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 'YYYY-MM-DD…' as "5. 1. 2027" (Czech) or "5 January 2027" (English). */
export function formatDay(iso: string, locale: string): string {
	const { y, mo, d } = parts(iso);
	return locale === 'en' ? `${d} ${MONTHS_EN[mo - 1]} ${y}` : `${d}. ${mo}. ${y}`;
}

/** The wall-clock date and time written in an ISO string with offset, e.g. a Prague deadline. */
export function wallClock(iso: string, locale: string): { date: string; time: string } {
	const { hh, mm } = parts(iso);
	return { date: formatDay(iso, locale), time: `${hh}:${mm}` };
}

/** An instant (e.g. when a request was received) in Prague time: "20. 11. 2026 v 9:00" / "20 November 2026, 09:00". */
export function formatInstant(value: string | Date, locale: string): string {
	const date = typeof value === 'string' ? new Date(value) : value;
	const fmt = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'cs-CZ', {
		timeZone: 'Europe/Prague',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	});
	const p = Object.fromEntries(fmt.formatToParts(date).map((x) => [x.type, x.value]));
	const iso = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
	const day = formatDay(iso, locale);
	return locale === 'en' ? `${day}, ${p.hour}:${p.minute}` : `${day} v ${p.hour}:${p.minute}`;
}

const MONTHS_CS_GENITIVE = ['ledna', 'února', 'března', 'dubna', 'května', 'června', 'července', 'srpna', 'září', 'října', 'listopadu', 'prosince'];
/** Sunday first, as Date#getUTCDay counts. */
const WEEKDAYS_CS = ['neděle', 'pondělí', 'úterý', 'středa', 'čtvrtek', 'pátek', 'sobota'];
const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** 'YYYY-MM-DD…' as a person writes it: "pátek 2. října 2026" / "Friday 2 October 2026". */
export function formatLongDay(iso: string, locale: string): string {
	const { y, mo, d } = parts(iso);
	const weekday = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
	return locale === 'en' ? `${WEEKDAYS_EN[weekday]} ${d} ${MONTHS_EN[mo - 1]} ${y}` : `${WEEKDAYS_CS[weekday]} ${d}. ${MONTHS_CS_GENITIVE[mo - 1]} ${y}`;
}

/** An instant in Prague time as a person writes it: "pátek 2. října 2026, 14:00 (Praha)". */
export function formatLongInstant(value: string | Date, locale: string): string {
	const date = typeof value === 'string' ? new Date(value) : value;
	const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Prague', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
	const p = Object.fromEntries(fmt.formatToParts(date).map((x) => [x.type, x.value]));
	return `${formatLongDay(`${p.year}-${p.month}-${p.day}`, locale)}, ${p.hour}:${p.minute} (${locale === 'en' ? 'Prague time' : 'Praha'})`;
}

/** The instant of an ISO string as wall-clock time in `timeZone`: "29. 8. 2025 10:00" / "29 August 2025, 10:00". */
export function formatInZone(iso: string, timeZone: string, locale: string): string {
	const fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
	const p = Object.fromEntries(fmt.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
	const day = formatDay(`${p.year}-${p.month}-${p.day}`, locale);
	return locale === 'en' ? `${day}, ${p.hour}:${p.minute}` : `${day} ${p.hour}:${p.minute}`;
}

/** A time zone's city as a person reads it: 'America/New_York' → 'New York'. */
export function zoneCity(timeZone: string): string {
	return (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');
}
