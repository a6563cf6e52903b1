import { sql } from 'kysely';
import { inject } from 'vitest';
import { createDb, type Db } from './index';

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
