import { type Kysely, sql } from 'kysely';

/**
 * Voter self-service (issue 4). Frozen in time: never import application code here.
 *
 * - request_draft: the answers of one request flow (voter card, special-district
 *   registration, correspondence package) kept between its one-question pages, one row per
 *   session and flow; it disappears with the session. The check-answers page stores the
 *   submission's idempotency key in it.
 * - voter.email_pending / email_token_hash / email_token_expires_at: an e-mail address for
 *   notifications waits here until the voter opens the link sent to it; only the SHA-256
 *   hash of the link's token is stored.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		CREATE TABLE request_draft (
			session_id text NOT NULL REFERENCES session(id) ON DELETE CASCADE,
			flow text NOT NULL CHECK (flow IN ('voter-card','special-district-registration','correspondence-package')),
			voter_id uuid NOT NULL REFERENCES voter(id) ON DELETE CASCADE,
			answers jsonb NOT NULL DEFAULT '{}'::jsonb,
			idempotency_key text,
			created_at timestamptz NOT NULL,
			updated_at timestamptz NOT NULL,
			PRIMARY KEY (session_id, flow)
		);
		CREATE INDEX request_draft_voter_idx ON request_draft (voter_id);

		ALTER TABLE voter
			ADD COLUMN email_pending text,
			ADD COLUMN email_token_hash bytea,
			ADD COLUMN email_token_expires_at timestamptz,
			ADD CONSTRAINT voter_email_token_complete CHECK (
				(email_pending IS NULL) = (email_token_hash IS NULL)
				AND (email_token_hash IS NULL) = (email_token_expires_at IS NULL)
			);
		CREATE UNIQUE INDEX voter_email_token_idx ON voter (email_token_hash) WHERE email_token_hash IS NOT NULL;
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		DROP INDEX voter_email_token_idx;
		ALTER TABLE voter
			DROP CONSTRAINT voter_email_token_complete,
			DROP COLUMN email_token_expires_at,
			DROP COLUMN email_token_hash,
			DROP COLUMN email_pending;
		DROP TABLE request_draft;
	`.execute(db);
}
