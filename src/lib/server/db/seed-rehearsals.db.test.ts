import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commissionProgress, getEnvelopeForOpening, openBallotBox, recordOutcome } from '../services/commission';
import type { StaffActor } from '../services/staff-actor';
import { listElections } from './queries/elections';
import { seedDemoData } from './seed';
import { openTestDb, resetDb } from './test-support';

const db = openTestDb();
const now = Temporal.Instant.from('2026-12-06T10:00:00Z');
let summary: Awaited<ReturnType<typeof seedDemoData>>;

async function actor(username: string): Promise<StaffActor> {
	const row = await db.selectFrom('staff_user').select(['id', 'office_id', 'role']).where('username', '=', username).executeTakeFirstOrThrow();
	return { kind: 'staff', id: row.id, officeId: row.office_id, role: row.role };
}

beforeAll(async () => {
	await resetDb(db);
	summary = await seedDemoData(db, { now, voters: 4_000, rehearsals: true });
}, 120_000);
afterAll(() => db.destroy());

describe('the demo rehearsals (issue 14)', () => {
	it('seeds the Berlin commission day and the Praha request period, apart from the real elections', async () => {
		expect(summary.rehearsals?.berlin?.packages).toBe(300);
		expect(summary.rehearsals?.berlin?.late).toBeGreaterThan(0);
		expect(summary.rehearsals?.berlin?.alreadyVoted).toBeGreaterThan(0);
		expect(summary.rehearsals?.praha?.requests).toBe(100);
		const real = await listElections(db);
		expect(real.every((e) => !e.rehearsal)).toBe(true);
		expect(real).toHaveLength(2);
		const testVoters = await db.selectFrom('voter').select('import_key').where('test_identity', '=', true).where('import_key', 'like', 'test-identity:%').orderBy('import_key').execute();
		expect(testVoters.map((v) => v.import_key)).toEqual(['test-identity:zkouska-berlin', 'test-identity:zkouska-praha']);
	});

	it('the Berlin commission can at once open envelopes, record outcomes and pass the gate on the rehearsal clock', async () => {
		const electionId = summary.rehearsals!.berlin!.electionId;
		const member = await actor('clen.berlin');
		const chair = await actor('predseda.berlin');
		const progress = await commissionProgress(db, { electionId, round: 1 }, member, now);
		if (progress.kind !== 'progress') throw new Error(progress.kind);
		expect(progress.votingClosed).toBe(true);
		expect(progress.remaining).toBeGreaterThan(0);
		expect(progress.awaitingHandover).toBe(0);
		for (const envelope of progress.envelopes) {
			const opened = await getEnvelopeForOpening(db, { envelopeId: envelope.id }, member, now);
			if (opened.kind !== 'found') throw new Error(opened.kind);
			const alreadyVoted = opened.envelope.hints.some((h) => h.suggestedGround === 'e');
			const recorded = await recordOutcome(db, { envelopeId: envelope.id, outcome: alreadyVoted ? 'set-aside' : 'accepted', ground: alreadyVoted ? 'e' : null }, member, now);
			expect(recorded.kind).toBe('recorded');
		}
		const opened = await openBallotBox(db, { electionId, round: 1 }, chair, now);
		expect(opened.kind).toBe('opened');
	}, 120_000);
});
