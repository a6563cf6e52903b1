/**
 * Staff login (issue 5): a username and an argon2id-hashed password, then a second factor
 * (TOTP, enrolled at the first login, or a single-use recovery code). Each step is one
 * transaction that checks, changes the account, rotates the session and writes the audit entry.
 *
 * - No user enumeration: an unknown username and a wrong password get the same answer after
 *   the same work (a dummy argon2 verification), and unknown usernames are throttled too.
 * - Throttling (login-throttle.ts, issue 19): failed attempts (password, code or recovery code)
 *   slow down the (username, client address) they came from; only failures from many addresses
 *   lock the account for everyone. The state is in PostgreSQL (staff_login_throttle,
 *   staff_login_lock), read and written in the attempt's transaction. A disabled account never
 *   logs in.
 * - Session rotation: a new session after the password (second factor pending), and another
 *   new one once the second factor passes; the previous session ends in the same transaction.
 * - Two instants: `now` (the request's clock: sessions, audit entries) and `input.securityAt`
 *   (default `now`) for what runs on real time: the authenticator's 30-second steps and the
 *   throttle (staff-routes.ts securityInstant).
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
	updateStaffPasswordHash,
	useStaffRecoveryCode,
	useStaffTotpStep,
	type StaffLoginRow
} from '../db/queries/staff-users';
import type { StaffRole } from '../db/schema';
import { appendAudit, type Actor } from '../services/audit';
import { deleteLoginFailures, findLoginThrottle, lockLoginUsername, saveLoginFailure, saveLoginLock } from '../db/queries/login-throttle';
import { afterFailure, clientAddressKey, STAFF_LOGIN_THROTTLE, throttleVerdict, type AddressFailures } from './login-throttle';
import { hashPassword, verifyPassword } from './password';
import { createSession } from './session';
import { generateRecoveryCodes, generateTotpKey, hashRecoveryCode, normalizeRecoveryCode, verifyTotp } from './totp';

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

const SYSTEM: Actor = { kind: 'system' };

function staffActor(row: Pick<StaffLoginRow, 'id' | 'office_id'>): Actor {
	return { kind: 'staff', id: row.id, officeId: row.office_id };
}

type FailureKind = 'password' | 'totp' | 'recovery-code' | 'totp-replayed';

/** Why an attempt was refused without being checked: this address waits, or everyone does. */
export type Held = { kind: 'throttled'; until: Temporal.Instant } | { kind: 'locked'; until: Temporal.Instant };

/** An attempt's throttle: the username's state, read under its lock, and the client address's key. */
interface Attempt {
	username: string;
	address: string;
	rows: AddressFailures[];
	lockedUntil: Temporal.Instant | null;
	securityAt: Temporal.Instant;
	now: Temporal.Instant;
}

/**
 * Locks the username for this transaction and reads its throttle; `held` when this address
 * (or everyone) must wait, in which case nothing is checked and nothing counted.
 */
async function beginAttempt(trx: Trx, username: string, clientAddress: string, securityAt: Temporal.Instant, now: Temporal.Instant): Promise<{ attempt: Attempt; held: Held | null }> {
	await lockLoginUsername(trx, username);
	const state = await findLoginThrottle(trx, username);
	const attempt: Attempt = {
		username,
		address: clientAddressKey(clientAddress),
		rows: state.rows.map((r) => ({ address: r.address, failures: r.failures, lastFailureAt: fromDate(r.last_failure_at) })),
		lockedUntil: state.lockedUntil ? fromDate(state.lockedUntil) : null,
		securityAt,
		now
	};
	const verdict = throttleVerdict(attempt.rows, attempt.lockedUntil, attempt.address, securityAt);
	return { attempt, held: verdict.kind === 'allowed' ? null : verdict };
}

/**
 * Counts a failed attempt against (username, address), locking the username for everyone if
 * failures from many addresses reach the threshold. Audited for a real account (without the
 * password, and with the addresses only when it locks). Returns the wait it set, if any.
 */
async function recordFailure(trx: Trx, attempt: Attempt, account: StaffLoginRow | null, kind: FailureKind): Promise<Held | null> {
	const outcome = afterFailure(attempt.rows, attempt.address, attempt.securityAt);
	const forgetBefore = attempt.securityAt.subtract({ seconds: STAFF_LOGIN_THROTTLE.forgetAfterSeconds });
	await saveLoginFailure(trx, attempt.username, { address: outcome.row.address, failures: outcome.row.failures, last_failure_at: toDate(outcome.row.lastFailureAt) }, toDate(forgetBefore));
	if (outcome.lock) {
		await saveLoginLock(trx, attempt.username, {
			lockedAt: toDate(attempt.securityAt),
			lockedUntil: toDate(outcome.lock.until),
			failures: outcome.lock.failures,
			addresses: outcome.lock.addresses
		});
	}
	if (account) {
		await appendAudit(trx, {
			actor: SYSTEM,
			action: outcome.lock ? 'staff.login-locked' : 'staff.login-failed',
			entityType: 'staff_user',
			entityId: account.id,
			officeId: account.office_id,
			after: {
				failure: kind,
				failuresFromAddress: outcome.row.failures,
				retryAt: outcome.retryAt.toString(),
				...(outcome.lock ? { lockedUntil: outcome.lock.until.toString(), failures: outcome.lock.failures, addresses: outcome.lock.addresses } : {})
			},
			at: attempt.now
		});
	}
	if (outcome.lock) return { kind: 'locked', until: outcome.lock.until };
	return Temporal.Instant.compare(outcome.retryAt, attempt.securityAt) > 0 ? { kind: 'throttled', until: outcome.retryAt } : null;
}

/** A login that passed: this address's failures are forgotten (another address's stay). */
async function forgetFailures(trx: Trx, attempt: Attempt): Promise<void> {
	await deleteLoginFailures(trx, attempt.username, attempt.address);
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
	/** This address waits (too many failures from it), or everyone does (from many addresses). */
	| Held
	/** The right password for an account that an administrator has disabled. */
	| { kind: 'disabled' };

export async function loginWithPassword(
	db: Db,
	input: { username: string; password: string; clientAddress: string; previousSessionId: string | null; securityAt?: Temporal.Instant },
	now: Temporal.Instant
): Promise<PasswordStepResult> {
	const username = input.username.trim().toLowerCase();
	const sec = input.securityAt ?? now;
	return db.transaction().execute(async (trx): Promise<PasswordStepResult> => {
		const row = await findStaffUserByUsernameForUpdate(trx, username);
		const { attempt, held } = await beginAttempt(trx, username, input.clientAddress, sec, now);
		// A held attempt is not even checked, for an unknown username as for a real one.
		if (held) return held;
		const right = row ? await verifyPassword(row.password_hash, input.password) : (await verifyAgainstDummy(input.password), false);
		if (!row || !right) return (await recordFailure(trx, attempt, row ?? null, 'password')) ?? { kind: 'invalid' };
		if (row.disabled_at) return { kind: 'disabled' };
		if (await needsRehash(row.password_hash)) {
			await updateStaffPasswordHash(trx, row.id, await hashPassword(input.password), null);
		}
		// The address's failures are forgotten only once the second factor passes too.
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
	| Held
	/** No session waiting for a second factor (ended, expired, or already verified). */
	| { kind: 'no-login' }
	/** The account has no confirmed app yet: enrolment first. */
	| { kind: 'not-enrolled' };

async function completeLogin(trx: Trx, row: StaffLoginRow, attempt: Attempt, sessionId: string, method: 'totp' | 'recovery-code', now: Temporal.Instant) {
	await forgetFailures(trx, attempt);
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
	input: { sessionId: string; code: string; clientAddress: string; securityAt?: Temporal.Instant },
	now: Temporal.Instant
): Promise<SecondFactorResult> {
	return db.transaction().execute(async (trx): Promise<SecondFactorResult> => {
		const row = await pendingStaff(trx, input.sessionId);
		if (!row) return { kind: 'no-login' };
		if (!row.totp_enrolled_at || !row.totp_key) return { kind: 'not-enrolled' };
		const sec = input.securityAt ?? now;
		const { attempt, held } = await beginAttempt(trx, row.username, input.clientAddress, sec, now);
		if (held) return held;
		const lastUsed = row.totp_last_used_step === null ? null : Number(row.totp_last_used_step);
		const check = verifyTotp(new Uint8Array(row.totp_key), input.code, sec, lastUsed);
		// The conditional update is what makes a code single-use when two logins race.
		if (!check.ok || !(await useStaffTotpStep(trx, row.id, check.step))) {
			const replayed = check.ok || check.reason === 'replayed';
			return (await recordFailure(trx, attempt, row, replayed ? 'totp-replayed' : 'totp')) ?? { kind: replayed ? 'replayed' : 'invalid' };
		}
		const session = await completeLogin(trx, row, attempt, input.sessionId, 'totp', now);
		return { kind: 'ok', session, role: row.role, mustChangePassword: row.must_change_password, recoveryCodesLeft: null };
	});
}

/** A recovery code instead of the app's code; each works once. */
export async function verifyLoginRecoveryCode(
	db: Db,
	input: { sessionId: string; code: string; clientAddress: string; securityAt?: Temporal.Instant },
	now: Temporal.Instant
): Promise<SecondFactorResult> {
	return db.transaction().execute(async (trx): Promise<SecondFactorResult> => {
		const row = await pendingStaff(trx, input.sessionId);
		if (!row) return { kind: 'no-login' };
		if (!row.totp_enrolled_at) return { kind: 'not-enrolled' };
		const sec = input.securityAt ?? now;
		const { attempt, held } = await beginAttempt(trx, row.username, input.clientAddress, sec, now);
		if (held) return held;
		const normalized = normalizeRecoveryCode(input.code);
		if (!normalized || !(await useStaffRecoveryCode(trx, row.id, hashRecoveryCode(normalized), toDate(now)))) {
			return (await recordFailure(trx, attempt, row, 'recovery-code')) ?? { kind: 'invalid' };
		}
		const session = await completeLogin(trx, row, attempt, input.sessionId, 'recovery-code', now);
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
	| Held
	| { kind: 'no-login' }
	| { kind: 'already-enrolled' };

async function confirmKey(
	trx: Trx,
	row: StaffLoginRow,
	attempt: Attempt,
	code: string
): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false; held: Held | null }> {
	const key = row.totp_pending_key ? new Uint8Array(row.totp_pending_key) : null;
	// A new key has had no codes used yet; the stored step only ever moves forward (confirmStaffTotpKey).
	const check = key ? verifyTotp(key, code, attempt.securityAt, null) : null;
	if (!key || !check?.ok || !(await confirmStaffTotpKey(trx, row.id, key, check.step, toDate(attempt.now)))) {
		return { ok: false, held: await recordFailure(trx, attempt, row, 'totp') };
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
	input: { sessionId: string; code: string; clientAddress: string; securityAt?: Temporal.Instant },
	now: Temporal.Instant
): Promise<EnrolmentResult> {
	return db.transaction().execute(async (trx): Promise<EnrolmentResult> => {
		const row = await pendingStaff(trx, input.sessionId);
		if (!row) return { kind: 'no-login' };
		if (row.totp_enrolled_at) return { kind: 'already-enrolled' };
		const { attempt, held } = await beginAttempt(trx, row.username, input.clientAddress, input.securityAt ?? now, now);
		if (held) return held;
		const confirmed = await confirmKey(trx, row, attempt, input.code);
		if (!confirmed.ok) return confirmed.held ?? { kind: 'invalid' };
		await appendAudit(trx, { actor: staffActor(row), action: 'staff.totp-enrol', entityType: 'staff_user', entityId: row.id, at: now });
		const session = await completeLogin(trx, row, attempt, input.sessionId, 'totp', now);
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
	| Held
	| { kind: 'not-found' };

/**
 * Replaces the app: the current password and a code from the new app, so that an unattended
 * session alone cannot move the second factor to someone else's phone. New recovery codes
 * replace the old ones.
 */
export async function confirmTotpReenrolment(
	db: Db,
	input: { staffId: string; currentPassword: string; code: string; clientAddress: string; securityAt?: Temporal.Instant },
	now: Temporal.Instant
): Promise<ReenrolmentResult> {
	return db.transaction().execute(async (trx): Promise<ReenrolmentResult> => {
		const row = await findStaffUserByIdForUpdate(trx, input.staffId);
		if (!row || row.disabled_at) return { kind: 'not-found' };
		const { attempt, held } = await beginAttempt(trx, row.username, input.clientAddress, input.securityAt ?? now, now);
		if (held) return held;
		if (!(await verifyPassword(row.password_hash, input.currentPassword))) {
			return (await recordFailure(trx, attempt, row, 'password')) ?? { kind: 'wrong-password' };
		}
		const confirmed = await confirmKey(trx, row, attempt, input.code);
		if (!confirmed.ok) return confirmed.held ?? { kind: 'invalid' };
		await forgetFailures(trx, attempt);
		await appendAudit(trx, { actor: staffActor(row), action: 'staff.totp-replace', entityType: 'staff_user', entityId: row.id, at: now });
		return { kind: 'ok', recoveryCodes: confirmed.recoveryCodes };
	});
}

// --- Password change ------------------------------------------------------------------------

export type PasswordChangeResult =
	| { kind: 'ok'; otherSessionsEnded: number }
	| { kind: 'wrong-password' }
	| Held
	| { kind: 'not-found' };

/**
 * A new password (its rules: forms/staff-auth.ts, checked by the caller), hashed with argon2id.
 * The staff member's other sessions end: whoever knew the old password is logged out.
 */
export async function changeStaffPassword(
	db: Db,
	input: { staffId: string; sessionId: string; currentPassword: string; newPassword: string; clientAddress: string; securityAt?: Temporal.Instant },
	now: Temporal.Instant
): Promise<PasswordChangeResult> {
	const newHash = await hashPassword(input.newPassword);
	return db.transaction().execute(async (trx): Promise<PasswordChangeResult> => {
		const row = await findStaffUserByIdForUpdate(trx, input.staffId);
		if (!row || row.disabled_at) return { kind: 'not-found' };
		const { attempt, held } = await beginAttempt(trx, row.username, input.clientAddress, input.securityAt ?? now, now);
		if (held) return held;
		if (!(await verifyPassword(row.password_hash, input.currentPassword))) {
			return (await recordFailure(trx, attempt, row, 'password')) ?? { kind: 'wrong-password' };
		}
		await updateStaffPasswordHash(trx, row.id, newHash, toDate(now));
		await forgetFailures(trx, attempt);
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

// --- Signing ---------------------------------------------------------------------------------

export type SignatureCheck = 'ok' | 'invalid' | 'replayed' | 'not-enrolled';

/**
 * Issue 17: a code from the authenticator app typed again to sign a record (the chair's
 * signature of the result). Like a login's code, each 30-second step works once; the caller
 * runs it inside the transaction that writes what is signed, so a refused code signs nothing.
 */
export async function verifyStaffSignature(trx: Trx, input: { staffId: string; code: string }, now: Temporal.Instant): Promise<SignatureCheck> {
	const row = await findStaffUserByIdForUpdate(trx, input.staffId);
	if (!row || row.disabled_at || !row.totp_enrolled_at || !row.totp_key) return 'not-enrolled';
	const lastUsed = row.totp_last_used_step === null ? null : Number(row.totp_last_used_step);
	const check = verifyTotp(new Uint8Array(row.totp_key), input.code, now, lastUsed);
	if (!check.ok) return check.reason;
	return (await useStaffTotpStep(trx, row.id, check.step)) ? 'ok' : 'replayed';
}
