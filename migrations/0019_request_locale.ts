import { type Kysely, sql } from 'kysely';

/**
 * The language a request was filed in (issue 15). Frozen in time: never import application code here.
 *
 * - request.locale: 'cs' or 'en', the portal's language when the voter filed it; what is printed
 *   for the voter follows it (the instructions sheet of a correspondence package, §57c(1)). Every
 *   request filed before this migration, and every one a clerk enters, is Czech.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		ALTER TABLE request
			ADD COLUMN locale text NOT NULL DEFAULT 'cs' CONSTRAINT request_locale_check CHECK (locale IN ('cs', 'en'));
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`ALTER TABLE request DROP COLUMN locale;`.execute(db);
}
