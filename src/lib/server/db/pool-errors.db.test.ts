/**
 * A connection PostgreSQL drops — idle in the pool or checked out — is an event the pool's
 * owner hears about, never an uncaught exception (vitest fails a run with one); graphile-worker
 * finds every listener it wants on the job queue's pool and prints no warning (issue 20).
 */
import pg from 'pg';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { handlePoolErrors } from './pool-errors';
import { migrateJobQueue, startJobRunner } from '../jobs/worker';

const connectionString = inject('databaseUrl');
const admin = new pg.Client({ connectionString });
const ready = admin.connect();
afterAll(() => admin.end());

async function terminate(pid: number): Promise<void> {
	await ready;
	await admin.query('SELECT pg_terminate_backend($1)', [pid]);
}

describe('handlePoolErrors', () => {
	it('an idle connection ended by the server reaches onError', async () => {
		const errors: Error[] = [];
		const pool = handlePoolErrors(new pg.Pool({ connectionString, max: 2 }), (e) => errors.push(e));
		const client = await pool.connect();
		const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
		client.release();
		await terminate(rows[0]!.pid);
		await vi.waitFor(() => expect(errors.length).toBe(1), { timeout: 5_000 });
		// The pool goes on with a new connection.
		expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
		await pool.end();
	});

	it('a checked-out connection ended by the server fails its query, nothing else', async () => {
		const pool = handlePoolErrors(new pg.Pool({ connectionString, max: 2 }), () => {});
		const client = await pool.connect();
		const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
		await terminate(rows[0]!.pid);
		await new Promise((r) => setTimeout(r, 200));
		await expect(client.query('SELECT 1')).rejects.toThrow();
		client.release(true);
		expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
		await pool.end();
	});
});

describe('graphile-worker', () => {
	it('finds the error handlers it wants on the job queue pool', async () => {
		await migrateJobQueue(connectionString);
		const warn = vi.spyOn(console, 'warn');
		const runner = await startJobRunner({ connectionString, taskList: { noop: async () => {} }, pollInterval: 60_000 });
		await runner.stop();
		expect(warn.mock.calls.filter((c) => String(c[0]).includes('error handlers'))).toEqual([]);
		warn.mockRestore();
	});
});

describe('createDb: a connection that dies under a query', () => {
	it('is not handed to the next query, however soon that comes (brokenConnectionGuard)', async () => {
		const { createDb } = await import('./index');
		const { sql } = await import('kysely');
		const { db } = createDb({ connectionString, max: 1, onPoolError: () => {} });
		try {
			for (let round = 0; round < 5; round++) {
				// The backend ends itself in the middle of the statement; the retry follows at once,
				// before the socket's close is read: it must get a new connection, not the dead one.
				const failure = await sql`SELECT pg_terminate_backend(pg_backend_pid())`.execute(db).then(
					() => null,
					(e: unknown) => e
				);
				expect(failure).not.toBeNull();
				const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
				expect(rows).toEqual([{ one: 1 }]);
			}
		} finally {
			await db.destroy();
		}
	});
});
