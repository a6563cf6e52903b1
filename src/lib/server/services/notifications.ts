import type { Temporal } from 'temporal-polyfill';
import { m } from '../../paraglide/messages.js';
import type { Db, DbOrTrx, Trx } from '../db/index';
import { fromDate, toDate } from '../clock';
import { insertOutboxEmail, listConfirmationSends, lockMailbox, recordConfirmationSend } from '../db/queries/email-outbox';
import { mailboxHash, nextConfirmationMailAt, relevantSince } from '../mail/confirmation-limit';
import { appendAudit, type Actor } from './audit';

/**
 * What a voter is told by e-mail; one event per status change of a request.
 * The message is written to the outbox in the same transaction as the change, and the job
 * queue sends it afterwards (src/lib/server/jobs): a failed send is retried and never blocks
 * or undoes the change.
 */
export type VoterNotificationKind =
	| 'request-received'
	| 'request-accepted'
	| 'request-refused'
	| 'request-cancelled'
	| 'voter-card-issued'
	| 'voter-card-sent'
	| 'voter-card-ready'
	| 'package-sent'
	| 'package-ready'
	| 'envelope-received'
	| 'envelope-counted'
	| 'envelope-set-aside'
	| 'registration-accepted'
	| 'registration-removed'
	| 'package-handed-over'
	| 'email-confirmation'
	| 'correction-made';

export interface VoterNotification {
	voterId: string;
	kind: VoterNotificationKind;
	/** The request's reference, where the event concerns one. */
	reference?: string;
	/** Free details to render into the message (e.g. deadline, reason, link), label → value. */
	details?: Record<string, string>;
}

type Locale = 'cs' | 'en';

const SUBJECTS: Record<VoterNotificationKind, (locale: Locale) => string> = {
	'request-received': (locale) => m.mail_subject_request_received({}, { locale }),
	'request-accepted': (locale) => m.mail_subject_request_accepted({}, { locale }),
	'request-refused': (locale) => m.mail_subject_request_refused({}, { locale }),
	'request-cancelled': (locale) => m.mail_subject_request_cancelled({}, { locale }),
	'voter-card-issued': (locale) => m.mail_subject_voter_card_issued({}, { locale }),
	'voter-card-sent': (locale) => m.mail_subject_voter_card_sent({}, { locale }),
	'voter-card-ready': (locale) => m.mail_subject_voter_card_ready({}, { locale }),
	'package-sent': (locale) => m.mail_subject_package_sent({}, { locale }),
	'package-ready': (locale) => m.mail_subject_package_ready({}, { locale }),
	'envelope-received': (locale) => m.mail_subject_envelope_received({}, { locale }),
	'envelope-counted': (locale) => m.mail_subject_envelope_counted({}, { locale }),
	'envelope-set-aside': (locale) => m.mail_subject_envelope_set_aside({}, { locale }),
	'registration-accepted': (locale) => m.mail_subject_registration_accepted({}, { locale }),
	'registration-removed': (locale) => m.reg_mail_subject_removed({}, { locale }),
	'package-handed-over': (locale) => m.pkg_mail_subject_handed_over({}, { locale }),
	'email-confirmation': (locale) => m.mail_subject_email_confirmation({}, { locale }),
	'correction-made': (locale) => m.mail_subject_correction_made({}, { locale })
};

/** Issue 14: every e-mail of a rehearsal says so in its subject. */
export const REHEARSAL_SUBJECT_PREFIX = '[ZKOUŠKA / REHEARSAL] ';

/** The voter's language is not known to the outbox, so every message is Czech, then English. */
export function notificationSubject(kind: VoterNotificationKind, rehearsal = false): string {
	return `${rehearsal ? REHEARSAL_SUBJECT_PREFIX : ''}${SUBJECTS[kind]('cs')} / ${SUBJECTS[kind]('en')}`;
}

/** Whether any request named in a notification's reference(s) belongs to a rehearsal. */
async function concernsRehearsal(trx: Trx, reference: string | undefined): Promise<boolean> {
	const references = (reference ?? '').split(',').map((r) => r.trim()).filter(Boolean);
	if (references.length === 0) return false;
	const row = await trx
		.selectFrom('request')
		.innerJoin('election', 'election.id', 'request.election_id')
		.select('request.id')
		.where('request.reference', 'in', references)
		.where('election.rehearsal', '=', true)
		.executeTakeFirst();
	return row !== undefined;
}

export function notificationBody(n: VoterNotification): string {
	const lines: string[] = [];
	for (const locale of ['cs', 'en'] as const) {
		lines.push(SUBJECTS[n.kind](locale));
		if (n.reference) lines.push(m.mail_reference({ reference: n.reference }, { locale }));
		lines.push('');
	}
	const details = Object.entries(n.details ?? {});
	if (details.length) {
		lines.push(`${m.mail_details_heading({}, { locale: 'cs' })} / ${m.mail_details_heading({}, { locale: 'en' })}`);
		for (const [label, value] of details) lines.push(`${label}: ${value}`);
		lines.push('');
	}
	lines.push('-- ', m.mail_footer({}, { locale: 'cs' }), m.mail_footer({}, { locale: 'en' }));
	return lines.join('\n');
}

/**
 * Queues an e-mail to the voter if they gave an address and confirmed it. Returns whether one
 * was queued. Every voter e-mail goes through here or queueConfirmationEmail; the only other
 * writer of the outbox is the filing's single statement (services/requests.ts filingEmail),
 * which also mails only a confirmed address.
 */
export async function queueVoterNotification(trx: Trx, n: VoterNotification): Promise<boolean> {
	const voter = await trx.selectFrom('voter').select(['email', 'email_confirmed_at']).where('id', '=', n.voterId).executeTakeFirst();
	if (!voter?.email || !voter.email_confirmed_at) return false;
	const subject = notificationSubject(n.kind, await concernsRehearsal(trx, n.reference));
	await insertOutboxEmail(trx, { voterId: n.voterId, to: voter.email, subject, body: notificationBody(n) });
	return true;
}

/** When a confirmation link to `email` may next be sent for the voter, or null if now (read-only). */
export async function confirmationRetryAt(db: DbOrTrx, n: { voterId: string; email: string }, now: Temporal.Instant): Promise<Temporal.Instant | null> {
	const since = relevantSince(now);
	const sent = await listConfirmationSends(db, { addressHash: mailboxHash(n.email), voterId: n.voterId, since: toDate(since) });
	return nextConfirmationMailAt(sent.toAddress.map(fromDate), sent.byVoter.map(fromDate), now);
}

export type ConfirmationQueued = { queued: true } | { queued: false; retryAt: Temporal.Instant };

/**
 * The one way the portal mails an address nobody has confirmed: the link that confirms it.
 * Within the limits of mail/confirmation-limit.ts only (per mailbox across voters, per voter,
 * and a cooldown), counted in this transaction: the mailbox is locked, its sends and the
 * voter's read, and the send recorded with the outbox row. The caller holds the voter's row
 * lock. Refused: nothing is written, and `retryAt` says when a link may be asked for again.
 */
export async function queueConfirmationEmail(
	trx: Trx,
	n: { voterId: string; to: string; details: Record<string, string> },
	now: Temporal.Instant
): Promise<ConfirmationQueued> {
	const addressHash = mailboxHash(n.to);
	await lockMailbox(trx, addressHash);
	const retryAt = await confirmationRetryAt(trx, { voterId: n.voterId, email: n.to }, now);
	if (retryAt) return { queued: false, retryAt };
	await recordConfirmationSend(trx, { addressHash, voterId: n.voterId, at: toDate(now), forgetBefore: toDate(relevantSince(now)) });
	const notification: VoterNotification = { voterId: n.voterId, kind: 'email-confirmation', details: n.details };
	await insertOutboxEmail(trx, { voterId: n.voterId, to: n.to, subject: notificationSubject(notification.kind), body: notificationBody(notification) });
	return { queued: true };
}

/**
 * Development and test only (/dev/posta): a message that goes through the outbox and the job
 * queue like any notification, to see the whole path work.
 */
export async function queueTestEmail(db: Db, to: string, actor: Actor, now: Temporal.Instant): Promise<string> {
	const subject = `${m.mail_test_subject({}, { locale: 'cs' })} / ${m.mail_test_subject({}, { locale: 'en' })}`;
	const body = [m.mail_test_body({}, { locale: 'cs' }), '', m.mail_test_body({}, { locale: 'en' })].join('\n');
	return db.transaction().execute(async (trx) => {
		const id = await insertOutboxEmail(trx, { voterId: null, to, subject, body });
		await appendAudit(trx, { actor, action: 'email.test-queued', entityType: 'email_outbox', entityId: id, at: now });
		return id;
	});
}
