import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openTestDb, resetDb } from '../db/test-support';
import { caughtMessages, clearCaughtMessages } from '../mail/catcher';
import { queueTestEmail } from '../services/notifications';
import { Temporal } from 'temporal-polyfill';
import { mailCatcherPort, startBackgroundServices, stopBackgroundServices } from './index';

const connectionString = inject('databaseUrl');
const db = openTestDb();

beforeAll(async () => {
	// Development defaults: no SMTP_URL, so the in-process catcher receives the mail.
	process.env.APP_ENV = 'development';
	process.env.DEV_SMTP_PORT = '0';
	delete process.env.SMTP_URL;
	await resetDb(db);
	await sql`DELETE FROM graphile_worker._private_jobs`.execute(db).catch(() => {});
	clearCaughtMessages();
});
afterAll(async () => {
	await stopBackgroundServices();
	await db.destroy();
});

describe('startBackgroundServices', () => {
	it('starts the job queue and the mail catcher once, delivers queued mail, and stops cleanly', async () => {
		await startBackgroundServices({ connectionString });
		const port = mailCatcherPort();
		expect(port).toBeGreaterThan(0);
		// a second start (Vite reload, a second init) changes nothing
		await startBackgroundServices({ connectionString });
		expect(mailCatcherPort()).toBe(port);

		const id = await queueTestEmail(db, 'tester@example.cz', { kind: 'system' }, Temporal.Instant.from('2026-11-20T09:00:00+01:00'));
		// the job was committed with the message; the running worker picks it up on its own
		await expect.poll(() => caughtMessages().length, { timeout: 20_000 }).toBe(1);
		expect(caughtMessages()[0]?.subject).toBe('Zkušební zpráva Volebního portálu / Election Portal test message');
		expect(caughtMessages()[0]?.text).toContain('Příliš žluťoučký kůň úpěl ďábelské ódy.');
		await expect
			.poll(async () => (await db.selectFrom('email_outbox').select('sent_at').where('id', '=', id).executeTakeFirstOrThrow()).sent_at, {
				timeout: 10_000
			})
			.not.toBeNull();

		await stopBackgroundServices();
		await stopBackgroundServices();
		expect(mailCatcherPort()).toBeUndefined();
	});
});
