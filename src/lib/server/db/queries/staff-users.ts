import { timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { DbOrTrx } from '../index';
import type { StaffRole } from '../schema';
import { decryptTotpSecret, encryptTotpSecret, needsReencryption } from '../../auth/totp-crypto';

/** What staff login needs of a staff account. */
export interface StaffLoginRow {
	id: string;
	username: string;
	display_name: string;
	role: StaffRole;
	office_id: string | null;
	password_hash: string;
	totp_key: Uint8Array | null;
	totp_pending_key: Uint8Array | null;
	totp_enrolled_at: Date | null;
	totp_last_used_step: string | null;
	must_change_password: boolean;
	disabled_at: Date | null;
}

const loginColumns = [
	'id',
	'username',
	'display_name',
	'role',
	'office_id',
	'password_hash',
	'totp_key',
	'totp_pending_key',
	'totp_enrolled_at',
	'totp_last_used_step',
	'must_change_password',
	'disabled_at'
] as const;

/** The authenticator keys are stored encrypted (auth/totp-crypto.ts); the row carries them in clear. */
function decrypted(row: StaffLoginRow | undefined): StaffLoginRow | undefined {
	if (!row) return row;
	return {
		...row,
		totp_key: row.totp_key && decryptTotpSecret(row.totp_key),
		totp_pending_key: row.totp_pending_key && decryptTotpSecret(row.totp_pending_key)
	};
}

/**
 * The account of a username, locked against concurrent logins until the transaction ends, so
 * that two wrong passwords at the same moment both count.
 */
export async function findStaffUserByUsernameForUpdate(db: DbOrTrx, username: string): Promise<StaffLoginRow | undefined> {
	return decrypted(await db.selectFrom('staff_user').select(loginColumns).where('username', '=', username).forUpdate().executeTakeFirst());
}

export async function findStaffUserByIdForUpdate(db: DbOrTrx, id: string): Promise<StaffLoginRow | undefined> {
	return decrypted(await db.selectFrom('staff_user').select(loginColumns).where('id', '=', id).forUpdate().executeTakeFirst());
}

export async function findStaffUserById(db: DbOrTrx, id: string): Promise<StaffLoginRow | undefined> {
	return decrypted(await db.selectFrom('staff_user').select(loginColumns).where('id', '=', id).executeTakeFirst());
}

/** The staff member a session belongs to, and whether it passed the second factor. */
export async function findSessionStaff(db: DbOrTrx, sessionId: string): Promise<{ staff_id: string; two_factor_verified: boolean } | undefined> {
	const row = await db
		.selectFrom('session')
		.select(['staff_id', 'two_factor_verified'])
		.where('id', '=', sessionId)
		.where('staff_id', 'is not', null)
		.executeTakeFirst();
	return row && row.staff_id ? { staff_id: row.staff_id, two_factor_verified: row.two_factor_verified } : undefined;
}

export async function updateStaffPasswordHash(db: DbOrTrx, id: string, passwordHash: string, changedAt: Date | null): Promise<void> {
	await db
		.updateTable('staff_user')
		.set(changedAt ? { password_hash: passwordHash, password_changed_at: changedAt, must_change_password: false } : { password_hash: passwordHash })
		.where('id', '=', id)
		.execute();
}

/** Stores a key to show while setting up an app, unless one is already waiting (two tabs show the same QR code). */
export async function setStaffPendingTotpKey(db: DbOrTrx, id: string, key: Uint8Array): Promise<Uint8Array | null> {
	await db.updateTable('staff_user').set({ totp_pending_key: encryptTotpSecret(key) }).where('id', '=', id).where('totp_pending_key', 'is', null).execute();
	const row = await db.selectFrom('staff_user').select('totp_pending_key').where('id', '=', id).executeTakeFirst();
	return row?.totp_pending_key ? decryptTotpSecret(row.totp_pending_key) : null;
}

/**
 * Makes the waiting key the account's key, with the step of the confirming code as used.
 * Conditional on the key still waiting, so that of two confirmations exactly one succeeds: the
 * waiting key is read under a row lock (it is stored encrypted with a random IV, so it cannot
 * be compared in SQL) and moved as stored.
 */
export async function confirmStaffTotpKey(db: DbOrTrx, id: string, key: Uint8Array, step: number, at: Date): Promise<boolean> {
	const waiting = await db.selectFrom('staff_user').select('totp_pending_key').where('id', '=', id).forUpdate().executeTakeFirst();
	if (!waiting?.totp_pending_key) return false;
	const clear = decryptTotpSecret(waiting.totp_pending_key);
	if (clear.length !== key.length || !timingSafeEqual(clear, key)) return false;
	const result = await db
		.updateTable('staff_user')
		.set({
			totp_key: waiting.totp_pending_key,
			totp_pending_key: null,
			totp_enrolled_at: at,
			// Never backwards: a step used with the previous app stays used.
			totp_last_used_step: sql<string>`GREATEST(coalesce(totp_last_used_step, ${step}), ${step})`
		})
		.where('id', '=', id)
		.where('totp_pending_key', '=', waiting.totp_pending_key)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/**
 * Records a code's step as used, only if it is later than the last one used: of two logins
 * with the same code, exactly one succeeds.
 */
export async function useStaffTotpStep(db: DbOrTrx, id: string, step: number): Promise<boolean> {
	const result = await db
		.updateTable('staff_user')
		.set({ totp_last_used_step: step })
		.where('id', '=', id)
		.where((eb) => eb.or([eb('totp_last_used_step', 'is', null), eb('totp_last_used_step', '<', String(step))]))
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** A new set of recovery codes replaces the old one: codes shown earlier stop working. */
export async function replaceStaffRecoveryCodes(db: DbOrTrx, staffId: string, codeHashes: Uint8Array[]): Promise<void> {
	await db.deleteFrom('staff_recovery_code').where('staff_id', '=', staffId).execute();
	if (codeHashes.length) {
		await db
			.insertInto('staff_recovery_code')
			.values(codeHashes.map((code_hash) => ({ staff_id: staffId, code_hash, used_at: null })))
			.execute();
	}
}

/** Uses a recovery code once: true only for the one call that marks an unused code used. */
export async function useStaffRecoveryCode(db: DbOrTrx, staffId: string, codeHash: Uint8Array, at: Date): Promise<boolean> {
	const result = await db
		.updateTable('staff_recovery_code')
		.set({ used_at: at })
		.where('staff_id', '=', staffId)
		.where('code_hash', '=', codeHash)
		.where('used_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

export async function countUnusedStaffRecoveryCodes(db: DbOrTrx, staffId: string): Promise<number> {
	const row = await db
		.selectFrom('staff_recovery_code')
		.select((eb) => eb.fn.countAll<string>().as('n'))
		.where('staff_id', '=', staffId)
		.where('used_at', 'is', null)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Ends the staff member's other sessions (after a password change), keeping the current one. */
export async function deleteOtherStaffSessions(db: DbOrTrx, staffId: string, keepSessionId: string): Promise<number> {
	const result = await db.deleteFrom('session').where('staff_id', '=', staffId).where('id', '<>', keepSessionId).executeTakeFirst();
	return Number(result.numDeletedRows);
}

/**
 * After a key rotation: every authenticator key still under TOTP_ENCRYPTION_KEY_PREVIOUS is
 * rewritten under TOTP_ENCRYPTION_KEY. Returns how many accounts were rewritten.
 */
export async function reencryptTotpSecrets(db: DbOrTrx): Promise<number> {
	const rows = await db
		.selectFrom('staff_user')
		.select(['id', 'totp_key', 'totp_pending_key'])
		.where((eb) => eb.or([eb('totp_key', 'is not', null), eb('totp_pending_key', 'is not', null)]))
		.execute();
	let rewritten = 0;
	for (const row of rows) {
		const stale = [row.totp_key, row.totp_pending_key].some((v) => v && needsReencryption(v));
		if (!stale) continue;
		const again = (v: Uint8Array | null) => v && encryptTotpSecret(decryptTotpSecret(v));
		const update = db.updateTable('staff_user').set({ totp_key: again(row.totp_key), totp_pending_key: again(row.totp_pending_key) }).where('id', '=', row.id);
		// Only if nobody changed the keys in between (an enrolment, a reset).
		const guarded = update
			.where(sql<boolean>`totp_key IS NOT DISTINCT FROM ${row.totp_key}`)
			.where(sql<boolean>`totp_pending_key IS NOT DISTINCT FROM ${row.totp_pending_key}`);
		rewritten += Number((await guarded.executeTakeFirst()).numUpdatedRows);
	}
	return rewritten;
}
