import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { afterFailure, clientAddressKey, delayAfter, STAFF_LOGIN_THROTTLE, throttleVerdict, type AddressFailures } from './login-throttle';

const T = Temporal.Instant.from('2026-11-20T08:00:00Z');

/** `times` failures from one address, each as soon as it is allowed; the rows and the instant after. */
function failRepeatedly(rows: AddressFailures[], address: string, times: number, start = T): { rows: AddressFailures[]; at: Temporal.Instant } {
	let at = start;
	for (let i = 0; i < times; i++) {
		const verdict = throttleVerdict(rows, null, address, at);
		if (verdict.kind !== 'allowed') at = verdict.until;
		const { row } = afterFailure(rows, address, at);
		rows = [...rows.filter((r) => r.address !== address), row];
	}
	return { rows, at };
}

describe('the delay after failures from one address', () => {
	it('is none for three, then 30 s doubling to 15 minutes', () => {
		expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 50, 5000].map((n) => delayAfter(n))).toEqual([0, 0, 30, 60, 120, 240, 480, 900, 900, 900, 900]);
	});

	it('holds the address back until the stated instant, and no longer', () => {
		const { rows, at } = failRepeatedly([], '203.0.113.9', 4);
		const verdict = throttleVerdict(rows, null, '203.0.113.9', at);
		expect(verdict).toEqual({ kind: 'throttled', until: at.add({ seconds: 60 }) });
		expect(throttleVerdict(rows, null, '203.0.113.9', at.add({ seconds: 59 })).kind).toBe('throttled');
		expect(throttleVerdict(rows, null, '203.0.113.9', at.add({ seconds: 60 }))).toEqual({ kind: 'allowed' });
	});

	it('never holds back another address: the clerk logs in from their own', () => {
		const { rows, at } = failRepeatedly([], '203.0.113.9', 40);
		expect(throttleVerdict(rows, null, '203.0.113.9', at).kind).toBe('throttled');
		expect(throttleVerdict(rows, null, '198.51.100.7', at)).toEqual({ kind: 'allowed' });
		expect(afterFailure(rows, '198.51.100.7', at).lock).toBeNull();
	});

	it('is forgotten a day after the last failure: the count starts again', () => {
		const { rows, at } = failRepeatedly([], '203.0.113.9', 8);
		const dayLater = at.add({ seconds: STAFF_LOGIN_THROTTLE.forgetAfterSeconds });
		expect(throttleVerdict(rows, null, '203.0.113.9', dayLater)).toEqual({ kind: 'allowed' });
		expect(afterFailure(rows, '203.0.113.9', dayLater).row.failures).toBe(1);
		expect(afterFailure(rows, '203.0.113.9', dayLater.subtract({ seconds: 1 })).row.failures).toBe(9);
	});
});

describe('the lock for everyone', () => {
	const many = (addresses: number, failures: number, at: Temporal.Instant): AddressFailures[] =>
		Array.from({ length: addresses }, (_, i) => ({ address: `198.51.100.${i + 1}`, failures, lastFailureAt: at }));

	it('needs 100 failures from 10 addresses within the hour', () => {
		// 99 failures from 11 addresses: not yet.
		expect(afterFailure(many(11, 9, T).map((r, i) => (i === 0 ? { ...r, failures: 8 } : r)), '198.51.100.1', T).lock).toBeNull();
		// 10 addresses, the 100th failure: locked for an hour, with the addresses named.
		const outcome = afterFailure(many(10, 10, T).map((r, i) => (i === 0 ? { ...r, failures: 9 } : r)), '198.51.100.1', T.add({ minutes: 1 }));
		expect(outcome.lock?.until.toString()).toBe('2026-11-20T09:01:00Z');
		expect(outcome.lock?.failures).toBe(100);
		expect(outcome.lock?.addresses).toHaveLength(10);
		// 200 failures from one address alone never lock the account.
		expect(afterFailure([{ address: '203.0.113.9', failures: 199, lastFailureAt: T }], '203.0.113.9', T).lock).toBeNull();
		// 9 addresses with 300 failures neither.
		expect(afterFailure(many(9, 33, T), '198.51.100.1', T).lock).toBeNull();
	});

	it('counts only addresses that failed within the last hour', () => {
		const old = many(10, 20, T);
		expect(afterFailure(old, '198.51.100.1', T.add({ minutes: 61 })).lock).toBeNull();
		expect(afterFailure(old, '198.51.100.1', T.add({ minutes: 59 })).lock).not.toBeNull();
	});

	it('refuses every address while in force, and lets them try once it has run out', () => {
		const until = T.add({ hours: 1 });
		expect(throttleVerdict([], until, '192.0.2.1', T)).toEqual({ kind: 'locked', until });
		expect(throttleVerdict([], until, '192.0.2.1', until)).toEqual({ kind: 'allowed' });
	});

	it('is not set off again by one typing mistake after it ran out (no failures count while locked)', () => {
		const rows = many(10, 10, T);
		expect(afterFailure(rows, '192.0.2.1', T.add({ hours: 1, minutes: 1 })).lock).toBeNull();
	});
});

describe('the client address a throttle counts by', () => {
	it('is the IPv4 address, also IPv4-mapped, and an IPv6 /64', () => {
		expect(clientAddressKey('127.0.0.1')).toBe('127.0.0.1');
		expect(clientAddressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
		expect(clientAddressKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
		expect(clientAddressKey('2001:DB8:1:2::ffff')).toBe('2001:db8:1:2::/64');
		expect(clientAddressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
		expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
		expect(clientAddressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
		// Two addresses of one /64 are one client.
		expect(clientAddressKey('2001:db8:1:2::a')).toBe(clientAddressKey('2001:db8:1:2:ffff::b'));
	});
});
