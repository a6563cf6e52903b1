/**
 * Staff accounts in the administration (issue 7): create, assign role and office, disable and
 * enable, reset the second factor, set a temporary password, lift a login lock (issue 19). Every change is audited (who,
 * when, what, before and after; never a password) in the transaction that makes it, and ends
 * the person's sessions where the change should take effect at once.
 *
 * An administrator changes other people's accounts only: their own password and app are
 * changed on /urad/heslo, and nobody can disable or demote themselves out of the workspace.
 */
import type { Temporal } from 'temporal-polyfill';
import { hashPassword } from '../auth/password';
import { toDate } from '../clock';
import { isUniqueViolation } from '../db/errors';
import type { Db } from '../db/index';
import {
	clearStaffSecondFactor,
	deleteStaffRecoveryCodes,
	findAdminStaffById,
	findOfficeKindById,
	findStaffIdByUsername,
	insertStaffUser,
	listAdminStaff,
	updateStaffDisabled,
	updateStaffEnabled,
	updateStaffRoleAndOffice,
	updateStaffTemporaryPassword,
	type AdminStaffRow
} from '../db/queries/admin';
import { deleteSessionsOfStaff } from '../db/queries/sessions';
import {
	clearLoginThrottle,
	listActiveLoginLocks,
	listLoginThrottleAddresses,
	lockLoginUsername,
	type LoginThrottleRow,
	type StaffLoginLockRow
} from '../db/queries/login-throttle';
import { STAFF_LOGIN_THROTTLE } from '../auth/login-throttle';
import type { OfficeKind, StaffRole } from '../db/schema';
import { isAdministrator } from './admin-elections';
import { appendAudit } from './audit';
import { isUuid } from './requests';
import type { StaffActor } from './staff-actor';

export const STAFF_ROLES: readonly StaffRole[] = [
	'municipal-clerk',
	'embassy-clerk',
	'embassy-head',
	'commission-member',
	'commission-chair',
	'administrator'
];

/**
 * The kind of office each role works for: a municipal office keeps its voter list; the
 * embassy's staff and its special commission (§19) work at the embassy. The administrator
 * is bound to none (staff_user CHECK).
 */
export function officeKindForRole(role: StaffRole): OfficeKind | null {
	switch (role) {
		case 'municipal-clerk':
			return 'municipal';
		case 'embassy-clerk':
		case 'embassy-head':
		case 'commission-member':
		case 'commission-chair':
			return 'embassy';
		case 'administrator':
			return null;
	}
}

/** The same rule as the staff_user table's CHECK on usernames. */
const USERNAME = /^[a-z0-9._-]{3,64}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type StaffFormField = 'username' | 'displayName' | 'email' | 'role' | 'officeId';

export type StaffFormError = 'required' | 'too-long' | 'invalid-characters' | 'username-format' | 'username-taken' | 'email-format' | 'role-unknown' | 'office-required' | 'office-wrong-kind' | 'office-not-allowed';

export type StaffFormErrors = Partial<Record<StaffFormField, StaffFormError>>;

export interface StaffAccountInput {
	displayName: string;
	email: string | null;
	role: StaffRole | null;
	/** Required for every role but the administrator, who has none. */
	officeId: string | null;
}

async function checkAccount(db: Db, input: StaffAccountInput): Promise<StaffFormErrors> {
	const errors: StaffFormErrors = {};
	if (!input.displayName) errors.displayName = 'required';
	else if (input.displayName.length > 200) errors.displayName = 'too-long';
	if (input.email !== null && (input.email.length > 254 || !EMAIL.test(input.email))) errors.email = 'email-format';
	if (!input.role) errors.role = 'required';
	else if (!STAFF_ROLES.includes(input.role)) errors.role = 'role-unknown';
	else {
		const kind = officeKindForRole(input.role);
		if (kind === null) {
			if (input.officeId) errors.officeId = 'office-not-allowed';
		} else if (!input.officeId) {
			errors.officeId = 'office-required';
		} else {
			const actual = isUuid(input.officeId) ? await findOfficeKindById(db, input.officeId) : undefined;
			if (!actual) errors.officeId = 'office-required';
			else if (actual !== kind) errors.officeId = 'office-wrong-kind';
		}
	}
	return errors;
}

const has = (errors: object) => Object.keys(errors).length > 0;

/** Letters and digits that no one misreads (no 0/O, 1/l/I), in four groups: "k7mq-…". */
const TEMPORARY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A temporary password of 16 random symbols (about 79 bits), to be changed at the next login. */
export function generateTemporaryPassword(): string {
	const out: string[] = [];
	const limit = 256 - (256 % TEMPORARY_ALPHABET.length);
	while (out.length < 16) {
		for (const byte of crypto.getRandomValues(new Uint8Array(32))) {
			// Rejection sampling: every symbol equally likely.
			if (byte < limit && out.length < 16) out.push(TEMPORARY_ALPHABET[byte % TEMPORARY_ALPHABET.length]!);
		}
	}
	return [0, 4, 8, 12].map((i) => out.slice(i, i + 4).join('')).join('-');
}

export type CreateStaffResult =
	| { kind: 'ok'; id: string; temporaryPassword: string }
	| { kind: 'invalid'; errors: StaffFormErrors }
	| { kind: 'forbidden' };

/**
 * A new account with a temporary password, shown to the administrator once; the person
 * changes it at the first login and sets up their authenticator app then.
 */
export async function createStaffUser(
	db: Db,
	input: StaffAccountInput & { username: string },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<CreateStaffResult> {
	if (!isAdministrator(actor)) return { kind: 'forbidden' };
	const username = input.username.trim().toLowerCase();
	const errors = await checkAccount(db, input);
	if (!username) errors.username = 'required';
	else if (!USERNAME.test(username)) errors.username = 'username-format';
	else if (await findStaffIdByUsername(db, username)) errors.username = 'username-taken';
	if (has(errors)) return { kind: 'invalid', errors };

	const temporaryPassword = generateTemporaryPassword();
	const passwordHash = await hashPassword(temporaryPassword);
	try {
		return await db.transaction().execute(async (trx) => {
			const row = { username, display_name: input.displayName, email: input.email, role: input.role!, office_id: input.officeId, password_hash: passwordHash };
			const id = await insertStaffUser(trx, row);
			await appendAudit(trx, {
				actor,
				action: 'staff.create',
				entityType: 'staff_user',
				entityId: id,
				officeId: input.officeId,
				after: { username, role: row.role, officeId: row.office_id, mustChangePassword: true },
				at: now
			});
			return { kind: 'ok' as const, id, temporaryPassword };
		});
	} catch (error) {
		// Two administrators creating the same username at the same moment: the second is told.
		if (isUniqueViolation(error)) return { kind: 'invalid', errors: { username: 'username-taken' } };
		throw error;
	}
}

export type StaffChangeResult =
	| { kind: 'ok' }
	| { kind: 'invalid'; errors: StaffFormErrors }
	| { kind: 'not-found' }
	/** The account is not in the state the administrator saw (someone else changed it meanwhile). */
	| { kind: 'changed-meanwhile' }
	/** The change is already in force (e.g. disabling a disabled account). */
	| { kind: 'already'; disabled: boolean }
	/** An administrator's own account: changed on their own pages, never disabled or demoted here. */
	| { kind: 'self' }
	| { kind: 'forbidden' };

/**
 * A new role and office (and name and e-mail). Written only if the account still has the
 * role and office the administrator saw; the person's sessions end, so that the next login
 * starts in the new role.
 */
export async function updateStaffAccount(
	db: Db,
	input: StaffAccountInput & { id: string; expectedRole: StaffRole; expectedOfficeId: string | null },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<StaffChangeResult> {
	if (!isAdministrator(actor)) return { kind: 'forbidden' };
	if (!isUuid(input.id)) return { kind: 'not-found' };
	if (input.id === actor.id) return { kind: 'self' };
	const errors = await checkAccount(db, input);
	if (has(errors)) return { kind: 'invalid', errors };
	return db.transaction().execute(async (trx): Promise<StaffChangeResult> => {
		const before = await findAdminStaffById(trx, input.id);
		if (!before) return { kind: 'not-found' };
		const written = await updateStaffRoleAndOffice(
			trx,
			input.id,
			{ role: input.expectedRole, officeId: input.expectedOfficeId },
			{ role: input.role!, officeId: input.officeId, displayName: input.displayName, email: input.email }
		);
		if (!written) return { kind: 'changed-meanwhile' };
		const roleOrOfficeChanged = before.role !== input.role || before.office_id !== input.officeId;
		const sessionsEnded = roleOrOfficeChanged ? await deleteSessionsOfStaff(trx, input.id) : 0;
		await appendAudit(trx, {
			actor,
			action: 'staff.update',
			entityType: 'staff_user',
			entityId: input.id,
			officeId: input.officeId ?? before.office_id,
			before: { role: before.role, officeId: before.office_id },
			after: { role: input.role, officeId: input.officeId, displayNameChanged: before.display_name !== input.displayName, sessionsEnded },
			at: now
		});
		return { kind: 'ok' };
	});
}

/** Disables an account: the person can no longer log in, and their sessions end. Never one's own. */
export async function disableStaffUser(db: Db, input: { id: string }, actor: StaffActor, now: Temporal.Instant): Promise<StaffChangeResult> {
	if (!isAdministrator(actor)) return { kind: 'forbidden' };
	if (!isUuid(input.id)) return { kind: 'not-found' };
	if (input.id === actor.id) return { kind: 'self' };
	return db.transaction().execute(async (trx): Promise<StaffChangeResult> => {
		const before = await findAdminStaffById(trx, input.id);
		if (!before) return { kind: 'not-found' };
		// Conditional: of two administrators disabling at once, one does it and the other is told.
		if (!(await updateStaffDisabled(trx, input.id, toDate(now)))) return { kind: 'already', disabled: true };
		const sessionsEnded = await deleteSessionsOfStaff(trx, input.id);
		await appendAudit(trx, {
			actor,
			action: 'staff.disable',
			entityType: 'staff_user',
			entityId: input.id,
			officeId: before.office_id,
			before: { disabled: false },
			after: { disabled: true, sessionsEnded },
			at: now
		});
		return { kind: 'ok' };
	});
}

export async function enableStaffUser(db: Db, input: { id: string }, actor: StaffActor, now: Temporal.Instant): Promise<StaffChangeResult> {
	if (!isAdministrator(actor)) return { kind: 'forbidden' };
	if (!isUuid(input.id)) return { kind: 'not-found' };
	if (input.id === actor.id) return { kind: 'self' };
	return db.transaction().execute(async (trx): Promise<StaffChangeResult> => {
		const before = await findAdminStaffById(trx, input.id);
		if (!before) return { kind: 'not-found' };
		if (!(await updateStaffEnabled(trx, input.id))) return { kind: 'already', disabled: false };
		await appendAudit(trx, {
			actor,
			action: 'staff.enable',
			entityType: 'staff_user',
			entityId: input.id,
			officeId: before.office_id,
			before: { disabled: true },
			after: { disabled: false },
			at: now
		});
		return { kind: 'ok' };
	});
}

/**
 * Forgets the person's authenticator app and recovery codes (a lost phone): at the next login
 * they set up an app again. Their sessions end.
 */
export async function resetStaffSecondFactor(db: Db, input: { id: string }, actor: StaffActor, now: Temporal.Instant): Promise<StaffChangeResult> {
	if (!isAdministrator(actor)) return { kind: 'forbidden' };
	if (!isUuid(input.id)) return { kind: 'not-found' };
	if (input.id === actor.id) return { kind: 'self' };
	return db.transaction().execute(async (trx): Promise<StaffChangeResult> => {
		const before = await findAdminStaffById(trx, input.id);
		if (!before || !(await clearStaffSecondFactor(trx, input.id))) return { kind: 'not-found' };
		const recoveryCodesDeleted = await deleteStaffRecoveryCodes(trx, input.id);
		const sessionsEnded = await deleteSessionsOfStaff(trx, input.id);
		await appendAudit(trx, {
			actor,
			action: 'staff.reset-second-factor',
			entityType: 'staff_user',
			entityId: input.id,
			officeId: before.office_id,
			before: { enrolled: before.totp_enrolled_at !== null },
			after: { enrolled: false, recoveryCodesDeleted, sessionsEnded },
			at: now
		});
		return { kind: 'ok' };
	});
}

export type TemporaryPasswordResult = { kind: 'ok'; temporaryPassword: string } | Exclude<StaffChangeResult, { kind: 'ok' }>;

/** A new temporary password, shown once; it must be changed at the next login. Sessions end. */
export async function setStaffTemporaryPassword(db: Db, input: { id: string }, actor: StaffActor, now: Temporal.Instant): Promise<TemporaryPasswordResult> {
	if (!isAdministrator(actor)) return { kind: 'forbidden' };
	if (!isUuid(input.id)) return { kind: 'not-found' };
	if (input.id === actor.id) return { kind: 'self' };
	const temporaryPassword = generateTemporaryPassword();
	const passwordHash = await hashPassword(temporaryPassword);
	return db.transaction().execute(async (trx): Promise<TemporaryPasswordResult> => {
		const before = await findAdminStaffById(trx, input.id);
		if (!before || !(await updateStaffTemporaryPassword(trx, input.id, passwordHash))) return { kind: 'not-found' };
		const sessionsEnded = await deleteSessionsOfStaff(trx, input.id);
		// The person is to log in with it: a lock or a throttle must not stand in the way.
		const cleared = await clearLoginThrottle(trx, before.username);
		await appendAudit(trx, {
			actor,
			action: 'staff.temporary-password',
			entityType: 'staff_user',
			entityId: input.id,
			officeId: before.office_id,
			before: { mustChangePassword: before.must_change_password },
			after: { mustChangePassword: true, sessionsEnded, loginLockLifted: cleared.lockedUntil !== null, throttledAddressesCleared: cleared.addresses },
			at: now
		});
		return { kind: 'ok', temporaryPassword };
	});
}

export type UnlockResult =
	| { kind: 'ok'; lockLifted: boolean; addressesCleared: number }
	/** Neither locked nor throttled from any address: nothing to do. */
	| { kind: 'not-locked' }
	| { kind: 'not-found' }
	| { kind: 'self' }
	| { kind: 'forbidden' };

/**
 * Lifts a staff account's login lock for everyone and forgets every address's failed attempts
 * (auth/login-throttle.ts), so that the person can log in at once from anywhere. Audited with
 * what was lifted. The addresses that were guessing start again from their free attempts.
 */
export async function unlockStaffLogin(db: Db, input: { id: string }, actor: StaffActor, now: Temporal.Instant): Promise<UnlockResult> {
	if (!isAdministrator(actor)) return { kind: 'forbidden' };
	if (!isUuid(input.id)) return { kind: 'not-found' };
	if (input.id === actor.id) return { kind: 'self' };
	return db.transaction().execute(async (trx): Promise<UnlockResult> => {
		const before = await findAdminStaffById(trx, input.id);
		if (!before) return { kind: 'not-found' };
		// The login steps' lock on the username: an attempt in flight is counted before or after, never lost.
		await lockLoginUsername(trx, before.username);
		const cleared = await clearLoginThrottle(trx, before.username);
		if (cleared.lockedUntil === null && cleared.addresses === 0) return { kind: 'not-locked' };
		await appendAudit(trx, {
			actor,
			action: 'staff.login-unlock',
			entityType: 'staff_user',
			entityId: input.id,
			officeId: before.office_id,
			before: { lockedUntil: cleared.lockedUntil?.toISOString() ?? null, throttledAddresses: cleared.addresses },
			after: { lockedUntil: null, throttledAddresses: 0 },
			at: now
		});
		return { kind: 'ok', lockLifted: cleared.lockedUntil !== null, addressesCleared: cleared.addresses };
	});
}

// --- What the pages show ----------------------------------------------------------------------

export async function listStaffForAdmin(db: Db, actor: StaffActor): Promise<AdminStaffRow[] | null> {
	return isAdministrator(actor) ? listAdminStaff(db) : null;
}

export async function getStaffForAdmin(db: Db, actor: StaffActor, id: string): Promise<AdminStaffRow | null> {
	if (!isAdministrator(actor) || !isUuid(id)) return null;
	return (await findAdminStaffById(db, id)) ?? null;
}

/** The staff accounts locked for everyone at `securityAt`, for the administrator's dashboard (who, from where, when). */
export async function listStaffLoginLocks(db: Db, actor: StaffActor, securityAt: Temporal.Instant): Promise<StaffLoginLockRow[] | null> {
	return isAdministrator(actor) ? listActiveLoginLocks(db, toDate(securityAt)) : null;
}

/** The addresses an account's login is throttled from (failures remembered at `securityAt`), for its admin page. */
export async function listStaffLoginThrottle(db: Db, actor: StaffActor, username: string, securityAt: Temporal.Instant): Promise<LoginThrottleRow[] | null> {
	if (!isAdministrator(actor)) return null;
	return listLoginThrottleAddresses(db, username, toDate(securityAt.subtract({ seconds: STAFF_LOGIN_THROTTLE.forgetAfterSeconds })));
}
