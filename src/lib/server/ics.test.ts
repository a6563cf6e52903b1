import ICAL from 'ical.js';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_OCTETS, escapeText, foldLine, formatUtcDateTime, renderIcs } from './ics';

const octets = (s: string) => new TextEncoder().encode(s).length;

describe('escapeText (RFC 5545 §3.3.11)', () => {
	it('escapes backslash, semicolon, comma and line breaks, backslash first', () => {
		expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
		expect(escapeText('C:\\n')).toBe('C:\\\\n');
	});

	it('leaves colons and quotes alone', () => {
		expect(escapeText('16:00 "Praha"')).toBe('16:00 "Praha"');
	});
});

describe('foldLine (RFC 5545 §3.1)', () => {
	it('keeps a line of exactly 75 octets whole', () => {
		const line = 'X'.repeat(75);
		expect(foldLine(line)).toBe(line);
	});

	it('folds at 75 octets with a leading space on each continuation', () => {
		const folded = foldLine('X'.repeat(200));
		const lines = folded.split('\r\n');
		expect(lines.map(octets)).toEqual([75, 75, 52]);
		expect(lines.slice(1).every((l) => l.startsWith(' '))).toBe(true);
		expect(lines.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe('X'.repeat(200));
	});

	it('never splits a multi-octet character and unfolds to the original', () => {
		// 'ř' is 2 octets, '€' 3, '🗳' 4: at every offset the fold must fall between characters.
		for (let prefix = 0; prefix < 5; prefix++) {
			const line = 'S'.repeat(prefix) + 'Přihláška řádně € 🗳 '.repeat(12);
			const folded = foldLine(line);
			const physical = folded.split('\r\n');
			for (const l of physical) {
				expect(octets(l)).toBeLessThanOrEqual(MAX_LINE_OCTETS);
				expect(l).not.toMatch(/\uFFFD/);
				// A lone surrogate would mean a 4-octet character was cut in two.
				expect(l).toBe(new TextDecoder().decode(new TextEncoder().encode(l)));
			}
			expect(folded.replace(/\r\n /g, '')).toBe(line);
		}
	});
});

describe('renderIcs', () => {
	const start = Temporal.Instant.from('2026-12-08T15:00:00Z');
	const stamp = Temporal.Instant.from('2026-11-20T08:00:00Z');
	const text = renderIcs({
		prodId: '-//Volebni portal//Kalendar lhut//CS',
		name: 'Volby do Poslanecké sněmovny 2027 – lhůty',
		stamp,
		events: [
			{
				uid: 'e1-correspondence-request-written-1@volebni-portal',
				start,
				durationMinutes: 15,
				summary: 'Poslední den, kdy můžete písemně nebo přes tento portál požádat o korespondenční hlasování; pozor, lhůta',
				description: 'Řádek 1\nPodle § 57a odst. 3 zákona č. 88/2024 Sb., o správě voleb.',
				url: 'https://example.test/volby/e1'
			}
		]
	});

	it('uses CRLF only and no physical line longer than 75 octets', () => {
		expect(text.endsWith('\r\n')).toBe(true);
		expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
		for (const line of text.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(MAX_LINE_OCTETS);
	});

	it('is a PUBLISH calendar that ical.js reads back with the same values', () => {
		const component = new ICAL.Component(ICAL.parse(text));
		expect(component.getFirstPropertyValue('version')).toBe('2.0');
		expect(component.getFirstPropertyValue('prodid')).toBe('-//Volebni portal//Kalendar lhut//CS');
		expect(component.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
		expect(component.getFirstPropertyValue('method')).toBe('PUBLISH');
		const [vevent] = component.getAllSubcomponents('vevent');
		expect(vevent).toBeDefined();
		const event = new ICAL.Event(vevent);
		expect(event.uid).toBe('e1-correspondence-request-written-1@volebni-portal');
		expect(event.startDate.toJSDate().getTime()).toBe(start.epochMilliseconds);
		expect(event.startDate.zone?.tzid).toBe('UTC');
		expect(event.endDate.toJSDate().getTime()).toBe(start.epochMilliseconds + 15 * 60_000);
		expect(event.summary).toBe('Poslední den, kdy můžete písemně nebo přes tento portál požádat o korespondenční hlasování; pozor, lhůta');
		expect(event.description).toBe('Řádek 1\nPodle § 57a odst. 3 zákona č. 88/2024 Sb., o správě voleb.');
		const dtstamp = vevent?.getFirstPropertyValue('dtstamp');
		expect(dtstamp instanceof ICAL.Time ? dtstamp.toJSDate().getTime() : null).toBe(stamp.epochMilliseconds);
	});

	it('writes UTC date-times in basic format', () => {
		expect(formatUtcDateTime(Temporal.Instant.from('2026-10-02T14:00:00.123Z'))).toBe('20261002T140000Z');
		expect(text).toContain('DTSTART:20261208T150000Z\r\n');
	});
});
