import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
	ACTIVITY_WRITE_INTERVAL_SECONDS,
	checkSessionTimes,
	generateSessionToken,
	hashSessionSecret,
	initialSessionTimes,
	parseSessionToken,
	policyFor,
	secretMatches,
	STAFF_SESSION_POLICY,
	VOTER_SESSION_POLICY
} from './session';

const T0 = Temporal.Instant.from('2026-11-20T08:00:00Z');
const at = (spec: Temporal.DurationLike) => T0.add(spec);

describe('session tokens', () => {
	it('are <id>.<secret>, each 24 random bytes in lower-case base32', () => {
		const { id, secret, token } = generateSessionToken();
		expect(token).toBe(`${id}.${secret}`);
		expect(id).toMatch(/^[a-z2-7]{39}$/);
		expect(secret).toMatch(/^[a-z2-7]{39}$/);
		expect(id).not.toBe(secret);
	});

	it('never repeat', () => {
		const tokens = new Set(Array.from({ length: 200 }, () => generateSessionToken().token));
		expect(tokens.size).toBe(200);
	});

	it('parse back into id and secret; anything else is refused before the database', () => {
		const { id, secret, token } = generateSessionToken();
		expect(parseSessionToken(token)).toEqual({ id, secret });
		for (const bad of [undefined, null, '', id, `${id}.`, `.${secret}`, `${id}.${secret}.x`, `${id.toUpperCase()}.${secret}`, `${id}.${secret}1`, `${id}.${secret.slice(1)}!`]) {
			expect(parseSessionToken(bad)).toBeNull();
		}
	});

	it('store only the SHA-256 of the secret', () => {
		const hash = hashSessionSecret('abc');
		// SHA-256("abc"), FIPS 180-2 test vector
		expect(Buffer.from(hash).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});

	it('compare the presented secret with the stored hash', () => {
		const { secret } = generateSessionToken();
		const stored = hashSessionSecret(secret);
		expect(secretMatches(secret, stored)).toBe(true);
		expect(secretMatches(generateSessionToken().secret, stored)).toBe(false);
		expect(secretMatches(secret, stored.slice(0, 31))).toBe(false);
		expect(secretMatches(secret, new Uint8Array(0))).toBe(false);
	});
});

describe('session lifetimes', () => {
	it('voters: 15 minutes idle and 8 hours at most, for shared and public computers', () => {
		expect(VOTER_SESSION_POLICY).toEqual({ idleSeconds: 900, absoluteSeconds: 28_800 });
		expect(policyFor({ staff_id: null })).toBe(VOTER_SESSION_POLICY);
		expect(policyFor({ staff_id: 'x' })).toBe(STAFF_SESSION_POLICY);
	});

	it('start with the idle limit ahead and the absolute limit further', () => {
		const times = initialSessionTimes(T0, VOTER_SESSION_POLICY);
		expect(times.lastSeenAt).toEqual(T0);
		expect(times.expiresAt).toEqual(at({ minutes: 15 }));
		expect(times.absoluteExpiresAt).toEqual(at({ hours: 8 }));
	});

	it('are alive until the idle limit, and not from that instant on', () => {
		const times = initialSessionTimes(T0, VOTER_SESSION_POLICY);
		expect(checkSessionTimes(times, at({ minutes: 14, seconds: 59 }), VOTER_SESSION_POLICY).valid).toBe(true);
		expect(checkSessionTimes(times, at({ minutes: 15 }), VOTER_SESSION_POLICY)).toEqual({ valid: false, reason: 'idle' });
	});

	it('do not write activity back more often than once a minute', () => {
		const times = initialSessionTimes(T0, VOTER_SESSION_POLICY);
		expect(checkSessionTimes(times, at({ seconds: ACTIVITY_WRITE_INTERVAL_SECONDS - 1 }), VOTER_SESSION_POLICY)).toEqual({ valid: true, refresh: null });
	});

	it('slide the idle limit with activity', () => {
		let times = initialSessionTimes(T0, VOTER_SESSION_POLICY);
		// Active every ten minutes for two hours: never idle for 15 minutes.
		for (let minute = 10; minute <= 120; minute += 10) {
			const check = checkSessionTimes(times, at({ minutes: minute }), VOTER_SESSION_POLICY);
			if (!check.valid || !check.refresh) throw new Error(`expected a refresh at minute ${minute}`);
			expect(check.refresh.expiresAt).toEqual(at({ minutes: minute + 15 }));
			times = { ...times, ...check.refresh };
		}
		expect(checkSessionTimes(times, at({ minutes: 134 }), VOTER_SESSION_POLICY).valid).toBe(true);
		expect(checkSessionTimes(times, at({ minutes: 135 }), VOTER_SESSION_POLICY)).toEqual({ valid: false, reason: 'idle' });
	});

	it('never slide past the absolute limit', () => {
		let times = initialSessionTimes(T0, VOTER_SESSION_POLICY);
		for (let minute = 10; minute < 8 * 60; minute += 10) {
			const check = checkSessionTimes(times, at({ minutes: minute }), VOTER_SESSION_POLICY);
			if (!check.valid || !check.refresh) throw new Error(`expected a refresh at minute ${minute}`);
			expect(Temporal.Instant.compare(check.refresh.expiresAt, times.absoluteExpiresAt)).toBeLessThanOrEqual(0);
			times = { ...times, ...check.refresh };
		}
		expect(times.expiresAt).toEqual(at({ hours: 8 }));
		expect(checkSessionTimes(times, at({ hours: 8 }), VOTER_SESSION_POLICY)).toEqual({ valid: false, reason: 'absolute' });
	});

	it('staff sessions have their own, longer limits', () => {
		const times = initialSessionTimes(T0, STAFF_SESSION_POLICY);
		expect(checkSessionTimes(times, at({ minutes: 20 }), STAFF_SESSION_POLICY).valid).toBe(true);
		expect(checkSessionTimes(times, at({ minutes: 20 }), VOTER_SESSION_POLICY).valid).toBe(true);
		expect(checkSessionTimes(times, at({ minutes: 30 }), STAFF_SESSION_POLICY)).toEqual({ valid: false, reason: 'idle' });
	});
});
