import { type Kysely, sql } from 'kysely';

/**
 * Registered media (issue 17): an administrator revokes a registration (its token stops
 * working; the row stays, for the audit log and the name) and rotates its token. Frozen in
 * time: never import application code here.
 *
 * - revoked_at / revoked_by / revoke_reason: set together, once; a revoked organisation's token
 *   is never accepted again.
 * - token_rotated_at: when the administrator last issued a new token (the old one stops working).
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		ALTER TABLE media_organisation
			ADD COLUMN revoked_at timestamptz,
			ADD COLUMN revoked_by uuid REFERENCES staff_user(id),
			ADD COLUMN revoke_reason text CHECK (length(revoke_reason) BETWEEN 1 AND 500),
			ADD COLUMN token_rotated_at timestamptz,
			ADD CONSTRAINT media_organisation_revoked_together
				CHECK ((revoked_at IS NULL) = (revoked_by IS NULL) AND (revoked_at IS NULL) = (revoke_reason IS NULL));
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		ALTER TABLE media_organisation
			DROP CONSTRAINT media_organisation_revoked_together,
			DROP COLUMN token_rotated_at,
			DROP COLUMN revoke_reason,
			DROP COLUMN revoked_by,
			DROP COLUMN revoked_at;
	`.execute(db);
}
