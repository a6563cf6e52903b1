/**
 * Faults (issue 8), against a real PostgreSQL: what happens to a filing, a package batch and an
 * e-mail when a connection dies or a send fails at the worst moment. Each fault is made real —
 * the server ends the backend in the middle of a transaction, or the client's socket is cut
 * after the COMMIT went out but before its answer came back — not simulated by a thrown error.
 * (The PostgreSQL restart under load is in `npm run bench`.)
 */
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { Temporal } from 'temporal-polyfill';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { brokenConnectionGuard, createDb, type Db } from '../db/index';
import { isDatabaseUnavailable } from '../db/errors';
import type { Database } from '../db/schema';
import { insertTestMunicipalOffice, insertTestVoter, openTestDb, resetDb } from '../db/test-support';
import { createTaskList } from '../jobs/tasks';
import { migrateJobQueue, startJobRunner } from '../jobs/worker';
import { createSmtpSender } from '../mail/sender';
import { newReference } from '../reference';
import type { Actor } from './audit';
import { createElection } from './elections';
import { insertFixtureEmbassy, insertFixtureStaffSet, insertFixtureVoters } from './envelope-fixtures';
import { queueVoterNotification } from './notifications';
import { issuePackages } from './packages';
import { submitVoterCardRequest } from './requests';

const connectionString = inject('databaseUrl');
const db = openTestDb();
const NOW = Temporal.Instant.from('2026-11-20T09:00:00+01:00');
const system: Actor = { kind: 'system' };

/**
 * A database whose connections can be cut on cue: `onQuery` sees every statement with the
 * client that runs it and may run it itself (to cut the socket around it).
 */
function faultyDb(onQuery: (client: pg.PoolClient, text: string, run: () => Promise<unknown>) => Promise<unknown>): { db: Db; close: () => Promise<void> } {
	const { db: inner, pool } = createDb({ connectionString, max: 2, onPoolError: () => {} });
	const wrapped = {
		async connect() {
			const client = await pool.connect();
			// As the portal's own pool does (db/index.ts): a client that died under a query is dropped.
			const broken = brokenConnectionGuard(client);
			return {
				query: (text: string, params?: unknown[]) =>
					onQuery(client, text, () => client.query(text, params)).catch((error: unknown) => {
						broken.note(error);
						throw error;
					}),
				release: broken.release
			};
		},
		end: () => pool.end()
	};
	const faulty = new Kysely<Database>({ dialect: new PostgresDialect({ pool: wrapped as unknown as pg.Pool }) });
	return {
		db: faulty,
		async close() {
			await faulty.destroy();
			await inner.destroy().catch(() => {});
		}
	};
}

const socketOf = (client: pg.PoolClient) => (client as unknown as { connection: { stream: net.Socket } }).connection.stream;

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 20));
	}
}

afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

async function votingWorld() {
	const voterId = await insertTestVoter(db, { municipal_office_id: await insertTestMunicipalOffice(db) });
	const election = await createElection(db, { type: 'chamber', announcedOn: '2026-10-01', rounds: [{ round: 1, firstDay: '2027-01-15' }] }, system, NOW);
	if (!election.ok) throw new Error(JSON.stringify(election.errors));
	return { voterId, electionId: election.id };
}

const requestsOf = (voterId: string) => db.selectFrom('request').select(['id', 'reference', 'idempotency_key']).where('voter_id', '=', voterId).execute();
const filingAudits = () => db.selectFrom('audit_log').select('entity_id').where('action', '=', 'request.file').execute();

describe('a voter card request whose connection dies', () => {
	afterEach(async () => {
		await sql`DROP TRIGGER IF EXISTS test_fault ON audit_log`.execute(db);
		await sql`DROP FUNCTION IF EXISTS test_fault_kill()`.execute(db);
		await sql`DROP SEQUENCE IF EXISTS test_fault_seq`.execute(db);
	});

	it('before the commit files nothing; the retry with the same key files it once', async () => {
		const w = await votingWorld();
		// The backend ends itself while writing the audit entry of the first attempt only (a
		// sequence, unlike a table, is not rolled back with the transaction).
		await sql`CREATE SEQUENCE test_fault_seq`.execute(db);
		await sql`CREATE FUNCTION test_fault_kill() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN IF nextval('test_fault_seq') = 1 THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF; RETURN NEW; END $$`.execute(db);
		await sql`CREATE TRIGGER test_fault BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.action = 'request.file') EXECUTE FUNCTION test_fault_kill()`.execute(db);

		const faulty = faultyDb((_client, _text, run) => run());
		try {
			const input = { voterId: w.voterId, channel: 'portal' as const, electionId: w.electionId, rounds: [1 as const], delivery: 'in-person' as const, idempotencyKey: 'dropped-before-commit' };
			const failure = await submitVoterCardRequest(faulty.db, input, system, NOW).then(
				() => null,
				(e: unknown) => e
			);
			expect(isDatabaseUnavailable(failure), String(failure)).toBe(true);
			expect(await requestsOf(w.voterId)).toEqual([]);
			expect(await filingAudits()).toEqual([]);

			const retried = await submitVoterCardRequest(faulty.db, input, system, NOW.add({ seconds: 2 }));
			expect(retried).toMatchObject({ ok: true, replayed: false });
			const rows = await requestsOf(w.voterId);
			expect(rows).toHaveLength(1);
			expect(rows[0]?.idempotency_key).toBe('dropped-before-commit');
			expect((await filingAudits()).map((a) => a.entity_id)).toEqual([rows[0]?.id]);
		} finally {
			await faulty.close();
		}
	});

	it('after the commit, its answer lost: the retry with the same key gets the same request back, and nothing twice', async () => {
		const w = await votingWorld();
		let cut = false;
		const faulty = faultyDb(async (client, text, run) => {
			// The statement that makes the filing durable: a COMMIT, or the filing's single statement
			// (request, audit entry and e-mail in one WITH, autocommitted: requests.ts).
			const durable = /^commit$/i.test(text.trim()) || /^with r as \(insert into "request"/i.test(text.trim());
			if (cut || !durable) return run();
			cut = true;
			// It goes out; its answer is never read: the socket is cut once the commit is visible.
			const socket = socketOf(client);
			socket.pause();
			const pending = run();
			pending.catch(() => {});
			await until(async () => (await requestsOf(w.voterId)).length > 0);
			socket.destroy();
			return pending;
		});
		try {
			const input = { voterId: w.voterId, channel: 'portal' as const, electionId: w.electionId, rounds: [1 as const], delivery: 'in-person' as const, idempotencyKey: 'answer-lost-after-commit' };
			const failure = await submitVoterCardRequest(faulty.db, input, system, NOW).then(
				() => null,
				(e: unknown) => e
			);
			expect(isDatabaseUnavailable(failure), String(failure)).toBe(true);
			const committed = await requestsOf(w.voterId);
			expect(committed).toHaveLength(1);

			const retried = await submitVoterCardRequest(faulty.db, input, system, NOW.add({ seconds: 2 }));
			expect(retried).toEqual({ ok: true, replayed: true, requests: [{ id: committed[0]!.id, reference: committed[0]!.reference, round: 1 }] });
			expect(await requestsOf(w.voterId)).toHaveLength(1);
			expect(await filingAudits()).toHaveLength(1);
		} finally {
			await faulty.close();
		}
	});
});

describe('a package batch whose connection dies in the middle (§57b)', () => {
	afterEach(async () => {
		await sql`DROP TRIGGER IF EXISTS test_fault ON correspondence_package`.execute(db);
		await sql`DROP FUNCTION IF EXISTS test_fault_kill()`.execute(db);
	});

	it('leaves no package, number, batch or audit entry; the batch then goes through whole', async () => {
		const embassy = await insertFixtureEmbassy(db, { timeZone: 'Europe/Berlin' });
		const staff = await insertFixtureStaffSet(db, embassy.id);
		const created = await createElection(db, { type: 'chamber', announcedOn: '2026-10-01', rounds: [{ round: 1, firstDay: '2027-01-15' }] }, system, NOW);
		if (!created.ok) throw new Error(JSON.stringify(created.errors));
		const voters = await insertFixtureVoters(db, { officeId: embassy.id, count: 5 });
		await db
			.insertInto('request')
			.values(
				voters.map((voterId) => ({
					reference: newReference('correspondence-package'),
					kind: 'correspondence-package' as const,
					voter_id: voterId,
					election_id: created.id,
					round: 1,
					office_id: embassy.id,
					channel: 'portal' as const,
					delivery: 'in-person' as const,
					state: 'accepted' as const,
					received_at: new Date('2026-11-20T09:00:00Z'),
					decided_at: new Date('2026-11-21T09:00:00Z')
				}))
			)
			.execute();
		// The server process of the issuing connection ends while the third package is written.
		await sql`CREATE FUNCTION test_fault_kill() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN IF NEW.id_slip_number = 3 THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF; RETURN NEW; END $$`.execute(db);
		await sql`CREATE TRIGGER test_fault BEFORE INSERT ON correspondence_package FOR EACH ROW EXECUTE FUNCTION test_fault_kill()`.execute(db);

		const faulty = faultyDb((_client, _text, run) => run());
		try {
			const failure = await issuePackages(faulty.db, { electionId: created.id }, staff.clerk, NOW).then(
				() => null,
				(e: unknown) => e
			);
			expect(isDatabaseUnavailable(failure), String(failure)).toBe(true);
		} finally {
			await faulty.close();
			await sql`DROP TRIGGER test_fault ON correspondence_package`.execute(db);
		}
		expect(await db.selectFrom('correspondence_package').select('id').execute()).toEqual([]);
		expect(await db.selectFrom('package_batch').select('id').execute()).toEqual([]);
		expect(await db.selectFrom('office_counter').select('next_value').execute()).toEqual([]);
		expect(await db.selectFrom('audit_log').select('action').where('action', '!=', 'election.create').execute()).toEqual([]);
		expect(new Set((await db.selectFrom('request').select('state').execute()).map((r) => r.state))).toEqual(new Set(['accepted']));

		const again = await issuePackages(db, { electionId: created.id }, staff.clerk, NOW);
		expect(again).toMatchObject({ kind: 'issued', count: 5, firstSlip: 1, lastSlip: 5 });
	});
});

describe('an e-mail whose first send fails', () => {
	let smtp: SMTPServer;
	let port: number;
	let attempts = 0;
	const delivered: string[] = [];

	beforeAll(async () => {
		await migrateJobQueue(connectionString);
		// The first message is refused for now (451), every later one accepted.
		smtp = new SMTPServer({
			authOptional: true,
			disabledCommands: ['AUTH', 'STARTTLS'],
			logger: false,
			onData(stream, session, callback) {
				const chunks: Buffer[] = [];
				stream.on('data', (c: Buffer) => chunks.push(c));
				stream.on('end', () => {
					attempts++;
					if (attempts === 1) return callback(Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 }));
					delivered.push(session.envelope.rcptTo.map((r) => r.address).join(','));
					callback();
				});
			}
		});
		await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
		port = (smtp.server.address() as AddressInfo).port;
	});
	afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
	beforeEach(async () => {
		await sql`DELETE FROM graphile_worker._private_jobs`.execute(db);
	});

	it('is retried by the running job queue and delivered exactly once', { timeout: 60_000 }, async () => {
		const voterId = await insertTestVoter(db, {
			municipal_office_id: await insertTestMunicipalOffice(db),
			given_name: 'Jana',
			family_name: 'Nováková',
			email: 'jana.novakova@example.cz',
			email_confirmed_at: new Date('2026-11-01T10:00:00Z')
		});
		// About no request: not held back for coalescing (issue 15), due at once.
		await db.transaction().execute((trx) => queueVoterNotification(trx, { voterId, kind: 'request-received' }));

		const sender = createSmtpSender({ host: '127.0.0.1', port }, 'Volební portál <noreply@example.cz>');
		const runner = await startJobRunner({ connectionString, taskList: createTaskList({ db, sender, now: () => NOW }), concurrency: 1, pollInterval: 250 });
		try {
			// graphile-worker retries after e¹ ≈ 2.7 s.
			// The send commits sent_at inside the task; the queue deletes the job only after the task
			// returns: wait for both, or a stop in between leaves the job behind (seen on a busy machine).
			await until(async () => {
				const sent = (await db.selectFrom('email_outbox').select('sent_at').executeTakeFirstOrThrow()).sent_at !== null;
				const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM graphile_worker.jobs`.execute(db);
				return sent && rows[0]?.n === 0;
			}, 30_000);
		} finally {
			await runner.stop();
			sender.close();
		}
		const row = await db.selectFrom('email_outbox').select(['attempts', 'last_error', 'sent_at']).executeTakeFirstOrThrow();
		expect(row.attempts).toBe(2);
		expect(row.last_error).toBeNull();
		expect(attempts).toBe(2);
		expect(delivered).toEqual(['jana.novakova@example.cz']);
		const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM graphile_worker.jobs`.execute(db);
		expect(rows[0]?.n).toBe(0);
	});
});
