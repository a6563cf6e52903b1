import { type Kysely, sql } from 'kysely';

/**
 * Registered media (issue 17). Frozen in time: never import application code here.
 *
 * - election.media_registration_deadline: until when media may register for the election
 *   (*configurable*; null: the default of domain/media.ts).
 * - election.real_processing_started_at: the administrator's switch that the real processing of
 *   the results has begun (else it begins at the close of voting); test addresses are cut off.
 * - media_organisation: a registered organisation with its contact, at most five production
 *   and five test address blocks (validated by the domain, counted again here), and the
 *   SHA-256 of its API token (the token itself is shown once and never stored).
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		ALTER TABLE election
			ADD COLUMN media_registration_deadline timestamptz,
			ADD COLUMN real_processing_started_at timestamptz;

		CREATE TABLE media_organisation (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			election_id uuid NOT NULL REFERENCES election(id) ON DELETE CASCADE,
			name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
			email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
			phone text NOT NULL CHECK (length(phone) BETWEEN 3 AND 40),
			production_addresses text[] NOT NULL CHECK (cardinality(production_addresses) <= 5),
			test_addresses text[] NOT NULL CHECK (cardinality(test_addresses) <= 5),
			token_hash bytea NOT NULL UNIQUE,
			registered_at timestamptz NOT NULL,
			registered_by uuid NOT NULL REFERENCES staff_user(id),
			UNIQUE (election_id, name)
		);
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		DROP TABLE media_organisation;
		ALTER TABLE election
			DROP COLUMN real_processing_started_at,
			DROP COLUMN media_registration_deadline;
	`.execute(db);
}
