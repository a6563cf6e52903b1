/**
 * Failed staff logins per (username, client address) and the locks for everyone (migration
 * 0011; the rule: auth/login-throttle.ts). Keyed by the username typed, so that an unknown
 * username is throttled like a real one.
 */
import { sql } from 'kysely';
import type { DbOrTrx } from '../index';

export interface LoginThrottleRow {
	address: string;
	failures: number;
	last_failure_at: Date;
}

/**
 * Serialises, until the transaction ends, every login attempt on one username (also one with
 * no account, which has no row to lock): concurrent failures are all counted. Taken after the
 * account's row lock, never before it, so that the login steps lock in one order.
 */
export async function lockLoginUsername(db: DbOrTrx, username: string): Promise<void> {
	await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`staff-login:${username}`}, 0))`.execute(db);
}

/** The username's failures per address, and the end of its lock for everyone (if any, even run out). */
export async function findLoginThrottle(db: DbOrTrx, username: string): Promise<{ rows: LoginThrottleRow[]; lockedUntil: Date | null }> {
	const rows = await db.selectFrom('staff_login_throttle').select(['address', 'failures', 'last_failure_at']).where('username', '=', username).execute();
	const lock = await db.selectFrom('staff_login_lock').select('locked_until').where('username', '=', username).executeTakeFirst();
	return { rows, lockedUntil: lock?.locked_until ?? null };
}

/** Stores an address's failures, and forgets the username's addresses whose last failure is before `forgetBefore`. */
export async function saveLoginFailure(db: DbOrTrx, username: string, row: LoginThrottleRow, forgetBefore: Date): Promise<void> {
	await db.deleteFrom('staff_login_throttle').where('username', '=', username).where('last_failure_at', '<', forgetBefore).execute();
	await db
		.insertInto('staff_login_throttle')
		.values({ username, address: row.address, failures: row.failures, last_failure_at: row.last_failure_at })
		.onConflict((oc) => oc.columns(['username', 'address']).doUpdateSet({ failures: row.failures, last_failure_at: row.last_failure_at }))
		.execute();
}

export async function saveLoginLock(db: DbOrTrx, username: string, lock: { lockedAt: Date; lockedUntil: Date; failures: number; addresses: string[] }): Promise<void> {
	const values = { locked_at: lock.lockedAt, locked_until: lock.lockedUntil, failures: lock.failures, addresses: lock.addresses };
	await db
		.insertInto('staff_login_lock')
		.values({ username, ...values })
		.onConflict((oc) => oc.column('username').doUpdateSet(values))
		.execute();
}

/** A successful login from an address forgets that address's failures (not the others'). */
export async function deleteLoginFailures(db: DbOrTrx, username: string, address: string): Promise<void> {
	await db.deleteFrom('staff_login_throttle').where('username', '=', username).where('address', '=', address).execute();
}

/** An administrator's unlock: the lock for everyone and every address's failures go. */
export async function clearLoginThrottle(db: DbOrTrx, username: string): Promise<{ lockedUntil: Date | null; addresses: number }> {
	const lock = await db.deleteFrom('staff_login_lock').where('username', '=', username).returning('locked_until').executeTakeFirst();
	const rows = await db.deleteFrom('staff_login_throttle').where('username', '=', username).returning('address').execute();
	return { lockedUntil: lock?.locked_until ?? null, addresses: rows.length };
}

export interface StaffLoginLockRow {
	staff_id: string;
	username: string;
	display_name: string;
	office_name_cs: string | null;
	office_name_en: string | null;
	locked_at: Date;
	locked_until: Date;
	failures: number;
	addresses: string[];
}

/** The staff accounts locked for everyone at `at`, latest lock first (unknown usernames are not shown). */
export async function listActiveLoginLocks(db: DbOrTrx, at: Date): Promise<StaffLoginLockRow[]> {
	return db
		.selectFrom('staff_login_lock as l')
		.innerJoin('staff_user as s', 's.username', 'l.username')
		.leftJoin('office as o', 'o.id', 's.office_id')
		.select(['s.id as staff_id', 's.username', 's.display_name', 'o.name_cs as office_name_cs', 'o.name_en as office_name_en', 'l.locked_at', 'l.locked_until', 'l.failures', 'l.addresses'])
		.where('l.locked_until', '>', at)
		.orderBy('l.locked_at', 'desc')
		.orderBy('s.username')
		.execute();
}

/** The addresses a username is throttled from (their failures remembered since `since`), most failures first. */
export async function listLoginThrottleAddresses(db: DbOrTrx, username: string, since: Date): Promise<LoginThrottleRow[]> {
	return db
		.selectFrom('staff_login_throttle')
		.select(['address', 'failures', 'last_failure_at'])
		.where('username', '=', username)
		.where('last_failure_at', '>', since)
		.orderBy('failures', 'desc')
		.orderBy('address')
		.limit(50)
		.execute();
}
