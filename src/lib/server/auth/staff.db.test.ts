import { generateHOTP } from '@oslojs/otp';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { toDate } from '../clock';
import { openTestDb, resetDb } from '../db/test-support';
import { hashPassword, verifyPassword } from './password';
import { parseSessionToken, validateSessionToken } from './session';
import {
	changeStaffPassword,
	confirmTotpEnrolment,
	confirmTotpReenrolment,
	findPendingLogin,
	loginWithPassword,
	startTotpEnrolment,
	startTotpReenrolment,
	verifyLoginCode,
	verifyLoginRecoveryCode
} from './staff';
import { totpStep } from './totp';
import { decryptTotpSecret } from './totp-crypto';

const db = openTestDb();
const T0 = Temporal.Instant.from('2026-11-20T08:00:00Z');
const PASSWORD = 'Demo-heslo-2026';
/** The clerk's own office; an attacker's address; and many others. */
const HOME = '192.0.2.10';
const ELSEWHERE = '203.0.113.66';
let staffId: string;
let officeId: string;
let passwordHash: string;

const codeAt = (key: Uint8Array, at: Temporal.Instant) => generateHOTP(key, BigInt(totpStep(at)), 6);
const idOf = (token: string) => parseSessionToken(token)!.id;

async function account() {
	return db.selectFrom('staff_user').selectAll().where('id', '=', staffId).executeTakeFirstOrThrow();
}

async function audit() {
	return db.selectFrom('audit_log').select(['action', 'actor_kind', 'actor_id', 'entity_id', 'before', 'after']).orderBy('id').execute();
}

async function passwordStep(at = T0, password = PASSWORD, previousSessionId: string | null = null, clientAddress = HOME) {
	return loginWithPassword(db, { clientAddress, username: 'urednik.praha', password, previousSessionId }, at);
}

/** The failures counted against the clerk's username, by address. */
async function throttle() {
	const rows = await db.selectFrom('staff_login_throttle').select(['address', 'failures']).where('username', '=', 'urednik.praha').orderBy('address').execute();
	return Object.fromEntries(rows.map((r) => [r.address, r.failures]));
}

/** Password, enrolment with a code of the new key: a logged-in clerk, their key and recovery codes. */
async function enrol(at = T0) {
	const first = await passwordStep(at);
	if (first.kind !== 'ok') throw new Error(first.kind);
	const start = await startTotpEnrolment(db, { sessionId: first.session.id });
	if (start.kind !== 'ok') throw new Error(start.kind);
	const done = await confirmTotpEnrolment(db, { clientAddress: HOME, sessionId: first.session.id, code: codeAt(start.key, at) }, at);
	if (done.kind !== 'ok') throw new Error(done.kind);
	return { key: start.key, recoveryCodes: done.recoveryCodes, token: done.session.token };
}

beforeEach(async () => {
	await resetDb(db);
	passwordHash ??= await hashPassword(PASSWORD);
	const office = await db
		.insertInto('office')
		.values({ kind: 'municipal', code: 'mu-554782', name_cs: 'Magistrát', name_en: 'City Hall', address: 'Praha', municipality_code: '554782' })
		.returning('id')
		.executeTakeFirstOrThrow();
	officeId = office.id;
	const staff = await db
		.insertInto('staff_user')
		.values({ username: 'urednik.praha', display_name: 'Petr Úředník', role: 'municipal-clerk', office_id: officeId, password_hash: passwordHash })
		.returning('id')
		.executeTakeFirstOrThrow();
	staffId = staff.id;
});

afterAll(() => db.destroy());

describe('the password step', () => {
	it('opens a session waiting for the second factor, ending the previous one (rotation)', async () => {
		const first = await passwordStep();
		expect(first).toMatchObject({ kind: 'ok', next: 'enrol' });
		if (first.kind !== 'ok') return;
		const validated = await validateSessionToken(db, first.session.token, T0);
		expect(validated?.session.twoFactorVerified).toBe(false);
		expect(await findPendingLogin(db, first.session.id)).toEqual({ staffId, enrolled: false });

		const second = await passwordStep(T0.add({ seconds: 5 }), PASSWORD, first.session.id);
		expect(second.kind).toBe('ok');
		expect(await validateSessionToken(db, first.session.token, T0)).toBeNull();
	});

	it('answers an unknown username exactly like a wrong password', async () => {
		expect(await loginWithPassword(db, { clientAddress: HOME, username: 'nikdo.takovy', password: PASSWORD, previousSessionId: null }, T0)).toEqual({ kind: 'invalid' });
		expect(await passwordStep(T0, 'wrong-password')).toEqual({ kind: 'invalid' });
	});

	it('holds back the address that failed, with growing waits, and never the clerk at their own address', async () => {
		// Three free failures from the attacker's address, then 30 s, 60 s, …
		for (let i = 1; i <= 2; i++) expect(await passwordStep(T0.add({ seconds: i }), 'wrong-password', null, ELSEWHERE)).toEqual({ kind: 'invalid' });
		const third = await passwordStep(T0.add({ seconds: 3 }), 'wrong-password', null, ELSEWHERE);
		expect(third).toEqual({ kind: 'throttled', until: Temporal.Instant.from('2026-11-20T08:00:33Z') });
		// Held: not even checked, not counted, no session.
		expect(await passwordStep(T0.add({ seconds: 32 }), PASSWORD, null, ELSEWHERE)).toEqual({ kind: 'throttled', until: Temporal.Instant.from('2026-11-20T08:00:33Z') });
		expect(await throttle()).toEqual({ [ELSEWHERE]: 3 });
		const fourth = await passwordStep(T0.add({ seconds: 33 }), 'wrong-password', null, ELSEWHERE);
		expect(fourth).toEqual({ kind: 'throttled', until: Temporal.Instant.from('2026-11-20T08:01:33Z') });
		expect(await db.selectFrom('session').select('id').execute()).toEqual([]);

		// Meanwhile the clerk logs in from the office at once.
		const own = await passwordStep(T0.add({ seconds: 40 }));
		expect(own.kind).toBe('ok');
		const actions = (await audit()).map((a) => a.action);
		expect(actions).toEqual(['staff.login-failed', 'staff.login-failed', 'staff.login-failed', 'staff.login-failed', 'staff.login-password']);
		const last = (await audit()).at(-2)!;
		expect(last.after).toMatchObject({ failure: 'password', failuresFromAddress: 4, retryAt: '2026-11-20T08:01:33Z' });
		// The attacker's address stays held; its failures are not the clerk's.
		expect(await throttle()).toEqual({ [ELSEWHERE]: 4 });
	});

	it("forgets the address's failures once a login from it completes, not another address's", async () => {
		await passwordStep(T0, 'wrong-password');
		await passwordStep(T0, 'wrong-password', null, ELSEWHERE);
		expect(await throttle()).toEqual({ [HOME]: 1, [ELSEWHERE]: 1 });
		await enrol(T0.add({ seconds: 1 }));
		expect(await throttle()).toEqual({ [ELSEWHERE]: 1 });
	});

	it('locks the account for everyone only after 100 failures from 10 addresses in the hour, and shows who, from where, when', async () => {
		// 10 addresses, 10 failures each, each as soon as its wait allows.
		const addresses = Array.from({ length: 10 }, (_, i) => `198.51.100.${i + 1}`);
		let at = T0;
		let last: Awaited<ReturnType<typeof passwordStep>> | undefined;
		for (let round = 1; round <= 10; round++) {
			for (const address of addresses) {
				last = await passwordStep(at, 'wrong-password', null, address);
				if (round * 10 < 100 || address !== addresses.at(-1)) expect(last.kind, `${round} ${address}`).not.toBe('locked');
			}
			// The longest wait of the round (the doubling caps at 15 minutes, well within the hour).
			at = at.add({ seconds: Math.min(900, round < 3 ? 0 : 30 * 2 ** (round - 3)) });
		}
		expect(last?.kind).toBe('locked');
		const lock = await db.selectFrom('staff_login_lock').selectAll().executeTakeFirstOrThrow();
		expect(lock.username).toBe('urednik.praha');
		expect(lock.failures).toBe(100);
		expect([...lock.addresses].sort()).toEqual([...addresses].sort());
		const until = Temporal.Instant.fromEpochMilliseconds(lock.locked_until.getTime());
		expect(until.toString()).toBe(Temporal.Instant.fromEpochMilliseconds(lock.locked_at.getTime()).add({ hours: 1 }).toString());
		// Now the clerk too is refused, from their own address, with the right password.
		expect(await passwordStep(at.add({ minutes: 1 }))).toEqual({ kind: 'locked', until });
		expect((await audit()).filter((a) => a.action === 'staff.login-locked')).toHaveLength(1);
		// An hour later they log in; one typing mistake then does not lock again.
		expect(await passwordStep(until, 'wrong-password')).toEqual({ kind: 'invalid' });
		expect((await passwordStep(until.add({ seconds: 1 }))).kind).toBe('ok');
	});

	it('counts concurrent failures one after the other', async () => {
		const results = await Promise.all(Array.from({ length: 4 }, () => passwordStep(T0, 'wrong-password', null, ELSEWHERE)));
		// Two free, the third sets a wait, the fourth is held (or the third's wait, whichever came first).
		expect(results.map((r) => r.kind).sort()).toEqual(['invalid', 'invalid', 'throttled', 'throttled']);
		expect(await throttle()).toEqual({ [ELSEWHERE]: 3 });
	});

	it('counts the throttle on the security instant (real time in a demo), the session on the request clock', async () => {
		// A demo standing still at FIXED_NOW: the request clock is T0 every time, real time moves on.
		const real = (seconds: number) => T0.add({ hours: 3, seconds });
		for (let i = 0; i < 3; i++) {
			await loginWithPassword(db, { clientAddress: HOME, username: 'urednik.praha', password: 'wrong-password', previousSessionId: null, securityAt: real(0) }, T0);
		}
		const during = await loginWithPassword(db, { clientAddress: HOME, username: 'urednik.praha', password: PASSWORD, previousSessionId: null, securityAt: real(29) }, T0);
		expect(during).toEqual({ kind: 'throttled', until: real(30) });
		const after = await loginWithPassword(db, { clientAddress: HOME, username: 'urednik.praha', password: PASSWORD, previousSessionId: null, securityAt: real(30) }, T0);
		expect(after.kind).toBe('ok');
		if (after.kind !== 'ok') return;
		expect((await validateSessionToken(db, after.session.token, T0))?.session.createdAt.toString()).toBe(T0.toString());
		const audit = await db.selectFrom('audit_log').select('at').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
		expect(audit.at).toEqual(toDate(T0));
	});

	it('throttles an unknown username the same way, in the database, so the throttle tells nothing either', async () => {
		const attempt = (s: number) => loginWithPassword(db, { clientAddress: ELSEWHERE, username: 'nikdo.jiny', password: 'x', previousSessionId: null }, T0.add({ seconds: s }));
		for (let i = 1; i <= 2; i++) expect(await attempt(i)).toEqual({ kind: 'invalid' });
		expect((await attempt(3)).kind).toBe('throttled');
		expect((await attempt(4)).kind).toBe('throttled');
		expect(await db.selectFrom('staff_login_throttle').select(['username', 'failures']).execute()).toEqual([{ username: 'nikdo.jiny', failures: 3 }]);
		// Nothing in the audit log: there is no account.
		expect(await audit()).toEqual([]);
	});

	it('keys an IPv6 client by its /64', async () => {
		await passwordStep(T0, 'wrong-password', null, '2001:db8:1:2::a');
		await passwordStep(T0, 'wrong-password', null, '2001:db8:1:2::b');
		expect(await throttle()).toEqual({ '2001:db8:1:2::/64': 2 });
	});

	it('refuses a disabled account, and a wrong password for it looks like any other', async () => {
		await db.updateTable('staff_user').set({ disabled_at: toDate(T0) }).where('id', '=', staffId).execute();
		expect(await passwordStep(T0, 'wrong-password')).toEqual({ kind: 'invalid' });
		expect(await passwordStep(T0)).toEqual({ kind: 'disabled' });
		expect(await db.selectFrom('session').select('id').execute()).toEqual([]);
	});

	it('renews a hash made with other argon2 parameters', async () => {
		const { hash } = await import('@node-rs/argon2');
		await db
			.updateTable('staff_user')
			.set({ password_hash: await hash(PASSWORD, { memoryCost: 8192, timeCost: 1, parallelism: 1 }) })
			.where('id', '=', staffId)
			.execute();
		expect((await passwordStep()).kind).toBe('ok');
		const renewed = (await account()).password_hash;
		expect(renewed).toContain('m=19456,t=2,p=1');
		expect(await verifyPassword(renewed, PASSWORD)).toBe(true);
	});
});

describe('enrolment and the second factor', () => {
	it('shows one key until confirmed, then gives eight recovery codes and a verified session', async () => {
		const first = await passwordStep();
		if (first.kind !== 'ok') throw new Error(first.kind);
		const a = await startTotpEnrolment(db, { sessionId: first.session.id });
		const b = await startTotpEnrolment(db, { sessionId: first.session.id });
		if (a.kind !== 'ok' || b.kind !== 'ok') throw new Error('no key');
		expect(b.key).toEqual(a.key);

		expect(await confirmTotpEnrolment(db, { clientAddress: HOME, sessionId: first.session.id, code: '000000' === codeAt(a.key, T0) ? '111111' : '000000' }, T0)).toEqual({ kind: 'invalid' });
		const done = await confirmTotpEnrolment(db, { clientAddress: HOME, sessionId: first.session.id, code: codeAt(a.key, T0) }, T0);
		expect(done.kind).toBe('ok');
		if (done.kind !== 'ok') return;
		expect(done.recoveryCodes).toHaveLength(8);
		const row = await account();
		expect(row.totp_key && decryptTotpSecret(row.totp_key)).toEqual(a.key);
		// Encrypted at rest (issue 16): the stored value is not the key.
		expect(Buffer.from(row.totp_key!).includes(Buffer.from(a.key))).toBe(false);
		expect(row.totp_pending_key).toBeNull();
		expect(Number(row.totp_last_used_step)).toBe(totpStep(T0));
		// The wrong code counted against the address until the login completed.
		expect(await throttle()).toEqual({});
		expect(await db.selectFrom('staff_recovery_code').select('used_at').where('staff_id', '=', staffId).execute()).toHaveLength(8);

		// A new session id, verified; the waiting one is gone.
		expect(idOf(done.session.token)).not.toBe(first.session.id);
		expect((await validateSessionToken(db, done.session.token, T0))?.session.twoFactorVerified).toBe(true);
		expect(await validateSessionToken(db, first.session.token, T0)).toBeNull();
		expect(await startTotpEnrolment(db, { sessionId: done.session.id })).toEqual({ kind: 'no-login' });
	});

	it('asks for the code at the next login; the same code cannot be used twice', async () => {
		const { key } = await enrol();
		const T1 = T0.add({ minutes: 10 });
		const login = await passwordStep(T1);
		expect(login).toMatchObject({ kind: 'ok', next: 'code' });
		if (login.kind !== 'ok') return;
		expect(await startTotpEnrolment(db, { sessionId: login.session.id })).toEqual({ kind: 'already-enrolled' });
		const code = codeAt(key, T1);
		const ok = await verifyLoginCode(db, { clientAddress: HOME, sessionId: login.session.id, code }, T1);
		expect(ok).toMatchObject({ kind: 'ok', mustChangePassword: false });

		// Someone who saw the code tries it within the same 30 seconds.
		const other = await passwordStep(T1.add({ seconds: 1 }));
		if (other.kind !== 'ok') throw new Error(other.kind);
		expect(await verifyLoginCode(db, { clientAddress: HOME, sessionId: other.session.id, code }, T1.add({ seconds: 1 }))).toEqual({ kind: 'replayed' });
		expect(await throttle()).toEqual({ [HOME]: 1 });
		const T2 = T1.add({ seconds: 30 });
		expect((await verifyLoginCode(db, { clientAddress: HOME, sessionId: other.session.id, code: codeAt(key, T2) }, T2)).kind).toBe('ok');
		expect(await throttle()).toEqual({});
	});

	it('of two logins with the same code at the same moment, exactly one succeeds', async () => {
		const { key } = await enrol();
		const T1 = T0.add({ minutes: 10 });
		const a = await passwordStep(T1);
		const b = await passwordStep(T1);
		if (a.kind !== 'ok' || b.kind !== 'ok') throw new Error('password step');
		const code = codeAt(key, T1);
		const results = await Promise.all([
			verifyLoginCode(db, { clientAddress: HOME, sessionId: a.session.id, code }, T1),
			verifyLoginCode(db, { clientAddress: HOME, sessionId: b.session.id, code }, T1)
		]);
		expect(results.map((r) => r.kind).sort()).toEqual(['ok', 'replayed']);
	});

	it('holds the address back after three wrong codes, even the right code, until the wait is over', async () => {
		const { key } = await enrol();
		const T1 = T0.add({ minutes: 10 });
		const login = await passwordStep(T1);
		if (login.kind !== 'ok') throw new Error(login.kind);
		const wrong = codeAt(key, T1) === '123456' ? '654321' : '123456';
		for (let i = 0; i < 2; i++) expect(await verifyLoginCode(db, { clientAddress: HOME, sessionId: login.session.id, code: wrong }, T1)).toEqual({ kind: 'invalid' });
		const third = await verifyLoginCode(db, { clientAddress: HOME, sessionId: login.session.id, code: wrong }, T1);
		expect(third).toEqual({ kind: 'throttled', until: T1.add({ seconds: 30 }) });
		// Even the right code waits.
		expect((await verifyLoginCode(db, { clientAddress: HOME, sessionId: login.session.id, code: codeAt(key, T1) }, T1.add({ seconds: 29 }))).kind).toBe('throttled');
		const T2 = T1.add({ seconds: 30 });
		expect((await verifyLoginCode(db, { clientAddress: HOME, sessionId: login.session.id, code: codeAt(key, T2) }, T2)).kind).toBe('ok');
		expect(await throttle()).toEqual({});
	});

	it('takes each recovery code once instead of the app', async () => {
		const { recoveryCodes } = await enrol();
		const T1 = T0.add({ minutes: 10 });
		const login = await passwordStep(T1);
		if (login.kind !== 'ok') throw new Error(login.kind);
		const used = await verifyLoginRecoveryCode(db, { clientAddress: HOME, sessionId: login.session.id, code: recoveryCodes[0]!.toLowerCase() }, T1);
		expect(used).toMatchObject({ kind: 'ok', recoveryCodesLeft: 7 });

		const again = await passwordStep(T1.add({ minutes: 1 }));
		if (again.kind !== 'ok') throw new Error(again.kind);
		expect(await verifyLoginRecoveryCode(db, { clientAddress: HOME, sessionId: again.session.id, code: recoveryCodes[0]! }, T1.add({ minutes: 1 }))).toEqual({ kind: 'invalid' });
		expect(await verifyLoginRecoveryCode(db, { clientAddress: HOME, sessionId: again.session.id, code: 'AAAA-BBBB-CCCC' }, T1.add({ minutes: 1 }))).toEqual({ kind: 'invalid' });
		expect(await verifyLoginRecoveryCode(db, { clientAddress: HOME, sessionId: again.session.id, code: recoveryCodes[1]! }, T1.add({ minutes: 1 }))).toMatchObject({
			kind: 'ok',
			recoveryCodesLeft: 6
		});
		const actions = (await audit()).map((a) => a.action);
		expect(actions.filter((a) => a === 'staff.login')).toHaveLength(3);
		expect(actions.filter((a) => a === 'staff.login-failed')).toHaveLength(2);
	});

	it('does not take a second factor for a session that has none waiting', async () => {
		const { key, token } = await enrol();
		expect(await verifyLoginCode(db, { clientAddress: HOME, sessionId: idOf(token), code: codeAt(key, T0.add({ minutes: 1 })) }, T0.add({ minutes: 1 }))).toEqual({ kind: 'no-login' });
		expect(await verifyLoginCode(db, { clientAddress: HOME, sessionId: 'unknown', code: '123456' }, T0)).toEqual({ kind: 'no-login' });
	});
});

describe('a new authenticator app', () => {
	it('needs the current password and a code of the new key; new recovery codes replace the old', async () => {
		const { key: oldKey, recoveryCodes: oldCodes } = await enrol();
		const T1 = T0.add({ minutes: 5 });
		const start = await startTotpReenrolment(db, { staffId });
		if (start.kind !== 'ok') throw new Error(start.kind);
		expect(start.key).not.toEqual(oldKey);
		expect(await confirmTotpReenrolment(db, { clientAddress: HOME, staffId, currentPassword: 'wrong-password', code: codeAt(start.key, T1) }, T1)).toEqual({
			kind: 'wrong-password'
		});
		expect(await confirmTotpReenrolment(db, { clientAddress: HOME, staffId, currentPassword: PASSWORD, code: codeAt(oldKey, T1) }, T1)).toEqual({ kind: 'invalid' });
		const done = await confirmTotpReenrolment(db, { clientAddress: HOME, staffId, currentPassword: PASSWORD, code: codeAt(start.key, T1) }, T1);
		expect(done.kind).toBe('ok');

		const T2 = T1.add({ minutes: 1 });
		const login = await passwordStep(T2);
		if (login.kind !== 'ok') throw new Error(login.kind);
		expect(await verifyLoginRecoveryCode(db, { clientAddress: HOME, sessionId: login.session.id, code: oldCodes[0]! }, T2)).toEqual({ kind: 'invalid' });
		expect(await verifyLoginCode(db, { clientAddress: HOME, sessionId: login.session.id, code: codeAt(oldKey, T2) }, T2)).toEqual({ kind: 'invalid' });
		expect((await verifyLoginCode(db, { clientAddress: HOME, sessionId: login.session.id, code: codeAt(start.key, T2) }, T2)).kind).toBe('ok');
	});
});

describe('a password change', () => {
	it('checks the current password, stores an argon2id hash and ends the other sessions', async () => {
		const { token } = await enrol();
		const { token: otherToken } = await (async () => {
			const T1 = T0.add({ minutes: 1 });
			const login = await passwordStep(T1);
			if (login.kind !== 'ok') throw new Error(login.kind);
			const row = await account();
			const key = decryptTotpSecret(row.totp_key!);
			const done = await verifyLoginCode(db, { clientAddress: HOME, sessionId: login.session.id, code: codeAt(key, T1) }, T1);
			if (done.kind !== 'ok') throw new Error(done.kind);
			return done.session;
		})();
		const sessionId = idOf(token);
		expect(await changeStaffPassword(db, { clientAddress: HOME, staffId, sessionId, currentPassword: 'wrong-password', newPassword: 'Nove-heslo-2027!' }, T0)).toEqual({
			kind: 'wrong-password'
		});
		expect(await changeStaffPassword(db, { clientAddress: HOME, staffId, sessionId, currentPassword: PASSWORD, newPassword: 'Nove-heslo-2027!' }, T0)).toEqual({
			kind: 'ok',
			otherSessionsEnded: 1
		});
		const row = await account();
		expect(row.password_hash).toMatch(/^\$argon2id\$/);
		expect(await verifyPassword(row.password_hash, 'Nove-heslo-2027!')).toBe(true);
		expect(row.password_changed_at).toEqual(toDate(T0));
		expect(await validateSessionToken(db, token, T0)).not.toBeNull();
		expect(await validateSessionToken(db, otherToken, T0)).toBeNull();
		expect((await passwordStep(T0.add({ minutes: 2 }))).kind).toBe('invalid');
		expect((await passwordStep(T0.add({ minutes: 2 }), 'Nove-heslo-2027!')).kind).toBe('ok');
	});
});
