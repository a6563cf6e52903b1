import { type Kysely, sql } from 'kysely';

/**
 * Rehearsal elections (issue 14). Frozen in time: never import application code here.
 *
 * - election.rehearsal and election.clock_offset_seconds: a rehearsal runs on its own clock,
 *   the portal's clock moved by an offset the administrator sets ("jump to"). A real election
 *   always runs on the portal's clock: the CHECK refuses an offset on any real election, so no
 *   code path, not even a hand-written UPDATE, can move a real election's time.
 * - election.rehearsal_of: the real election a rehearsal was copied from (informational).
 * - rehearsal_office: the offices taking part in a rehearsal; only their staff see it.
 * - voter.test_identity: the eID identity is a test identity (the development eID's are);
 *   only such voters see rehearsals.
 * - voter_card.rehearsal: §23(3) the office's evidence of real voter cards is one unbroken
 *   series per office; a rehearsal's cards take a counter of their own, so the real serials'
 *   uniqueness holds among real cards only and a rehearsal's among its own.
 * - audit_log.rehearsal_election_id: entries about a rehearsal stay after its reset or
 *   deletion, marked; set on insert from the entry's electionId by a trigger.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		ALTER TABLE election
			ADD COLUMN rehearsal boolean NOT NULL DEFAULT false,
			ADD COLUMN clock_offset_seconds integer NOT NULL DEFAULT 0,
			ADD COLUMN rehearsal_of uuid REFERENCES election(id) ON DELETE SET NULL,
			ADD CONSTRAINT election_real_clock CHECK (rehearsal OR clock_offset_seconds = 0),
			ADD CONSTRAINT election_rehearsal_of_only_rehearsal CHECK (rehearsal OR rehearsal_of IS NULL);

		CREATE TABLE rehearsal_office (
			election_id uuid NOT NULL REFERENCES election(id) ON DELETE CASCADE,
			office_id uuid NOT NULL REFERENCES office(id) ON DELETE CASCADE,
			PRIMARY KEY (election_id, office_id)
		);
		CREATE INDEX rehearsal_office_office_idx ON rehearsal_office (office_id);

		ALTER TABLE voter
			ADD COLUMN test_identity boolean NOT NULL DEFAULT false;

		ALTER TABLE voter_card
			ADD COLUMN rehearsal boolean NOT NULL DEFAULT false,
			DROP CONSTRAINT voter_card_office_id_serial_key;
		-- keeps the old constraint's name, which code and tests recognise
		CREATE UNIQUE INDEX voter_card_office_id_serial_key ON voter_card (office_id, serial) WHERE NOT rehearsal;
		CREATE UNIQUE INDEX voter_card_rehearsal_serial_idx ON voter_card (office_id, election_id, serial) WHERE rehearsal;

		ALTER TABLE audit_log
			ADD COLUMN rehearsal_election_id uuid;
		CREATE FUNCTION audit_log_mark_rehearsal() RETURNS trigger LANGUAGE plpgsql AS $$
		DECLARE
			candidate text := coalesce(NEW.after ->> 'electionId', NEW.before ->> 'electionId',
				CASE WHEN NEW.entity_type = 'election' THEN NEW.entity_id END);
		BEGIN
			IF NEW.rehearsal_election_id IS NULL AND candidate ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
				SELECT id INTO NEW.rehearsal_election_id FROM election WHERE id = candidate::uuid AND rehearsal;
			END IF;
			RETURN NEW;
		END $$;
		CREATE TRIGGER audit_log_rehearsal BEFORE INSERT ON audit_log
			FOR EACH ROW EXECUTE FUNCTION audit_log_mark_rehearsal();
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		DROP TRIGGER audit_log_rehearsal ON audit_log;
		DROP FUNCTION audit_log_mark_rehearsal();
		DROP INDEX voter_card_rehearsal_serial_idx;
		DROP INDEX voter_card_office_id_serial_key;
		DELETE FROM voter_card WHERE rehearsal;
		ALTER TABLE voter_card
			DROP COLUMN rehearsal,
			ADD CONSTRAINT voter_card_office_id_serial_key UNIQUE (office_id, serial);
		ALTER TABLE voter
			DROP COLUMN test_identity;
		DROP TABLE rehearsal_office;
		ALTER TABLE election
			DROP CONSTRAINT election_rehearsal_of_only_rehearsal,
			DROP CONSTRAINT election_real_clock,
			DROP COLUMN rehearsal_of,
			DROP COLUMN clock_offset_seconds,
			DROP COLUMN rehearsal;
	`.execute(db);
}
