import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { activeLock, afterFailure, argon2Params, STAFF_LOCKOUT_POLICY, type FailureState } from './staff';

const T = Temporal.Instant.from('2026-11-20T08:00:00Z');
const fresh: FailureState = { failedAttempts: 0, lockedUntil: null };

function fail(times: number, state: FailureState, at: Temporal.Instant): FailureState {
	for (let i = 0; i < times; i++) state = afterFailure(state, at);
	return state;
}

describe('lock-out arithmetic', () => {
	it('locks at the fifth failure in a row, for 15 minutes', () => {
		expect(STAFF_LOCKOUT_POLICY).toEqual({ maxFailures: 5, lockSeconds: 900 });
		const four = fail(4, fresh, T);
		expect(four).toEqual({ failedAttempts: 4, lockedUntil: null });
		expect(activeLock(four, T)).toBeNull();
		const five = afterFailure(four, T);
		expect(five.failedAttempts).toBe(5);
		expect(five.lockedUntil?.toString()).toBe('2026-11-20T08:15:00Z');
		expect(activeLock(five, T)?.toString()).toBe('2026-11-20T08:15:00Z');
	});

	it('holds the lock until its last instant and releases it at the end', () => {
		const locked = fail(5, fresh, T);
		expect(activeLock(locked, T.add({ minutes: 14, seconds: 59, milliseconds: 999 }))).not.toBeNull();
		expect(activeLock(locked, T.add({ minutes: 15 }))).toBeNull();
	});

	it('counts afresh after a lock has run out: five more failures lock again', () => {
		const locked = fail(5, fresh, T);
		const later = T.add({ minutes: 15 });
		const one = afterFailure(locked, later);
		expect(one).toEqual({ failedAttempts: 1, lockedUntil: null });
		const again = fail(4, one, later);
		expect(again.lockedUntil?.toString()).toBe('2026-11-20T08:30:00Z');
	});

	it('follows another policy when given one', () => {
		expect(afterFailure({ failedAttempts: 1, lockedUntil: null }, T, { maxFailures: 2, lockSeconds: 60 }).lockedUntil?.toString()).toBe('2026-11-20T08:01:00Z');
	});
});

describe('argon2 parameters', () => {
	it('are read from a PHC string, so that a hash made with other ones is renewed at login', () => {
		expect(argon2Params('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA')).toBe('argon2id$v=19$m=19456,t=2,p=1');
		expect(argon2Params('$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaA')).not.toBe('argon2id$v=19$m=19456,t=2,p=1');
		expect(argon2Params('plain')).toBeNull();
	});
});
