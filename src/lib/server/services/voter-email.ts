/**
 * The voter's optional e-mail address for notifications ("My record", §23(5)). A new
 * address is used only after the voter opened the link sent to it; the database keeps
 * only the SHA-256 hash of the link's token, and the audit log no address at all.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { Temporal } from 'temporal-polyfill';
import { toDate } from '../clock';
import { m } from '../../paraglide/messages.js';
import { formatLongInstant } from '../../components/format';
import type { MailDetails } from '../mail/compose';
import type { Db } from '../db/index';
import {
	findVoterByEmailTokenHash,
	findVoterById,
	findVoterByIdForUpdate,
	updateVoterEmailConfirmed,
	updateVoterEmailRemoved,
	updateVoterPendingEmail
} from '../db/queries/voters';
import { appendAudit, type Actor } from './audit';
import { confirmationRetryAt, queueConfirmationEmail } from './notifications';

/** How long a confirmation link works. Not law: a usability choice. */
export const EMAIL_CONFIRMATION_VALIDITY = Temporal.Duration.from({ hours: 48 });

export function hashEmailToken(token: string): Uint8Array {
	return sha256(new TextEncoder().encode(token));
}

export function newEmailToken(): string {
	return encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32)));
}

export type EmailChangeResult = { ok: true } | { ok: false; error: 'voter-not-found' };
/** `too-soon`: a limit of mail/confirmation-limit.ts holds; a new link may be asked for at `retryAt`. */
export type EmailRequestResult = EmailChangeResult | { ok: false; error: 'too-soon'; retryAt: Temporal.Instant };
export type EmailConfirmResult = { ok: true; email: string } | { ok: false; error: 'invalid-token' | 'expired-token' };

/**
 * Stores the address as pending and queues the confirmation e-mail with the link
 * `confirmUrl(token)`, in one transaction; an earlier pending address and link are replaced.
 * Within the limits on mail to unconfirmed addresses (notifications.ts queueConfirmationEmail):
 * when one holds, nothing changes (an earlier link still works) and the voter is told when to
 * ask again.
 */
export async function requestEmailConfirmation(
	db: Db,
	input: { voterId: string; email: string; confirmUrl: (token: string) => string },
	actor: Actor,
	now: Temporal.Instant
): Promise<EmailRequestResult> {
	const email = input.email.trim();
	const token = newEmailToken();
	return db.transaction().execute(async (trx): Promise<EmailRequestResult> => {
		// Locked: one voter's requests are counted one after the other.
		const voter = await findVoterByIdForUpdate(trx, input.voterId);
		if (!voter) return { ok: false, error: 'voter-not-found' };
		const expiresAt = now.add(EMAIL_CONFIRMATION_VALIDITY);
		const link = input.confirmUrl(token);
		const details: MailDetails = (locale) => ({
			[m.mail_detail_confirm_link({}, { locale })]: link,
			// A time as a person writes it, never an ISO string (issue 15).
			[m.mail_detail_valid_until({}, { locale })]: formatLongInstant(toDate(expiresAt), locale)
		});
		const queued = await queueConfirmationEmail(trx, { voterId: voter.id, to: email, details }, now);
		if (!queued.queued) return { ok: false, error: 'too-soon', retryAt: queued.retryAt };
		await updateVoterPendingEmail(trx, voter.id, { email, tokenHash: hashEmailToken(token), expiresAt: toDate(expiresAt), at: toDate(now) });
		await appendAudit(trx, {
			actor,
			action: 'voter.email-confirmation-requested',
			entityType: 'voter',
			entityId: voter.id,
			at: now
		});
		return { ok: true };
	});
}

/**
 * When the voter may next ask for a link to `email` (their pending address, for the page to
 * say so), or null if now. Read-only: the same counts as requestEmailConfirmation.
 */
export async function nextConfirmationAllowedAt(db: Db, input: { voterId: string; email: string }, now: Temporal.Instant): Promise<Temporal.Instant | null> {
	return confirmationRetryAt(db, input, now);
}

/** The link's token, for the logged-in voter only: the pending address becomes the address in use. */
export async function confirmEmail(
	db: Db,
	input: { voterId: string; token: string },
	actor: Actor,
	now: Temporal.Instant
): Promise<EmailConfirmResult> {
	if (!/^[A-Za-z0-9_-]{20,100}$/.test(input.token)) return { ok: false, error: 'invalid-token' };
	return db.transaction().execute(async (trx) => {
		const voter = await findVoterByEmailTokenHash(trx, input.voterId, hashEmailToken(input.token));
		if (!voter || !voter.email_pending || !voter.email_token_expires_at) return { ok: false as const, error: 'invalid-token' as const };
		if (voter.email_token_expires_at.getTime() <= now.epochMilliseconds) return { ok: false as const, error: 'expired-token' as const };
		await updateVoterEmailConfirmed(trx, voter.id, voter.email_pending, toDate(now));
		await appendAudit(trx, { actor, action: 'voter.email-confirmed', entityType: 'voter', entityId: voter.id, at: now });
		return { ok: true as const, email: voter.email_pending };
	});
}

/** The voter withdraws the address (and any pending one): no more e-mail. */
export async function removeEmail(db: Db, input: { voterId: string }, actor: Actor, now: Temporal.Instant): Promise<EmailChangeResult> {
	return db.transaction().execute(async (trx) => {
		const voter = await findVoterById(trx, input.voterId);
		if (!voter) return { ok: false as const, error: 'voter-not-found' as const };
		await updateVoterEmailRemoved(trx, voter.id, toDate(now));
		await appendAudit(trx, { actor, action: 'voter.email-removed', entityType: 'voter', entityId: voter.id, at: now });
		return { ok: true as const };
	});
}
