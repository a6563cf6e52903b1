import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
	checkConsignmentNumber,
	checkConsignmentRange,
	consignmentNumber,
	numbersFromRange,
	s10CheckDigit,
	trackingUrl,
	undoAllowed
} from './consignment';

describe('s10CheckDigit', () => {
	it('computes the UPU S10 check digit (weights 8,6,4,2,3,5,9,7)', () => {
		// 1·8+2·6+3·4+4·2+5·3+6·5+7·9+8·7 = 204; 204 mod 11 = 6; 11 − 6 = 5.
		expect(s10CheckDigit('12345678')).toBe(5);
		expect(s10CheckDigit(12345678)).toBe(5);
	});
	it('maps 10 to 0 and 11 to 5', () => {
		// 00000000: sum 0 → 11 − 0 = 11 → 5.
		expect(s10CheckDigit('00000000')).toBe(5);
		// 00000001: sum 7 → 11 − 7 = 4; 00000003: sum 21 → 21 mod 11 = 10 → 1; 00000008: sum 56 → 1 → 10 → 0.
		expect(s10CheckDigit('00000001')).toBe(4);
		expect(s10CheckDigit('00000003')).toBe(1);
		expect(s10CheckDigit('00000008')).toBe(0);
	});
	it('refuses what is not 8 digits', () => {
		expect(() => s10CheckDigit('1234567')).toThrow(RangeError);
		expect(() => s10CheckDigit(100_000_000)).toThrow(RangeError);
	});
});

describe('checkConsignmentNumber', () => {
	it('accepts a valid number, typed with spaces or lower case', () => {
		expect(checkConsignmentNumber('RR123456785CZ')).toMatchObject({ ok: true, number: 'RR123456785CZ', serial: 12345678, service: 'RR', country: 'CZ' });
		expect(checkConsignmentNumber(' rr 1234 5678 5 cz ')).toMatchObject({ ok: true, number: 'RR123456785CZ' });
		expect(checkConsignmentNumber('RR000000080CZ')).toMatchObject({ ok: true });
	});
	it('refuses a wrong check digit', () => {
		expect(checkConsignmentNumber('RR123456784CZ')).toEqual({ ok: false, code: 'check-digit' });
		// A swap of two digits is caught.
		expect(checkConsignmentNumber('RR213456785CZ')).toEqual({ ok: false, code: 'check-digit' });
	});
	it('refuses what is not S10', () => {
		for (const bad of ['', 'RR12345678CZ', 'R1123456785CZ', 'RR123456785C', 'RR1234567855CZ', '123456785CZRR']) {
			expect(checkConsignmentNumber(bad)).toEqual({ ok: false, code: 'format' });
		}
	});
});

describe('ranges', () => {
	const range = { service: 'RR', country: 'CZ', first: 99_999_997, last: 99_999_999 };

	it('gives consecutive numbers with their check digits, up to the end of the range', () => {
		const numbers = numbersFromRange(range, 99_999_998, 5);
		expect(numbers).toHaveLength(2);
		expect(numbers.every((n) => checkConsignmentNumber(n).ok)).toBe(true);
		expect(numbers[0]).toBe(consignmentNumber('RR', 99_999_998, 'CZ'));
		expect(numbers[1]!.slice(2, 10)).toBe('99999999');
	});
	it('never wraps past 99999999 to 00000000', () => {
		expect(numbersFromRange(range, 100_000_000, 3)).toEqual([]);
		expect(checkConsignmentRange({ service: 'RR', country: 'CZ', first: 99_999_990, last: 10 })).toEqual({ ok: false, code: 'order' });
		expect(() => consignmentNumber('RR', 100_000_000, 'CZ')).toThrow(RangeError);
	});
	it('starts at the first serial when the next is below it', () => {
		expect(numbersFromRange({ ...range, first: 10, last: 20 }, 0, 1)).toEqual([consignmentNumber('RR', 10, 'CZ')]);
	});
	it('checks a range as entered', () => {
		expect(checkConsignmentRange({ service: 'rr', country: 'cz', first: 1, last: 1000 })).toEqual({
			ok: true,
			range: { service: 'RR', country: 'CZ', first: 1, last: 1000 }
		});
		expect(checkConsignmentRange({ service: 'R1', country: 'CZ', first: 1, last: 2 })).toEqual({ ok: false, code: 'service' });
		expect(checkConsignmentRange({ service: 'RR', country: 'CZE', first: 1, last: 2 })).toEqual({ ok: false, code: 'country' });
		expect(checkConsignmentRange({ service: 'RR', country: 'CZ', first: -1, last: 2 })).toEqual({ ok: false, code: 'serial' });
	});
});

describe('trackingUrl', () => {
	it('fills the number into the template', () => {
		expect(trackingUrl('https://www.postaonline.cz/trackandtrace/-/zasilka/cislo?parcelNumbers={number}', 'RR123456785CZ')).toBe(
			'https://www.postaonline.cz/trackandtrace/-/zasilka/cislo?parcelNumbers=RR123456785CZ'
		);
	});
});

describe('undoAllowed', () => {
	const at = Temporal.Instant.from('2027-09-20T08:00:00Z'); // 10:00 in Prague
	it('allows an undo the same Prague day', () => {
		expect(undoAllowed(at, Temporal.Instant.from('2027-09-20T21:59:59Z'))).toBe(true); // 23:59:59 Prague
	});
	it('refuses it from the next Prague day on', () => {
		expect(undoAllowed(at, Temporal.Instant.from('2027-09-20T22:00:00Z'))).toBe(false); // 00:00 Prague
		expect(undoAllowed(at, Temporal.Instant.from('2027-09-21T08:00:00Z'))).toBe(false);
	});
	it('refuses a clock before the record', () => {
		expect(undoAllowed(at, Temporal.Instant.from('2027-09-20T07:00:00Z'))).toBe(false);
	});
});
