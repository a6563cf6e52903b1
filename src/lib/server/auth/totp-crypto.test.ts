import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config';
import { decryptTotpSecret, encryptTotpSecret, needsReencryption, parseKeyring, TotpSecretError } from './totp-crypto';

const hex = () => randomBytes(32).toString('hex');

describe('staff TOTP keys at rest (AES-256-GCM)', () => {
	const oldKey = hex();
	const newKey = randomBytes(32).toString('base64');
	const before = parseKeyring({ APP_ENV: 'production', TOTP_ENCRYPTION_KEY: oldKey });
	const after = parseKeyring({ APP_ENV: 'production', TOTP_ENCRYPTION_KEY: newKey, TOTP_ENCRYPTION_KEY_PREVIOUS: oldKey });

	it('encrypts with a random IV and decrypts to the key', () => {
		const clear = randomBytes(20);
		const a = encryptTotpSecret(clear, before);
		const b = encryptTotpSecret(clear, before);
		expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
		expect(Buffer.from(a).includes(clear)).toBe(false);
		expect(decryptTotpSecret(a, before)).toEqual(new Uint8Array(clear));
	});

	it('reads values under the previous key after a rotation, and says they need re-encryption', () => {
		const clear = randomBytes(20);
		const stored = encryptTotpSecret(clear, before);
		expect(needsReencryption(stored, after)).toBe(true);
		expect(decryptTotpSecret(stored, after)).toEqual(new Uint8Array(clear));
		const again = encryptTotpSecret(decryptTotpSecret(stored, after), after);
		expect(needsReencryption(again, after)).toBe(false);
		// Once the old key is gone, old values cannot be read.
		const withoutOld = parseKeyring({ APP_ENV: 'production', TOTP_ENCRYPTION_KEY: newKey });
		expect(() => decryptTotpSecret(stored, withoutOld)).toThrow(TotpSecretError);
	});

	it('refuses a tampered value', () => {
		const stored = Buffer.from(encryptTotpSecret(randomBytes(20), before));
		stored[stored.length - 1]! ^= 1;
		expect(() => decryptTotpSecret(stored, before)).toThrow();
	});

	it('production needs TOTP_ENCRYPTION_KEY of 32 bytes', () => {
		expect(() => parseKeyring({ APP_ENV: 'production' })).toThrow(ConfigError);
		expect(() => parseKeyring({ APP_ENV: 'production', TOTP_ENCRYPTION_KEY: 'short' })).toThrow(ConfigError);
	});
});
