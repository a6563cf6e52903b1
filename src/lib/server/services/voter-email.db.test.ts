import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { openTestDb, resetDb } from '../db/test-support';
import { confirmEmail, hashEmailToken, removeEmail, requestEmailConfirmation } from './voter-email';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const NOW = Temporal.Instant.from('2026-11-20T08:00:00Z');

async function voters() {
	const office = await db
		.insertInto('office')
		.values({ kind: 'municipal', code: 'mu-554782', name_cs: 'Magistrát', name_en: 'City Hall', address: 'Praha', municipality_code: '554782' })
		.returning('id')
		.executeTakeFirstOrThrow();
	const make = async () =>
		(
			await db
				.insertInto('voter')
				.values({ municipal_office_id: office.id, given_name: 'Jan', family_name: 'Novák', birth_date: '1980-05-01', address_line: 'Vinohradská 1', city: 'Praha', postal_code: '120 00', country_code: 'CZ' })
				.returning('id')
				.executeTakeFirstOrThrow()
		).id;
	return { a: await make(), b: await make() };
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

		const newer = await requestFor(a, 'jan.novak@example.cz');
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
