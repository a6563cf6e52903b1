import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../db/test-support';
import { createElection } from './elections';
import { insertFixtureEmbassy, insertFixtureStaff } from './envelope-fixtures';
import {
	editMediaOrganisation,
	mediaAccess,
	MediaTokenCache,
	registerMediaOrganisation,
	revokeMediaRegistration,
	rotateMediaToken,
	setMediaRegistrationDeadline,
	switchRealProcessing
} from './media';

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
	const chair = await insertFixtureStaff(db, { officeId: embassy.id, role: 'commission-chair' });
	return { electionId: created.id, admin, clerk, chair };
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

describe('editing, revoking and rotating a registration', () => {
	async function registered() {
		const ctx = await setup();
		const result = await registerMediaOrganisation(db, { ...INPUT, electionId: ctx.electionId }, ctx.admin, BEFORE_DEADLINE);
		if (result.kind !== 'registered') throw new Error(result.kind);
		return { ...ctx, organisationId: result.organisationId, token: result.token };
	}
	const EVENING = Temporal.Instant.from('2027-10-08T18:00:00Z');

	it('edits name, contact and addresses before the deadline, validated as a registration and audited with before and after', async () => {
		const { electionId, admin, organisationId, token } = await registered();
		const edit = { ...INPUT, electionId, organisationId, name: 'ČT24', email: 'noc@example.cz', production: '192.0.2.64/28', test: '2001:db8::/48' };
		expect(await editMediaOrganisation(db, edit, admin, BEFORE_DEADLINE)).toEqual({ kind: 'saved' });
		const row = await db.selectFrom('media_organisation').selectAll().executeTakeFirstOrThrow();
		expect(row).toMatchObject({ name: 'ČT24', email: 'noc@example.cz', production_addresses: ['192.0.2.64/28'], test_addresses: ['2001:db8:0:0:0:0:0:0/48'] });
		// The new addresses work and the old ones no longer do; the token is the same.
		expect(await mediaAccess(db, { token, clientAddress: '192.0.2.70' }, EVENING)).toMatchObject({ kind: 'production' });
		expect(await mediaAccess(db, { token, clientAddress: '192.0.2.9' }, EVENING)).toEqual({ kind: 'address-not-registered' });
		const audit = await db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'media.edit').executeTakeFirstOrThrow();
		expect(audit.before).toMatchObject({ name: INPUT.name, production: ['192.0.2.0/28', '198.51.100.7/32'] });
		expect(audit.after).toMatchObject({ name: 'ČT24', production: ['192.0.2.64/28'] });

		expect(await editMediaOrganisation(db, edit, admin, BEFORE_DEADLINE)).toEqual({ kind: 'unchanged' });
		expect(await editMediaOrganisation(db, { ...edit, production: '0.0.0.0/0' }, admin, BEFORE_DEADLINE)).toMatchObject({
			kind: 'invalid',
			errors: { production: { problem: 'everything' } }
		});
		expect(await editMediaOrganisation(db, { ...edit, test: '::/0' }, admin, BEFORE_DEADLINE)).toMatchObject({ kind: 'invalid', errors: { test: { problem: 'everything' } } });
		expect(await editMediaOrganisation(db, { ...edit, test: '192.0.2.65' }, admin, BEFORE_DEADLINE)).toMatchObject({ kind: 'invalid', errors: { test: { problem: 'overlap' } } });
		expect(await editMediaOrganisation(db, { ...edit, production: '192.0.2.1 192.0.2.2 192.0.2.3 192.0.2.4 192.0.2.5 192.0.2.6' }, admin, BEFORE_DEADLINE)).toMatchObject({
			kind: 'invalid',
			errors: { production: { problem: 'too-many' } }
		});
		expect(await editMediaOrganisation(db, { ...edit, email: 'no' }, admin, BEFORE_DEADLINE)).toMatchObject({ kind: 'invalid', errors: { email: 'invalid' } });
		// Another organisation's name is refused.
		await registerMediaOrganisation(db, { ...INPUT, electionId, name: 'Seznam Zprávy', production: '198.18.0.1', test: '' }, admin, BEFORE_DEADLINE);
		expect(await editMediaOrganisation(db, { ...edit, name: 'Seznam Zprávy' }, admin, BEFORE_DEADLINE)).toEqual({ kind: 'name-taken' });
	});

	it('after the deadline the contact still changes and addresses may be taken away, but none added or widened', async () => {
		const { electionId, admin, organisationId } = await registered();
		const edit = { ...INPUT, electionId, organisationId };
		expect(await editMediaOrganisation(db, { ...edit, phone: '+420 777 000 111' }, admin, AFTER_DEADLINE)).toEqual({ kind: 'saved' });
		expect(await editMediaOrganisation(db, { ...edit, phone: '+420 777 000 111', production: '192.0.2.0/28\n198.51.100.8' }, admin, AFTER_DEADLINE)).toEqual({
			kind: 'deadline-passed',
			deadline: AFTER_DEADLINE
		});
		expect(await editMediaOrganisation(db, { ...edit, phone: '+420 777 000 111', production: '192.0.2.0/27' }, admin, AFTER_DEADLINE)).toMatchObject({ kind: 'deadline-passed' });
		expect(await editMediaOrganisation(db, { ...edit, phone: '+420 777 000 111', test: '203.0.113.5, 2001:db8::/48, 203.0.113.6' }, admin, AFTER_DEADLINE)).toMatchObject({
			kind: 'deadline-passed'
		});
		expect(await editMediaOrganisation(db, { ...edit, phone: '+420 777 000 111', production: '192.0.2.0/29', test: '203.0.113.5' }, admin, AFTER_DEADLINE)).toEqual({ kind: 'saved' });
		const row = await db.selectFrom('media_organisation').select(['phone', 'production_addresses', 'test_addresses']).executeTakeFirstOrThrow();
		expect(row).toEqual({ phone: '+420 777 000 111', production_addresses: ['192.0.2.0/29'], test_addresses: ['203.0.113.5/32'] });
	});

	it('rotates the token: the old one stops at once (also through the feed’s memory), the new one works and is never stored or audited', async () => {
		const { electionId, admin, organisationId, token } = await registered();
		const cache = new MediaTokenCache(60_000);
		expect(await mediaAccess(db, { token, clientAddress: '192.0.2.9' }, EVENING, cache)).toMatchObject({ kind: 'production' });
		const rotated = await rotateMediaToken(db, { electionId, organisationId }, admin, AFTER_DEADLINE);
		if (rotated.kind !== 'rotated') throw new Error(rotated.kind);
		expect(rotated.token).not.toBe(token);
		expect(await mediaAccess(db, { token, clientAddress: '192.0.2.9' }, EVENING, cache)).toEqual({ kind: 'invalid-token' });
		expect(await mediaAccess(db, { token: rotated.token, clientAddress: '192.0.2.9' }, EVENING, cache)).toMatchObject({ kind: 'production', organisationId });
		const audit = await db.selectFrom('audit_log').select(['after']).where('action', '=', 'media.rotate-token').where('entity_id', '=', organisationId).executeTakeFirstOrThrow();
		expect(JSON.stringify(audit.after)).not.toContain(rotated.token);
		const row = await db.selectFrom('media_organisation').select(['token_rotated_at']).executeTakeFirstOrThrow();
		expect(row.token_rotated_at).not.toBeNull();
	});

	it('revokes with a reason, at any time: the token stops at once, the row and the audit entry stay; nothing more can be done with it', async () => {
		const { electionId, admin, organisationId, token } = await registered();
		const cache = new MediaTokenCache(60_000);
		expect(await mediaAccess(db, { token, clientAddress: '203.0.113.5' }, EVENING, cache)).toMatchObject({ kind: 'test' });
		expect(await revokeMediaRegistration(db, { electionId, organisationId, reason: '  ' }, admin, AFTER_DEADLINE)).toEqual({ kind: 'invalid', errors: { reason: 'required' } });
		expect(await revokeMediaRegistration(db, { electionId, organisationId, reason: 'x'.repeat(501) }, admin, AFTER_DEADLINE)).toEqual({ kind: 'invalid', errors: { reason: 'too-long' } });
		expect(await revokeMediaRegistration(db, { electionId, organisationId, reason: 'Token zveřejněn na sociální síti' }, admin, CLOSE)).toEqual({ kind: 'revoked' });
		expect(await mediaAccess(db, { token, clientAddress: '203.0.113.5' }, EVENING, cache)).toEqual({ kind: 'invalid-token' });
		expect(await mediaAccess(db, { token, clientAddress: '192.0.2.9' }, EVENING)).toEqual({ kind: 'invalid-token' });
		const row = await db.selectFrom('media_organisation').select(['revoked_at', 'revoke_reason', 'revoked_by']).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ revoke_reason: 'Token zveřejněn na sociální síti', revoked_by: admin.id });
		const audit = await db.selectFrom('audit_log').select(['after']).where('action', '=', 'media.revoke').executeTakeFirstOrThrow();
		expect(audit.after).toMatchObject({ reason: 'Token zveřejněn na sociální síti' });

		expect(await revokeMediaRegistration(db, { electionId, organisationId, reason: 'again' }, admin, CLOSE)).toEqual({ kind: 'already-revoked' });
		expect(await rotateMediaToken(db, { electionId, organisationId }, admin, CLOSE)).toEqual({ kind: 'revoked' });
		expect(await editMediaOrganisation(db, { ...INPUT, electionId, organisationId, phone: '+420 111 222 333' }, admin, BEFORE_DEADLINE)).toEqual({ kind: 'revoked' });
		expect(await db.selectFrom('audit_log').select('id').where('action', '=', 'media.revoke').execute()).toHaveLength(1);
	});

	it('only an administrator changes a registration; another election’s or an unknown id is not found', async () => {
		const { electionId, admin, clerk, chair, organisationId, token } = await registered();
		const other = await createElection(db, { type: 'european', announcedOn: '2027-07-01', rounds: [{ round: 1, firstDay: '2027-11-05' }] }, { kind: 'system' }, Temporal.Instant.from('2027-06-01T00:00:00Z'));
		if (!other.ok) throw new Error(JSON.stringify(other.errors));
		const edit = { ...INPUT, electionId, organisationId, phone: '+420 999 999 999' };
		for (const actor of [clerk, chair]) {
			expect(await editMediaOrganisation(db, edit, actor, BEFORE_DEADLINE)).toEqual({ kind: 'forbidden' });
			expect(await rotateMediaToken(db, { electionId, organisationId }, actor, BEFORE_DEADLINE)).toEqual({ kind: 'forbidden' });
			expect(await revokeMediaRegistration(db, { electionId, organisationId, reason: 'r' }, actor, BEFORE_DEADLINE)).toEqual({ kind: 'forbidden' });
		}
		// The organisation through another election's page.
		expect(await editMediaOrganisation(db, { ...edit, electionId: other.id }, admin, BEFORE_DEADLINE)).toEqual({ kind: 'not-found' });
		expect(await rotateMediaToken(db, { electionId: other.id, organisationId }, admin, BEFORE_DEADLINE)).toEqual({ kind: 'not-found' });
		expect(await revokeMediaRegistration(db, { electionId: other.id, organisationId, reason: 'r' }, admin, BEFORE_DEADLINE)).toEqual({ kind: 'not-found' });
		expect(await rotateMediaToken(db, { electionId, organisationId: 'not-a-uuid' }, admin, BEFORE_DEADLINE)).toEqual({ kind: 'not-found' });
		expect(await revokeMediaRegistration(db, { electionId, organisationId: crypto.randomUUID(), reason: 'r' }, admin, BEFORE_DEADLINE)).toEqual({ kind: 'not-found' });
		// Nothing changed.
		const row = await db.selectFrom('media_organisation').select(['phone', 'revoked_at']).executeTakeFirstOrThrow();
		expect(row).toEqual({ phone: INPUT.phone, revoked_at: null });
		expect(await mediaAccess(db, { token, clientAddress: '192.0.2.9' }, EVENING)).toMatchObject({ kind: 'production' });
		expect(await db.selectFrom('audit_log').select('id').where('action', 'in', ['media.edit', 'media.revoke', 'media.rotate-token']).execute()).toHaveLength(0);
	});
});

describe('the registration deadline set per election', () => {
	const SET_AT = Temporal.Instant.from('2027-09-01T08:00:00Z');
	const deadline = (day: string, month: string, year: string, time: string) => ({ day, month, year, time });

	it('sets a Prague date and time (summer time: 18:30 is 16:30 UTC), refuses registration after it with that date, and audits before and after', async () => {
		const { electionId, admin } = await setup();
		const result = await setMediaRegistrationDeadline(db, { electionId, deadline: deadline('2', '10', '2027', '18.30') }, admin, SET_AT);
		const expected = Temporal.Instant.from('2027-10-02T16:30:00Z');
		expect(result).toEqual({ kind: 'set', custom: expected, effective: expected });
		const row = await db.selectFrom('election').select('media_registration_deadline').where('id', '=', electionId).executeTakeFirstOrThrow();
		expect(row.media_registration_deadline?.toISOString()).toBe('2027-10-02T16:30:00.000Z');
		// After the default deadline but before the new one: registered; after the new one: refused, naming it.
		expect(await registerMediaOrganisation(db, { ...INPUT, electionId }, admin, AFTER_DEADLINE)).toMatchObject({ kind: 'registered' });
		expect(await registerMediaOrganisation(db, { ...INPUT, electionId, name: 'Deník' }, admin, Temporal.Instant.from('2027-10-02T16:30:00Z'))).toEqual({
			kind: 'deadline-passed',
			deadline: expected
		});
		const audit = await db.selectFrom('audit_log').select(['action', 'entity_id', 'before', 'after']).where('action', '=', 'media.deadline-set').execute();
		expect(audit).toEqual([
			{ action: 'media.deadline-set', entity_id: electionId, before: { deadline: null }, after: { electionId, deadline: '2027-10-02T16:30:00Z' } }
		]);
	});

	it('resets to the default (16:00 ten days before voting), audited', async () => {
		const { electionId, admin } = await setup();
		await setMediaRegistrationDeadline(db, { electionId, deadline: deadline('1', '10', '2027', '12:00') }, admin, SET_AT);
		const result = await setMediaRegistrationDeadline(db, { electionId, deadline: null }, admin, SET_AT);
		expect(result).toEqual({ kind: 'set', custom: null, effective: Temporal.Instant.from('2027-09-28T14:00:00Z') });
		expect(await registerMediaOrganisation(db, { ...INPUT, electionId }, admin, AFTER_DEADLINE)).toMatchObject({ kind: 'deadline-passed' });
		const reset = await db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'media.deadline-reset').executeTakeFirstOrThrow();
		expect(reset).toEqual({ before: { deadline: '2027-10-01T10:00:00.000Z' }, after: { electionId, deadline: null } });
	});

	it('validates the date and time, and refuses a deadline after the first day of voting', async () => {
		const { electionId, admin } = await setup();
		const set = (d: ReturnType<typeof deadline>) => setMediaRegistrationDeadline(db, { electionId, deadline: d }, admin, SET_AT);
		expect(await set(deadline('', '', '', ''))).toEqual({ kind: 'invalid', errors: { date: 'required', time: 'required' }, firstDay: FIRST_DAY });
		expect(await set(deadline('31', '9', '2027', '16:00'))).toMatchObject({ kind: 'invalid', errors: { date: 'invalid' } });
		expect(await set(deadline('1', '', '2027', '16:00'))).toMatchObject({ kind: 'invalid', errors: { date: 'invalid' } });
		expect(await set(deadline('1', '10', '27', '16:00'))).toMatchObject({ kind: 'invalid', errors: { date: 'invalid' } });
		expect(await set(deadline('1', '10', '2027', '24:00'))).toEqual({ kind: 'invalid', errors: { time: 'invalid' }, firstDay: FIRST_DAY });
		expect(await set(deadline('1', '10', '2027', '4 pm'))).toMatchObject({ kind: 'invalid', errors: { time: 'invalid' } });
		expect(await set(deadline('9', '10', '2027', '10:00'))).toEqual({ kind: 'invalid', errors: { date: 'after-voting' }, firstDay: FIRST_DAY });
		// The first day of voting itself is allowed.
		expect(await set(deadline('8', '10', '2027', '9:00'))).toMatchObject({ kind: 'set', custom: Temporal.Instant.from('2027-10-08T07:00:00Z') });
		expect(await db.selectFrom('audit_log').select('action').where('action', 'like', 'media.deadline%').execute()).toHaveLength(1);
	});

	it('only an administrator sets it; an unknown election is not found; nothing is written when refused', async () => {
		const { electionId, clerk, chair, admin } = await setup();
		const d = deadline('1', '10', '2027', '12:00');
		expect(await setMediaRegistrationDeadline(db, { electionId, deadline: d }, clerk, SET_AT)).toEqual({ kind: 'forbidden' });
		expect(await setMediaRegistrationDeadline(db, { electionId, deadline: null }, chair, SET_AT)).toEqual({ kind: 'forbidden' });
		expect(await setMediaRegistrationDeadline(db, { electionId: '00000000-0000-4000-8000-000000000000', deadline: d }, admin, SET_AT)).toEqual({ kind: 'not-found' });
		expect(await setMediaRegistrationDeadline(db, { electionId: 'x', deadline: d }, admin, SET_AT)).toEqual({ kind: 'not-found' });
		const row = await db.selectFrom('election').select('media_registration_deadline').where('id', '=', electionId).executeTakeFirstOrThrow();
		expect(row.media_registration_deadline).toBeNull();
		expect(await db.selectFrom('audit_log').select('action').where('action', 'like', 'media.deadline%').execute()).toEqual([]);
	});
});
