import { sql } from 'kysely';
import type { DbOrTrx } from '../index';

export interface OutboxEmail {
	id: string;
	to_address: string;
	subject: string;
	body: string;
	body_html: string | null;
	attempts: number;
	sent_at: Date | null;
}

export interface QueuedEmail {
	voterId: string | null;
	to: string;
	subject: string;
	/** The plain-text part. */
	body: string;
	/** The HTML part, or null for text only. */
	html: string | null;
	/** At most one unsent message per key: a message with the key of an unsent one rewrites it. */
	coalesceKey: string | null;
	/** How long from now (database time) the message waits before it goes. */
	delaySeconds: number;
}

/**
 * Writes one message to the outbox; migration 0004's trigger gives it a `send-email` job at
 * its send_after (migration 0016). With a coalesce key of an unsent message, that message is
 * rewritten instead (to the latest state) and keeps its time; its job is re-armed by the
 * UPDATE trigger. A message being sent at this moment is locked: this waits for the send,
 * after which it is no longer unsent and a new message is written.
 */
export async function queueOutboxEmail(db: DbOrTrx, email: QueuedEmail): Promise<string> {
	const row = await db
		.insertInto('email_outbox')
		.values({
			voter_id: email.voterId,
			to_address: email.to,
			subject: email.subject,
			body: email.body,
			body_html: email.html,
			coalesce_key: email.coalesceKey,
			send_after: sql<Date>`now() + make_interval(secs => ${Math.max(0, Math.floor(email.delaySeconds))})`
		})
		.onConflict((oc) =>
			oc
				.column('coalesce_key')
				.where('sent_at', 'is', null)
				.where('coalesce_key', 'is not', null)
				.doUpdateSet((eb) => ({
					to_address: eb.ref('excluded.to_address'),
					subject: eb.ref('excluded.subject'),
					body: eb.ref('excluded.body'),
					body_html: eb.ref('excluded.body_html')
				}))
		)
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/**
 * The message, locked until the sending transaction ends: two jobs for the same row (a
 * retried one and one from the sweep) can never both send it.
 */
export async function lockOutboxEmail(db: DbOrTrx, id: string): Promise<OutboxEmail | undefined> {
	return db
		.selectFrom('email_outbox')
		.select(['id', 'to_address', 'subject', 'body', 'body_html', 'attempts', 'sent_at'])
		.where('id', '=', id)
		.forUpdate()
		.executeTakeFirst();
}

export async function markOutboxEmailSent(db: DbOrTrx, id: string, at: Date): Promise<void> {
	await db
		.updateTable('email_outbox')
		.set((eb) => ({ sent_at: at, attempts: eb('attempts', '+', 1), last_error: null }))
		.where('id', '=', id)
		.execute();
}

export async function recordOutboxEmailFailure(db: DbOrTrx, id: string, error: string): Promise<void> {
	await db
		.updateTable('email_outbox')
		.set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 2000) }))
		.where('id', '=', id)
		.execute();
}

/**
 * Gives every unsent message that has no job yet a `send-email` job; returns how many were
 * added. `unsafe_dedupe` leaves an existing job as it is (pending, running, or failed for
 * good after its attempts), so the sweep never resets a message's backoff. Needs
 * graphile-worker's schema (created at start by src/lib/server/jobs).
 */
export async function enqueueUnsentOutboxEmails(db: DbOrTrx): Promise<number> {
	const { rows } = await sql<{ added: number }>`
		WITH unsent AS (
			SELECT o.id, o.send_after FROM email_outbox o
			WHERE o.sent_at IS NULL
				AND NOT EXISTS (SELECT 1 FROM graphile_worker.jobs j WHERE j.key = 'email:' || o.id::text)
			ORDER BY o.created_at
			LIMIT 1000
		)
		SELECT count(*)::int AS added
		FROM unsent, LATERAL graphile_worker.add_job(
			'send-email',
			json_build_object('id', unsent.id),
			run_at := unsent.send_after,
			max_attempts := 25,
			job_key := 'email:' || unsent.id::text,
			job_key_mode := 'unsafe_dedupe'
		) AS job`.execute(db);
	return rows[0]?.added ?? 0;
}

// --- Confirmation e-mails to addresses not yet confirmed (mail/confirmation-limit.ts) ----------

/**
 * Serialises, until the transaction ends, every send to one mailbox: two voters asking for a
 * link to the same address at the same moment are counted one after the other. A transaction
 * advisory lock, as the mailbox has no row of its own.
 */
export async function lockMailbox(db: DbOrTrx, addressHash: Uint8Array): Promise<void> {
	await sql`SELECT pg_advisory_xact_lock(('x' || substr(encode(${addressHash}::bytea, 'hex'), 1, 16))::bit(64)::bigint)`.execute(db);
}

/** When confirmation e-mails went to a mailbox (anyone's) and when this voter asked for one, since `since`. */
export async function listConfirmationSends(
	db: DbOrTrx,
	input: { addressHash: Uint8Array; voterId: string; since: Date }
): Promise<{ toAddress: Date[]; byVoter: Date[] }> {
	const rows = await db
		.selectFrom('email_confirmation_sent')
		.select(['sent_at', sql<boolean>`address_hash = ${input.addressHash}`.as('to_address'), sql<boolean>`voter_id = ${input.voterId}::uuid`.as('by_voter')])
		.where('sent_at', '>', input.since)
		.where((eb) => eb.or([eb('address_hash', '=', input.addressHash), eb('voter_id', '=', input.voterId)]))
		.execute();
	return { toAddress: rows.filter((r) => r.to_address).map((r) => r.sent_at), byVoter: rows.filter((r) => r.by_voter).map((r) => r.sent_at) };
}

/** Records a confirmation e-mail, and forgets this mailbox's and voter's sends too old to count. */
export async function recordConfirmationSend(db: DbOrTrx, input: { addressHash: Uint8Array; voterId: string; at: Date; forgetBefore: Date }): Promise<void> {
	await db
		.deleteFrom('email_confirmation_sent')
		.where('sent_at', '<=', input.forgetBefore)
		.where((eb) => eb.or([eb('address_hash', '=', input.addressHash), eb('voter_id', '=', input.voterId)]))
		.execute();
	await db.insertInto('email_confirmation_sent').values({ voter_id: input.voterId, address_hash: input.addressHash, sent_at: input.at }).execute();
}
