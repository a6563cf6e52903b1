import { type Kysely, sql } from 'kysely';

/**
 * The embassy's special-district list and correspondence packages (issue 5). Frozen in time:
 * never import application code here.
 *
 * - package_batch: the batch PDF of one day's packages is rendered after the packages were
 *   issued (rows, ID-slip numbers, envelope codes in one transaction), so a crash while
 *   rendering leaves whole packages that are rendered again from the stored rows. The row
 *   carries the rendering's status and progress; the PDF itself sits in package_batch_pdf,
 *   apart from the row that the progress page polls.
 * - voter.special_district_left_at: §56(4) registration lasts until the voter asks for
 *   removal; a voter who was only on the special district's list is then on no list, which
 *   the old "on a list or anonymised" check would refuse. The check now also admits a voter
 *   who left a special district.
 * - Indexes for the packages of a batch, the packages waiting for dispatch, and a proxy's
 *   packages (§57b(1)).
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		ALTER TABLE package_batch
			ADD COLUMN status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','rendering','ready','failed')),
			ADD COLUMN rendered_count integer NOT NULL DEFAULT 0 CHECK (rendered_count >= 0),
			ADD COLUMN render_attempts integer NOT NULL DEFAULT 0 CHECK (render_attempts >= 0),
			ADD COLUMN render_heartbeat_at timestamptz,
			ADD COLUMN rendered_at timestamptz,
			ADD COLUMN render_error text,
			ADD CONSTRAINT package_batch_rendered_within_count CHECK (rendered_count <= package_count),
			ADD CONSTRAINT package_batch_ready_rendered CHECK ((status = 'ready') = (rendered_at IS NOT NULL));
		CREATE INDEX package_batch_office_idx ON package_batch (office_id, election_id, created_at DESC, id);

		CREATE TABLE package_batch_pdf (
			batch_id uuid PRIMARY KEY REFERENCES package_batch(id) ON DELETE CASCADE,
			pdf bytea NOT NULL,
			byte_size integer NOT NULL CHECK (byte_size > 0),
			created_at timestamptz NOT NULL
		);

		CREATE INDEX correspondence_package_batch_idx ON correspondence_package (batch_id, id_slip_number) WHERE batch_id IS NOT NULL;
		CREATE INDEX correspondence_package_office_idx ON correspondence_package (office_id, election_id, id_slip_number);

		ALTER TABLE voter
			ADD COLUMN special_district_left_at timestamptz,
			DROP CONSTRAINT voter_check,
			ADD CONSTRAINT voter_on_a_list CHECK (
				municipal_office_id IS NOT NULL
				OR special_district_office_id IS NOT NULL
				OR anonymised_at IS NOT NULL
				OR special_district_left_at IS NOT NULL
			);
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		ALTER TABLE voter
			DROP CONSTRAINT voter_on_a_list,
			ADD CONSTRAINT voter_check CHECK (municipal_office_id IS NOT NULL OR special_district_office_id IS NOT NULL OR anonymised_at IS NOT NULL),
			DROP COLUMN special_district_left_at;
		DROP INDEX correspondence_package_office_idx;
		DROP INDEX correspondence_package_batch_idx;
		DROP TABLE package_batch_pdf;
		DROP INDEX package_batch_office_idx;
		ALTER TABLE package_batch
			DROP CONSTRAINT package_batch_ready_rendered,
			DROP CONSTRAINT package_batch_rendered_within_count,
			DROP COLUMN render_error,
			DROP COLUMN rendered_at,
			DROP COLUMN render_heartbeat_at,
			DROP COLUMN render_attempts,
			DROP COLUMN rendered_count,
			DROP COLUMN status;
	`.execute(db);
}
