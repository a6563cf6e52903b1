import type { DbOrTrx } from '../index';
import type { Insertable } from 'kysely';
import type { SessionTable } from '../schema';

export type NewSessionRow = Insertable<SessionTable>;

export async function insertSession(db: DbOrTrx, row: NewSessionRow): Promise<void> {
	await db.insertInto('session').values(row).execute();
}

/**
 * A session with the voter and the staff member it belongs to, in one round trip. A session
 * opened by someone on no voter list (eID subject only) picks up the voter once a voter
 * with that subject exists, e.g. after a special-district registration was accepted.
 */
export async function findSessionWithPrincipal(db: DbOrTrx, id: string) {
	return db
		.selectFrom('session as s')
		.leftJoin('voter as v', (join) =>
			join.on((eb) =>
				eb.and([
					eb('v.anonymised_at', 'is', null),
					eb.or([
						eb('v.id', '=', eb.ref('s.voter_id')),
						eb.and([eb('s.voter_id', 'is', null), eb('v.eid_subject', '=', eb.ref('s.eid_subject'))])
					])
				])
			)
		)
		.leftJoin('staff_user as st', (join) => join.onRef('st.id', '=', 's.staff_id').on('st.disabled_at', 'is', null))
		.select([
			's.id',
			's.secret_hash',
			's.voter_id',
			's.staff_id',
			's.eid_subject',
			's.eid_acr',
			's.eid_claims',
			's.two_factor_verified',
			's.created_at',
			's.last_seen_at',
			's.expires_at',
			's.absolute_expires_at',
			'v.id as voter_row_id',
			'v.given_name as voter_given_name',
			'v.family_name as voter_family_name',
			'v.birth_date as voter_birth_date',
			'v.municipal_office_id as voter_municipal_office_id',
			'v.special_district_office_id as voter_special_district_office_id',
			'v.test_identity as voter_test_identity',
			'st.id as staff_row_id',
			'st.display_name as staff_display_name',
			'st.role as staff_role',
			'st.office_id as staff_office_id'
		])
		.where('s.id', '=', id)
		.executeTakeFirst();
}

export async function updateSessionActivity(db: DbOrTrx, id: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
	await db.updateTable('session').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function updateSessionTwoFactorVerified(db: DbOrTrx, id: string): Promise<void> {
	await db.updateTable('session').set({ two_factor_verified: true }).where('id', '=', id).execute();
}

export async function deleteSession(db: DbOrTrx, id: string): Promise<boolean> {
	const result = await db.deleteFrom('session').where('id', '=', id).executeTakeFirst();
	return Number(result.numDeletedRows) > 0;
}

export async function deleteSessionsOfVoter(db: DbOrTrx, voterId: string): Promise<number> {
	const result = await db.deleteFrom('session').where('voter_id', '=', voterId).executeTakeFirst();
	return Number(result.numDeletedRows);
}

export async function deleteSessionsOfStaff(db: DbOrTrx, staffId: string): Promise<number> {
	const result = await db.deleteFrom('session').where('staff_id', '=', staffId).executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** Sessions past their idle or absolute limit: nothing can use them any more. */
export async function deleteExpiredSessions(db: DbOrTrx, now: Date): Promise<number> {
	const result = await db
		.deleteFrom('session')
		.where((eb) => eb.or([eb('expires_at', '<=', now), eb('absolute_expires_at', '<=', now)]))
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}
