import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
	formatTotpSecret,
	generateRecoveryCodes,
	generateTotpKey,
	hashRecoveryCode,
	normalizeRecoveryCode,
	normalizeTotpCode,
	totpKeyUri,
	totpQrSvg,
	totpStep,
	verifyTotp
} from './totp';

// RFC 6238 appendix B's SHA-1 seed: the ASCII bytes of "12345678901234567890".
const RFC_KEY = new TextEncoder().encode('12345678901234567890');
const at = (iso: string) => Temporal.Instant.from(iso);
const codeAt = (key: Uint8Array, instant: Temporal.Instant, offsetSteps = 0) => generateHOTP(key, BigInt(totpStep(instant) + offsetSteps), 6);

describe('TOTP codes (RFC 6238)', () => {
	it('match the RFC test vectors (the last six digits of its eight)', () => {
		// T = 59 s → 94287082; T = 1111111109 s → 07081804; T = 1234567890 s → 89005924.
		expect(verifyTotp(RFC_KEY, '287082', Temporal.Instant.fromEpochMilliseconds(59_000), null)).toEqual({ ok: true, step: 1 });
		expect(verifyTotp(RFC_KEY, '081804', Temporal.Instant.fromEpochMilliseconds(1_111_111_109_000), null)).toEqual({ ok: true, step: 37037036 });
		expect(verifyTotp(RFC_KEY, '005924', Temporal.Instant.fromEpochMilliseconds(1_234_567_890_000), null).ok).toBe(true);
	});

	it('accept the step before and after the current one, and nothing further', () => {
		const now = at('2026-11-20T08:00:10Z');
		const current = totpStep(now);
		expect(verifyTotp(RFC_KEY, codeAt(RFC_KEY, now, -1), now, null)).toEqual({ ok: true, step: current - 1 });
		expect(verifyTotp(RFC_KEY, codeAt(RFC_KEY, now, 1), now, null)).toEqual({ ok: true, step: current + 1 });
		expect(verifyTotp(RFC_KEY, codeAt(RFC_KEY, now, -2), now, null)).toEqual({ ok: false, reason: 'invalid' });
		expect(verifyTotp(RFC_KEY, codeAt(RFC_KEY, now, 2), now, null)).toEqual({ ok: false, reason: 'invalid' });
	});

	it('refuse a code whose step was already used (replay), and accept a later one', () => {
		const now = at('2026-11-20T08:00:10Z');
		const step = totpStep(now);
		const code = codeAt(RFC_KEY, now);
		expect(verifyTotp(RFC_KEY, code, now, step)).toEqual({ ok: false, reason: 'replayed' });
		expect(verifyTotp(RFC_KEY, code, now, step + 5)).toEqual({ ok: false, reason: 'replayed' });
		expect(verifyTotp(RFC_KEY, code, now, step - 1)).toEqual({ ok: true, step });
		const later = now.add({ seconds: 30 });
		expect(verifyTotp(RFC_KEY, codeAt(RFC_KEY, later), later, step)).toEqual({ ok: true, step: step + 1 });
	});

	it('refuse anything that is not six digits, forgiving spaces', () => {
		const now = at('2026-11-20T08:00:10Z');
		const code = codeAt(RFC_KEY, now);
		expect(verifyTotp(RFC_KEY, `${code.slice(0, 3)} ${code.slice(3)}`, now, null).ok).toBe(true);
		expect(verifyTotp(RFC_KEY, code.slice(1), now, null)).toEqual({ ok: false, reason: 'invalid' });
		expect(normalizeTotpCode('12a456')).toBeNull();
		expect(normalizeTotpCode(' 123 456 ')).toBe('123456');
	});

	it('use 30-second steps', () => {
		expect(totpStep(at('1970-01-01T00:00:29.999Z'))).toBe(0);
		expect(totpStep(at('1970-01-01T00:00:30Z'))).toBe(1);
	});
});

describe('enrolment', () => {
	it('makes 160-bit keys, an otpauth URI with the key, and a QR code', () => {
		const key = generateTotpKey();
		expect(key).toHaveLength(20);
		const uri = totpKeyUri('urednik.praha', key);
		expect(uri).toMatch(/^otpauth:\/\/totp\/Volebn%C3%AD%20port%C3%A1l:urednik\.praha\?/);
		const secret = new URL(uri).searchParams.get('secret')!;
		expect(decodeBase32IgnorePadding(secret)).toEqual(key);
		expect(formatTotpSecret(key).replace(/ /g, '')).toBe(secret);
		expect(formatTotpSecret(key)).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
		expect(totpQrSvg(uri)).toMatch(/^<svg viewBox="0 0 \d+ \d+"/);
	});
});

describe('recovery codes', () => {
	it('are eight distinct codes of twelve Crockford characters', () => {
		const codes = generateRecoveryCodes();
		expect(codes).toHaveLength(8);
		expect(new Set(codes).size).toBe(8);
		for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
	});

	it('are read forgiving case, hyphens, spaces and look-alikes, and hashed from that form', () => {
		expect(normalizeRecoveryCode('7k3m-9qxd-2b4f')).toBe('7K3M9QXD2B4F');
		expect(normalizeRecoveryCode(' 7K3M 9QXD 2B4F ')).toBe('7K3M9QXD2B4F');
		expect(normalizeRecoveryCode('OIL0-0000-0000')).toBe('011000000000');
		expect(normalizeRecoveryCode('7K3M-9QXD')).toBeNull();
		expect(normalizeRecoveryCode('7K3M-9QXD-2B4U')).toBeNull();
		expect(hashRecoveryCode('7K3M9QXD2B4F')).toEqual(hashRecoveryCode(normalizeRecoveryCode('7k3m-9qxd-2b4f')!));
		expect(hashRecoveryCode('7K3M9QXD2B4F')).not.toEqual(hashRecoveryCode('7K3M9QXD2B4G'));
	});
});
