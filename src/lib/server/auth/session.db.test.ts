import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { toDate } from '../clock';
import { openTestDb, resetDb } from '../db/test-support';
import { logout } from './logout';
import { createSession, invalidateSession, markSessionTwoFactorVerified, parseSessionToken, validateSessionToken } from './session';

const db = openTestDb();
const T0 = Temporal.Instant.from('2026-11-20T08:00:00Z');
const later = (spec: Temporal.DurationLike) => T0.add(spec);

let officeId: string;
let voterId: string;

async function insertVoter(eidSubject: string | null, given = 'Petr', family = 'Svoboda') {
	const row = await db
		.insertInto('voter')
		.values({
			municipal_office_id: officeId,
			given_name: given,
			family_name: family,
			birth_date: '1984-03-12',
			address_line: 'Vinohradská 1849/112',
			city: 'Praha',
			postal_code: '130 00',
			country_code: 'CZ',
			eid_subject: eidSubject
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

const eidPrincipal = (voter: string | null, subject = 'subject-petr') => ({
	kind: 'eid' as const,
	voterId: voter,
	eidSubject: subject,
	eidAcr: 'http://eidas.europa.eu/LoA/substantial',
	eidClaims: voter ? null : { givenName: 'Alena', familyName: 'Pokorná', birthDate: '1973-06-30', address: null }
});

beforeEach(async () => {
	await resetDb(db);
	const office = await db
		.insertInto('office')
		.values({ kind: 'municipal', code: 'mu-554782', name_cs: 'Magistrát', name_en: 'City Hall', address: 'Praha', municipality_code: '554782' })
		.returning('id')
		.executeTakeFirstOrThrow();
	officeId = office.id;
	voterId = await insertVoter('subject-petr');
});

afterAll(() => db.destroy());

describe('sessions', () => {
	it('are created with a fresh id and validated with the voter they belong to', async () => {
		const created = await createSession(db, eidPrincipal(voterId), T0);
		const again = await createSession(db, eidPrincipal(voterId), T0);
		expect(again.id).not.toBe(created.id);

		const validated = await validateSessionToken(db, created.token, later({ minutes: 5 }));
		expect(validated?.session.id).toBe(created.id);
		expect(validated?.session.eidSubject).toBe('subject-petr');
		expect(validated?.session.eidAcr).toBe('http://eidas.europa.eu/LoA/substantial');
		expect(validated?.voter).toMatchObject({ id: voterId, givenName: 'Petr', familyName: 'Svoboda', birthDate: '1984-03-12', municipalOfficeId: officeId });
		expect(validated?.staff).toBeNull();
	});

	it('keep only a hash of the secret', async () => {
		const created = await createSession(db, eidPrincipal(voterId), T0);
		const { secret } = parseSessionToken(created.token)!;
		const row = await db.selectFrom('session').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
		expect(Buffer.from(row.secret_hash).toString('hex')).not.toContain(Buffer.from(secret).toString('hex'));
		expect(row.secret_hash.length).toBe(32);
		expect(JSON.stringify(row)).not.toContain(secret);
	});

	it('refuse a wrong secret, a malformed token and an unknown id', async () => {
		const created = await createSession(db, eidPrincipal(voterId), T0);
		const other = await createSession(db, eidPrincipal(voterId), T0);
		const { id } = parseSessionToken(created.token)!;
		const { secret: otherSecret } = parseSessionToken(other.token)!;
		expect(await validateSessionToken(db, `${id}.${otherSecret}`, T0)).toBeNull();
		expect(await validateSessionToken(db, 'garbage', T0)).toBeNull();
		expect(await validateSessionToken(db, undefined, T0)).toBeNull();
		await invalidateSession(db, created.id);
		expect(await validateSessionToken(db, created.token, T0)).toBeNull();
		// the wrong secret did not end the real session
		expect(await validateSessionToken(db, other.token, T0)).not.toBeNull();
	});

	it('end after 15 minutes without activity, and are deleted then', async () => {
		const created = await createSession(db, eidPrincipal(voterId), T0);
		expect(await validateSessionToken(db, created.token, later({ minutes: 15 }))).toBeNull();
		expect(await db.selectFrom('session').select('id').where('id', '=', created.id).executeTakeFirst()).toBeUndefined();
	});

	it('slide with activity, written back at most once a minute', async () => {
		const created = await createSession(db, eidPrincipal(voterId), T0);
		await validateSessionToken(db, created.token, later({ seconds: 30 }));
		let row = await db.selectFrom('session').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
		expect(row.last_seen_at.toISOString()).toBe(toDate(T0).toISOString());

		await validateSessionToken(db, created.token, later({ minutes: 10 }));
		row = await db.selectFrom('session').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
		expect(row.last_seen_at.toISOString()).toBe(toDate(later({ minutes: 10 })).toISOString());
		expect(row.expires_at.toISOString()).toBe(toDate(later({ minutes: 25 })).toISOString());
		expect(await validateSessionToken(db, created.token, later({ minutes: 24 }))).not.toBeNull();
	});

	it('end after 8 hours however active', async () => {
		const created = await createSession(db, eidPrincipal(voterId), T0);
		for (let minute = 10; minute < 8 * 60; minute += 10) {
			expect(await validateSessionToken(db, created.token, later({ minutes: minute }))).not.toBeNull();
		}
		expect(await validateSessionToken(db, created.token, later({ hours: 8 }))).toBeNull();
	});

	it('of someone on no voter list carry what the eID said, and find the voter once one exists', async () => {
		const created = await createSession(db, eidPrincipal(null, 'subject-alena'), T0);
		let validated = await validateSessionToken(db, created.token, T0);
		expect(validated?.voter).toBeNull();
		expect(validated?.session.eidIdentity).toEqual({ givenName: 'Alena', familyName: 'Pokorná', birthDate: '1973-06-30', address: null });

		// e.g. an embassy accepted her special-district registration
		const alena = await insertVoter('subject-alena', 'Alena', 'Pokorná');
		validated = await validateSessionToken(db, created.token, T0);
		expect(validated?.voter?.id).toBe(alena);
	});

	it('of staff carry the staff member and the second-factor flag', async () => {
		const staff = await db
			.insertInto('staff_user')
			.values({ username: 'urednik', display_name: 'Petr Úředník', password_hash: 'x', role: 'municipal-clerk', office_id: officeId })
			.returning('id')
			.executeTakeFirstOrThrow();
		const created = await createSession(db, { kind: 'staff', staffId: staff.id }, T0);
		let validated = await validateSessionToken(db, created.token, later({ minutes: 20 }));
		expect(validated?.staff).toEqual({ id: staff.id, displayName: 'Petr Úředník', role: 'municipal-clerk', officeId });
		expect(validated?.session.twoFactorVerified).toBe(false);
		expect(validated?.voter).toBeNull();

		await markSessionTwoFactorVerified(db, created.id);
		validated = await validateSessionToken(db, created.token, later({ minutes: 21 }));
		expect(validated?.session.twoFactorVerified).toBe(true);

		await db.updateTable('staff_user').set({ disabled_at: toDate(T0) }).where('id', '=', staff.id).execute();
		expect(await validateSessionToken(db, created.token, later({ minutes: 22 }))).toBeNull();
	});

	it('end at logout, with an audit entry', async () => {
		const created = await createSession(db, eidPrincipal(voterId), T0);
		await logout(db, { sessionId: created.id, voterId, staff: null }, later({ minutes: 1 }));
		expect(await validateSessionToken(db, created.token, later({ minutes: 2 }))).toBeNull();
		const audit = await db.selectFrom('audit_log').selectAll().execute();
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actor_kind: 'voter', actor_id: voterId, action: 'voter.logout' });
		// a second logout (another tab) changes nothing
		await logout(db, { sessionId: created.id, voterId, staff: null }, later({ minutes: 3 }));
		expect(await db.selectFrom('audit_log').selectAll().execute()).toHaveLength(1);
	});
});
