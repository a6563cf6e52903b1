import { sql } from 'kysely';
import { makeWorkerUtils, runOnce, type WorkerUtils } from 'graphile-worker';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { Temporal } from 'temporal-polyfill';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { openTestDb, resetDb } from '../db/test-support';
import { caughtMessages, clearCaughtMessages, startMailCatcher, type MailCatcher } from '../mail/catcher';
import { createSmtpSender, type MailSender } from '../mail/sender';
import { queueVoterNotification } from '../services/notifications';
import { EmailDeliveryError, deliverOutboxEmail } from './send-email';
import { SEND_EMAIL, createTaskList, sweepOutbox } from './tasks';
import { jobLogger, migrateJobQueue } from './worker';

// These tests are about sending: no coalescing window (voter-mail.db.test.ts covers it). config() reads it on first use.
vi.stubEnv('MAIL_COALESCE_SECONDS', '0');

const connectionString = inject('databaseUrl');
const db = openTestDb();
const NOW = Temporal.Instant.from('2026-11-20T09:00:00+01:00');
const FROM = 'Volební portál <noreply@example.cz>';

let utils: WorkerUtils;
let catcher: MailCatcher;

beforeAll(async () => {
	await migrateJobQueue(connectionString);
	utils = await makeWorkerUtils({ connectionString, logger: jobLogger });
	catcher = await startMailCatcher({ port: 0, now: () => NOW });
});
afterAll(async () => {
	await catcher.stop();
	await utils.release();
	await db.destroy();
});
beforeEach(async () => {
	await resetDb(db);
	// Jobs of earlier tests (and of other test files' outbox rows) must not run here.
	await sql`DELETE FROM graphile_worker._private_jobs`.execute(db);
	clearCaughtMessages();
});

async function voterWithEmail(email: string | null = 'jana.novakova@example.cz'): Promise<string> {
	const office = await db
		.insertInto('office')
		.values({ kind: 'municipal', code: 'mu-554782', name_cs: 'Magistrát', name_en: 'City Hall', address: 'Mariánské nám. 2, Praha', municipality_code: '554782' })
		.returning('id')
		.executeTakeFirstOrThrow();
	const voter = await db
		.insertInto('voter')
		.values({
			municipal_office_id: office.id,
			given_name: 'Jana',
			family_name: 'Nováková',
			birth_date: '1980-05-01',
			address_line: 'Vinohradská 1',
			city: 'Praha',
			postal_code: '12000',
			country_code: 'CZ',
			email,
			email_confirmed_at: email ? new Date('2026-11-01T10:00:00Z') : null
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return voter.id;
}

async function notify(voterId: string): Promise<string> {
	await db.transaction().execute((trx) =>
		queueVoterNotification(trx, {
			voterId,
			kind: 'voter-card-sent',
			reference: 'VP-7K3M9QXD',
			details: (locale) => ({ [locale === 'en' ? 'Tracking number' : 'Podací číslo']: 'RR123456789CZ' })
		})
	);
	const row = await db.selectFrom('email_outbox').select('id').where('voter_id', '=', voterId).executeTakeFirstOrThrow();
	return row.id;
}

async function outbox(id: string) {
	return db.selectFrom('email_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function jobFor(id: string) {
	const { rows } = await sql<{ id: string; attempts: number; max_attempts: number; last_error: string | null; task_identifier: string }>`
		SELECT id::text, attempts, max_attempts, last_error, task_identifier FROM graphile_worker.jobs WHERE key = ${`email:${id}`}`.execute(db);
	return rows[0];
}

function senderTo(port: number): MailSender {
	return createSmtpSender({ host: '127.0.0.1', port }, FROM);
}

/**
 * Runs every job that is due now, once, with `sender`. graphile-worker records a job's
 * success or failure without awaiting it, so this waits until no job is locked any more.
 */
async function runDueJobs(sender: MailSender) {
	try {
		await runOnce({ connectionString, logger: jobLogger, taskList: createTaskList({ db, sender, now: () => NOW }) });
	} finally {
		sender.close();
	}
	await expect
		.poll(async () => {
			const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE locked_at IS NOT NULL`.execute(db);
			return rows[0]?.n;
		}, { timeout: 10_000 })
		.toBe(0);
}

/** An SMTP server that answers every message with a temporary failure. */
async function rejectingSmtp(): Promise<{ port: number; stop: () => Promise<void> }> {
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['AUTH', 'STARTTLS'],
		logger: false,
		onData(stream, _session, callback) {
			stream.resume();
			stream.on('end', () => callback(Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 })));
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.server.address() as AddressInfo).port;
	return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A port on which nothing listens: the SMTP server is down. */
async function closedPort(): Promise<number> {
	const { port, stop } = await rejectingSmtp();
	await stop();
	return port;
}

describe('the outbox and its jobs', () => {
	it('gives a queued notification a send-email job in the same transaction (migration 0004)', async () => {
		const voterId = await voterWithEmail();
		const id = await notify(voterId);
		const job = await jobFor(id);
		expect(job?.task_identifier).toBe(SEND_EMAIL);
		expect(job?.max_attempts).toBe(25);
		expect(job?.attempts).toBe(0);
	});

	it('leaves neither a message nor a job when the change rolls back', async () => {
		const voterId = await voterWithEmail();
		await expect(
			db.transaction().execute(async (trx) => {
				await queueVoterNotification(trx, { voterId, kind: 'request-received', reference: 'VP-7K3M9QXD' });
				throw new Error('the change failed');
			})
		).rejects.toThrow('the change failed');
		expect(await db.selectFrom('email_outbox').select('id').execute()).toEqual([]);
		const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM graphile_worker.jobs`.execute(db);
		expect(rows[0]?.n).toBe(0);
	});

	it('queues nothing for a voter without a confirmed address', async () => {
		const voterId = await voterWithEmail(null);
		const queued = await db.transaction().execute((trx) => queueVoterNotification(trx, { voterId, kind: 'request-received' }));
		expect(queued).toBe(false);
		expect(await db.selectFrom('email_outbox').select('id').execute()).toEqual([]);
	});
});

describe('the send-email task', () => {
	it('sends the message over SMTP and marks it sent', async () => {
		const id = await notify(await voterWithEmail());
		await runDueJobs(senderTo(catcher.port));

		const [message] = caughtMessages();
		expect(caughtMessages()).toHaveLength(1);
		expect(message?.envelopeTo).toEqual(['jana.novakova@example.cz']);
		// Issue 15: one language (the voter's; Czech until known), text and HTML.
		expect(message?.subject).toBe('Voličský průkaz byl odeslán');
		expect(message?.text).toContain('Číslo žádosti: VP-7K3M9QXD');
		expect(message?.text).not.toContain('Reference: VP-7K3M9QXD');
		expect(message?.text).toContain('Podací číslo: RR123456789CZ');
		expect(message?.partTypes).toEqual(['text/plain', 'text/html']);
		expect(message?.html).toContain('<html lang="cs">');
		expect(message?.html).toContain('RR123456789CZ');

		const row = await outbox(id);
		expect(row.sent_at?.toISOString()).toBe('2026-11-20T08:00:00.000Z');
		expect(row.attempts).toBe(1);
		expect(row.last_error).toBeNull();
		// graphile-worker deletes a job that succeeded
		expect(await jobFor(id)).toBeUndefined();
		const audit = await db.selectFrom('audit_log').select(['action', 'actor_kind']).where('entity_id', '=', id).execute();
		expect(audit).toEqual([{ action: 'email.sent', actor_kind: 'system' }]);
	});

	it('records a refused or failed send, keeps the message, and delivers it on a later run', async () => {
		const id = await notify(await voterWithEmail());

		// 1. The SMTP server is down.
		await runDueJobs(senderTo(await closedPort()));
		let row = await outbox(id);
		expect(row.sent_at).toBeNull();
		expect(row.attempts).toBe(1);
		expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
		let job = await jobFor(id);
		expect(job?.attempts).toBe(1);
		expect(job?.last_error).toContain('not sent');

		// 2. The server answers, but refuses the message for now.
		const rejecting = await rejectingSmtp();
		try {
			await utils.rescheduleJobs([job?.id ?? ''], { runAt: new Date() });
			await runDueJobs(senderTo(rejecting.port));
		} finally {
			await rejecting.stop();
		}
		row = await outbox(id);
		expect(row.sent_at).toBeNull();
		expect(row.attempts).toBe(2);
		expect(row.last_error).toContain('451');
		job = await jobFor(id);
		expect(job?.attempts).toBe(2);
		expect(caughtMessages()).toHaveLength(0);

		// 3. The retry (brought forward from its backoff) goes through.
		await utils.rescheduleJobs([job?.id ?? ''], { runAt: new Date() });
		await runDueJobs(senderTo(catcher.port));
		row = await outbox(id);
		expect(row.sent_at).not.toBeNull();
		expect(row.attempts).toBe(3);
		expect(row.last_error).toBeNull();
		expect(caughtMessages()).toHaveLength(1);
		expect(await jobFor(id)).toBeUndefined();
	});

	it('schedules the retry of a failed send later, with backoff', async () => {
		const id = await notify(await voterWithEmail());
		await runDueJobs(senderTo(await closedPort()));
		// graphile-worker waits exp(min(attempts, 10)) seconds: e¹ ≈ 2.7 s after the first failure
		const { rows } = await sql<{ delay: number }>`
			SELECT extract(epoch FROM run_at - updated_at)::float8 AS delay FROM graphile_worker.jobs WHERE key = ${`email:${id}`}`.execute(db);
		expect(rows[0]?.delay).toBeGreaterThan(2.5);
		expect(rows[0]?.delay).toBeLessThan(3);
	});

	it('never sends a message twice', async () => {
		const id = await notify(await voterWithEmail());
		const sender = senderTo(catcher.port);
		try {
			expect(await deliverOutboxEmail(db, id, sender, NOW)).toBe('sent');
			expect(await deliverOutboxEmail(db, id, sender, NOW)).toBe('already-sent');
		} finally {
			sender.close();
		}
		expect(caughtMessages()).toHaveLength(1);
		expect((await outbox(id)).attempts).toBe(1);
	});

	it('ends quietly for a message that no longer exists', async () => {
		const sender = senderTo(catcher.port);
		try {
			expect(await deliverOutboxEmail(db, '00000000-0000-4000-8000-000000000000', sender, NOW)).toBe('missing');
		} finally {
			sender.close();
		}
	});

	it('throws so that the queue retries', async () => {
		const id = await notify(await voterWithEmail());
		const sender = senderTo(await closedPort());
		try {
			await expect(deliverOutboxEmail(db, id, sender, NOW)).rejects.toBeInstanceOf(EmailDeliveryError);
		} finally {
			sender.close();
		}
	});
});

describe('the sweep-outbox task', () => {
	it('enqueues messages that have no job, once', async () => {
		const id = await notify(await voterWithEmail());
		// as if the row had been written before graphile-worker's schema existed
		await sql`SELECT graphile_worker.remove_job(${`email:${id}`})`.execute(db);
		expect(await jobFor(id)).toBeUndefined();

		expect(await sweepOutbox(db)).toBe(1);
		expect((await jobFor(id))?.attempts).toBe(0);
		expect(await sweepOutbox(db)).toBe(0);

		await runDueJobs(senderTo(catcher.port));
		expect((await outbox(id)).sent_at).not.toBeNull();
		expect(await sweepOutbox(db)).toBe(0);
	});

	it('leaves a failing job and its backoff alone', async () => {
		const id = await notify(await voterWithEmail());
		await runDueJobs(senderTo(await closedPort()));
		const before = await jobFor(id);
		expect(before?.attempts).toBe(1);
		expect(await sweepOutbox(db)).toBe(0);
		expect((await jobFor(id))?.attempts).toBe(1);
	});
});
