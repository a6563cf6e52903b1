import { type Kysely, sql } from 'kysely';

/**
 * Return envelopes and the special commission (issue 6). Frozen in time: never import
 * application code here.
 *
 * - return_envelope.scan_no: the order of scans, so that "undo the last scan" finds the
 *   clerk's last one even when two scans share a receipt time.
 * - Invariants of §57c and §57d as constraints: a late envelope is never handed over
 *   (§57c(5)); only an envelope handed over gets an outcome (§57c(4)); who and when go together.
 * - Indexes for the clerk's last scan and the envelopes of one hand-over record.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		ALTER TABLE return_envelope
			ADD COLUMN scan_no bigint GENERATED ALWAYS AS IDENTITY,
			ADD CONSTRAINT return_envelope_late_kept_apart CHECK (NOT late OR handover_id IS NULL),
			ADD CONSTRAINT return_envelope_outcome_needs_handover CHECK (outcome IS NULL OR handover_id IS NOT NULL),
			ADD CONSTRAINT return_envelope_processed_by CHECK ((processed_at IS NULL) = (processed_by IS NULL));
		CREATE INDEX return_envelope_scan_idx ON return_envelope (received_by, scan_no);
		CREATE INDEX return_envelope_handover_idx ON return_envelope (handover_id) WHERE handover_id IS NOT NULL;

		ALTER TABLE envelope_handover
			ADD CONSTRAINT envelope_handover_head_confirmed CHECK ((head_confirmed_at IS NULL) = (head_confirmed_by IS NULL)),
			ADD CONSTRAINT envelope_handover_chair_confirmed CHECK ((chair_confirmed_at IS NULL) = (chair_confirmed_by IS NULL));
		CREATE INDEX envelope_handover_office_idx ON envelope_handover (office_id, election_id, round);
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		DROP INDEX envelope_handover_office_idx;
		ALTER TABLE envelope_handover
			DROP CONSTRAINT envelope_handover_chair_confirmed,
			DROP CONSTRAINT envelope_handover_head_confirmed;
		DROP INDEX return_envelope_handover_idx;
		DROP INDEX return_envelope_scan_idx;
		ALTER TABLE return_envelope
			DROP CONSTRAINT return_envelope_processed_by,
			DROP CONSTRAINT return_envelope_outcome_needs_handover,
			DROP CONSTRAINT return_envelope_late_kept_apart,
			DROP COLUMN scan_no;
	`.execute(db);
}
