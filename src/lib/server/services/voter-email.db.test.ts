import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { insertTestMunicipalOffice, insertTestVoter, openTestDb, resetDb } from '../db/test-support';
import { queueVoterNotification } from './notifications';
import { confirmEmail, hashEmailToken, nextConfirmationAllowedAt, removeEmail, requestEmailConfirmation } from './voter-email';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const NOW = Temporal.Instant.from('2026-11-20T08:00:00Z');

async function voters() {
	const officeId = await insertTestMunicipalOffice(db);
	const make = () => insertTestVoter(db, { municipal_office_id: officeId });
	return { a: await make(), b: await make(), c: await make(), d: await make() };
}

/** Sends the confirmation and returns the token the e-mail carries. */
async function requestFor(voterId: string, email: string, at = NOW): Promise<string> {
	let token = '';
	const result = await requestEmailConfirmation(
		db,
		{ voterId, email, confirmUrl: (t) => ((token = t), `https://portal.example/muj-zaznam/email/potvrdit?token=${t}`) },
		{ kind: 'voter', id: voterId },
		at
	);
	expect(result).toEqual({ ok: true });
	return token;
}

describe('voter e-mail for notifications', () => {
	it('is used only after the link sent to it is opened; only the token hash is stored', async () => {
		const { a } = await voters();
		const token = await requestFor(a, ' jan@example.cz ');
		const pending = await db.selectFrom('voter').selectAll().where('id', '=', a).executeTakeFirstOrThrow();
		expect(pending).toMatchObject({ email: null, email_confirmed_at: null, email_pending: 'jan@example.cz' });
		expect(Buffer.from(pending.email_token_hash!)).toEqual(Buffer.from(hashEmailToken(token)));
		expect(JSON.stringify(pending)).not.toContain(token);

		const [mail] = await db.selectFrom('email_outbox').selectAll().execute();
		expect(mail!.to_address).toBe('jan@example.cz');
		expect(mail!.body).toContain(`potvrdit?token=${token}`);

		expect(await confirmEmail(db, { voterId: a, token }, { kind: 'voter', id: a }, NOW.add({ hours: 1 }))).toEqual({ ok: true, email: 'jan@example.cz' });
		const confirmed = await db.selectFrom('voter').selectAll().where('id', '=', a).executeTakeFirstOrThrow();
		expect(confirmed).toMatchObject({ email: 'jan@example.cz', email_pending: null, email_token_hash: null });
		expect(confirmed.email_confirmed_at!.toISOString()).toBe('2026-11-20T09:00:00.000Z');
		// The link works once.
		expect(await confirmEmail(db, { voterId: a, token }, { kind: 'voter', id: a }, NOW)).toEqual({ ok: false, error: 'invalid-token' });
		const actions = await db.selectFrom('audit_log').select(['action', 'after']).orderBy('id').execute();
		expect(actions.map((r) => r.action)).toEqual(['voter.email-confirmation-requested', 'voter.email-confirmed']);
		expect(JSON.stringify(actions)).not.toContain('jan@example.cz');
	});

	it("refuses another voter's token, an expired one and a replaced one", async () => {
		const { a, b } = await voters();
		const token = await requestFor(a, 'jan@example.cz');
		expect(await confirmEmail(db, { voterId: b, token }, { kind: 'voter', id: b }, NOW)).toEqual({ ok: false, error: 'invalid-token' });
		expect(await confirmEmail(db, { voterId: a, token }, { kind: 'voter', id: a }, NOW.add({ hours: 48 }))).toEqual({ ok: false, error: 'expired-token' });

		const newer = await requestFor(a, 'jan.novak@example.cz', NOW.add({ minutes: 5 }));
		expect(await confirmEmail(db, { voterId: a, token }, { kind: 'voter', id: a }, NOW)).toEqual({ ok: false, error: 'invalid-token' });
		expect(await confirmEmail(db, { voterId: a, token: newer }, { kind: 'voter', id: a }, NOW)).toEqual({ ok: true, email: 'jan.novak@example.cz' });
	});

	it('can be removed, and then no notification is sent', async () => {
		const { a } = await voters();
		const token = await requestFor(a, 'jan@example.cz');
		await confirmEmail(db, { voterId: a, token }, { kind: 'voter', id: a }, NOW);
		expect(await removeEmail(db, { voterId: a }, { kind: 'voter', id: a }, NOW)).toEqual({ ok: true });
		const row = await db.selectFrom('voter').select(['email', 'email_confirmed_at', 'email_pending']).where('id', '=', a).executeTakeFirstOrThrow();
		expect(row).toEqual({ email: null, email_confirmed_at: null, email_pending: null });
	});
});

describe('confirmation e-mails to addresses nobody has confirmed yet', () => {
	const ask = (voterId: string, email: string, at: Temporal.Instant) =>
		requestEmailConfirmation(db, { voterId, email, confirmUrl: (t) => `https://portal.example/muj-zaznam/email/potvrdit?token=${t}` }, { kind: 'voter', id: voterId }, at);
	const mailsTo = async (to: string) => (await db.selectFrom('email_outbox').select('to_address').where('to_address', '=', to).execute()).length;

	it('go to one address at most 3 times an hour, whichever voters ask; the 4th is refused with the time it becomes possible', async () => {
		const { a, b, c, d } = await voters();
		expect(await ask(a, 'victim@example.test', NOW)).toEqual({ ok: true });
		expect(await ask(b, 'Victim@Example.test', NOW.add({ minutes: 10 }))).toEqual({ ok: true });
		// A +tag reaches the same mailbox: it counts against it.
		expect(await ask(c, 'victim+x@example.test', NOW.add({ minutes: 20 }))).toEqual({ ok: true });
		const refused = await ask(d, 'victim@example.test', NOW.add({ minutes: 30 }));
		expect(refused).toEqual({ ok: false, error: 'too-soon', retryAt: Temporal.Instant.from('2026-11-20T09:00:00Z') });
		// Refused: no mail, and the voter's record is unchanged.
		expect(await mailsTo('victim@example.test')).toBe(1);
		expect((await db.selectFrom('email_outbox').selectAll().execute()).length).toBe(3);
		const row = await db.selectFrom('voter').select(['email_pending', 'email_token_hash']).where('id', '=', d).executeTakeFirstOrThrow();
		expect(row).toEqual({ email_pending: null, email_token_hash: null });
		expect(await db.selectFrom('audit_log').select('entity_id').where('action', '=', 'voter.email-confirmation-requested').execute()).toHaveLength(3);
		// At the named time it goes.
		expect(await ask(d, 'victim@example.test', NOW.add({ minutes: 60 }))).toEqual({ ok: true });
		// The database keeps no address of its own for counting: only hashes.
		const sends = await db.selectFrom('email_confirmation_sent').selectAll().execute();
		expect(sends).toHaveLength(4);
		expect(JSON.stringify(sends)).not.toContain('victim');
	});

	it('go out for one voter at most 5 times a day, 2 minutes apart at least, to any addresses', async () => {
		const { a } = await voters();
		// The cooldown: a second link a minute later is refused, and the page can say when.
		expect(await ask(a, 'jan1@example.cz', NOW)).toEqual({ ok: true });
		expect(await ask(a, 'jan2@example.cz', NOW.add({ minutes: 1 }))).toEqual({ ok: false, error: 'too-soon', retryAt: Temporal.Instant.from('2026-11-20T08:02:00Z') });
		expect((await nextConfirmationAllowedAt(db, { voterId: a, email: 'jan1@example.cz' }, NOW.add({ minutes: 1 })))?.toString()).toBe('2026-11-20T08:02:00Z');
		expect(await nextConfirmationAllowedAt(db, { voterId: a, email: 'jan1@example.cz' }, NOW.add({ minutes: 2 }))).toBeNull();
		for (let i = 2; i <= 5; i++) expect(await ask(a, `jan${i}@example.cz`, NOW.add({ hours: i }))).toEqual({ ok: true });
		// The 6th in 24 hours, to a fresh address: refused until the first is a day old.
		expect(await ask(a, 'jan6@example.cz', NOW.add({ hours: 10 }))).toEqual({ ok: false, error: 'too-soon', retryAt: Temporal.Instant.from('2026-11-21T08:00:00Z') });
		expect(await mailsTo('jan6@example.cz')).toBe(0);
		expect(await ask(a, 'jan6@example.cz', NOW.add({ hours: 24 }))).toEqual({ ok: true });
		// Sends older than a day are forgotten as new ones come.
		expect((await db.selectFrom('email_confirmation_sent').select('sent_at').execute()).map((r) => r.sent_at.toISOString()).sort()).toEqual([
			'2026-11-20T10:00:00.000Z',
			'2026-11-20T11:00:00.000Z',
			'2026-11-20T12:00:00.000Z',
			'2026-11-20T13:00:00.000Z',
			'2026-11-21T08:00:00.000Z'
		]);
	});

	it('are counted one after the other when many arrive at once', async () => {
		const { a, b, c, d } = await voters();
		const results = await Promise.all([a, b, c, d, a, b].map((v) => ask(v, 'victim@example.test', NOW)));
		expect(results.filter((r) => r.ok)).toHaveLength(3);
		expect(await mailsTo('victim@example.test')).toBe(3);
	});

	it('nothing else mails an unconfirmed address: notifications wait for confirmation', async () => {
		const { a } = await voters();
		await ask(a, 'jan@example.cz', NOW);
		await db.transaction().execute((trx) => queueVoterNotification(trx, { voterId: a, kind: 'request-accepted', reference: 'VP-TEST0001' }));
		expect(await db.selectFrom('email_outbox').select('subject').execute()).toHaveLength(1);
	});
});
