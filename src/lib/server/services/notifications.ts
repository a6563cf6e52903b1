import type { Temporal } from 'temporal-polyfill';
import { m } from '../../paraglide/messages.js';
import type { Db, DbOrTrx, Trx } from '../db/index';
import { fromDate, toDate } from '../clock';
import { listConfirmationSends, lockMailbox, queueOutboxEmail, recordConfirmationSend } from '../db/queries/email-outbox';
import type { RequestKind } from '../db/schema';
import { config } from '../config';
import { portalOrigin } from '../auth/settings';
import { composeEmail, composeSubject, REHEARSAL_SUBJECT_PREFIX, type ComposedEmail, type MailDetails, type MailLocale } from '../mail/compose';
import { mailboxHash, nextConfirmationMailAt, relevantSince } from '../mail/confirmation-limit';
import { appendAudit, type Actor } from './audit';

/**
 * What a voter is told by e-mail; one event per status change of a request.
 * The message is written to the outbox in the same transaction as the change, and the job
 * queue sends it afterwards (src/lib/server/jobs): a failed send is retried and never blocks
 * or undoes the change. Issue 15: written in the voter's language (voter.locale, the one they
 * last used on the portal), as text and HTML (mail/compose.ts), and coalesced per request.
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
	/** The request's reference, where the event concerns one (a filing of both rounds: "A, B"). */
	reference?: string;
	/** What else the message says, label → value, written in the voter's language. */
	details?: MailDetails;
}

const SUBJECTS: Record<VoterNotificationKind, (locale: MailLocale) => string> = {
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

export { REHEARSAL_SUBJECT_PREFIX };

/** The voter's language for e-mail: the one they last used on the portal; Czech until they have. */
export function mailLocale(stored: string | null | undefined): MailLocale {
	return stored === 'en' ? 'en' : 'cs';
}

/** What a message is about: the request(s) named by its reference, with their election. */
export interface MailSubjectMatter {
	kind: RequestKind;
	round: number | null;
	election: { title_cs: string; title_en: string; rehearsal: boolean } | null;
}

function topicOf(about: MailSubjectMatter | undefined, locale: MailLocale): string | null {
	if (!about) return null;
	if (about.election) return locale === 'en' ? about.election.title_en : about.election.title_cs;
	if (about.kind === 'special-district-registration') return m.mail_topic_registration({}, { locale });
	if (about.kind === 'voter-list-correction') return m.mail_topic_correction({}, { locale });
	return null;
}

function origin(): string | null {
	try {
		return portalOrigin(config());
	} catch {
		return null;
	}
}

/** The subject of a notification in one language (issue 15: the election and the state). */
export function notificationSubject(kind: VoterNotificationKind, locale: MailLocale = 'cs', about?: MailSubjectMatter): string {
	return composeSubject({ state: SUBJECTS[kind](locale), topic: topicOf(about, locale), rehearsal: about?.election?.rehearsal ?? false });
}

function referencesOf(reference: string | undefined): string[] {
	return (reference ?? '').split(',').map((r) => r.trim()).filter(Boolean);
}

/** A notification written for one voter, in their language: subject, plain text and HTML. */
export function composeNotification(n: VoterNotification, locale: MailLocale, about?: MailSubjectMatter): ComposedEmail {
	const election = about?.election ?? null;
	return composeEmail({
		locale,
		state: SUBJECTS[n.kind](locale),
		topic: topicOf(about, locale),
		electionTitle: election ? (locale === 'en' ? election.title_en : election.title_cs) : null,
		round: election ? (about?.round ?? null) : null,
		references: referencesOf(n.reference),
		details: n.details?.(locale) ?? {},
		origin: origin(),
		rehearsal: election?.rehearsal ?? false
	});
}

/** How long a change of a request waits for the next one before its e-mail goes (MAIL_COALESCE_SECONDS). */
export function mailCoalesceSeconds(): number {
	return config().MAIL_COALESCE_SECONDS;
}

/**
 * Issue 15: the messages about ONE request are coalesced: the first waits `delaySeconds`, and
 * every later change of the request before it is sent rewrites it with the latest state.
 * A message about several requests at once (a filing of both rounds) or none is not.
 */
export function coalescing(reference: string | undefined): { coalesceKey: string | null; delaySeconds: number } {
	const references = referencesOf(reference);
	return references.length === 1 ? { coalesceKey: `request:${references[0]}`, delaySeconds: mailCoalesceSeconds() } : { coalesceKey: null, delaySeconds: 0 };
}

async function findSubjectMatter(trx: Trx, reference: string | undefined): Promise<MailSubjectMatter | undefined> {
	const first = referencesOf(reference)[0];
	if (!first) return undefined;
	const row = await trx
		.selectFrom('request')
		.leftJoin('election', 'election.id', 'request.election_id')
		.select(['request.kind', 'request.round', 'election.title_cs', 'election.title_en', 'election.rehearsal'])
		.where('request.reference', '=', first)
		.executeTakeFirst();
	if (!row) return undefined;
	return {
		kind: row.kind,
		round: row.round,
		election: row.title_cs !== null && row.title_en !== null ? { title_cs: row.title_cs, title_en: row.title_en, rehearsal: row.rehearsal ?? false } : null
	};
}

/**
 * Queues an e-mail to the voter if they gave an address and confirmed it, in their language,
 * coalesced with an unsent message about the same request. Returns whether one was queued (or
 * an unsent one rewritten). Every voter e-mail goes through here or queueConfirmationEmail;
 * the only other writer of the outbox is the filing's single statement (services/requests.ts
 * filingEmail), which also mails only a confirmed address.
 */
export async function queueVoterNotification(trx: Trx, n: VoterNotification): Promise<boolean> {
	const voter = await trx.selectFrom('voter').select(['email', 'email_confirmed_at', 'locale']).where('id', '=', n.voterId).executeTakeFirst();
	if (!voter?.email || !voter.email_confirmed_at) return false;
	const mail = composeNotification(n, mailLocale(voter.locale), await findSubjectMatter(trx, n.reference));
	await queueOutboxEmail(trx, { voterId: n.voterId, to: voter.email, subject: mail.subject, body: mail.text, html: mail.html, ...coalescing(n.reference) });
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
	n: { voterId: string; to: string; details: MailDetails },
	now: Temporal.Instant
): Promise<ConfirmationQueued> {
	const addressHash = mailboxHash(n.to);
	await lockMailbox(trx, addressHash);
	const retryAt = await confirmationRetryAt(trx, { voterId: n.voterId, email: n.to }, now);
	if (retryAt) return { queued: false, retryAt };
	await recordConfirmationSend(trx, { addressHash, voterId: n.voterId, at: toDate(now), forgetBefore: toDate(relevantSince(now)) });
	const voter = await trx.selectFrom('voter').select('locale').where('id', '=', n.voterId).executeTakeFirst();
	const mail = composeNotification({ voterId: n.voterId, kind: 'email-confirmation', details: n.details }, mailLocale(voter?.locale));
	await queueOutboxEmail(trx, { voterId: n.voterId, to: n.to, subject: mail.subject, body: mail.text, html: mail.html, coalesceKey: null, delaySeconds: 0 });
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
		const id = await queueOutboxEmail(trx, { voterId: null, to, subject, body, html: null, coalesceKey: null, delaySeconds: 0 });
		await appendAudit(trx, { actor, action: 'email.test-queued', entityType: 'email_outbox', entityId: id, at: now });
		return id;
	});
}
