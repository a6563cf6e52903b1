/**
 * Registered-mail consignment numbers (podací čísla) in the UPU S10 format used by Czech Post
 * and by the postal operators an embassy hands its packages to: two letters (the service
 * indicator, e.g. "RR" for registered letters), an 8-digit serial, a check digit and the
 * ISO 3166 country code of the operator, e.g. `RR123456785CZ`.
 *
 * §57(2), §57a(4): a voter card or correspondence package sent by post goes by registered
 * mail (do vlastních rukou); the number lets the office prove the dispatch and the voter
 * follow the letter. Pure: no clock, no database.
 */
import { Temporal } from 'temporal-polyfill';
import { PRAGUE } from './deadlines';

export const S10_PATTERN = /^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$/;
/** UPU S10 weights of the 8 serial digits. */
const WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;
export const S10_SERIAL_MAX = 99_999_999;

/** The S10 check digit of an 8-digit serial: 11 − (Σ weight·digit mod 11); 10 → 0, 11 → 5. */
export function s10CheckDigit(serial: number | string): number {
	const digits = typeof serial === 'number' ? String(serial).padStart(8, '0') : serial;
	if (!/^\d{8}$/.test(digits)) throw new RangeError(`An S10 serial has 8 digits: ${digits}`);
	let sum = 0;
	for (let i = 0; i < 8; i++) sum += WEIGHTS[i]! * Number(digits[i]);
	const check = 11 - (sum % 11);
	return check === 10 ? 0 : check === 11 ? 5 : check;
}

/** What a clerk typed or a scanner sent: spaces removed, letters upper-cased. */
export function normalizeConsignmentNumber(input: string): string {
	return input.replace(/[\s-]+/g, '').toUpperCase();
}

export type ConsignmentCheck =
	| { ok: true; number: string; serial: number; service: string; country: string }
	| { ok: false; code: 'format' | 'check-digit' };

/** Validates a consignment number (normalised first): the S10 format and its check digit. */
export function checkConsignmentNumber(input: string): ConsignmentCheck {
	const number = normalizeConsignmentNumber(input);
	const match = S10_PATTERN.exec(number);
	if (!match) return { ok: false, code: 'format' };
	const [, service, serial, check, country] = match;
	if (s10CheckDigit(serial!) !== Number(check)) return { ok: false, code: 'check-digit' };
	return { ok: true, number, serial: Number(serial), service: service!, country: country! };
}

/** The full number of a serial in a range: `RR` + 8 digits + check digit + `CZ`. */
export function consignmentNumber(service: string, serial: number, country: string): string {
	if (!Number.isInteger(serial) || serial < 0 || serial > S10_SERIAL_MAX) throw new RangeError(`S10 serial out of range: ${serial}`);
	const digits = String(serial).padStart(8, '0');
	return `${service}${digits}${s10CheckDigit(digits)}${country}`;
}

export interface ConsignmentRange {
	/** Two letters, e.g. 'RR'. */
	service: string;
	/** ISO 3166 alpha-2 of the operator, e.g. 'CZ'. */
	country: string;
	first: number;
	last: number;
}

export type RangeCheck = { ok: true; range: ConsignmentRange } | { ok: false; code: 'service' | 'country' | 'serial' | 'order' };

/**
 * A range the postal operator allotted to an office. A range never wraps past 99999999 to
 * 00000000: the operator allots a new range instead, so `last < first` is refused.
 */
export function checkConsignmentRange(input: { service: string; country: string; first: number; last: number }): RangeCheck {
	const service = input.service.trim().toUpperCase();
	const country = input.country.trim().toUpperCase();
	if (!/^[A-Z]{2}$/.test(service)) return { ok: false, code: 'service' };
	if (!/^[A-Z]{2}$/.test(country)) return { ok: false, code: 'country' };
	for (const n of [input.first, input.last]) if (!Number.isInteger(n) || n < 0 || n > S10_SERIAL_MAX) return { ok: false, code: 'serial' };
	if (input.last < input.first) return { ok: false, code: 'order' };
	return { ok: true, range: { service, country, first: input.first, last: input.last } };
}

/** `count` consecutive numbers of a range from serial `next`; fewer when the range ends first. */
export function numbersFromRange(range: ConsignmentRange, next: number, count: number): string[] {
	const numbers: string[] = [];
	for (let serial = Math.max(next, range.first); serial <= range.last && numbers.length < count; serial++) {
		numbers.push(consignmentNumber(range.service, serial, range.country));
	}
	return numbers;
}

/** The operator's tracking page of a consignment, from a URL template with `{number}`. */
export function trackingUrl(template: string, number: string): string {
	return template.replaceAll('{number}', encodeURIComponent(number));
}

/**
 * A dispatch or hand-over recorded by mistake may be undone by its office on the same Prague
 * calendar day only (issue 12): after that the letter is at the post and the record stands.
 */
export function undoAllowed(recordedAt: Temporal.Instant, now: Temporal.Instant): boolean {
	if (Temporal.Instant.compare(now, recordedAt) < 0) return false;
	const day = (i: Temporal.Instant) => i.toZonedDateTimeISO(PRAGUE).toPlainDate();
	return Temporal.PlainDate.compare(day(recordedAt), day(now)) === 0;
}
