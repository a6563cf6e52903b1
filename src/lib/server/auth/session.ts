/**
 * Sessions in Lucia's design (https://lucia-auth.com, "Sessions"): the token handed to the
 * browser is `<id>.<secret>`; the database keeps only SHA-256(secret) and compares it in
 * constant time, so a leaked session table cannot be replayed. One module for voters and
 * staff: a staff session has `staff_id` set and a second-factor flag.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { Temporal } from 'temporal-polyfill';
import { fromDate, toDate } from '../clock';
import type { DbOrTrx } from '../db/index';
import {
	deleteSession,
	findSessionWithPrincipal,
	insertSession,
	updateSessionActivity,
	updateSessionTwoFactorVerified
} from '../db/queries/sessions';
import type { EidClaimsColumn, StaffRole } from '../db/schema';

export interface SessionPolicy {
	/** Inactivity after which the session ends (sliding expiry). */
	idleSeconds: number;
	/** Time after login after which the session ends, however active. */
	absoluteSeconds: number;
}

/**
 * Voters often use a shared or public computer (a library, an embassy's kiosk) and file a
 * request in a few minutes: 15 minutes of inactivity end the session, and no session lives
 * longer than a working day.
 */
export const VOTER_SESSION_POLICY: SessionPolicy = { idleSeconds: 15 * 60, absoluteSeconds: 8 * 60 * 60 };

/** Staff work on office computers for a whole shift; the absolute limit forces a daily login. */
export const STAFF_SESSION_POLICY: SessionPolicy = { idleSeconds: 30 * 60, absoluteSeconds: 12 * 60 * 60 };

/**
 * Activity is written back at most this often: a request within a minute of the last write
 * does not touch the database. The idle limit is thereby up to this much shorter.
 */
export const ACTIVITY_WRITE_INTERVAL_SECONDS = 60;

const RANDOM_BYTES = 24;
/** 24 random bytes in lower-case base32 without padding. */
const TOKEN_PART = /^[a-z2-7]{39}$/;

export interface EidIdentity extends EidClaimsColumn {}

export interface SessionInfo {
	id: string;
	createdAt: Temporal.Instant;
	expiresAt: Temporal.Instant;
	absoluteExpiresAt: Temporal.Instant;
	/** The eID's pairwise subject, for sessions opened with the eID. */
	eidSubject: string | null;
	/** The level of assurance reported by the eID at login. */
	eidAcr: string | null;
	/** What the eID said about a person on no voter list; null for voters found on a list and for staff. */
	eidIdentity: EidIdentity | null;
	twoFactorVerified: boolean;
}

export interface VoterInfo {
	id: string;
	givenName: string;
	familyName: string;
	/** YYYY-MM-DD */
	birthDate: string;
	municipalOfficeId: string | null;
	specialDistrictOfficeId: string | null;
	/** The eID identity is a test identity: the voter sees rehearsals (issue 14). */
	testIdentity: boolean;
}

export interface StaffInfo {
	id: string;
	displayName: string;
	role: StaffRole;
	officeId: string | null;
}

export interface ValidatedSession {
	session: SessionInfo;
	voter: VoterInfo | null;
	staff: StaffInfo | null;
}

export type SessionPrincipal =
	| { kind: 'eid'; voterId: string | null; eidSubject: string; eidAcr: string; eidClaims: EidClaimsColumn | null }
	| { kind: 'staff'; staffId: string; twoFactorVerified?: boolean };

// --- Tokens -----------------------------------------------------------------------------

function randomPart(): string {
	const bytes = new Uint8Array(RANDOM_BYTES);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function generateSessionToken(): { id: string; secret: string; token: string } {
	const id = randomPart();
	const secret = randomPart();
	return { id, secret, token: `${id}.${secret}` };
}

export function hashSessionSecret(secret: string): Uint8Array {
	return sha256(new TextEncoder().encode(secret));
}

/** Splits a cookie value into id and secret; null for anything that is not a well-formed token. */
export function parseSessionToken(token: string | undefined | null): { id: string; secret: string } | null {
	if (!token) return null;
	const parts = token.split('.');
	if (parts.length !== 2) return null;
	const [id, secret] = parts as [string, string];
	if (!TOKEN_PART.test(id) || !TOKEN_PART.test(secret)) return null;
	return { id, secret };
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
	const presented = hashSessionSecret(secret);
	// constantTimeEqual is false for different lengths without leaking where they differ.
	return constantTimeEqual(presented, new Uint8Array(storedHash));
}

// --- Lifetimes --------------------------------------------------------------------------

export interface SessionTimes {
	lastSeenAt: Temporal.Instant;
	expiresAt: Temporal.Instant;
	absoluteExpiresAt: Temporal.Instant;
}

export function initialSessionTimes(now: Temporal.Instant, policy: SessionPolicy): SessionTimes {
	const absoluteExpiresAt = now.add({ seconds: policy.absoluteSeconds });
	return { lastSeenAt: now, expiresAt: earlier(now.add({ seconds: policy.idleSeconds }), absoluteExpiresAt), absoluteExpiresAt };
}

export type SessionTimeCheck =
	| { valid: false; reason: 'idle' | 'absolute' }
	| { valid: true; refresh: null }
	| { valid: true; refresh: { lastSeenAt: Temporal.Instant; expiresAt: Temporal.Instant } };

/**
 * Whether a session is still alive at `now`, and if its sliding expiry should be written
 * back (at most every ACTIVITY_WRITE_INTERVAL_SECONDS, never past the absolute limit).
 */
export function checkSessionTimes(times: SessionTimes, now: Temporal.Instant, policy: SessionPolicy): SessionTimeCheck {
	if (Temporal.Instant.compare(now, times.absoluteExpiresAt) >= 0) return { valid: false, reason: 'absolute' };
	if (Temporal.Instant.compare(now, times.expiresAt) >= 0) return { valid: false, reason: 'idle' };
	const sinceWrite = (now.epochMilliseconds - times.lastSeenAt.epochMilliseconds) / 1000;
	if (sinceWrite < ACTIVITY_WRITE_INTERVAL_SECONDS) return { valid: true, refresh: null };
	return {
		valid: true,
		refresh: { lastSeenAt: now, expiresAt: earlier(now.add({ seconds: policy.idleSeconds }), times.absoluteExpiresAt) }
	};
}

function earlier(a: Temporal.Instant, b: Temporal.Instant): Temporal.Instant {
	return Temporal.Instant.compare(a, b) <= 0 ? a : b;
}

export function policyFor(session: { staff_id: string | null }): SessionPolicy {
	return session.staff_id ? STAFF_SESSION_POLICY : VOTER_SESSION_POLICY;
}

// --- Database ---------------------------------------------------------------------------

/**
 * Opens a session. Always a new id (a login never reuses a session: rotation); the caller
 * ends the previous one in the same transaction and sets the cookie.
 */
export async function createSession(
	db: DbOrTrx,
	principal: SessionPrincipal,
	now: Temporal.Instant
): Promise<{ token: string; id: string; expiresAt: Temporal.Instant; absoluteExpiresAt: Temporal.Instant }> {
	const { id, secret, token } = generateSessionToken();
	const policy = principal.kind === 'staff' ? STAFF_SESSION_POLICY : VOTER_SESSION_POLICY;
	const times = initialSessionTimes(now, policy);
	await insertSession(db, {
		id,
		secret_hash: hashSessionSecret(secret),
		voter_id: principal.kind === 'eid' ? principal.voterId : null,
		staff_id: principal.kind === 'staff' ? principal.staffId : null,
		eid_subject: principal.kind === 'eid' ? principal.eidSubject : null,
		eid_acr: principal.kind === 'eid' ? principal.eidAcr : null,
		eid_claims: principal.kind === 'eid' && principal.eidClaims ? JSON.stringify(principal.eidClaims) : null,
		two_factor_verified: principal.kind === 'staff' ? (principal.twoFactorVerified ?? false) : false,
		created_at: toDate(now),
		last_seen_at: toDate(now),
		expires_at: toDate(times.expiresAt),
		absolute_expires_at: toDate(times.absoluteExpiresAt)
	});
	return { token, id, expiresAt: times.expiresAt, absoluteExpiresAt: times.absoluteExpiresAt };
}

/**
 * The session a cookie value stands for, or null (malformed, unknown, wrong secret or
 * expired; an expired session is deleted). Extends the sliding expiry as a side effect.
 */
export async function validateSessionToken(db: DbOrTrx, token: string | undefined | null, now: Temporal.Instant): Promise<ValidatedSession | null> {
	const parsed = parseSessionToken(token);
	if (!parsed) return null;
	const row = await findSessionWithPrincipal(db, parsed.id);
	if (!row) return null;
	if (!secretMatches(parsed.secret, row.secret_hash)) return null;
	const policy = policyFor(row);
	const times: SessionTimes = {
		lastSeenAt: fromDate(row.last_seen_at),
		expiresAt: fromDate(row.expires_at),
		absoluteExpiresAt: fromDate(row.absolute_expires_at)
	};
	const check = checkSessionTimes(times, now, policy);
	if (!check.valid) {
		await deleteSession(db, row.id);
		return null;
	}
	// A staff session whose account was disabled is over.
	if (row.staff_id && !row.staff_row_id) {
		await deleteSession(db, row.id);
		return null;
	}
	let expiresAt = times.expiresAt;
	if (check.refresh) {
		await updateSessionActivity(db, row.id, toDate(check.refresh.lastSeenAt), toDate(check.refresh.expiresAt));
		expiresAt = check.refresh.expiresAt;
	}
	return {
		session: {
			id: row.id,
			createdAt: fromDate(row.created_at),
			expiresAt,
			absoluteExpiresAt: times.absoluteExpiresAt,
			eidSubject: row.eid_subject,
			eidAcr: row.eid_acr,
			eidIdentity: row.eid_claims,
			twoFactorVerified: row.two_factor_verified
		},
		voter:
			row.voter_row_id && row.voter_given_name !== null && row.voter_family_name !== null && row.voter_birth_date !== null
				? {
						id: row.voter_row_id,
						givenName: row.voter_given_name,
						familyName: row.voter_family_name,
						birthDate: row.voter_birth_date,
						municipalOfficeId: row.voter_municipal_office_id,
						specialDistrictOfficeId: row.voter_special_district_office_id,
						testIdentity: row.voter_test_identity === true
					}
				: null,
		staff:
			row.staff_row_id && row.staff_display_name !== null && row.staff_role !== null
				? { id: row.staff_row_id, displayName: row.staff_display_name, role: row.staff_role, officeId: row.staff_office_id }
				: null
	};
}

/** Ends a session server-side; the cookie alone is then worthless. */
export async function invalidateSession(db: DbOrTrx, sessionId: string): Promise<boolean> {
	return deleteSession(db, sessionId);
}

/** For staff login: the second factor was verified in this session. */
export async function markSessionTwoFactorVerified(db: DbOrTrx, sessionId: string): Promise<void> {
	await updateSessionTwoFactorVerified(db, sessionId);
}
