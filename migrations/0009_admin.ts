import { type Kysely, sql } from 'kysely';

/**
 * Administration and data retention (issue 7). Frozen in time: never import application code here.
 *
 * - election.personal_data_removed_at: when the retention job removed the voter data of the
 *   election (§22(6)); set once, so that the daily job does each election once.
 * - proxy.anonymised_at: a proxy whose name, date of birth and identity document were removed
 *   by the retention job. The uniqueness of a proxy's identity per office and election holds
 *   for the proxies still named only: anonymised rows all read '—'.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		ALTER TABLE election
			ADD COLUMN personal_data_removed_at timestamptz;

		ALTER TABLE proxy
			ADD COLUMN anonymised_at timestamptz;
		DROP INDEX proxy_identity_idx;
		CREATE UNIQUE INDEX proxy_identity_idx ON proxy (office_id, election_id, lower(full_name), coalesce(birth_date, '0001-01-01'))
			WHERE anonymised_at IS NULL;
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		DROP INDEX proxy_identity_idx;
		CREATE UNIQUE INDEX proxy_identity_idx ON proxy (office_id, election_id, lower(full_name), coalesce(birth_date, '0001-01-01'));
		ALTER TABLE proxy
			DROP COLUMN anonymised_at;
		ALTER TABLE election
			DROP COLUMN personal_data_removed_at;
	`.execute(db);
}
