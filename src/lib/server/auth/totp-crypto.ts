/**
 * Staff authenticator (TOTP) keys encrypted at rest (issue 16): AES-256-GCM with a key from
 * TOTP_ENCRYPTION_KEY (32 bytes as 64 hex digits or base64). Production refuses to start
 * without it; development and test generate one into DATA_DIR/totp-encryption.key, once.
 *
 * Stored value: 0x01 | first 8 bytes of SHA-256(key) | 12-byte IV | 16-byte tag | ciphertext.
 * The key id lets a rotation work: the new key goes into TOTP_ENCRYPTION_KEY, the old one into
 * TOTP_ENCRYPTION_KEY_PREVIOUS (several: comma-separated); values under an old key are still
 * read, and reencryptTotpSecrets (run at every start) rewrites them under the new one, after
 * which the old key can go (docs/OPERATIONS.md, "Secrets").
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config';

const VERSION = 1;
const AAD = Buffer.from('staff_user.totp');
export const TOTP_KEY_FILE = 'totp-encryption.key';

interface Keyring {
	current: { id: Buffer; key: Buffer };
	all: { id: Buffer; key: Buffer }[];
}

function decodeKey(text: string, variable: string): Buffer {
	const t = text.trim();
	const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
	if (key.length !== 32) throw new ConfigError(`${variable} must be 32 bytes: 64 hex digits or base64 (openssl rand -base64 32).`);
	return key;
}

const keyId = (key: Buffer) => createHash('sha256').update(key).digest().subarray(0, 8);

/**
 * The key text: TOTP_ENCRYPTION_KEY, or outside production the data directory's key file
 * (written on first use, readable by the portal's user only). The migration that encrypted
 * the existing secrets reads the same two places.
 */
export function totpKeyText(env: Record<string, string | undefined> = process.env): string {
	if (env.TOTP_ENCRYPTION_KEY) return env.TOTP_ENCRYPTION_KEY;
	if ((env.APP_ENV ?? 'development') === 'production') {
		throw new ConfigError('TOTP_ENCRYPTION_KEY is not set: production needs the key that encrypts staff authenticator keys (docs/OPERATIONS.md, "Secrets").');
	}
	const file = path.join(env.DATA_DIR || '.data', TOTP_KEY_FILE);
	if (!existsSync(file)) {
		mkdirSync(path.dirname(file), { recursive: true });
		// Written whole under another name, then linked into place: a process starting at the
		// same moment never reads a half-written file, and the first link wins.
		const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
		writeFileSync(temporary, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
		try {
			linkSync(temporary, file);
		} catch (e) {
			// Another process wrote it first: theirs is the key.
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
		} finally {
			unlinkSync(temporary);
		}
	}
	return readFileSync(file, 'utf8');
}

export function parseKeyring(env: Record<string, string | undefined> = process.env): Keyring {
	const current = decodeKey(totpKeyText(env), 'TOTP_ENCRYPTION_KEY');
	const previous = (env.TOTP_ENCRYPTION_KEY_PREVIOUS ?? '')
		.split(',')
		.filter((t) => t.trim())
		.map((t) => decodeKey(t, 'TOTP_ENCRYPTION_KEY_PREVIOUS'));
	const all = [current, ...previous].map((key) => ({ id: keyId(key), key }));
	return { current: all[0]!, all };
}

let keyring: Keyring | undefined;

function ring(): Keyring {
	keyring ??= parseKeyring();
	return keyring;
}

/** Resolves the key now (at start), so that a missing or malformed key stops the start, not a login. */
export function loadTotpKeys(): void {
	keyring = parseKeyring();
}

export function encryptTotpSecret(clear: Uint8Array, keys: Keyring = ring()): Uint8Array {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', keys.current.key, iv);
	cipher.setAAD(AAD);
	const body = Buffer.concat([cipher.update(clear), cipher.final()]);
	return new Uint8Array(Buffer.concat([Buffer.from([VERSION]), keys.current.id, iv, cipher.getAuthTag(), body]));
}

export class TotpSecretError extends Error {}

function keyOf(stored: Buffer, keys: Keyring) {
	if (stored.length < 1 + 8 + 12 + 16 + 1 || stored[0] !== VERSION) throw new TotpSecretError('not an encrypted authenticator key');
	const id = stored.subarray(1, 9);
	const found = keys.all.find((k) => timingSafeEqual(k.id, id));
	if (!found) throw new TotpSecretError('authenticator key encrypted with an unknown key: is TOTP_ENCRYPTION_KEY_PREVIOUS set?');
	return found;
}

export function decryptTotpSecret(stored: Uint8Array, keys: Keyring = ring()): Uint8Array {
	const buf = Buffer.from(stored);
	const { key } = keyOf(buf, keys);
	const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(9, 21));
	decipher.setAAD(AAD);
	decipher.setAuthTag(buf.subarray(21, 37));
	return new Uint8Array(Buffer.concat([decipher.update(buf.subarray(37)), decipher.final()]));
}

/** Whether a stored value is under an older key than TOTP_ENCRYPTION_KEY. */
export function needsReencryption(stored: Uint8Array, keys: Keyring = ring()): boolean {
	return !keyOf(Buffer.from(stored), keys).id.equals(keys.current.id);
}
