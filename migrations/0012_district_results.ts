import { type Kysely, sql } from 'kysely';

/**
 * The special commission's record of the result (issue 17, §57d(6) onward). Frozen in time:
 * never import application code here.
 *
 * - candidate_list / candidate: the lists of an election with their drawn numbers (for the
 *   President each candidate is a "list" of one), and the candidates of a list that may get
 *   preferential votes.
 * - district_result_entry: the two independent entries of the record, the chair's and a
 *   member's; replaced while the record is open, removed when it is closed.
 * - district_result: the closed records. Never updated: a correction is a new row with the
 *   next version and a reason, and the first stays. The feed publishes the highest version.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		CREATE TABLE candidate_list (
			election_id uuid NOT NULL REFERENCES election(id) ON DELETE CASCADE,
			number smallint NOT NULL CHECK (number > 0),
			name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
			PRIMARY KEY (election_id, number)
		);

		CREATE TABLE candidate (
			election_id uuid NOT NULL,
			list_number smallint NOT NULL,
			number smallint NOT NULL CHECK (number > 0),
			name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
			PRIMARY KEY (election_id, list_number, number),
			FOREIGN KEY (election_id, list_number) REFERENCES candidate_list (election_id, number) ON DELETE CASCADE
		);

		CREATE TABLE district_result_entry (
			office_id uuid NOT NULL REFERENCES office(id),
			election_id uuid NOT NULL REFERENCES election(id) ON DELETE CASCADE,
			round smallint NOT NULL CHECK (round IN (1, 2)),
			side text NOT NULL CHECK (side IN ('chair', 'member')),
			figures jsonb NOT NULL,
			entered_by uuid NOT NULL REFERENCES staff_user(id),
			entered_at timestamptz NOT NULL,
			PRIMARY KEY (office_id, election_id, round, side)
		);

		CREATE TABLE district_result (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			office_id uuid NOT NULL REFERENCES office(id),
			election_id uuid NOT NULL REFERENCES election(id) ON DELETE CASCADE,
			round smallint NOT NULL CHECK (round IN (1, 2)),
			version smallint NOT NULL CHECK (version > 0),
			figures jsonb NOT NULL,
			chair_entered_by uuid NOT NULL REFERENCES staff_user(id),
			member_entered_by uuid NOT NULL REFERENCES staff_user(id),
			closed_by uuid NOT NULL REFERENCES staff_user(id),
			closed_at timestamptz NOT NULL,
			correction_reason text,
			CONSTRAINT district_result_correction_reason CHECK ((version = 1) = (correction_reason IS NULL)),
			UNIQUE (office_id, election_id, round, version)
		);
		CREATE INDEX district_result_election_idx ON district_result (election_id, closed_at);
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		DROP TABLE district_result;
		DROP TABLE district_result_entry;
		DROP TABLE candidate;
		DROP TABLE candidate_list;
	`.execute(db);
}
