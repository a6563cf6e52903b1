import { sql } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../db/test-support';
import { listElections } from '../db/queries/elections';
import { recordEnvelopeScan } from './envelopes';
import { createEnvelopeFixture, insertFixtureStaff, insertFixtureVoters, issueFixturePackages, type EnvelopeFixture } from './envelope-fixtures';
import { loadElectionFeedData } from './open-data';
import { createRehearsal, deleteRehearsal, jumpRehearsalClock, resetRehearsal } from './rehearsals';
import type { StaffActor } from './staff-actor';
import { issueVoterCard } from './voter-cards';
import { newReference } from '../reference';

const db = openTestDb();
afterAll(() => db.destroy());

let f: EnvelopeFixture;
let admin: StaffActor;
let rehearsalId: string;

async function administrator(): Promise<StaffActor> {
	const row = await db
		.insertInto('staff_user')
		.values({ username: `admin.rh${Date.now().toString(36)}`, display_name: 'Admin', password_hash: 'x', role: 'administrator', office_id: null })
		.returning('id')
		.executeTakeFirstOrThrow();
	return { kind: 'staff', id: row.id, officeId: null, role: 'administrator' };
}

/** An accepted voter card request of an embassy voter (§57(1)), filed at `receivedAt`. */
async function acceptedVoterCardRequest(electionId: string, receivedAt: Date) {
	const [voterId] = await insertFixtureVoters(db, { officeId: f.embassy.id, count: 1 });
	return db
		.insertInto('request')
		.values({
			reference: newReference('voter-card'),
			kind: 'voter-card',
			voter_id: voterId!,
			election_id: electionId,
			round: 1,
			office_id: f.embassy.id,
			channel: 'portal',
			delivery: 'in-person',
			state: 'accepted',
			received_at: receivedAt
		})
		.returning('id')
		.executeTakeFirstOrThrow();
}

const count = async (table: 'request' | 'correspondence_package' | 'return_envelope' | 'voter_card', electionId: string) =>
	Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('election_id', '=', electionId).executeTakeFirstOrThrow()).n);

beforeEach(async () => {
	await resetDb(db);
	f = await createEnvelopeFixture(db, { packages: 3 });
	admin = await administrator();
	const created = await createRehearsal(db, { fromElectionId: f.electionId, officeIds: [f.embassy.id] }, admin, f.beforeClose.subtract({ hours: 24 * 30 }));
	if (created.kind !== 'created') throw new Error(JSON.stringify(created));
	rehearsalId = created.electionId;
});

describe('rehearsal elections', () => {
	it('a copy keeps the kind, the dates and the windows of the offices taking part, and starts on the portal clock', async () => {
		const row = await db.selectFrom('election').selectAll().where('id', '=', rehearsalId).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ rehearsal: true, clock_offset_seconds: 0, rehearsal_of: f.electionId, type: 'chamber' });
		const windows = await db.selectFrom('embassy_voting_window').select('office_id').distinct().where('election_id', '=', rehearsalId).execute();
		expect(windows.map((w) => w.office_id)).toEqual([f.embassy.id]);
	});

	it('the clock of a real election cannot be moved: not by the service, not in the database', async () => {
		expect(await jumpRehearsalClock(db, { electionId: f.electionId, jump: 'close-of-voting' }, admin, Temporal.Now.instant())).toEqual({ kind: 'not-found' });
		await expect(db.updateTable('election').set({ clock_offset_seconds: 60 }).where('id', '=', f.electionId).execute()).rejects.toThrow(/election_real_clock/);
		const clerk = f.staff.clerk;
		expect(await jumpRehearsalClock(db, { electionId: rehearsalId, jump: 'close-of-voting' }, clerk, Temporal.Now.instant())).toEqual({ kind: 'forbidden' });
	});

	it('after a jump to the close of voting the rehearsal judges on its own clock while the real election does not (§57c(5))', async () => {
		const realNow = f.beforeClose.subtract({ hours: 24 * 10 });
		const jumped = await jumpRehearsalClock(db, { electionId: rehearsalId, jump: 'close-of-voting' }, admin, realNow);
		expect(jumped).toEqual({ kind: 'moved', at: f.votingClosesAt });
		const [voterId] = await insertFixtureVoters(db, { officeId: f.embassy.id, count: 1 });
		const [rehearsalPackage] = await issueFixturePackages(db, { officeId: f.embassy.id, electionId: rehearsalId, round: 1, voterIds: [voterId!], issuedBy: f.staff.head.id });
		const inRehearsal = await recordEnvelopeScan(db, { code: rehearsalPackage!.code }, f.staff.clerk, realNow);
		expect(inRehearsal.kind).toBe('late');
		const inReal = await recordEnvelopeScan(db, { code: f.packages[0]!.code }, f.staff.clerk, realNow);
		expect(inReal.kind).toBe('recorded');
		// Stored on the rehearsal's clock.
		const stored = await db.selectFrom('return_envelope').select('received_at').where('package_id', '=', rehearsalPackage!.packageId).executeTakeFirstOrThrow();
		expect(stored.received_at.toISOString()).toBe(new Date(f.votingClosesAt.epochMilliseconds).toISOString());
	});

	it('e-mails of a rehearsal say so in their subject; real ones do not', async () => {
		const [rehearsalVoter] = await insertFixtureVoters(db, { officeId: f.embassy.id, count: 1, confirmedEmail: true });
		const [realVoter] = await insertFixtureVoters(db, { officeId: f.embassy.id, count: 1, confirmedEmail: true });
		const [a] = await issueFixturePackages(db, { officeId: f.embassy.id, electionId: rehearsalId, round: 1, voterIds: [rehearsalVoter!], issuedBy: f.staff.head.id });
		const [b] = await issueFixturePackages(db, { officeId: f.embassy.id, electionId: f.electionId, round: 1, voterIds: [realVoter!], issuedBy: f.staff.head.id });
		await recordEnvelopeScan(db, { code: a!.code }, f.staff.clerk, f.beforeClose);
		await recordEnvelopeScan(db, { code: b!.code }, f.staff.clerk, f.beforeClose);
		const mails = await db.selectFrom('email_outbox').select(['voter_id', 'subject']).execute();
		expect(mails.find((m) => m.voter_id === rehearsalVoter)?.subject).toMatch(/^\[ZKOUŠKA \/ REHEARSAL\] /);
		expect(mails.find((m) => m.voter_id === realVoter)?.subject).not.toMatch(/ZKOUŠKA/);
	});

	it('a rehearsal numbers its voter cards with its own counter: a real serial never jumps (§23(3))', async () => {
		const filed = new Date('2026-11-01T10:00:00Z');
		const now = Temporal.Instant.from('2026-11-02T10:00:00Z');
		const rehearsalRequest = await acceptedVoterCardRequest(rehearsalId, filed);
		const rehearsalCard = await issueVoterCard(db, { requestId: rehearsalRequest.id }, f.staff.clerk, now);
		expect(rehearsalCard).toMatchObject({ kind: 'done', serial: 1 });
		const realRequest = await acceptedVoterCardRequest(f.electionId, filed);
		const realCard = await issueVoterCard(db, { requestId: realRequest.id }, f.staff.clerk, now);
		expect(realCard).toMatchObject({ kind: 'done', serial: 1 });
		const counters = await db.selectFrom('office_counter').select(['counter', 'next_value']).where('office_id', '=', f.embassy.id).where('counter', 'like', 'voter-card%').orderBy('counter').execute();
		expect(counters).toEqual([
			{ counter: 'voter-card', next_value: 2 },
			{ counter: `voter-card:rehearsal:${rehearsalId}`, next_value: 2 }
		]);
		const cards = await db.selectFrom('voter_card').select(['election_id', 'rehearsal']).orderBy('rehearsal').execute();
		expect(cards).toEqual([
			{ election_id: f.electionId, rehearsal: false },
			{ election_id: rehearsalId, rehearsal: true }
		]);
	});

	it('nothing of a rehearsal appears in the lists of elections, statistics or open data; the test feed has it', async () => {
		expect((await listElections(db)).map((e) => e.id)).toEqual([f.electionId]);
		expect((await listElections(db, { officeId: f.otherEmbassy.id })).map((e) => e.id)).toEqual([f.electionId]);
		expect((await listElections(db, { officeId: f.embassy.id })).map((e) => e.id).sort()).toEqual([f.electionId, rehearsalId].sort());
		expect((await listElections(db, { testIdentity: true })).map((e) => e.id).sort()).toEqual([f.electionId, rehearsalId].sort());
		expect((await listElections(db, { only: true })).map((e) => e.id)).toEqual([rehearsalId]);
		expect(await loadElectionFeedData(db, rehearsalId, 60)).toBeUndefined();
		expect(await loadElectionFeedData(db, rehearsalId, 60, 'test')).toBeDefined();
		expect(await loadElectionFeedData(db, f.electionId, 60, 'test')).toBeUndefined();
	});

	it('reset removes exactly the rehearsal data and keeps its audit entries, marked', async () => {
		const [voterId] = await insertFixtureVoters(db, { officeId: f.embassy.id, count: 1 });
		const [pkg] = await issueFixturePackages(db, { officeId: f.embassy.id, electionId: rehearsalId, round: 1, voterIds: [voterId!], issuedBy: f.staff.head.id });
		await recordEnvelopeScan(db, { code: pkg!.code }, f.staff.clerk, f.beforeClose);
		await recordEnvelopeScan(db, { code: f.packages[0]!.code }, f.staff.clerk, f.beforeClose);
		const realBefore = { requests: await count('request', f.electionId), packages: await count('correspondence_package', f.electionId), envelopes: await count('return_envelope', f.electionId) };

		const reset = await resetRehearsal(db, { electionId: rehearsalId }, admin, f.beforeClose);
		expect(reset).toMatchObject({ kind: 'reset', counts: { requests: 1, packages: 1, envelopes: 1 } });
		expect(await count('request', rehearsalId)).toBe(0);
		expect(await count('correspondence_package', rehearsalId)).toBe(0);
		expect(await count('return_envelope', rehearsalId)).toBe(0);
		expect({ requests: await count('request', f.electionId), packages: await count('correspondence_package', f.electionId), envelopes: await count('return_envelope', f.electionId) }).toEqual(realBefore);
		const marked = await db.selectFrom('audit_log').select('action').where('rehearsal_election_id', '=', rehearsalId).orderBy('id').execute();
		expect(marked.map((m) => m.action)).toEqual(['rehearsal.create', 'return-envelope.receive', 'rehearsal.reset']);
		expect(await resetRehearsal(db, { electionId: f.electionId }, admin, f.beforeClose)).toEqual({ kind: 'not-found' });
	});

	it('delete removes the rehearsal; its audit entries stay', async () => {
		expect(await deleteRehearsal(db, { electionId: rehearsalId }, admin, f.beforeClose)).toEqual({ kind: 'deleted' });
		expect(await db.selectFrom('election').select('id').where('id', '=', rehearsalId).executeTakeFirst()).toBeUndefined();
		const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE rehearsal_election_id = ${rehearsalId}::uuid`.execute(db);
		expect(rows[0]!.n).toBe(2);
		expect(await deleteRehearsal(db, { electionId: f.electionId }, admin, f.beforeClose)).toEqual({ kind: 'not-found' });
	});
});
