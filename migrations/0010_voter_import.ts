import { type Kysely, sql } from 'kysely';

/**
 * Voter list import from CSV (issue 7). Frozen in time: never import application code here.
 *
 * - voter_import: one uploaded file and how far its import got. The file waits under
 *   DATA_DIR until the import ends (then it is deleted); the row stays as the record of who
 *   imported what and when, with counts and the first errors (line, field, code: no
 *   personal data). A background job claims the row (attempt, heartbeat) so that two
 *   processes never work on one import and a crashed one is taken over.
 * - voter_import_row: the rows of a file that passed their own checks, staged so that the
 *   checks needing every row (duplicates in the file, eID subjects already on the list) are
 *   set-based SQL instead of a million entries in memory. UNLOGGED: it is scratch data,
 *   rebuilt from the file after a crash, and deleted when the import ends.
 * - voter.import_id: the import that added a voter, so that every imported row is traceable
 *   to the person who imported it.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		CREATE TABLE voter_import (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			created_at timestamptz NOT NULL,
			-- NULL: the command-line import run by an operator (scripts/voter-import.ts)
			created_by uuid REFERENCES staff_user(id),
			file_name text NOT NULL,
			file_size bigint NOT NULL CHECK (file_size >= 0),
			-- the stored upload while the import runs; NULL once deleted
			file_path text,
			-- whether the portal owns the file (an upload) and deletes it at the end
			owns_file boolean NOT NULL,
			status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','rejected','done','failed')),
			phase text CHECK (phase IN ('reading','checking','importing')),
			progress_done bigint NOT NULL DEFAULT 0 CHECK (progress_done >= 0),
			progress_total bigint NOT NULL DEFAULT 0 CHECK (progress_total >= 0),
			attempt integer NOT NULL DEFAULT 0 CHECK (attempt >= 0),
			heartbeat_at timestamptz,
			started_at timestamptz,
			finished_at timestamptz,
			row_count integer CHECK (row_count >= 0),
			error_count integer NOT NULL DEFAULT 0 CHECK (error_count >= 0),
			errors jsonb NOT NULL DEFAULT '[]',
			added_count integer CHECK (added_count >= 0),
			existing_count integer CHECK (existing_count >= 0),
			failure text,
			CHECK ((status IN ('rejected','done','failed')) = (finished_at IS NOT NULL)),
			CHECK (status <> 'done' OR (added_count IS NOT NULL AND existing_count IS NOT NULL AND error_count = 0)),
			CHECK (status <> 'rejected' OR error_count > 0)
		);
		CREATE INDEX voter_import_created_idx ON voter_import (created_at DESC, id);

		CREATE UNLOGGED TABLE voter_import_row (
			import_id uuid NOT NULL,
			line integer NOT NULL,
			import_key text NOT NULL,
			municipal_office_id uuid,
			special_district_office_id uuid,
			given_name text NOT NULL,
			family_name text NOT NULL,
			birth_date date NOT NULL,
			address_line text NOT NULL,
			city text NOT NULL,
			postal_code text NOT NULL,
			country_code char(2) NOT NULL,
			eid_subject text,
			-- the voter already on the list that this row is (same lists, name, birth date, address)
			voter_id uuid,
			PRIMARY KEY (import_id, line)
		);
		CREATE INDEX voter_import_row_key_idx ON voter_import_row (import_id, import_key);
		CREATE INDEX voter_import_row_eid_idx ON voter_import_row (import_id, eid_subject) WHERE eid_subject IS NOT NULL;

		ALTER TABLE voter ADD COLUMN import_id uuid REFERENCES voter_import(id);
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		ALTER TABLE voter DROP COLUMN import_id;
		DROP TABLE voter_import_row;
		DROP TABLE voter_import;
	`.execute(db);
}
