import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../db/test-support';
import { createElection } from './elections';
import { insertFixtureEmbassy, insertFixtureStaff } from './envelope-fixtures';
import { mediaAccess, registerMediaOrganisation, switchRealProcessing } from './media';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const FIRST_DAY = '2027-10-08';
/** Default deadline: 16:00 Prague ten days before D. */
const BEFORE_DEADLINE = Temporal.Instant.from('2027-09-28T13:00:00Z');
const AFTER_DEADLINE = Temporal.Instant.from('2027-09-28T14:00:00Z');
/** The close of voting in Czechia, Saturday 14:00 Prague. */
const CLOSE = Temporal.Instant.from('2027-10-09T12:00:00Z');

async function setup() {
	const embassy = await insertFixtureEmbassy(db);
	const admin = await insertFixtureStaff(db, { officeId: embassy.id, role: 'administrator' });
	const created = await createElection(db, { type: 'chamber', announcedOn: '2027-07-01', rounds: [{ round: 1, firstDay: FIRST_DAY }] }, { kind: 'system' }, Temporal.Instant.from('2027-06-01T00:00:00Z'));
	if (!created.ok) throw new Error('election');
	const clerk = await insertFixtureStaff(db, { officeId: embassy.id, role: 'embassy-clerk' });
	return { electionId: created.id, admin, clerk };
}

const INPUT = {
	name: 'Česká televize',
	email: 'volby@example.cz',
	phone: '+420 261 131 111',
	production: '192.0.2.0/28\n198.51.100.7',
	test: '203.0.113.5, 2001:db8::/48'
};

describe('registered media', () => {
	it('registers an organisation before the deadline, with a token shown once and audited without it', async () => {
		const { electionId, admin } = await setup();
		const result = await registerMediaOrganisation(db, { ...INPUT, electionId }, admin, BEFORE_DEADLINE);
		expect(result).toMatchObject({ kind: 'registered' });
		if (result.kind !== 'registered') return;
		expect(result.token).toMatch(/^vpm_[A-Za-z0-9_-]{43}$/);
		const row = await db.selectFrom('media_organisation').selectAll().executeTakeFirstOrThrow();
		expect(row.production_addresses).toEqual(['192.0.2.0/28', '198.51.100.7/32']);
		expect(Buffer.from(row.token_hash).toString('utf8')).not.toContain(result.token);
		const audit = await db.selectFrom('audit_log').select(['action', 'after']).where('action', '=', 'media.register').executeTakeFirstOrThrow();
		expect(JSON.stringify(audit.after)).not.toContain(result.token);
		expect(await registerMediaOrganisation(db, { ...INPUT, electionId }, admin, BEFORE_DEADLINE)).toEqual({ kind: 'name-taken' });
	});

	it('refuses a registration after the deadline and names it; only an administrator registers', async () => {
		const { electionId, admin, clerk } = await setup();
		expect(await registerMediaOrganisation(db, { ...INPUT, electionId }, admin, AFTER_DEADLINE)).toEqual({ kind: 'deadline-passed', deadline: AFTER_DEADLINE });
		expect(await registerMediaOrganisation(db, { ...INPUT, electionId }, clerk, BEFORE_DEADLINE)).toEqual({ kind: 'forbidden' });
		// A deadline set per election moves it.
		await db.updateTable('election').set({ media_registration_deadline: new Date('2027-10-01T10:00:00Z') }).where('id', '=', electionId).execute();
		expect(await registerMediaOrganisation(db, { ...INPUT, electionId }, admin, AFTER_DEADLINE)).toMatchObject({ kind: 'registered' });
	});

	it('refuses everything, too many and overlapping addresses', async () => {
		const { electionId, admin } = await setup();
		expect(await registerMediaOrganisation(db, { ...INPUT, electionId, production: '0.0.0.0/0' }, admin, BEFORE_DEADLINE)).toMatchObject({
			kind: 'invalid',
			errors: { production: { problem: 'everything' } }
		});
		expect(await registerMediaOrganisation(db, { ...INPUT, electionId, test: '192.0.2.3' }, admin, BEFORE_DEADLINE)).toMatchObject({
			kind: 'invalid',
			errors: { test: { problem: 'overlap' } }
		});
	});

	it('production addresses get the media tier; test addresses the test feed until the switch or the close of voting', async () => {
		const { electionId, admin } = await setup();
		const registered = await registerMediaOrganisation(db, { ...INPUT, electionId }, admin, BEFORE_DEADLINE);
		if (registered.kind !== 'registered') throw new Error(registered.kind);
		const token = registered.token;
		const evening = Temporal.Instant.from('2027-10-08T18:00:00Z');
		expect(await mediaAccess(db, { token, clientAddress: '192.0.2.9' }, evening)).toMatchObject({ kind: 'production', electionId });
		expect(await mediaAccess(db, { token, clientAddress: '::ffff:198.51.100.7' }, evening)).toMatchObject({ kind: 'production' });
		expect(await mediaAccess(db, { token, clientAddress: '203.0.113.5' }, evening)).toMatchObject({ kind: 'test' });
		expect(await mediaAccess(db, { token, clientAddress: '2001:db8::77' }, evening)).toMatchObject({ kind: 'test' });
		expect(await mediaAccess(db, { token, clientAddress: '203.0.113.6' }, evening)).toEqual({ kind: 'address-not-registered' });
		expect(await mediaAccess(db, { token: `${token}x`, clientAddress: '192.0.2.9' }, evening)).toEqual({ kind: 'invalid-token' });
		expect(await mediaAccess(db, { token, clientAddress: '203.0.113.5' }, CLOSE)).toEqual({ kind: 'test-cut-off', since: CLOSE });

		// The administrator's switch cuts the test addresses off at once, on the election's clock.
		expect(await switchRealProcessing(db, { electionId, on: true }, admin, evening)).toEqual({ kind: 'switched', on: true });
		expect(await mediaAccess(db, { token, clientAddress: '203.0.113.5' }, evening.add({ seconds: 1 }))).toEqual({ kind: 'test-cut-off', since: evening });
		expect(await mediaAccess(db, { token, clientAddress: '192.0.2.9' }, evening.add({ seconds: 1 }))).toMatchObject({ kind: 'production' });
		const audit = await db.selectFrom('audit_log').select('action').where('action', 'like', 'media.%').execute();
		expect(audit.map((a) => a.action).sort()).toEqual(['media.real-processing-switch', 'media.register']);
	});
});
