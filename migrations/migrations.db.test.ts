import { sql } from 'kysely';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { Migrator } from 'kysely';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { decryptTotpSecret, parseKeyring } from '../src/lib/server/auth/totp-crypto';
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

describe('0012_cluster_shared_state', () => {
	const encName = `${name}_totp`;
	afterAll(() => admin(`DROP DATABASE IF EXISTS "${encName}" WITH (FORCE)`));

	it('encrypts the staff TOTP keys stored in clear with TOTP_ENCRYPTION_KEY (AES-256-GCM)', async () => {
		await admin(`CREATE DATABASE "${encName}"`);
		const url = new URL(inject('adminDatabaseUrl'));
		url.pathname = `/${encName}`;
		const { db } = createDb({ connectionString: url.toString(), max: 1 });
		const saved = process.env.TOTP_ENCRYPTION_KEY;
		try {
			const migrator = new Migrator({ db, provider });
			const all = Object.keys(await provider.getMigrations()).sort();
			const before = all[all.indexOf('0012_cluster_shared_state') - 1]!;
			const to = await migrator.migrateTo(before);
			expect(to.error).toBeUndefined();
			const clear = randomBytes(20);
			const pending = randomBytes(20);
			await sql`INSERT INTO staff_user (username, display_name, password_hash, role, totp_key, totp_pending_key)
				VALUES ('migr.test', 'Test', 'x', 'administrator', ${clear}, ${pending})`.execute(db);
			const key = randomBytes(32).toString('base64');
			process.env.TOTP_ENCRYPTION_KEY = key;
			await migrateToLatest(db, provider);
			const row = (await sql<{ totp_key: Buffer; totp_pending_key: Buffer }>`SELECT totp_key, totp_pending_key FROM staff_user`.execute(db)).rows[0]!;
			expect(row.totp_key.includes(clear)).toBe(false);
			const keyring = parseKeyring({ APP_ENV: 'production', TOTP_ENCRYPTION_KEY: key });
			expect(decryptTotpSecret(row.totp_key, keyring)).toEqual(new Uint8Array(clear));
			expect(decryptTotpSecret(row.totp_pending_key, keyring)).toEqual(new Uint8Array(pending));
		} finally {
			if (saved === undefined) delete process.env.TOTP_ENCRYPTION_KEY;
			else process.env.TOTP_ENCRYPTION_KEY = saved;
			await db.destroy();
		}
	});
});
