/**
 * What the staff login pages share: where to go after login, the session cookie, the rate
 * limits ('staff-login' by client address and username, 'totp' by session) and the throttle
 * or lock time for the page. The rules themselves are in staff.ts and totp.ts.
 */
import { fail, type Cookies } from '@sveltejs/kit';
import { Temporal } from 'temporal-polyfill';
import type { StaffRole } from '../db/schema';
import { systemClock } from '../clock';
import { config } from '../config';
import { rateLimiter } from '../rate-limit';
import { accessFor, isAllowed, STAFF_LOGIN_PATH, staffHome } from './access';
import { setSessionCookie } from './cookies';
import { returnPath, returnPathname } from '../return-path';
import type { Held } from './staff';
import { formatTotpSecret, TOTP_ISSUER, totpKeyUri, totpQrSvg } from './totp';

export const STAFF_ENROL_PATH = '/urad/prihlaseni/aplikace';
export const STAFF_CODE_PATH = '/urad/prihlaseni/overeni';
export const STAFF_RECOVERY_PATH = '/urad/prihlaseni/zalozni-kod';
export const STAFF_PASSWORD_PATH = '/urad/heslo';

/** A `zpet` worth keeping through the login steps: a staff page, not a login page itself. */
export function staffReturnPath(value: string | null | undefined): string | null {
	const path = returnPath(value, null);
	if (!path) return null;
	const pathname = returnPathname(path);
	if (pathname !== '/urad' && !pathname.startsWith('/urad/')) return null;
	if (['/urad/prihlaseni', '/urad/odhlaseni'].some((p) => pathname === p || pathname.startsWith(`${p}/`))) return null;
	return path;
}

/** After login: back where the staff member was sent from, if their role may enter it; else their home. */
export function staffDestination(returnTo: string | null, role: StaffRole): string {
	const wanted = staffReturnPath(returnTo);
	if (wanted && isAllowed(accessFor(returnPathname(wanted)), { voter: false, eid: false, staff: true, staffRole: role })) {
		return wanted;
	}
	return staffHome(role);
}

/** A login step's page with `zpet` carried along. */
export function withReturn(path: string, returnTo: string | null): string {
	const wanted = staffReturnPath(returnTo);
	return wanted ? `${path}?zpet=${encodeURIComponent(wanted)}` : path;
}

export const loginPath = (returnTo: string | null) => withReturn(STAFF_LOGIN_PATH, returnTo);

export function setStaffSessionCookie(cookies: Cookies, token: string): void {
	setSessionCookie(cookies, token, config());
}

export type StaffBucket = 'staff-login' | 'totp';

/**
 * Counts an attempt against a bucket; when over the limit, the 429 answer for the form (with
 * Retry-After) to return. Counted on the system clock, like the hook's buckets: a rate limit
 * measures how fast requests really arrive, and a frozen FIXED_NOW or a test's x-test-now
 * would never let a window pass. A successful login forgets the key (clearRateLimit), so the
 * limit holds back guessing, not a clerk who logs in many times a day.
 */
export async function rateLimited(bucket: StaffBucket, key: string, setHeaders: (headers: Record<string, string>) => void, values: Record<string, string> = {}) {
	const verdict = await rateLimiter.hit(bucket, key, systemClock.now().epochMilliseconds);
	if (verdict.allowed) return null;
	setHeaders({ 'Retry-After': String(verdict.retryAfterSeconds) });
	const minutes = Math.max(1, Math.ceil(verdict.retryAfterSeconds / 60));
	return fail(429, { values, errors: {}, rateLimited: { minutes } });
}

export async function clearRateLimit(bucket: StaffBucket, key: string): Promise<void> {
	await rateLimiter.reset(bucket, key);
}

/**
 * A held login attempt for the page: until when this address waits (`throttledUntil`) or the
 * account is locked for everyone (`lockedUntil`), as ISO instants rounded up to the minute (the
 * page says "at 14:32", and at 14:32 it works).
 */
export function heldView(held: Held): { throttledUntil: string } | { lockedUntil: string } {
	const until = Temporal.Instant.fromEpochMilliseconds(Math.ceil(held.until.epochMilliseconds / 60_000) * 60_000).toString();
	return held.kind === 'locked' ? { lockedUntil: until } : { throttledUntil: until };
}

/** What the enrolment pages show: the QR code of the otpauth:// URI and the key for typing by hand. */
export function enrolmentView(key: Uint8Array, username: string) {
	const uri = totpKeyUri(username, key);
	return { qrSvg: totpQrSvg(uri), secret: formatTotpSecret(key), account: username, issuer: TOTP_ISSUER };
}

/**
 * The instant staff login's real-time rules run on: the authenticator's 30-second steps (an
 * app on a phone follows real time) and the throttle (its waits must really pass). A demo
 * whose calendar stands still (FIXED_NOW outside tests) uses real time for these; under
 * APP_ENV=test the request's clock, so that tests can compute codes and step past a lock; in
 * production the clock is real time anyway.
 */
export function securityInstant(now: Temporal.Instant): Temporal.Instant {
	const cfg = config();
	return cfg.APP_ENV !== 'test' && cfg.FIXED_NOW ? systemClock.now() : now;
}
