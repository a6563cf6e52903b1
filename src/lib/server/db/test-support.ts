import { sql, type Insertable } from 'kysely';
import { inject } from 'vitest';
import { createDb, type Db } from './index';
import type { Database } from './schema';

/** For *.db.test.ts: a connection to the migrated throwaway database of tests/setup. */
export function openTestDb(): Db {
	return createDb({ connectionString: inject('databaseUrl'), max: 4 }).db;
}

/** Empties every table (the audit log's append-only trigger is bypassed by TRUNCATE). */
export async function resetDb(db: Db): Promise<void> {
	const { rows } = await sql<{ tablename: string }>`
		SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%'`.execute(db);
	if (rows.length) await sql.raw(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`).execute(db);
}

/** A municipal office for a test (Prague's, unless told otherwise): its id. */
export async function insertTestMunicipalOffice(db: Db, code = '554782'): Promise<string> {
	const office = await db
		.insertInto('office')
		.values({ kind: 'municipal', code: `mu-${code}`, name_cs: 'Magistrát hl. m. Prahy', name_en: 'Prague City Hall', address: 'Mariánské nám. 2, Praha', municipality_code: code })
		.returning('id')
		.executeTakeFirstOrThrow();
	return office.id;
}

/** A voter on a municipal office's list (Jan Novák of Prague unless `values` say otherwise): their id. */
export async function insertTestVoter(db: Db, values: Partial<Insertable<Database['voter']>> & { municipal_office_id: string | null }): Promise<string> {
	const voter = await db
		.insertInto('voter')
		.values({
			given_name: 'Jan',
			family_name: 'Novák',
			birth_date: '1980-05-01',
			address_line: 'Vinohradská 1',
			city: 'Praha',
			postal_code: '120 00',
			country_code: 'CZ',
			...values
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return voter.id;
}
