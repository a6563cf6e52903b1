/**
 * Issue 15: the voter's e-mail in their language only, coalesced per request (one message
 * with the latest state), with a subject naming the election and the state, and links to the
 * request and its calendar.
 */
import { sql } from 'kysely';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { migrateJobQueue } from '../jobs/worker';
import { openTestDb, resetDb } from '../db/test-support';
import { acceptRequest, refuseRequest } from './decisions';
import { decisionFixture, prague } from './decision-fixtures';
import { mailCoalesceSeconds, queueVoterNotification } from './notifications';
import { issueVoterCard } from './voter-cards';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const LATER = prague('2026-11-20T10:30');
const mailsOf = (voterId: string) => db.selectFrom('email_outbox').selectAll().where('voter_id', '=', voterId).orderBy('created_at').execute();
const setLocale = (voterId: string, locale: 'cs' | 'en' | null) => db.updateTable('voter').set({ locale }).where('id', '=', voterId).execute();
/** created_at is Generated<…> in the schema's types: a Date at run time. */
const ms = (d: unknown) => (d as Date).getTime();
const markSent = (id: string) => db.updateTable('email_outbox').set({ sent_at: new Date() }).where('id', '=', id).execute();

/** Czech words that would give away a second language in an English message. */
const CZECH = /Dobrý den|Číslo žádosti|Vaše žádost|Volby:|Podrobnosti|Stav žádosti|Tato zpráva/;

describe('the language of a voter e-mail', () => {
	it('is English only for a voter who used the portal in English, with times as a person writes them', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		await setLocale(voterId, 'en');
		const { reference } = await f.voterCardRequest(voterId);

		const [mail] = await mailsOf(voterId);
		expect(mail?.subject).toBe('Elections to the Chamber of Deputies 2027: Your request has been received');
		expect(mail?.body).toMatch(/^Hello,\n/);
		expect(mail?.body).toContain(`Reference: ${reference}`);
		// §57(3): a mailed card is asked for by D−10, 16:00 Prague time (D is Friday 15 January 2027).
		expect(mail?.body).toContain('Deadline: Tuesday 5 January 2027, 16:00 (Prague time)');
		expect(mail?.body).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
		expect(mail?.body).not.toMatch(CZECH);
		expect(mail?.body_html).toContain('<html lang="en">');
		expect(mail?.body_html).not.toMatch(CZECH);
	});

	it('is Czech only for a voter who used it in Czech, and for one whose language is not known', async () => {
		const f = await decisionFixture(db);
		for (const locale of ['cs', null] as const) {
			const voterId = await f.voter();
			await setLocale(voterId, locale);
			await f.voterCardRequest(voterId);
			const [mail] = await mailsOf(voterId);
			expect(mail?.subject).toBe('Volby do Poslanecké sněmovny 2027: Vaše žádost byla přijata k vyřízení');
			expect(mail?.body).toContain('Lhůta: úterý 5. ledna 2027, 16:00 (Praha)');
			expect(mail?.body).not.toMatch(/Hello|Reference:|Deadline/);
			expect(mail?.body_html).toContain('<html lang="cs">');
		}
	});

	it('links the request page and its personal calendar, absolutely, in both parts', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const { reference } = await f.voterCardRequest(voterId);
		const [mail] = await mailsOf(voterId);
		expect(mail?.body).toMatch(new RegExp(`https?://[^/\\s]+/zadosti/${reference}/kalendar\\.ics`));
		expect(mail?.body_html).toMatch(new RegExp(`<a href="https?://[^/"]+/zadosti/${reference}/kalendar\\.ics">`));
	});

	it('escapes every value in the HTML part', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		await db.transaction().execute((trx) =>
			queueVoterNotification(trx, { voterId, kind: 'package-handed-over', details: () => ({ Proxy: '<script>alert("x")</script> & Co' }) })
		);
		const [mail] = await mailsOf(voterId);
		expect(mail?.body_html).not.toContain('<script>');
		expect(mail?.body_html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
		expect(mail?.body).toContain('Proxy: <script>alert("x")</script> & Co');
	});
});

describe('coalescing the e-mails of one request', () => {
	it('turns filing, acceptance and issue within the window into ONE unsent message with the latest state', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		await setLocale(voterId, 'en');
		const { id, reference } = await f.voterCardRequest(voterId);
		const [first] = await mailsOf(voterId);
		expect(first?.coalesce_key).toBe(`request:${reference}`);

		expect(await acceptRequest(db, { requestId: id }, f.clerk, LATER)).toMatchObject({ kind: 'done' });
		expect((await issueVoterCard(db, { requestId: id }, f.clerk, LATER)).kind).toBe('done');

		const mails = await mailsOf(voterId);
		expect(mails).toHaveLength(1);
		const [mail] = mails;
		expect(mail?.id).toBe(first?.id);
		expect(mail?.subject).toBe('Elections to the Chamber of Deputies 2027: Your voter card has been issued');
		expect(mail?.body).not.toContain('received');
		expect(mail?.body).not.toMatch(CZECH);
		// It keeps the time of the first change: a busy request is not held back for ever.
		expect(mail?.send_after.getTime()).toBe(first?.send_after.getTime());
		const waited = (ms(mail!.send_after) - ms(mail!.created_at)) / 1000;
		expect(Math.round(waited)).toBe(mailCoalesceSeconds());
	});

	it('writes a new message for a change after the earlier one was sent', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const { id } = await f.voterCardRequest(voterId);
		const [sent] = await mailsOf(voterId);
		await markSent(sent!.id);

		await refuseRequest(db, { requestId: id, reason: 'not-on-voter-list' }, f.clerk, LATER);
		const mails = await mailsOf(voterId);
		expect(mails).toHaveLength(2);
		expect(mails[1]?.subject).toBe('Volby do Poslanecké sněmovny 2027: Vaše žádost byla zamítnuta');
		expect(mails[1]?.body).toMatch(/Obrátit se na soud můžete nejpozději: .+, (pondělí|úterý|středa|čtvrtek|pátek) \d+\. \S+ 2026/);
		expect(mails[0]?.subject).toContain('přijata');
	});

	it('keeps the e-mails of two requests apart', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const a = await f.voterCardRequest(voterId);
		const b = await f.voterCardRequest(voterId, { electionId: f.european });
		await acceptRequest(db, { requestId: a.id }, f.clerk, LATER);
		await acceptRequest(db, { requestId: b.id }, f.clerk, LATER);
		const mails = await mailsOf(voterId);
		expect(mails.map((m) => m.coalesce_key).sort()).toEqual([`request:${a.reference}`, `request:${b.reference}`].sort());
		expect(mails.map((m) => m.subject.split(': ')[1])).toEqual(['Vaší žádosti bylo vyhověno', 'Vaší žádosti bylo vyhověno']);
		expect(new Set(mails.map((m) => m.subject.split(': ')[0])).size).toBe(2);
	});

	it('does not delay or coalesce a message about no request', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		for (let i = 0; i < 2; i++) await db.transaction().execute((trx) => queueVoterNotification(trx, { voterId, kind: 'registration-removed' }));
		const mails = await mailsOf(voterId);
		expect(mails).toHaveLength(2);
		expect(mails.every((m) => m.coalesce_key === null && ms(m.send_after) === ms(m.created_at))).toBe(true);
	});

	it('gives the message a send-email job at its send_after, kept (and re-armed) when it is rewritten', async () => {
		await migrateJobQueue(inject('databaseUrl'));
		await sql`DELETE FROM graphile_worker._private_jobs`.execute(db);
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const { id } = await f.voterCardRequest(voterId);
		const [mail] = await mailsOf(voterId);
		const job = async () =>
			(await sql<{ run_at: Date; attempts: number }>`SELECT run_at, attempts FROM graphile_worker.jobs WHERE key = ${`email:${mail!.id}`}`.execute(db)).rows;
		expect((await job())[0]?.run_at.getTime()).toBe(mail?.send_after.getTime());

		// As if every attempt had failed: the rewrite arms it again, at the same time.
		await sql`UPDATE graphile_worker._private_jobs SET attempts = max_attempts WHERE key = ${`email:${mail!.id}`}`.execute(db);
		await acceptRequest(db, { requestId: id }, f.clerk, LATER);
		const after = await job();
		expect(after).toHaveLength(1);
		expect(after[0]?.attempts).toBe(0);
		expect(after[0]?.run_at.getTime()).toBe(mail?.send_after.getTime());
	});
});
