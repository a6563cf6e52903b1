import type { Temporal } from 'temporal-polyfill';
import { toDate } from '../clock';
import type { Db } from '../db/index';
import { lockOutboxEmail, markOutboxEmailSent, recordOutboxEmailFailure } from '../db/queries/email-outbox';
import type { MailSender } from '../mail/sender';
import { appendAudit } from '../services/audit';

export class EmailDeliveryError extends Error {}

export type DeliveryOutcome = 'sent' | 'already-sent' | 'missing';

function describe(error: unknown): string {
	if (error instanceof Error) {
		const response = (error as { response?: unknown }).response;
		return typeof response === 'string' && response ? `${error.message} (${response})` : error.message;
	}
	return String(error);
}

/**
 * Sends one outbox message and records the result in the same transaction that holds the
 * row's lock. A failure is written (attempts + 1, last_error) and committed before it is
 * rethrown, so the job queue retries it with backoff and the row stays in the outbox: a
 * message is never lost, only late. A message that disappeared (its voter was deleted under
 * the retention rule of §22(6)) ends the job quietly.
 */
export async function deliverOutboxEmail(db: Db, id: string, sender: MailSender, now: Temporal.Instant): Promise<DeliveryOutcome> {
	const result = await db.transaction().execute(async (trx) => {
		const email = await lockOutboxEmail(trx, id);
		if (!email) return { outcome: 'missing' as const };
		if (email.sent_at) return { outcome: 'already-sent' as const };
		try {
			await sender.send({ to: email.to_address, subject: email.subject, text: email.body, html: email.body_html });
		} catch (error) {
			const message = describe(error);
			await recordOutboxEmailFailure(trx, id, message);
			return { outcome: 'failed' as const, message };
		}
		await markOutboxEmailSent(trx, id, toDate(now));
		await appendAudit(trx, { actor: { kind: 'system' }, action: 'email.sent', entityType: 'email_outbox', entityId: id, at: now });
		return { outcome: 'sent' as const };
	});
	if (result.outcome === 'failed') throw new EmailDeliveryError(`E-mail ${id} not sent: ${result.message}`);
	return result.outcome;
}
