import { type Kysely, sql } from 'kysely';

/**
 * eID login (issue 4). Frozen in time: never import application code here.
 *
 * - session.eid_acr: the level of assurance the eID reported at login (§23(5)), so that a
 *   use-case can check it again.
 * - session.eid_claims: what the eID said about a person who is on no voter list (name,
 *   date of birth, address), for the pages that explain what to do and for a special-district
 *   registration; null for sessions of voters found on a list. It goes with the session.
 * - Indexes for removing expired sessions and stale login attempts.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		ALTER TABLE session
			ADD COLUMN eid_acr text,
			ADD COLUMN eid_claims jsonb;
		CREATE INDEX session_expires_idx ON session (expires_at);
		CREATE INDEX eid_login_created_idx ON eid_login (created_at);
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		DROP INDEX eid_login_created_idx;
		DROP INDEX session_expires_idx;
		ALTER TABLE session
			DROP COLUMN eid_claims,
			DROP COLUMN eid_acr;
	`.execute(db);
}
