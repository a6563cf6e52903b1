import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../src/lib/server/db/index';
import { migrateDownAll, migrateToLatest, providerFromFolder } from '../src/lib/server/db/migrate';

const provider = providerFromFolder(new URL('.', import.meta.url).pathname);
const name = `vp_migrations_${process.pid}_${Date.now().toString(36)}`;

async function admin(query: string) {
	const client = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
	await client.connect();
	try {
		await client.query(query);
	} finally {
		await client.end();
	}
}

async function tables(db: ReturnType<typeof createDb>['db']) {
	const { rows } = await sql<{ tablename: string }>`
		SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%' ORDER BY 1`.execute(db);
	return rows.map((r) => r.tablename);
}

describe('migrations on an empty database', () => {
	afterAll(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

	it('go up, all the way down, and up again', async () => {
		await admin(`CREATE DATABASE "${name}"`);
		const url = new URL(inject('adminDatabaseUrl'));
		url.pathname = `/${name}`;
		const { db } = createDb({ connectionString: url.toString(), max: 1 });
		try {
			const up = await migrateToLatest(db, provider);
			expect(up.length).toBeGreaterThan(0);
			const created = await tables(db);
			expect(created).toEqual(expect.arrayContaining(['election', 'voter', 'request', 'voter_card', 'correspondence_package', 'return_envelope', 'audit_log']));

			await migrateDownAll(db, provider);
			expect(await tables(db)).toEqual([]);

			await migrateToLatest(db, provider);
			expect(await tables(db)).toEqual(created);
		} finally {
			await db.destroy();
		}
	});
});
