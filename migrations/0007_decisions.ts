import { type Kysely, sql } from 'kysely';

/**
 * Decisions, clerk-entered requests and the evidence of voter cards (issue 5). Frozen in
 * time: never import application code here.
 *
 * - request.proxy_birth_date: the proxy's date of birth from the power of attorney with a
 *   verified signature (§57(1)(a),(b), §57(2)), recorded by the clerk who enters the request.
 * - voter_card.handed_over_note and handed_over_proxy_birth_date: at a hand-over to a proxy,
 *   the power of attorney as checked and the proxy's date of birth (§57(2));
 *   voter_card.invalidation_note: how the loss or destruction was reported (§23(3)).
 *   Who and when go together, as constraints.
 * - staff_entry_draft: the answers of a clerk entering a request on a voter's behalf, one row
 *   per staff session; it disappears with the session.
 * - An index for the office's evidence of voter cards (§23(3)), by serial.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		ALTER TABLE request
			ADD COLUMN proxy_birth_date date;

		ALTER TABLE voter_card
			ADD COLUMN handed_over_note text,
			ADD COLUMN handed_over_proxy_birth_date date,
			ADD COLUMN invalidation_note text,
			ADD CONSTRAINT voter_card_handed_over_by CHECK ((handed_over_at IS NULL) = (handed_over_by IS NULL)),
			ADD CONSTRAINT voter_card_proxy_named CHECK (handover_method IS DISTINCT FROM 'proxy' OR handed_over_to IS NOT NULL),
			ADD CONSTRAINT voter_card_invalidated_by CHECK ((invalidated_at IS NULL) = (invalidated_by IS NULL)),
			ADD CONSTRAINT voter_card_serial_positive CHECK (serial > 0);
		CREATE INDEX voter_card_office_serial_idx ON voter_card (office_id, election_id, serial);

		CREATE TABLE staff_entry_draft (
			session_id text PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
			office_id uuid NOT NULL REFERENCES office(id),
			voter_id uuid NOT NULL REFERENCES voter(id) ON DELETE CASCADE,
			answers jsonb NOT NULL DEFAULT '{}'::jsonb,
			idempotency_key text,
			created_at timestamptz NOT NULL,
			updated_at timestamptz NOT NULL
		);
		CREATE INDEX staff_entry_draft_voter_idx ON staff_entry_draft (voter_id);
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		DROP TABLE staff_entry_draft;
		DROP INDEX voter_card_office_serial_idx;
		ALTER TABLE voter_card
			DROP CONSTRAINT voter_card_serial_positive,
			DROP CONSTRAINT voter_card_invalidated_by,
			DROP CONSTRAINT voter_card_proxy_named,
			DROP CONSTRAINT voter_card_handed_over_by,
			DROP COLUMN invalidation_note,
			DROP COLUMN handed_over_proxy_birth_date,
			DROP COLUMN handed_over_note;
		ALTER TABLE request
			DROP COLUMN proxy_birth_date;
	`.execute(db);
}
