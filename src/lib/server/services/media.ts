/**
 * Registered media (issue 17): an administrator registers a media organisation for an
 * election before its registration deadline, with at most five production and five test
 * address blocks; the organisation gets an API token (shown once, stored as its SHA-256).
 * Requests from its production addresses with the token get the results feed at a shorter
 * interval; its test addresses reach only the test feed, and only until the real processing
 * begins (the administrator's switch or the close of voting, on the election's clock).
 */
import { createHash, randomBytes } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { parseIsoDate } from '../../domain/elections';
import {
	addressesWithin,
	addressInList,
	checkMediaRegistrationDeadline,
	defaultMediaRegistrationDeadline,
	mediaDeadlineAllowed,
	pragueDeadline,
	realProcessingBegins,
	testAddressesCutOff,
	validateMediaAddresses,
	type MediaAddressErrors
} from '../../domain/media';
import { electionNow, fromDate, toDate } from '../clock';
import type { Db, DbOrTrx } from '../db/index';
import {
	findMediaElection,
	findMediaOrganisation,
	findMediaOrganisationByTokenHash,
	insertMediaOrganisation,
	mediaNameTaken,
	replaceMediaToken,
	revokeMediaOrganisation,
	setMediaRegistrationDeadlineRow,
	setRealProcessingStarted,
	updateMediaOrganisation,
	type MediaElectionRow
} from '../db/queries/media';
import { appendAudit } from './audit';
import { isUuid } from './calendar';
import type { StaffActor } from './staff-actor';

type Forbidden = { kind: 'forbidden' };
const FORBIDDEN: Forbidden = { kind: 'forbidden' };

export const MEDIA_TOKEN_PREFIX = 'vpm_';

const newMediaToken = () => `${MEDIA_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

export function mediaTokenHash(token: string): Uint8Array {
	return new Uint8Array(createHash('sha256').update(token).digest());
}

/** The election's registration deadline: its own, or the default before the first day of voting. */
export function registrationDeadline(e: MediaElectionRow): Temporal.Instant | null {
	if (e.media_registration_deadline) return fromDate(e.media_registration_deadline);
	return e.first_day ? defaultMediaRegistrationDeadline(e.first_day) : null;
}

export interface RegisterMediaInput {
	electionId: string;
	name: string;
	email: string;
	phone: string;
	/** One block per line (or separated by commas). */
	production: string;
	test: string;
}

export type RegisterMediaErrors = MediaAddressErrors & { name?: 'required'; email?: 'invalid'; phone?: 'invalid' };

export type RegisterMediaResult =
	| { kind: 'registered'; organisationId: string; token: string }
	| { kind: 'invalid'; errors: RegisterMediaErrors }
	/** Refused after the deadline; the page names it. */
	| { kind: 'deadline-passed'; deadline: Temporal.Instant }
	| { kind: 'name-taken' }
	| { kind: 'not-found' }
	| Forbidden;

const splitList = (text: string) => text.split(/[\s,;]+/).filter((e) => e !== '');

/** The form of a registration, the same for registering and editing. */
function validateRegistration(input: Pick<RegisterMediaInput, 'name' | 'email' | 'phone' | 'production' | 'test'>):
	| { ok: true; name: string; email: string; phone: string; addresses: { production: string[]; test: string[] } }
	| { ok: false; errors: RegisterMediaErrors } {
	const name = input.name.trim().slice(0, 200);
	const email = input.email.trim().slice(0, 254);
	const phone = input.phone.trim().slice(0, 40);
	const errors: RegisterMediaErrors = {};
	if (!name) errors.name = 'required';
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = 'invalid';
	if (!/^\+?[0-9 ()-]{3,40}$/.test(phone)) errors.phone = 'invalid';
	const addresses = validateMediaAddresses({ production: splitList(input.production), test: splitList(input.test) });
	if (!addresses.ok) Object.assign(errors, addresses.errors);
	if (Object.keys(errors).length || !addresses.ok) return { ok: false, errors };
	return { ok: true, name, email, phone, addresses: { production: addresses.production, test: addresses.test } };
}

/** The administrator registers an organisation; the token is in the answer and nowhere else. */
export async function registerMediaOrganisation(db: Db, input: RegisterMediaInput, actor: StaffActor, now: Temporal.Instant): Promise<RegisterMediaResult> {
	if (actor.role !== 'administrator') return FORBIDDEN;
	if (!isUuid(input.electionId)) return { kind: 'not-found' };
	const valid = validateRegistration(input);
	if (!valid.ok) return { kind: 'invalid', errors: valid.errors };
	const { name, email, phone, addresses } = valid;

	const result = await db.transaction().execute(async (trx) => {
		const election = await findMediaElection(trx, input.electionId, { forUpdate: true });
		if (!election || election.rehearsal) return { kind: 'not-found' as const };
		const deadline = registrationDeadline(election);
		if (deadline) {
			const check = checkMediaRegistrationDeadline(electionNow(election, now), deadline);
			if (!check.ok) return { kind: 'deadline-passed' as const, deadline: check.deadline };
		}
		const token = newMediaToken();
		const id = await insertMediaOrganisation(trx, {
			electionId: input.electionId,
			name,
			email,
			phone,
			production: addresses.production,
			test: addresses.test,
			tokenHash: mediaTokenHash(token),
			at: toDate(now),
			by: actor.id
		});
		if (!id) return { kind: 'name-taken' as const };
		await appendAudit(trx, {
			actor,
			action: 'media.register',
			entityType: 'media_organisation',
			entityId: id,
			// The contact is the organisation's, not a voter's; the token never goes in.
			after: { electionId: input.electionId, name, email, phone, production: addresses.production, test: addresses.test },
			at: now
		});
		return { kind: 'registered' as const, organisationId: id, token };
	});
	if (result.kind === 'registered') mediaTokensChanged();
	return result;
}

export interface EditMediaInput extends RegisterMediaInput {
	organisationId: string;
}

export type EditMediaResult =
	| { kind: 'saved' }
	| { kind: 'unchanged' }
	| { kind: 'invalid'; errors: RegisterMediaErrors }
	/** After the deadline the contact may change, the addresses only be taken away or narrowed. */
	| { kind: 'deadline-passed'; deadline: Temporal.Instant }
	| { kind: 'name-taken' }
	| { kind: 'revoked' }
	| { kind: 'not-found' }
	| Forbidden;

/**
 * The administrator corrects a registration: name, contact, addresses, under the rules of a
 * registration. Before the deadline anything may change; after it the name and the contact
 * still may (a newsroom's phone changes on election night too), but the addresses only
 * shrink: no block may reach an address the registration did not reach before it.
 */
export async function editMediaOrganisation(db: Db, input: EditMediaInput, actor: StaffActor, now: Temporal.Instant): Promise<EditMediaResult> {
	if (actor.role !== 'administrator') return FORBIDDEN;
	if (!isUuid(input.electionId) || !isUuid(input.organisationId)) return { kind: 'not-found' };
	const valid = validateRegistration(input);
	if (!valid.ok) return { kind: 'invalid', errors: valid.errors };
	const { name, email, phone, addresses } = valid;

	const result = await db.transaction().execute(async (trx) => {
		const election = await findMediaElection(trx, input.electionId, { forUpdate: true });
		if (!election || election.rehearsal) return { kind: 'not-found' as const };
		const org = await findMediaOrganisation(trx, input.electionId, input.organisationId, { forUpdate: true });
		if (!org) return { kind: 'not-found' as const };
		if (org.revoked_at) return { kind: 'revoked' as const };
		const before = { name: org.name, email: org.email, phone: org.phone, production: org.production_addresses, test: org.test_addresses };
		const after = { name, email, phone, production: addresses.production, test: addresses.test };
		if (JSON.stringify(before) === JSON.stringify(after)) return { kind: 'unchanged' as const };
		const deadline = registrationDeadline(election);
		if (deadline && !checkMediaRegistrationDeadline(electionNow(election, now), deadline).ok) {
			const narrower = addressesWithin(after.production, before.production) && addressesWithin(after.test, before.test);
			if (!narrower) return { kind: 'deadline-passed' as const, deadline };
		}
		if (await mediaNameTaken(trx, input.electionId, name, org.id)) return { kind: 'name-taken' as const };
		await updateMediaOrganisation(trx, org.id, after);
		await appendAudit(trx, {
			actor,
			action: 'media.edit',
			entityType: 'media_organisation',
			entityId: org.id,
			before,
			after: { electionId: input.electionId, ...after },
			at: now
		});
		return { kind: 'saved' as const };
	});
	// After the commit: a lookup in between would remember the old addresses again.
	if (result.kind === 'saved') mediaTokensChanged();
	return result;
}

export type RevokeMediaResult = { kind: 'revoked' } | { kind: 'already-revoked' } | { kind: 'invalid'; errors: { reason: 'required' | 'too-long' } } | { kind: 'not-found' } | Forbidden;

export const MAX_REVOKE_REASON = 500;

/**
 * The administrator revokes a registration, with a reason: its token stops working at once
 * (in this process at once, in the portal's other processes when their memory of tokens
 * expires, MediaTokenCache). Allowed at any time, also after the deadline and on election
 * night: it only takes access away. The row stays, for the audit log.
 */
export async function revokeMediaRegistration(
	db: Db,
	input: { electionId: string; organisationId: string; reason: string },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<RevokeMediaResult> {
	if (actor.role !== 'administrator') return FORBIDDEN;
	if (!isUuid(input.electionId) || !isUuid(input.organisationId)) return { kind: 'not-found' };
	const reason = input.reason.trim();
	if (!reason) return { kind: 'invalid', errors: { reason: 'required' } };
	if (reason.length > MAX_REVOKE_REASON) return { kind: 'invalid', errors: { reason: 'too-long' } };
	const result = await db.transaction().execute(async (trx) => {
		const org = await findMediaOrganisation(trx, input.electionId, input.organisationId, { forUpdate: true });
		if (!org) return { kind: 'not-found' as const };
		if (org.revoked_at) return { kind: 'already-revoked' as const };
		await revokeMediaOrganisation(trx, org.id, { at: toDate(now), by: actor.id, reason });
		await appendAudit(trx, {
			actor,
			action: 'media.revoke',
			entityType: 'media_organisation',
			entityId: org.id,
			before: { name: org.name },
			after: { electionId: input.electionId, name: org.name, reason },
			at: now
		});
		return { kind: 'revoked' as const };
	});
	if (result.kind === 'revoked') mediaTokensChanged();
	return result;
}

export type RotateMediaTokenResult = { kind: 'rotated'; token: string } | { kind: 'revoked' } | { kind: 'not-found' } | Forbidden;

/**
 * The administrator issues a new token (a token leaked or lost): the old one stops working,
 * the new one is in the answer and nowhere else. Allowed after the deadline: it gives the
 * same organisation the same access, and a leaked token must be replaceable on election night.
 */
export async function rotateMediaToken(
	db: Db,
	input: { electionId: string; organisationId: string },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<RotateMediaTokenResult> {
	if (actor.role !== 'administrator') return FORBIDDEN;
	if (!isUuid(input.electionId) || !isUuid(input.organisationId)) return { kind: 'not-found' };
	const result = await db.transaction().execute(async (trx) => {
		const org = await findMediaOrganisation(trx, input.electionId, input.organisationId, { forUpdate: true });
		if (!org) return { kind: 'not-found' as const };
		if (org.revoked_at) return { kind: 'revoked' as const };
		const token = newMediaToken();
		await replaceMediaToken(trx, org.id, mediaTokenHash(token), toDate(now));
		// The token never goes in.
		await appendAudit(trx, { actor, action: 'media.rotate-token', entityType: 'media_organisation', entityId: org.id, after: { electionId: input.electionId, name: org.name }, at: now });
		return { kind: 'rotated' as const, token };
	});
	if (result.kind === 'rotated') mediaTokensChanged();
	return result;
}

/**
 * Every change of a registration bumps this; a MediaTokenCache of the same process forgets
 * what it remembered at its next lookup, so a revoked or replaced token is refused at once.
 */
let tokensEpoch = 0;
function mediaTokensChanged(): void {
	tokensEpoch++;
}

export type RealProcessingSwitchResult = { kind: 'switched'; on: boolean } | { kind: 'not-found' } | Forbidden;

/** The election-level switch: the real processing has begun (test addresses are cut off). */
export async function switchRealProcessing(db: Db, input: { electionId: string; on: boolean }, actor: StaffActor, now: Temporal.Instant): Promise<RealProcessingSwitchResult> {
	if (actor.role !== 'administrator') return FORBIDDEN;
	if (!isUuid(input.electionId)) return { kind: 'not-found' };
	const result = await db.transaction().execute(async (trx) => {
		const election = await findMediaElection(trx, input.electionId, { forUpdate: true });
		if (!election) return { kind: 'not-found' as const };
		const at = input.on ? toDate(electionNow(election, now)) : null;
		await setRealProcessingStarted(trx, input.electionId, at);
		await appendAudit(trx, {
			actor,
			action: 'media.real-processing-switch',
			entityType: 'election',
			entityId: input.electionId,
			before: { startedAt: election.real_processing_started_at?.toISOString() ?? null },
			after: { electionId: input.electionId, startedAt: at?.toISOString() ?? null },
			at: now
		});
		return { kind: 'switched' as const, on: input.on };
	});
	// The cut-off is read from the remembered election: forget it.
	if (result.kind === 'switched') mediaTokensChanged();
	return result;
}

/** The deadline as the administrator types it: a GOV.UK date (three boxes) and a time, Prague time. */
export interface MediaDeadlineInput {
	day: string;
	month: string;
	year: string;
	time: string;
}

export type MediaDeadlineErrors = { date?: 'required' | 'invalid' | 'after-voting'; time?: 'required' | 'invalid' };

export type SetMediaDeadlineResult =
	/** `custom` null: back to the default; `effective` is what registration is refused after. */
	| { kind: 'set'; custom: Temporal.Instant | null; effective: Temporal.Instant | null }
	| { kind: 'invalid'; errors: MediaDeadlineErrors; firstDay: string | null }
	| { kind: 'not-found' }
	| Forbidden;

const digits = (pattern: RegExp) => z.string().trim().max(6).regex(pattern);
const mediaDeadlineSchema = z.object({
	day: z.union([z.literal(''), digits(/^\d{1,2}$/)]),
	month: z.union([z.literal(''), digits(/^\d{1,2}$/)]),
	year: z.union([z.literal(''), digits(/^\d{4}$/)]),
	/** 16:00, 9:30 or 16.00 (as Czech writes it). */
	time: z.union([z.literal(''), digits(/^([01]?\d|2[0-3])[:.][0-5]\d$/)])
});

/** The typed deadline as a Prague date and time, or what is wrong with it (before any election rule). */
function parseMediaDeadline(input: MediaDeadlineInput): { ok: true; date: string; time: string } | { ok: false; errors: MediaDeadlineErrors } {
	const raw = { day: input.day.trim(), month: input.month.trim(), year: input.year.trim(), time: input.time.trim() };
	const parsed = mediaDeadlineSchema.safeParse(raw);
	const bad = new Set(parsed.success ? [] : parsed.error.issues.map((i) => String(i.path[0])));
	const errors: MediaDeadlineErrors = {};
	if (!raw.day && !raw.month && !raw.year) errors.date = 'required';
	else if (!raw.day || !raw.month || !raw.year || bad.has('day') || bad.has('month') || bad.has('year')) errors.date = 'invalid';
	if (!raw.time) errors.time = 'required';
	else if (bad.has('time')) errors.time = 'invalid';
	const date = errors.date ? null : `${raw.year}-${raw.month.padStart(2, '0')}-${raw.day.padStart(2, '0')}`;
	if (date && !parseIsoDate(date)) errors.date = 'invalid';
	if (errors.date || errors.time || !date) return { ok: false, errors };
	const [hour, minute] = raw.time.split(/[:.]/);
	return { ok: true, date, time: `${hour!.padStart(2, '0')}:${minute}` };
}

/**
 * The administrator sets the election's media registration deadline (a Prague date and time,
 * not after the first day of voting) or, with `deadline: null`, returns it to the default
 * (16:00 ten days before voting). Audited with before and after; registration and editing
 * read it at once (registrationDeadline).
 */
export async function setMediaRegistrationDeadline(
	db: Db,
	input: { electionId: string; deadline: MediaDeadlineInput | null },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<SetMediaDeadlineResult> {
	if (actor.role !== 'administrator') return FORBIDDEN;
	if (!isUuid(input.electionId)) return { kind: 'not-found' };
	const typed = input.deadline ? parseMediaDeadline(input.deadline) : null;
	return db.transaction().execute(async (trx) => {
		const election = await findMediaElection(trx, input.electionId, { forUpdate: true });
		if (!election || election.rehearsal) return { kind: 'not-found' as const };
		if (typed && !typed.ok) return { kind: 'invalid' as const, errors: typed.errors, firstDay: election.first_day };
		if (typed && election.first_day && !mediaDeadlineAllowed(typed.date, election.first_day)) {
			return { kind: 'invalid' as const, errors: { date: 'after-voting' as const }, firstDay: election.first_day };
		}
		const custom = typed ? pragueDeadline(typed.date, typed.time) : null;
		await setMediaRegistrationDeadlineRow(trx, input.electionId, custom ? toDate(custom) : null);
		await appendAudit(trx, {
			actor,
			action: custom ? 'media.deadline-set' : 'media.deadline-reset',
			entityType: 'election',
			entityId: input.electionId,
			before: { deadline: election.media_registration_deadline?.toISOString() ?? null },
			after: { electionId: input.electionId, deadline: custom?.toString() ?? null },
			at: now
		});
		const effective = registrationDeadline({ ...election, media_registration_deadline: custom ? toDate(custom) : null });
		return { kind: 'set' as const, custom, effective };
	});
}

export type MediaAccess =
	/** The token's production address: the faster tier, for the organisation's election. */
	| { kind: 'production'; organisationId: string; electionId: string }
	/** A test address before the cut-off: the test feed only. */
	| { kind: 'test'; organisationId: string }
	/** A test address once the real processing has begun. */
	| { kind: 'test-cut-off'; since: Temporal.Instant }
	| { kind: 'address-not-registered' }
	| { kind: 'invalid-token' };

/**
 * Who a feed request with a media token is: by the token, then by the client address among
 * the organisation's blocks. The cut-off is read on the organisation's election's clock.
 */
export async function mediaAccess(
	db: DbOrTrx,
	input: { token: string; clientAddress: string },
	now: Temporal.Instant,
	cache?: MediaTokenCache
): Promise<MediaAccess> {
	if (!input.token.startsWith(MEDIA_TOKEN_PREFIX) || input.token.length > 100) return { kind: 'invalid-token' };
	const hash = mediaTokenHash(input.token);
	const found = cache ? await cache.lookup(hash, () => lookupToken(db, hash)) : await lookupToken(db, hash);
	if (!found) return { kind: 'invalid-token' };
	const { org, election } = found;
	if (addressInList(input.clientAddress, org.production_addresses)) return { kind: 'production', organisationId: org.id, electionId: org.election_id };
	if (!addressInList(input.clientAddress, org.test_addresses)) return { kind: 'address-not-registered' };
	if (!election?.first_day) return { kind: 'address-not-registered' };
	const begins = realProcessingBegins(election.first_day, election.real_processing_started_at ? fromDate(election.real_processing_started_at) : null);
	if (testAddressesCutOff(electionNow(election, now), begins)) return { kind: 'test-cut-off', since: begins };
	return { kind: 'test', organisationId: org.id };
}

async function lookupToken(db: DbOrTrx, hash: Uint8Array) {
	const org = await findMediaOrganisationByTokenHash(db, hash);
	return org ? { org, election: await findMediaElection(db, org.election_id) } : undefined;
}

/**
 * The feed's memory of tokens for a few seconds, so that media polling every few seconds do
 * not add a query per request (the feed keeps one set of queries per interval).
 */
export class MediaTokenCache {
	readonly #entries = new Map<string, { value: Awaited<ReturnType<typeof lookupToken>>; until: number }>();
	#epoch = tokensEpoch;
	constructor(
		readonly ttlMs = 10_000,
		readonly elapsedMs: () => number = () => performance.now()
	) {}

	async lookup(hash: Uint8Array, load: () => ReturnType<typeof lookupToken>): ReturnType<typeof lookupToken> {
		if (this.#epoch !== tokensEpoch) {
			// A registration changed in this process: forget everything (revocation at once).
			this.#entries.clear();
			this.#epoch = tokensEpoch;
		}
		const key = Buffer.from(hash).toString('hex');
		const hit = this.#entries.get(key);
		if (hit && hit.until > this.elapsedMs()) return hit.value;
		const value = await load();
		if (this.#entries.size > 1_000) this.#entries.clear();
		this.#entries.set(key, { value, until: this.elapsedMs() + this.ttlMs });
		return value;
	}
}
