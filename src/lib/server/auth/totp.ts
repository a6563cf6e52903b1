/**
 * The staff's second factor: time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second
 * steps, 6 digits, what every authenticator app speaks) and single-use recovery codes.
 * Pure functions of their inputs: the caller passes `now` (clock.ts), never Date.now().
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { createTOTPKeyURI, verifyHOTP } from '@oslojs/otp';
import bwipjs from 'bwip-js/node';
import type { Temporal } from 'temporal-polyfill';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/**
 * A code of the step before or after the current one is accepted too: a phone's clock a few
 * seconds off, or a code typed just as it changed (RFC 6238 §5.2 recommends one step).
 */
export const TOTP_WINDOW_STEPS = 1;
/** 160 bits, the HMAC-SHA1 block the RFC recommends (RFC 4226 §4). */
const TOTP_KEY_BYTES = 20;
export const TOTP_ISSUER = 'Volební portál';

export function generateTotpKey(): Uint8Array {
	return crypto.getRandomValues(new Uint8Array(TOTP_KEY_BYTES));
}

/** The 30-second step `now` falls in (RFC 6238's T). */
export function totpStep(now: Temporal.Instant): number {
	return Math.floor(now.epochMilliseconds / 1000 / TOTP_PERIOD_SECONDS);
}

/** The `otpauth://` URI an authenticator app reads from the QR code. */
export function totpKeyUri(accountName: string, key: Uint8Array): string {
	return createTOTPKeyURI(TOTP_ISSUER, accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/** The key in base32 for typing it into an app by hand, in groups of four. */
export function formatTotpSecret(key: Uint8Array): string {
	return encodeBase32UpperCaseNoPadding(key).replace(/(.{4})(?=.)/g, '$1 ');
}

/** The QR code of the `otpauth://` URI as an SVG document (bwip-js, no JavaScript needed in the browser). */
export function totpQrSvg(uri: string): string {
	return bwipjs.toSVG({ bcid: 'qrcode', text: uri, scale: 4, paddingwidth: 4, paddingheight: 4, backgroundcolor: 'FFFFFF' });
}

/** Six digits as typed; spaces (apps show "123 456") are forgiven. */
export function normalizeTotpCode(input: string): string | null {
	const compact = input.replace(/\s/g, '');
	return /^[0-9]{6}$/.test(compact) ? compact : null;
}

export type TotpVerification =
	| { ok: true; step: number }
	/** No step of the window yields this code. */
	| { ok: false; reason: 'invalid' }
	/** The code is right but its step was already used: a replay, or the same code typed twice. */
	| { ok: false; reason: 'replayed' };

/**
 * Checks a code against the steps around `now`. A step at or before `lastUsedStep` is refused
 * even with the right code, so that an observed code cannot be used a second time.
 */
export function verifyTotp(key: Uint8Array, code: string, now: Temporal.Instant, lastUsedStep: number | null): TotpVerification {
	const normalized = normalizeTotpCode(code);
	if (!normalized) return { ok: false, reason: 'invalid' };
	const current = totpStep(now);
	// The current step first, so that its code wins over a neighbour's coincidence.
	const steps = [current];
	for (let offset = 1; offset <= TOTP_WINDOW_STEPS; offset++) steps.push(current - offset, current + offset);
	for (const step of steps) {
		if (!verifyHOTP(key, BigInt(step), TOTP_DIGITS, normalized)) continue;
		if (lastUsedStep !== null && step <= lastUsedStep) return { ok: false, reason: 'replayed' };
		return { ok: true, step };
	}
	return { ok: false, reason: 'invalid' };
}

// --- Recovery codes ---------------------------------------------------------------------------

export const RECOVERY_CODE_COUNT = 8;
/** Crockford's base32 without look-alikes; 12 characters are 60 bits. */
const RECOVERY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RECOVERY_LENGTH = 12;

/** Codes shown once after enrolment, e.g. `7K3M-9QXD-2B4F`; only their hashes are kept. */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
	const codes = new Set<string>();
	while (codes.size < count) {
		const bytes = crypto.getRandomValues(new Uint8Array(RECOVERY_LENGTH));
		// 256 is a multiple of 32: taking each byte modulo 32 is unbiased.
		const body = Array.from(bytes, (b) => RECOVERY_ALPHABET[b % 32]).join('');
		codes.add(body.replace(/(.{4})(?=.)/g, '$1-'));
	}
	return [...codes];
}

/** A recovery code as typed: case, spaces and hyphens forgiven, look-alikes read the Crockford way. */
export function normalizeRecoveryCode(input: string): string | null {
	const compact = input
		.toUpperCase()
		.replace(/[\s-]/g, '')
		.replace(/O/g, '0')
		.replace(/[IL]/g, '1');
	if (compact.length !== RECOVERY_LENGTH) return null;
	for (const ch of compact) if (!RECOVERY_ALPHABET.includes(ch)) return null;
	return compact;
}

/** SHA-256 of the normalized code: 60 random bits cannot be found by trying hashes, so a fast hash will do. */
export function hashRecoveryCode(normalized: string): Uint8Array {
	return sha256(new TextEncoder().encode(normalized));
}
