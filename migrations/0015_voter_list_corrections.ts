import { type Kysely, sql } from 'kysely';

/**
 * Requests to correct the voter list (issue 15, §23(5)). Frozen in time: never import
 * application code here.
 *
 * - request.kind gains 'voter-list-correction': a request of its own kind in the competent
 *   office's queue (the municipal office that keeps the list; the embassy for its special
 *   district's list, §23(4)), with the same timeline, audit and refusal (§77) as the others.
 *   Like a registration it belongs to no election and no round.
 * - voter_list_correction: what the voter says is wrong and what is right (one field of §23(2)
 *   per request), and, once corrected, the record's values before and after.
 */
export async function up(db: Kysely<any>): Promise<void> {
	// The CHECKs of migration 0001 were named by PostgreSQL; find them by what they say.
	await sql`
		DO $$
		DECLARE c record;
		BEGIN
			FOR c IN
				SELECT conname FROM pg_constraint
				WHERE conrelid = 'request'::regclass AND contype = 'c'
					AND pg_get_constraintdef(oid) LIKE '%special-district-registration%'
			LOOP
				EXECUTE format('ALTER TABLE request DROP CONSTRAINT %I', c.conname);
			END LOOP;
		END $$;

		ALTER TABLE request
			ADD CONSTRAINT request_kind_check
				CHECK (kind IN ('voter-card','special-district-registration','correspondence-package','voter-list-correction')),
			ADD CONSTRAINT request_no_election_check
				CHECK ((kind IN ('special-district-registration','voter-list-correction')) = (election_id IS NULL)),
			ADD CONSTRAINT request_round_required_check
				CHECK (kind IN ('special-district-registration','voter-list-correction') OR round IS NOT NULL);

		CREATE TABLE voter_list_correction (
			request_id uuid PRIMARY KEY REFERENCES request(id) ON DELETE CASCADE,
			field text NOT NULL CHECK (field IN ('name','birth-date','address')),
			-- the voter's own words: what is wrong
			statement text NOT NULL,
			-- the corrected value as the voter gives it, e.g. {"givenName": …, "familyName": …}
			requested jsonb NOT NULL,
			-- once corrected: the record's values before and after (also in the audit entry)
			before_values jsonb,
			after_values jsonb
		);
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		DROP TABLE voter_list_correction;
		DELETE FROM request WHERE kind = 'voter-list-correction';
		ALTER TABLE request
			DROP CONSTRAINT request_kind_check,
			DROP CONSTRAINT request_no_election_check,
			DROP CONSTRAINT request_round_required_check,
			ADD CONSTRAINT request_kind_check CHECK (kind IN ('voter-card','special-district-registration','correspondence-package')),
			ADD CHECK ((kind = 'special-district-registration') = (election_id IS NULL)),
			ADD CHECK (kind = 'special-district-registration' OR round IS NOT NULL);
	`.execute(db);
}
