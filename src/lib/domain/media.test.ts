import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
	addressesWithin,
	addressInList,
	checkMediaRegistrationDeadline,
	defaultMediaRegistrationDeadline,
	parseCidr,
	parseIp,
	realProcessingBegins,
	testAddressesCutOff,
	validateMediaAddresses
} from './media';

describe('addresses and blocks', () => {
	it('reads IPv4, IPv6 and IPv4-mapped IPv6 addresses', () => {
		expect(parseIp('192.0.2.1')).toEqual({ version: 4, value: 0xc0000201n });
		expect(parseIp('::ffff:192.0.2.1')).toEqual({ version: 4, value: 0xc0000201n });
		expect(parseIp('2001:db8::1')).toEqual({ version: 6, value: 0x20010db8000000000000000000000001n });
		for (const bad of ['256.0.0.1', '1.2.3', '01.2.3.4', '2001:db8:::1', '1::2::3', 'x', '']) expect(parseIp(bad), bad).toBeNull();
	});

	it('reads blocks whose host bits are zero, and single addresses', () => {
		expect(parseCidr('192.0.2.0/24')).toEqual({ version: 4, base: 0xc0000200n, prefix: 24 });
		expect(parseCidr('192.0.2.7')).toMatchObject({ prefix: 32 });
		expect(parseCidr('2001:db8::/48')).toMatchObject({ version: 6, prefix: 48 });
		expect(parseCidr('192.0.2.1/24')).toBeNull();
		expect(parseCidr('192.0.2.0/33')).toBeNull();
	});

	it('finds an address in a list of blocks', () => {
		expect(addressInList('192.0.2.77', ['198.51.100.0/24', '192.0.2.0/25'])).toBe(true);
		expect(addressInList('::ffff:192.0.2.77', ['192.0.2.0/25'])).toBe(true);
		expect(addressInList('192.0.2.200', ['192.0.2.0/25'])).toBe(false);
		expect(addressInList('2001:db8:0:1::5', ['2001:db8::/48'])).toBe(true);
		expect(addressInList('not an address', ['0.0.0.0/0'])).toBe(false);
	});
});

describe('addressesWithin (changes after the registration deadline)', () => {
	it('allows removing and narrowing blocks, never reaching a new address', () => {
		const old = ['192.0.2.0/28', '2001:db8::/48'];
		expect(addressesWithin([], old)).toBe(true);
		expect(addressesWithin(['192.0.2.0/28'], old)).toBe(true);
		expect(addressesWithin(['192.0.2.4/30', '2001:db8:0:1::/64'], old)).toBe(true);
		expect(addressesWithin(['192.0.2.0/27'], old)).toBe(false);
		expect(addressesWithin(['192.0.2.16'], old)).toBe(false);
		expect(addressesWithin(['2001:db9::/48'], old)).toBe(false);
		expect(addressesWithin(['192.0.2.1'], [])).toBe(false);
		expect(addressesWithin(['not an address'], old)).toBe(false);
	});
});

describe('validateMediaAddresses', () => {
	it('accepts five of each and normalises them', () => {
		const production = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '198.51.100.0/24'];
		const test = ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4', '2001:db8::/48'];
		const result = validateMediaAddresses({ production, test });
		expect(result).toMatchObject({ ok: true });
		if (result.ok) {
			expect(result.production[0]).toBe('192.0.2.1/32');
			expect(result.test[4]).toBe('2001:db8:0:0:0:0:0:0/48');
		}
	});

	it('refuses more than five, everything, too wide, malformed and overlapping blocks', () => {
		expect(validateMediaAddresses({ production: ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4', '1.1.1.5', '1.1.1.6'], test: [] })).toEqual({
			ok: false,
			errors: { production: { problem: 'too-many' } }
		});
		expect(validateMediaAddresses({ production: ['0.0.0.0/0'], test: ['::/0'] })).toEqual({
			ok: false,
			errors: { production: { problem: 'everything', entry: '0.0.0.0/0' }, test: { problem: 'everything', entry: '::/0' } }
		});
		expect(validateMediaAddresses({ production: ['10.0.0.0/8'], test: [] })).toMatchObject({ ok: false, errors: { production: { problem: 'too-wide' } } });
		expect(validateMediaAddresses({ production: ['192.0.2.300'], test: [] })).toMatchObject({ ok: false, errors: { production: { problem: 'invalid' } } });
		expect(validateMediaAddresses({ production: ['192.0.2.0/24', '192.0.2.7'], test: [] })).toMatchObject({ ok: false, errors: { production: { problem: 'overlap', entry: '192.0.2.7' } } });
		expect(validateMediaAddresses({ production: ['192.0.2.7'], test: ['192.0.2.7'] })).toMatchObject({ ok: false, errors: { test: { problem: 'overlap' } } });
		expect(validateMediaAddresses({ production: ['192.0.2.7', ' 192.0.2.7 '], test: [] })).toMatchObject({ ok: false, errors: { production: { problem: 'overlap' } } });
	});
});

describe('deadlines', () => {
	it('registration closes at 16:00 Prague ten days before D unless set otherwise', () => {
		const deadline = defaultMediaRegistrationDeadline('2027-10-08');
		expect(deadline.toString()).toBe('2027-09-28T14:00:00Z');
		expect(checkMediaRegistrationDeadline(deadline.subtract({ seconds: 1 }), deadline)).toEqual({ ok: true });
		expect(checkMediaRegistrationDeadline(deadline, deadline)).toEqual({ ok: false, deadline });
	});

	it('test addresses are cut off at the close of voting in Czechia, or earlier at the switch', () => {
		const close = realProcessingBegins('2027-10-08', null);
		expect(close.toString()).toBe('2027-10-09T12:00:00Z');
		const switched = Temporal.Instant.from('2027-10-09T08:00:00Z');
		expect(realProcessingBegins('2027-10-08', switched)).toEqual(switched);
		expect(realProcessingBegins('2027-10-08', close.add({ hours: 1 }))).toEqual(close);
		expect(testAddressesCutOff(close.subtract({ seconds: 1 }), close)).toBe(false);
		expect(testAddressesCutOff(close, close)).toBe(true);
	});
});
