import { type Kysely, sql } from 'kysely';

/**
 * Staff login and the request queue (issue 5). Frozen in time: never import application code here.
 *
 * - staff_user.totp_pending_key: the authenticator key shown as a QR code while a staff member
 *   sets up an app (first login, or a new phone), until a code from the app confirms it; only
 *   then does it become totp_key. A confirmed key is never overwritten by a page view.
 * - A confirmed second factor has a key.
 * - The staff queue (src/lib/server/db/queries/queue.ts; measured with EXPLAIN ANALYZE on
 *   100,000 requests and 150,000 voters, scripts/bench-queue.ts). Sorting by the §77 decision
 *   deadline is sorting by received_at, so both sorts use request_queue_idx of 0001. Added:
 *   prefix indexes for the name search (text_pattern_ops: LIKE 'x%' under any collation; the
 *   search matches a word against the family or the given name), the date-of-birth search,
 *   and an index that answers the counts per state from the index alone.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		ALTER TABLE staff_user
			ADD COLUMN totp_pending_key bytea,
			ADD CONSTRAINT staff_user_totp_enrolled_key CHECK (totp_enrolled_at IS NULL OR totp_key IS NOT NULL);

		CREATE INDEX voter_family_name_prefix_idx ON voter (lower(family_name) text_pattern_ops);
		CREATE INDEX voter_given_name_prefix_idx ON voter (lower(given_name) text_pattern_ops);
		CREATE INDEX voter_birth_date_idx ON voter (birth_date);
		CREATE INDEX request_queue_count_idx ON request (office_id, election_id, state, kind, channel, round);
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		DROP INDEX request_queue_count_idx;
		DROP INDEX voter_birth_date_idx;
		DROP INDEX voter_given_name_prefix_idx;
		DROP INDEX voter_family_name_prefix_idx;
		ALTER TABLE staff_user
			DROP CONSTRAINT staff_user_totp_enrolled_key,
			DROP COLUMN totp_pending_key;
	`.execute(db);
}
