import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';

/**
 * Several portal processes on one database (issue 16). Frozen in time: never import application
 * code here.
 *
 * - rate_limit_hit: the rate-limit counters (eID login starts per address, filings per voter,
 *   staff login and TOTP attempts), one row per bucket, key and fixed window, shared by every
 *   process. UNLOGGED: a counter is worth no WAL and no replica; after a crash it starts at 0.
 * - open_data_build: the open-data feed's data as last built by any process, so that it is
 *   built once per interval for all of them (the builder holds an advisory lock); `builds`
 *   counts the builds.
 * - staff_user.totp_key / totp_pending_key: encrypted at rest with AES-256-GCM. Existing
 *   secrets are encrypted here with TOTP_ENCRYPTION_KEY, or outside production the key file
 *   the portal keeps in DATA_DIR (auth/totp-crypto.ts writes it before migrating; the format
 *   is the same: 0x01, 8 bytes of the key's SHA-256, 12 bytes IV, 16 bytes tag, ciphertext).
 */
const KEY_FILE = 'totp-encryption.key';

function decodeKey(text: string): Buffer {
	const t = text.trim();
	const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
	if (key.length !== 32) throw new Error('TOTP_ENCRYPTION_KEY must be 32 bytes (64 hex digits or base64)');
	return key;
}

function migrationKey(): Buffer | null {
	if (process.env.TOTP_ENCRYPTION_KEY) return decodeKey(process.env.TOTP_ENCRYPTION_KEY);
	const file = path.join(process.env.DATA_DIR ?? '.data', KEY_FILE);
	return existsSync(file) ? decodeKey(readFileSync(file, 'utf8')) : null;
}

function encrypt(key: Buffer, clear: Uint8Array): Buffer {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', key, iv);
	cipher.setAAD(Buffer.from('staff_user.totp'));
	const body = Buffer.concat([cipher.update(clear), cipher.final()]);
	const keyId = createHash('sha256').update(key).digest().subarray(0, 8);
	return Buffer.concat([Buffer.from([1]), keyId, iv, cipher.getAuthTag(), body]);
}

export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		CREATE UNLOGGED TABLE rate_limit_hit (
			bucket text NOT NULL CHECK (length(bucket) <= 40),
			key text NOT NULL CHECK (length(key) <= 200),
			window_start bigint NOT NULL,
			hits integer NOT NULL CHECK (hits > 0),
			PRIMARY KEY (bucket, key, window_start)
		);
		CREATE INDEX rate_limit_hit_window_idx ON rate_limit_hit (window_start);

		CREATE TABLE open_data_build (
			cache_key text PRIMARY KEY CHECK (length(cache_key) <= 200),
			data json NOT NULL,
			built_at timestamptz NOT NULL,
			builds bigint NOT NULL DEFAULT 1
		);
	`.execute(db);

	const rows = await db
		.selectFrom('staff_user')
		.select(['id', 'totp_key', 'totp_pending_key'])
		.where((eb) => eb.or([eb('totp_key', 'is not', null), eb('totp_pending_key', 'is not', null)]))
		.execute();
	if (rows.length === 0) return;
	const key = migrationKey();
	if (!key) throw new Error('staff TOTP secrets are stored in clear: set TOTP_ENCRYPTION_KEY to encrypt them (docs/OPERATIONS.md, "Secrets")');
	for (const row of rows) {
		await db
			.updateTable('staff_user')
			.set({
				totp_key: row.totp_key ? encrypt(key, row.totp_key) : null,
				totp_pending_key: row.totp_pending_key ? encrypt(key, row.totp_pending_key) : null
			})
			.where('id', '=', row.id)
			.execute();
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	// The secrets stay encrypted: decrypting them needs the key, and the portal before this
	// migration cannot read them; staff set up their authenticator app again.
	await sql`
		UPDATE staff_user SET totp_key = NULL, totp_pending_key = NULL, totp_enrolled_at = NULL;
		DROP TABLE open_data_build;
		DROP TABLE rate_limit_hit;
	`.execute(db);
}
