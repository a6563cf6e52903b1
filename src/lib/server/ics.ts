/**
 * iCalendar (RFC 5545) writer for published calendars: just what the portal needs,
 * VCALENDAR with METHOD:PUBLISH and VEVENTs whose times are UTC instants.
 * Pure: the caller passes DTSTAMP and every event.
 */
import type { Temporal } from 'temporal-polyfill';

export interface IcsEvent {
	/** Globally unique and stable across exports, so a re-import updates instead of duplicating. */
	uid: string;
	start: Temporal.Instant;
	/** DURATION of the event; a deadline is a point in time, so keep it short. */
	durationMinutes: number;
	summary: string;
	description?: string;
	url?: string;
}

export interface IcsCalendar {
	/** PRODID, e.g. '-//Volebni portal//Kalendar lhut//CS'. */
	prodId: string;
	/** Shown as the calendar's name by most clients (X-WR-CALNAME, a common extension). */
	name?: string;
	/** DTSTAMP of every event: when this export was made. */
	stamp: Temporal.Instant;
	events: readonly IcsEvent[];
}

const CRLF = '\r\n';
/** RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break. */
export const MAX_LINE_OCTETS = 75;

const encoder = new TextEncoder();

/** RFC 5545 §3.3.11: TEXT escapes backslash, semicolon, comma and line breaks. */
export function escapeText(value: string): string {
	return value
		.replace(/\\/g, '\\\\')
		.replace(/;/g, '\\;')
		.replace(/,/g, '\\,')
		.replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * RFC 5545 §3.1: folds a content line into physical lines of at most 75 octets; each
 * continuation starts with one space. Splits between code points, never inside a
 * multi-octet UTF-8 sequence.
 */
export function foldLine(line: string): string {
	const parts: string[] = [];
	let current = '';
	let octets = 0;
	for (const char of line) {
		const size = encoder.encode(char).length;
		// The first physical line has 75 octets; continuations 74 plus the leading space.
		const limit = parts.length === 0 ? MAX_LINE_OCTETS : MAX_LINE_OCTETS - 1;
		if (octets + size > limit) {
			parts.push(current);
			current = '';
			octets = 0;
		}
		current += char;
		octets += size;
	}
	parts.push(current);
	return parts.join(CRLF + ' ');
}

/** RFC 5545 §3.3.5: a UTC DATE-TIME, 'YYYYMMDDTHHMMSSZ'. */
export function formatUtcDateTime(instant: Temporal.Instant): string {
	const iso = instant.toString({ smallestUnit: 'second' });
	// '2026-10-02T14:00:00Z' → '20261002T140000Z'
	return iso.replace(/[-:]/g, '');
}

function property(name: string, value: string): string {
	return foldLine(`${name}:${value}`);
}

/** The whole calendar as text/calendar, CRLF line breaks, ending with a line break. */
export function renderIcs(calendar: IcsCalendar): string {
	const stamp = formatUtcDateTime(calendar.stamp);
	const lines: string[] = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		property('PRODID', calendar.prodId),
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH'
	];
	if (calendar.name) lines.push(property('X-WR-CALNAME', escapeText(calendar.name)));
	for (const event of calendar.events) {
		lines.push(
			'BEGIN:VEVENT',
			property('UID', event.uid),
			`DTSTAMP:${stamp}`,
			`DTSTART:${formatUtcDateTime(event.start)}`,
			`DURATION:PT${Math.max(0, Math.trunc(event.durationMinutes))}M`,
			property('SUMMARY', escapeText(event.summary))
		);
		if (event.description) lines.push(property('DESCRIPTION', escapeText(event.description)));
		// URI values are not TEXT: no escaping (RFC 5545 §3.3.13).
		if (event.url) lines.push(property('URL', event.url));
		// A deadline does not make anyone busy.
		lines.push('TRANSP:TRANSPARENT', 'END:VEVENT');
	}
	lines.push('END:VCALENDAR');
	return lines.join(CRLF) + CRLF;
}
