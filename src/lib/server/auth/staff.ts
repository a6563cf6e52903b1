/**
 * Staff login (issue 5): a username and an argon2id-hashed password, then a second factor
 * (TOTP, enrolled at the first login, or a single-use recovery code). Each step is one
 * transaction that checks, changes the account, rotates the session and writes the audit entry.
 *
 * - No user enumeration: an unknown username and a wrong password get the same answer after
 *   the same work (a dummy argon2 verification), and unknown usernames are locked out too.
 * - Lock-out: STAFF_LOCKOUT_POLICY.maxFailures failed attempts in a row (password, code or
 *   recovery code) lock the account for lockSeconds; a disabled account never logs in.
 * - Session rotation: a new session after the password (second factor pending), and another
 *   new one once the second factor passes; the previous session ends in the same transaction.
 * - Two instants: `now` (the request's clock: sessions, audit entries) and `input.securityAt`
 *   (default `now`) for what runs on real time: the authenticator's 30-second steps and the
 *   lock-out (staff-routes.ts securityInstant).
 */
import { Temporal } from 'temporal-polyfill';
import { fromDate, toDate } from '../clock';
import type { Db, Trx } from '../db/index';
import { deleteSession } from '../db/queries/sessions';
import {
	confirmStaffTotpKey,
	countUnusedStaffRecoveryCodes,
	deleteOtherStaffSessions,
	findSessionStaff,
	findStaffUserById,
	findStaffUserByIdForUpdate,
	findStaffUserByUsernameForUpdate,
	replaceStaffRecoveryCodes,
	setStaffPendingTotpKey,
	updateStaffLoginFailures,
	updateStaffPasswordHash,
	useStaffRecoveryCode,
	useStaffTotpStep,
	type StaffLoginRow
} from '../db/queries/staff-users';
import type { StaffRole } from '../db/schema';
import { appendAudit, type Actor } from '../services/audit';
import { hashPassword, verifyPassword } from './password';
import { createSession } from './session';
import { generateRecoveryCodes, generateTotpKey, hashRecoveryCode, normalizeRecoveryCode, verifyTotp } from './totp';

// --- Lock-out arithmetic (pure) -------------------------------------------------------------

export interface LockoutPolicy {
	/** Failed attempts in a row that lock the account. */
	maxFailures: number;
	lockSeconds: number;
}

export const STAFF_LOCKOUT_POLICY: LockoutPolicy = { maxFailures: 5, lockSeconds: 15 * 60 };

export interface FailureState {
	failedAttempts: number;
	lockedUntil: Temporal.Instant | null;
}

/** The end of a lock in force at `now`, or null. */
export function activeLock(state: FailureState, now: Temporal.Instant): Temporal.Instant | null {
	return state.lockedUntil && Temporal.Instant.compare(now, state.lockedUntil) < 0 ? state.lockedUntil : null;
}

/** The state after one more failed attempt; a lock that has run out starts a fresh count. */
export function afterFailure(state: FailureState, now: Temporal.Instant, policy: LockoutPolicy = STAFF_LOCKOUT_POLICY): FailureState {
	const expired = state.lockedUntil !== null && Temporal.Instant.compare(now, state.lockedUntil) >= 0;
	const failedAttempts = (expired ? 0 : state.failedAttempts) + 1;
	return {
		failedAttempts,
		lockedUntil: failedAttempts >= policy.maxFailures ? now.add({ seconds: policy.lockSeconds }) : null
	};
}

/**
 * Unknown usernames are "locked" like real ones, so that the lock-out message tells nobody
 * whether an account exists. Held in memory (bounded); a restart forgets them.
 */
const PHANTOM_LIMIT = 10_000;
const phantomFailures = new Map<string, FailureState>();

function phantomFailure(username: string, now: Temporal.Instant): FailureState {
	const next = afterFailure(phantomFailures.get(username) ?? { failedAttempts: 0, lockedUntil: null }, now);
	phantomFailures.delete(username);
	phantomFailures.set(username, next);
	if (phantomFailures.size > PHANTOM_LIMIT) {
		const oldest = phantomFailures.keys().next().value;
		if (oldest !== undefined) phantomFailures.delete(oldest);
	}
	return next;
}

// --- Passwords ------------------------------------------------------------------------------

let dummyHash: Promise<string> | undefined;
let currentParams: Promise<string | null> | undefined;

/** The argon2 parameters of a PHC string, e.g. 'argon2id$v=19$m=19456,t=2,p=1'. */
export function argon2Params(phc: string): string | null {
	const parts = phc.split('$');
	return parts.length >= 6 && parts[1] ? `${parts[1]}$${parts[2]}$${parts[3]}` : null;
}

/** Whether a stored hash was made with other parameters than password.ts uses now. */
export async function needsRehash(passwordHash: string): Promise<boolean> {
	currentParams ??= hashPassword('parameter probe').then(argon2Params);
	const current = await currentParams;
	return current !== null && argon2Params(passwordHash) !== current;
}

/** The same argon2 work for an unknown username as for a real one. */
async function verifyAgainstDummy(password: string): Promise<void> {
	dummyHash ??= hashPassword(crypto.randomUUID());
	await verifyPassword(await dummyHash, password);
}

// --- Shared steps -------------------------------------------------------------------------

function failureState(row: Pick<StaffLoginRow, 'failed_attempts' | 'locked_until'>): FailureState {
	return { failedAttempts: row.failed_attempts, lockedUntil: row.locked_until ? fromDate(row.locked_until) : null };
}

const SYSTEM: Actor = { kind: 'system' };

function staffActor(row: Pick<StaffLoginRow, 'id' | 'office_id'>): Actor {
	return { kind: 'staff', id: row.id, officeId: row.office_id };
}

type FailureKind = 'password' | 'totp' | 'recovery-code' | 'totp-replayed';

/** Counts a failed attempt, locking the account at the limit; audited without personal data. */
async function recordFailure(trx: Trx, row: StaffLoginRow, kind: FailureKind, securityAt: Temporal.Instant, now: Temporal.Instant): Promise<FailureState> {
	const before = failureState(row);
	const after = afterFailure(before, securityAt);
	await updateStaffLoginFailures(trx, row.id, after.failedAttempts, after.lockedUntil ? toDate(after.lockedUntil) : null);
	await appendAudit(trx, {
		actor: SYSTEM,
		action: after.lockedUntil ? 'staff.login-locked' : 'staff.login-failed',
		entityType: 'staff_user',
		entityId: row.id,
		officeId: row.office_id,
		before: { failedAttempts: before.failedAttempts },
		after: { failedAttempts: after.failedAttempts, failure: kind, lockedUntil: after.lockedUntil?.toString() ?? null },
		at: now
	});
	return after;
}

/** The staff member of a session still waiting for its second factor, locked for this transaction. */
async function pendingStaff(trx: Trx, sessionId: string): Promise<StaffLoginRow | null> {
	const session = await findSessionStaff(trx, sessionId);
	if (!session || session.two_factor_verified) return null;
	const row = await findStaffUserByIdForUpdate(trx, session.staff_id);
	return row && !row.disabled_at ? row : null;
}

export interface IssuedSession {
	token: string;
	id: string;
}

/** Ends `previous` and opens a session in its place (rotation), in the caller's transaction. */
async function rotateSession(trx: Trx, previous: string | null, staffId: string, twoFactorVerified: boolean, now: Temporal.Instant): Promise<IssuedSession> {
	if (previous) await deleteSession(trx, previous);
	const created = await createSession(trx, { kind: 'staff', staffId, twoFactorVerified }, now);
	return { token: created.token, id: created.id };
}

// --- Step 1: username and password ---------------------------------------------------------

export type PasswordStepResult =
	/** The password is right; the second factor comes next (`enrol` the first time). */
	| { kind: 'ok'; next: 'enrol' | 'code'; session: IssuedSession }
	/** Unknown username or wrong password: one answer for both. */
	| { kind: 'invalid' }
	| { kind: 'locked'; until: Temporal.Instant }
	/** The right password for an account that an administrator has disabled. */
	| { kind: 'disabled' };

export async function loginWithPassword(
	db: Db,
	input: { username: string; password: string; previousSessionId: string | null; securityAt?: Temporal.Instant },
	now: Temporal.Instant
): Promise<PasswordStepResult> {
	const username = input.username.trim().toLowerCase();
	const sec = input.securityAt ?? now;
	return db.transaction().execute(async (trx): Promise<PasswordStepResult> => {
		const row = await findStaffUserByUsernameForUpdate(trx, username);
		if (!row) {
			const phantom = phantomFailures.get(username);
			const locked = phantom ? activeLock(phantom, sec) : null;
			if (locked) return { kind: 'locked', until: locked };
			await verifyAgainstDummy(input.password);
			const after = phantomFailure(username, sec);
			return after.lockedUntil ? { kind: 'locked', until: after.lockedUntil } : { kind: 'invalid' };
		}
		// A locked account is not even checked: guessing goes on only after the lock.
		const locked = activeLock(failureState(row), sec);
		if (locked) return { kind: 'locked', until: locked };
		if (!(await verifyPassword(row.password_hash, input.password))) {
			const after = await recordFailure(trx, row, 'password', sec, now);
			return after.lockedUntil ? { kind: 'locked', until: after.lockedUntil } : { kind: 'invalid' };
		}
		if (row.disabled_at) return { kind: 'disabled' };
		if (await needsRehash(row.password_hash)) {
			await updateStaffPasswordHash(trx, row.id, await hashPassword(input.password), null);
		}
		// The failure count is reset only once the second factor passes too.
		const session = await rotateSession(trx, input.previousSessionId, row.id, false, now);
		await appendAudit(trx, {
			actor: staffActor(row),
			action: 'staff.login-password',
			entityType: 'staff_user',
			entityId: row.id,
			at: now
		});
		return { kind: 'ok', next: row.totp_enrolled_at ? 'code' : 'enrol', session };
	});
}

// --- Step 2: the second factor ------------------------------------------------------------

export type SecondFactorResult =
	| { kind: 'ok'; session: IssuedSession; role: StaffRole; mustChangePassword: boolean; recoveryCodesLeft: number | null }
	| { kind: 'invalid' }
	/** The right code, already used: wait for the next one. */
	| { kind: 'replayed' }
	| { kind: 'locked'; until: Temporal.Instant }
	/** No session waiting for a second factor (ended, expired, or already verified). */
	| { kind: 'no-login' }
	/** The account has no confirmed app yet: enrolment first. */
	| { kind: 'not-enrolled' };

async function completeLogin(trx: Trx, row: StaffLoginRow, sessionId: string, method: 'totp' | 'recovery-code', now: Temporal.Instant) {
	const session = await rotateSession(trx, sessionId, row.id, true, now);
	await appendAudit(trx, {
		actor: staffActor(row),
		action: 'staff.login',
		entityType: 'staff_user',
		entityId: row.id,
		after: { secondFactor: method },
		at: now
	});
	return session;
}

/** A code from the authenticator app, once per 30-second step. */
export async function verifyLoginCode(
	db: Db,
	input: { sessionId: string; code: string; securityAt?: Temporal.Instant },
	now: Temporal.Instant
): Promise<SecondFactorResult> {
	return db.transaction().execute(async (trx): Promise<SecondFactorResult> => {
		const row = await pendingStaff(trx, input.sessionId);
		if (!row) return { kind: 'no-login' };
		if (!row.totp_enrolled_at || !row.totp_key) return { kind: 'not-enrolled' };
		const sec = input.securityAt ?? now;
		const locked = activeLock(failureState(row), sec);
		if (locked) return { kind: 'locked', until: locked };
		const lastUsed = row.totp_last_used_step === null ? null : Number(row.totp_last_used_step);
		const check = verifyTotp(new Uint8Array(row.totp_key), input.code, sec, lastUsed);
		// The conditional update is what makes a code single-use when two logins race.
		if (!check.ok || !(await useStaffTotpStep(trx, row.id, check.step))) {
			const replayed = check.ok || check.reason === 'replayed';
			const after = await recordFailure(trx, row, replayed ? 'totp-replayed' : 'totp', sec, now);
			if (after.lockedUntil) return { kind: 'locked', until: after.lockedUntil };
			return { kind: replayed ? 'replayed' : 'invalid' };
		}
		const session = await completeLogin(trx, row, input.sessionId, 'totp', now);
		return { kind: 'ok', session, role: row.role, mustChangePassword: row.must_change_password, recoveryCodesLeft: null };
	});
}

/** A recovery code instead of the app's code; each works once. */
export async function verifyLoginRecoveryCode(
	db: Db,
	input: { sessionId: string; code: string; securityAt?: Temporal.Instant },
	now: Temporal.Instant
): Promise<SecondFactorResult> {
	return db.transaction().execute(async (trx): Promise<SecondFactorResult> => {
		const row = await pendingStaff(trx, input.sessionId);
		if (!row) return { kind: 'no-login' };
		if (!row.totp_enrolled_at) return { kind: 'not-enrolled' };
		const sec = input.securityAt ?? now;
		const locked = activeLock(failureState(row), sec);
		if (locked) return { kind: 'locked', until: locked };
		const normalized = normalizeRecoveryCode(input.code);
		if (!normalized || !(await useStaffRecoveryCode(trx, row.id, hashRecoveryCode(normalized), toDate(now)))) {
			const after = await recordFailure(trx, row, 'recovery-code', sec, now);
			return after.lockedUntil ? { kind: 'locked', until: after.lockedUntil } : { kind: 'invalid' };
		}
		await updateStaffLoginFailures(trx, row.id, 0, null);
		const session = await completeLogin(trx, row, input.sessionId, 'recovery-code', now);
		return {
			kind: 'ok',
			session,
			role: row.role,
			mustChangePassword: row.must_change_password,
			recoveryCodesLeft: await countUnusedStaffRecoveryCodes(trx, row.id)
		};
	});
}

// --- Enrolment -----------------------------------------------------------------------------

export type EnrolmentStart =
	| { kind: 'ok'; key: Uint8Array; username: string }
	| { kind: 'no-login' }
	/** The app is set up already: the code page, not the QR code. */
	| { kind: 'already-enrolled' };

/** The key to show as a QR code at the first login; the same one on every view until confirmed. */
export async function startTotpEnrolment(db: Db, input: { sessionId: string }): Promise<EnrolmentStart> {
	return db.transaction().execute(async (trx): Promise<EnrolmentStart> => {
		const row = await pendingStaff(trx, input.sessionId);
		if (!row) return { kind: 'no-login' };
		if (row.totp_enrolled_at) return { kind: 'already-enrolled' };
		const key = row.totp_pending_key ?? (await setStaffPendingTotpKey(trx, row.id, generateTotpKey()));
		if (!key) return { kind: 'no-login' };
		return { kind: 'ok', key: new Uint8Array(key), username: row.username };
	});
}

export type EnrolmentResult =
	| { kind: 'ok'; session: IssuedSession; role: StaffRole; recoveryCodes: string[]; mustChangePassword: boolean }
	| { kind: 'invalid' }
	| { kind: 'locked'; until: Temporal.Instant }
	| { kind: 'no-login' }
	| { kind: 'already-enrolled' };

async function confirmKey(
	trx: Trx,
	row: StaffLoginRow,
	code: string,
	securityAt: Temporal.Instant,
	now: Temporal.Instant
): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false; after: FailureState }> {
	const key = row.totp_pending_key ? new Uint8Array(row.totp_pending_key) : null;
	// A new key has had no codes used yet; the stored step only ever moves forward (confirmStaffTotpKey).
	const check = key ? verifyTotp(key, code, securityAt, null) : null;
	if (!key || !check?.ok || !(await confirmStaffTotpKey(trx, row.id, key, check.step, toDate(now)))) {
		return { ok: false, after: await recordFailure(trx, row, 'totp', securityAt, now) };
	}
	const recoveryCodes = generateRecoveryCodes();
	await replaceStaffRecoveryCodes(
		trx,
		row.id,
		recoveryCodes.map((c) => hashRecoveryCode(normalizeRecoveryCode(c)!))
	);
	return { ok: true, recoveryCodes };
}

/**
 * The first code from the new app confirms the key; the login completes and the recovery
 * codes are returned, to be shown this once.
 */
export async function confirmTotpEnrolment(
	db: Db,
	input: { sessionId: string; code: string; securityAt?: Temporal.Instant },
	now: Temporal.Instant
): Promise<EnrolmentResult> {
	return db.transaction().execute(async (trx): Promise<EnrolmentResult> => {
		const row = await pendingStaff(trx, input.sessionId);
		if (!row) return { kind: 'no-login' };
		if (row.totp_enrolled_at) return { kind: 'already-enrolled' };
		const sec = input.securityAt ?? now;
		const locked = activeLock(failureState(row), sec);
		if (locked) return { kind: 'locked', until: locked };
		const confirmed = await confirmKey(trx, row, input.code, sec, now);
		if (!confirmed.ok) return confirmed.after.lockedUntil ? { kind: 'locked', until: confirmed.after.lockedUntil } : { kind: 'invalid' };
		await appendAudit(trx, { actor: staffActor(row), action: 'staff.totp-enrol', entityType: 'staff_user', entityId: row.id, at: now });
		const session = await completeLogin(trx, row, input.sessionId, 'totp', now);
		return { kind: 'ok', session, role: row.role, recoveryCodes: confirmed.recoveryCodes, mustChangePassword: row.must_change_password };
	});
}

// --- A new app for a logged-in staff member (a new phone, or after a recovery code) ----------

export type ReenrolmentStart = { kind: 'ok'; key: Uint8Array; username: string } | { kind: 'not-found' };

/** The new key to show (the same one until confirmed); `create: false` only reads a waiting one. */
export async function startTotpReenrolment(db: Db, input: { staffId: string; create?: boolean }): Promise<ReenrolmentStart> {
	return db.transaction().execute(async (trx): Promise<ReenrolmentStart> => {
		const row = await findStaffUserByIdForUpdate(trx, input.staffId);
		if (!row || row.disabled_at) return { kind: 'not-found' };
		const key = row.totp_pending_key ?? (input.create === false ? null : await setStaffPendingTotpKey(trx, row.id, generateTotpKey()));
		return key ? { kind: 'ok', key: new Uint8Array(key), username: row.username } : { kind: 'not-found' };
	});
}

export type ReenrolmentResult =
	| { kind: 'ok'; recoveryCodes: string[] }
	| { kind: 'wrong-password' }
	| { kind: 'invalid' }
	| { kind: 'locked'; until: Temporal.Instant }
	| { kind: 'not-found' };

/**
 * Replaces the app: the current password and a code from the new app, so that an unattended
 * session alone cannot move the second factor to someone else's phone. New recovery codes
 * replace the old ones.
 */
export async function confirmTotpReenrolment(
	db: Db,
	input: { staffId: string; currentPassword: string; code: string; securityAt?: Temporal.Instant },
	now: Temporal.Instant
): Promise<ReenrolmentResult> {
	return db.transaction().execute(async (trx): Promise<ReenrolmentResult> => {
		const row = await findStaffUserByIdForUpdate(trx, input.staffId);
		if (!row || row.disabled_at) return { kind: 'not-found' };
		const sec = input.securityAt ?? now;
		const locked = activeLock(failureState(row), sec);
		if (locked) return { kind: 'locked', until: locked };
		if (!(await verifyPassword(row.password_hash, input.currentPassword))) {
			const after = await recordFailure(trx, row, 'password', sec, now);
			return after.lockedUntil ? { kind: 'locked', until: after.lockedUntil } : { kind: 'wrong-password' };
		}
		const confirmed = await confirmKey(trx, row, input.code, sec, now);
		if (!confirmed.ok) return confirmed.after.lockedUntil ? { kind: 'locked', until: confirmed.after.lockedUntil } : { kind: 'invalid' };
		await appendAudit(trx, { actor: staffActor(row), action: 'staff.totp-replace', entityType: 'staff_user', entityId: row.id, at: now });
		return { kind: 'ok', recoveryCodes: confirmed.recoveryCodes };
	});
}

// --- Password change ------------------------------------------------------------------------

export type PasswordChangeResult =
	| { kind: 'ok'; otherSessionsEnded: number }
	| { kind: 'wrong-password' }
	| { kind: 'locked'; until: Temporal.Instant }
	| { kind: 'not-found' };

/**
 * A new password (its rules: forms/staff-auth.ts, checked by the caller), hashed with argon2id.
 * The staff member's other sessions end: whoever knew the old password is logged out.
 */
export async function changeStaffPassword(
	db: Db,
	input: { staffId: string; sessionId: string; currentPassword: string; newPassword: string; securityAt?: Temporal.Instant },
	now: Temporal.Instant
): Promise<PasswordChangeResult> {
	const sec = input.securityAt ?? now;
	const newHash = await hashPassword(input.newPassword);
	return db.transaction().execute(async (trx): Promise<PasswordChangeResult> => {
		const row = await findStaffUserByIdForUpdate(trx, input.staffId);
		if (!row || row.disabled_at) return { kind: 'not-found' };
		const locked = activeLock(failureState(row), sec);
		if (locked) return { kind: 'locked', until: locked };
		if (!(await verifyPassword(row.password_hash, input.currentPassword))) {
			const after = await recordFailure(trx, row, 'password', sec, now);
			return after.lockedUntil ? { kind: 'locked', until: after.lockedUntil } : { kind: 'wrong-password' };
		}
		await updateStaffPasswordHash(trx, row.id, newHash, toDate(now));
		await updateStaffLoginFailures(trx, row.id, 0, null);
		const otherSessionsEnded = await deleteOtherStaffSessions(trx, row.id, input.sessionId);
		await appendAudit(trx, {
			actor: staffActor(row),
			action: 'staff.password-change',
			entityType: 'staff_user',
			entityId: row.id,
			after: { otherSessionsEnded },
			at: now
		});
		return { kind: 'ok', otherSessionsEnded };
	});
}

/** The staff member of a session waiting for the second factor (for the login pages), or null. */
export async function findPendingLogin(db: Db, sessionId: string): Promise<{ staffId: string; enrolled: boolean } | null> {
	const session = await findSessionStaff(db, sessionId);
	if (!session || session.two_factor_verified) return null;
	const row = await findStaffUserById(db, session.staff_id);
	return row && !row.disabled_at ? { staffId: row.id, enrolled: row.totp_enrolled_at !== null } : null;
}
