import { type Kysely, sql } from 'kysely';

/**
 * The envelope station at scanner speed (issue 13). Frozen in time: never import application code here.
 *
 * - envelope_scan: every scan the station sends, keyed by the id the browser gave it. A scan sent
 *   twice (a retry after a timeout, a queue sent again after a reload) finds its first row and
 *   gets the first outcome back: the primary key makes the server idempotent. `received_at` is
 *   the server's receipt (the official time, §57c(3)); `scanned_at` the moment the clerk scanned
 *   it, as the browser reported it. `kind` is the outcome, for the day's counters by reason.
 * - return_envelope.scanned_at and late_review: an envelope scanned before the close of voting
 *   but received by the server after it (a network drop) is recorded late and waits for the head
 *   of the embassy to decide ('pending' → 'on-time' or 'late'), with who and when.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		CREATE TABLE envelope_scan (
			scan_id uuid PRIMARY KEY,
			office_id uuid NOT NULL REFERENCES office(id),
			staff_id uuid NOT NULL REFERENCES staff_user(id),
			-- the round the station said it works on, as sent: no reference, an unknown id is the browser's word
			election_id uuid,
			round smallint CHECK (round IN (1, 2)),
			code text NOT NULL,
			kind text NOT NULL,
			result jsonb NOT NULL DEFAULT '{}'::jsonb,
			envelope_id uuid REFERENCES return_envelope(id) ON DELETE SET NULL,
			received_at timestamptz NOT NULL,
			scanned_at timestamptz
		);
		CREATE INDEX envelope_scan_office_received_idx ON envelope_scan (office_id, received_at);

		ALTER TABLE return_envelope
			ADD COLUMN scanned_at timestamptz,
			ADD COLUMN late_review text CHECK (late_review IN ('pending', 'on-time', 'late')),
			ADD COLUMN late_reviewed_by uuid REFERENCES staff_user(id),
			ADD COLUMN late_reviewed_at timestamptz;
		CREATE INDEX return_envelope_late_review_idx ON return_envelope (office_id, election_id, round) WHERE late_review = 'pending';
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		DROP INDEX IF EXISTS return_envelope_late_review_idx;
		ALTER TABLE return_envelope
			DROP COLUMN IF EXISTS late_reviewed_at,
			DROP COLUMN IF EXISTS late_reviewed_by,
			DROP COLUMN IF EXISTS late_review,
			DROP COLUMN IF EXISTS scanned_at;
		DROP TABLE IF EXISTS envelope_scan;
	`.execute(db);
}
