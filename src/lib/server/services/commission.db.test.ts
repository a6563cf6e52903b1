import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../db/test-support';
import {
	commissionProgress,
	commissionResult,
	getEnvelopeForOpening,
	openBallotBox,
	recordOutcome,
	resultCsv
} from './commission';
import { notificationSubject } from './notifications';
import { createEnvelopeFixture, issueFixtureVoterCard, type EnvelopeFixture, type EnvelopeFixtureOptions } from './envelope-fixtures';
import {
	confirmHandoverAsChair,
	confirmHandoverAsHead,
	createHandover,
	listVoterEnvelopeStatuses,
	reconciliation,
	recordEnvelopeScan
} from './envelopes';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

/**
 * Every package of the embassy scanned on time (or the first `onTime` of them, the rest
 * late), handed over on a record confirmed by the head and the chair; the envelope ids in
 * package order.
 */
async function handedOver(opts: EnvelopeFixtureOptions & { onTime?: number; confirm?: boolean } = {}) {
	const f = await createEnvelopeFixture(db, opts);
	const onTime = opts.onTime ?? f.packages.length;
	const ids: string[] = [];
	for (const [i, p] of f.packages.entries()) {
		const r = await recordEnvelopeScan(db, { code: p.code }, f.staff.clerk, i < onTime ? f.beforeClose : f.afterClose);
		if (r.kind !== 'recorded' && r.kind !== 'late') throw new Error(`scan: ${r.kind}`);
		ids.push(r.envelopeId);
	}
	const h = await createHandover(db, { electionId: f.electionId, round: 1 }, f.staff.clerk, f.beforeClose);
	if (h.kind !== 'created') throw new Error(`handover: ${h.kind}`);
	if (opts.confirm !== false) {
		await confirmHandoverAsHead(db, { handoverId: h.handoverId }, f.staff.head, f.beforeClose);
		await confirmHandoverAsChair(db, { handoverId: h.handoverId }, f.staff.chair, f.beforeClose);
	}
	return { f, ids, handoverId: h.handoverId };
}

function accept(f: EnvelopeFixture, envelopeId: string, actor = f.staff.member) {
	return recordOutcome(db, { envelopeId, outcome: 'accepted' }, actor, f.afterClose);
}

function setAside(f: EnvelopeFixture, envelopeId: string, ground: string, actor = f.staff.member) {
	return recordOutcome(db, { envelopeId, outcome: 'set-aside', ground }, actor, f.afterClose);
}

async function processAll(f: EnvelopeFixture, ids: string[]) {
	for (const id of ids) expect(await accept(f, id)).toMatchObject({ kind: 'recorded' });
}

describe('getEnvelopeForOpening (§57d)', () => {
	it('§57d(1) not before voting has closed in the special district', async () => {
		const { f } = await handedOver();
		expect(await getEnvelopeForOpening(db, { code: f.packages[0]!.code }, f.staff.member, f.beforeClose)).toEqual({
			kind: 'voting-not-closed',
			section: '§57d(1)'
		});
	});

	it('§57c(4) not before the hand-over record is confirmed by both the head and the chair', async () => {
		const { f, handoverId } = await handedOver({ confirm: false });
		const byCode = { code: f.packages[0]!.code };
		expect(await getEnvelopeForOpening(db, byCode, f.staff.member, f.afterClose)).toMatchObject({ kind: 'not-handed-over' });
		await confirmHandoverAsHead(db, { handoverId }, f.staff.head, f.afterClose);
		expect(await getEnvelopeForOpening(db, byCode, f.staff.member, f.afterClose)).toMatchObject({ kind: 'not-handed-over' });
		await confirmHandoverAsChair(db, { handoverId }, f.staff.chair, f.afterClose);
		expect(await getEnvelopeForOpening(db, byCode, f.staff.member, f.afterClose)).toMatchObject({ kind: 'found' });
	});

	it('§57c(5) a late envelope is never opened', async () => {
		const { f } = await handedOver({ onTime: 1 });
		expect(await getEnvelopeForOpening(db, { code: f.packages[1]!.code }, f.staff.member, f.afterClose)).toEqual({
			kind: 'late',
			section: '§57c(5)'
		});
	});

	it('shows what the portal knows: a voter card issued (d), a vote already recorded (e), not on the list (§57d(5))', async () => {
		const { f, ids } = await handedOver();
		const [plain, card, voted, moved] = f.packages;
		await issueFixtureVoterCard(db, { officeId: f.embassy.id, voterId: card!.voterId, electionId: f.electionId, round: 1, issuedBy: f.staff.head.id });
		await db
			.insertInto('voting_mark')
			.values({ voter_id: voted!.voterId, election_id: f.electionId, round: 1, method: 'in-person', marked_at: new Date(), marked_by: null })
			.execute();
		await db.updateTable('voter').set({ special_district_office_id: f.otherEmbassy.id }).where('id', '=', moved!.voterId).execute();

		const found = await getEnvelopeForOpening(db, { envelopeId: ids[0]! }, f.staff.member, f.afterClose);
		expect(found).toMatchObject({
			kind: 'found',
			envelope: { code: plain!.code, hints: [], allowedOutcomes: ['accepted', 'set-aside'], outcome: null, frozen: false }
		});
		if (found.kind !== 'found') throw new Error('not found');
		expect(found.envelope.voter).toEqual({ givenName: 'Jana0', familyName: 'Nováková0', birthDate: '1980-01-01' });

		expect(await getEnvelopeForOpening(db, { code: card!.code }, f.staff.chair, f.afterClose)).toMatchObject({
			envelope: { hints: [{ code: 'voter-card-issued', suggestedGround: 'd' }], allowedOutcomes: ['accepted', 'set-aside'] }
		});
		expect(await getEnvelopeForOpening(db, { code: voted!.code }, f.staff.member, f.afterClose)).toMatchObject({
			envelope: { hints: [{ code: 'already-voted-in-person', suggestedGround: 'e' }], allowedOutcomes: ['set-aside'] }
		});
		expect(await getEnvelopeForOpening(db, { code: moved!.code }, f.staff.member, f.afterClose)).toMatchObject({
			envelope: { hints: [{ code: 'not-on-embassy-list', suggestedGround: null, section: '§57d(5)' }] }
		});
	});

	it('the commission of one embassy cannot see another’s envelopes; a clerk sees none', async () => {
		const { f, ids } = await handedOver();
		expect(await getEnvelopeForOpening(db, { envelopeId: ids[0]! }, f.otherStaff.member, f.afterClose)).toEqual({ kind: 'not-found' });
		expect(await getEnvelopeForOpening(db, { code: f.packages[0]!.code }, f.otherStaff.chair, f.afterClose)).toEqual({ kind: 'not-found' });
		expect(await getEnvelopeForOpening(db, { envelopeId: ids[0]! }, f.staff.clerk, f.afterClose)).toEqual({ kind: 'forbidden' });
		expect(await getEnvelopeForOpening(db, { code: 'no-such' }, f.staff.member, f.afterClose)).toMatchObject({ kind: 'invalid-code' });
	});
});

describe('recordOutcome (§57d(2)–(5))', () => {
	it('§57d(3) accepted: the voter is marked as having voted by correspondence', async () => {
		const { f, ids } = await handedOver();
		expect(await accept(f, ids[0]!)).toEqual({ kind: 'recorded', envelopeId: ids[0], outcome: 'accepted', ground: null, addedToList: false });
		const marks = await db.selectFrom('voting_mark').selectAll().execute();
		expect(marks).toEqual([
			expect.objectContaining({ voter_id: f.packages[0]!.voterId, election_id: f.electionId, round: 1, method: 'correspondence', marked_by: f.staff.member.id })
		]);
		const row = await db.selectFrom('return_envelope').select(['outcome', 'set_aside_ground', 'processed_by']).where('id', '=', ids[0]!).executeTakeFirstOrThrow();
		expect(row).toEqual({ outcome: 'accepted', set_aside_ground: null, processed_by: f.staff.member.id });
	});

	it('§57d(2)(a)–(e) set aside on each ground; no voter is marked', async () => {
		const { f, ids } = await handedOver();
		for (const [i, ground] of (['a', 'b', 'c', 'd', 'e'] as const).entries()) {
			expect(await setAside(f, ids[i]!, ground)).toEqual({ kind: 'recorded', envelopeId: ids[i], outcome: 'set-aside', ground, addedToList: false });
		}
		const rows = await db.selectFrom('return_envelope').select(['set_aside_ground']).orderBy('scan_no').execute();
		expect(rows.map((r) => r.set_aside_ground)).toEqual(['a', 'b', 'c', 'd', 'e']);
		expect(await db.selectFrom('voting_mark').select('voter_id').execute()).toEqual([]);
	});

	it('§57d(2) a ground is required to set aside, none allowed to accept, and it must be one of a–e', async () => {
		const { f, ids } = await handedOver();
		expect(await setAside(f, ids[0]!, '')).toEqual({ kind: 'ground-required', section: '§57d(2)' });
		expect(await recordOutcome(db, { envelopeId: ids[0]!, outcome: 'accepted', ground: 'b' }, f.staff.member, f.afterClose)).toEqual({
			kind: 'ground-not-allowed',
			section: '§57d(3)'
		});
		expect(await setAside(f, ids[0]!, 'f')).toEqual({ kind: 'invalid-ground' });
		expect(await recordOutcome(db, { envelopeId: ids[0]!, outcome: 'counted' }, f.staff.member, f.afterClose)).toEqual({ kind: 'invalid-outcome' });
	});

	it('§57d(5) a voter not on the embassy’s list is added to it, then marked', async () => {
		const { f, ids } = await handedOver();
		const voterId = f.packages[0]!.voterId;
		await db.updateTable('voter').set({ special_district_office_id: null, municipal_office_id: f.otherEmbassy.id }).where('id', '=', voterId).execute();
		expect(await accept(f, ids[0]!)).toMatchObject({ kind: 'recorded', addedToList: true });
		const voter = await db.selectFrom('voter').select('special_district_office_id').where('id', '=', voterId).executeTakeFirstOrThrow();
		expect(voter.special_district_office_id).toBe(f.embassy.id);
		const audit = await db.selectFrom('audit_log').select(['action', 'before', 'after']).where('entity_id', '=', voterId).execute();
		expect(audit).toEqual([
			{ action: 'voter.add-to-special-district', before: { specialDistrictOfficeId: null }, after: { specialDistrictOfficeId: f.embassy.id, section: '§57d(5)' } }
		]);
	});

	it('§57d(5) in a rehearsal the voter is marked but the real voter list is never changed (issue 14)', async () => {
		const { f, ids } = await handedOver();
		await db.updateTable('election').set({ rehearsal: true }).where('id', '=', f.electionId).execute();
		const voterId = f.packages[0]!.voterId;
		await db.updateTable('voter').set({ special_district_office_id: null, municipal_office_id: f.otherEmbassy.id }).where('id', '=', voterId).execute();
		expect(await accept(f, ids[0]!)).toMatchObject({ kind: 'recorded', addedToList: true });
		const voter = await db.selectFrom('voter').select('special_district_office_id').where('id', '=', voterId).executeTakeFirstOrThrow();
		expect(voter.special_district_office_id).toBeNull();
		const audit = await db.selectFrom('audit_log').select(['action', 'after']).where('entity_id', '=', voterId).execute();
		expect(audit).toEqual([
			{ action: 'voter.add-to-special-district', after: { specialDistrictOfficeId: f.embassy.id, section: '§57d(5)', rehearsal: true, listUnchanged: true } }
		]);
	});

	it('§57d(2)(e) accepted is refused when the list already records the vote, and nothing is written', async () => {
		const { f, ids } = await handedOver();
		await db
			.insertInto('voting_mark')
			.values({ voter_id: f.packages[0]!.voterId, election_id: f.electionId, round: 1, method: 'in-person', marked_at: new Date(), marked_by: null })
			.execute();
		expect(await accept(f, ids[0]!)).toEqual({ kind: 'voter-already-voted', section: '§57d(2)(e)' });
		const row = await db.selectFrom('return_envelope').select('outcome').where('id', '=', ids[0]!).executeTakeFirstOrThrow();
		expect(row.outcome).toBeNull();
		expect(await setAside(f, ids[0]!, 'e')).toMatchObject({ kind: 'recorded', ground: 'e' });
	});

	it('§57d(2)(e) a vote recorded between the look and the write: the primary key refuses it and the outcome is rolled back', async () => {
		const { f, ids } = await handedOver();
		// The voter is marked in person at the same moment as the envelope is accepted.
		const voterId = f.packages[0]!.voterId;
		const [a] = await Promise.all([
			accept(f, ids[0]!),
			db
				.insertInto('voting_mark')
				.values({ voter_id: voterId, election_id: f.electionId, round: 1, method: 'in-person', marked_at: new Date(), marked_by: null })
				.onConflict((oc) => oc.doNothing())
				.execute()
		]);
		const marks = await db.selectFrom('voting_mark').select(['method']).where('voter_id', '=', voterId).execute();
		expect(marks).toHaveLength(1);
		const row = await db.selectFrom('return_envelope').select('outcome').where('id', '=', ids[0]!).executeTakeFirstOrThrow();
		// Either the envelope won (and the in-person insert did nothing) or it was refused and left unprocessed.
		if (a.kind === 'recorded') expect([marks[0]!.method, row.outcome]).toEqual(['correspondence', 'accepted']);
		else expect([a.kind, marks[0]!.method, row.outcome]).toEqual(['voter-already-voted', 'in-person', null]);
	});

	it('refused before voting closed, for an envelope not handed over, and for a late one', async () => {
		const { f, ids } = await handedOver({ onTime: 4 });
		expect(await recordOutcome(db, { envelopeId: ids[0]!, outcome: 'accepted' }, f.staff.member, f.beforeClose)).toEqual({
			kind: 'voting-not-closed',
			section: '§57d(1)'
		});
		expect(await accept(f, ids[4]!)).toEqual({ kind: 'late', section: '§57c(5)' });
		// On a hand-over record that the head and the chair have not confirmed yet.
		const g = await handedOver({ packages: 1, confirm: false });
		expect(await accept(g.f, g.ids[0]!)).toEqual({ kind: 'not-handed-over', section: '§57c(4)' });
	});

	it('a clerk or the head cannot record outcomes; another commission’s member gets not-found', async () => {
		const { f, ids } = await handedOver();
		expect(await accept(f, ids[0]!, f.staff.clerk)).toEqual({ kind: 'forbidden' });
		expect(await accept(f, ids[0]!, f.staff.head)).toEqual({ kind: 'forbidden' });
		expect(await accept(f, ids[0]!, f.otherStaff.member)).toEqual({ kind: 'not-found' });
		expect(await accept(f, 'not-a-uuid')).toEqual({ kind: 'not-found' });
		const row = await db.selectFrom('return_envelope').select('outcome').where('id', '=', ids[0]!).executeTakeFirstOrThrow();
		expect(row.outcome).toBeNull();
	});

	it('two members recording the same envelope at the same moment: exactly one wins', async () => {
		const { f, ids } = await handedOver();
		const results = await Promise.all([accept(f, ids[0]!, f.staff.member), setAside(f, ids[0]!, 'b', f.staff.member2)]);
		expect(results.map((r) => r.kind).sort()).toEqual(['already-recorded', 'recorded']);
		const winner = results.find((r) => r.kind === 'recorded');
		const row = await db.selectFrom('return_envelope').select(['outcome']).where('id', '=', ids[0]!).executeTakeFirstOrThrow();
		expect(winner).toMatchObject({ outcome: row.outcome });
		const marks = await db.selectFrom('voting_mark').select('voter_id').execute();
		expect(marks).toHaveLength(row.outcome === 'accepted' ? 1 : 0);
		expect(await db.selectFrom('audit_log').select('id').where('action', '=', 'return-envelope.record-outcome').execute()).toHaveLength(1);
	});

	it('recording again is refused as already recorded', async () => {
		const { f, ids } = await handedOver();
		await setAside(f, ids[0]!, 'a');
		expect(await accept(f, ids[0]!)).toEqual({ kind: 'already-recorded', section: '§57d(2)' });
	});
});

describe('openBallotBox (§57d(6))', () => {
	it('refused while one envelope is unprocessed, allowed once all are; then every outcome is frozen', async () => {
		const { f, ids } = await handedOver({ packages: 3 });
		await accept(f, ids[0]!);
		await setAside(f, ids[1]!, 'd');
		const input = { electionId: f.electionId, round: 1 };
		expect(await openBallotBox(db, input, f.staff.chair, f.afterClose)).toEqual({
			kind: 'envelopes-remaining',
			section: '§57d(6)',
			unprocessed: 1,
			awaitingHandover: 0
		});
		expect(await db.selectFrom('commission_closure').select('office_id').execute()).toEqual([]);

		await accept(f, ids[2]!);
		const opened = await openBallotBox(db, input, f.staff.chair, f.afterClose);
		expect(opened).toMatchObject({ kind: 'opened', notified: 0, openedAt: { prague: '2027-01-15T21:00:00+01:00' } });
		expect(await openBallotBox(db, input, f.staff.chair, f.afterClose)).toEqual({ kind: 'already-opened', section: '§57d(6)' });

		// Frozen: no outcome changes, nothing more is handed over.
		expect(await setAside(f, ids[0]!, 'a')).toEqual({ kind: 'ballot-box-opened', section: '§57d(6)' });
		expect(await getEnvelopeForOpening(db, { envelopeId: ids[0]! }, f.staff.member, f.afterClose)).toMatchObject({
			kind: 'found',
			envelope: { outcome: 'accepted', frozen: true, allowedOutcomes: [] }
		});
		expect(await createHandover(db, input, f.staff.clerk, f.afterClose)).toEqual({ kind: 'ballot-box-opened' });
	});

	it('§57c(4) refused while the embassy still holds an envelope received on time', async () => {
		const f = await createEnvelopeFixture(db, { packages: 3 });
		const ids: string[] = [];
		for (const p of f.packages.slice(0, 2)) {
			const r = await recordEnvelopeScan(db, { code: p.code }, f.staff.clerk, f.beforeClose.subtract({ hours: 2 }));
			if (r.kind === 'recorded') ids.push(r.envelopeId);
		}
		const h = await createHandover(db, { electionId: f.electionId, round: 1 }, f.staff.clerk, f.beforeClose.subtract({ hours: 2 }));
		if (h.kind !== 'created') throw new Error('no handover');
		await confirmHandoverAsHead(db, { handoverId: h.handoverId }, f.staff.head, f.beforeClose);
		await confirmHandoverAsChair(db, { handoverId: h.handoverId }, f.staff.chair, f.beforeClose);
		// The third envelope arrives on time after the hand-over and stays with the embassy.
		expect(await recordEnvelopeScan(db, { code: f.packages[2]!.code }, f.staff.clerk, f.beforeClose)).toMatchObject({ kind: 'recorded' });
		await processAll(f, ids);
		expect(await openBallotBox(db, { electionId: f.electionId, round: 1 }, f.staff.chair, f.afterClose)).toEqual({
			kind: 'envelopes-remaining',
			section: '§57d(6)',
			unprocessed: 0,
			awaitingHandover: 1
		});
	});

	it('only the chair, only after the close, only for an embassy voting in that round', async () => {
		const { f, ids } = await handedOver({ packages: 1 });
		await processAll(f, ids);
		const input = { electionId: f.electionId, round: 1 };
		expect(await openBallotBox(db, input, f.staff.member, f.afterClose)).toEqual({ kind: 'forbidden' });
		expect(await openBallotBox(db, input, f.staff.head, f.afterClose)).toEqual({ kind: 'forbidden' });
		expect(await openBallotBox(db, input, f.staff.chair, f.votingClosesAt.subtract({ seconds: 1 }))).toEqual({
			kind: 'voting-not-closed',
			section: '§57d(1)'
		});
		expect(await openBallotBox(db, { ...input, round: 2 }, f.staff.chair, f.afterClose)).toEqual({ kind: 'not-found' });
		// The other embassy (Europe/Berlin) votes until Saturday 14:00: its box is its own.
		expect(await openBallotBox(db, input, f.otherStaff.chair, f.afterClose)).toMatchObject({ kind: 'voting-not-closed' });
		expect(await openBallotBox(db, input, f.otherStaff.chair, f.afterClose.add({ hours: 24 }))).toMatchObject({ kind: 'opened' });
		expect(await openBallotBox(db, input, f.staff.chair, f.afterClose)).toMatchObject({ kind: 'opened' });
	});

	it('then, and only then, tells each voter whether the envelope was counted or set aside, with the ground', async () => {
		const { f, ids } = await handedOver({ packages: 2, confirmedEmail: true });
		await db.deleteFrom('email_outbox').execute();
		await accept(f, ids[0]!);
		await setAside(f, ids[1]!, 'b');
		expect(await db.selectFrom('email_outbox').select('id').execute()).toEqual([]);
		expect(await listVoterEnvelopeStatuses(db, f.packages[1]!.voterId)).toMatchObject([{ status: { status: 'received' } }]);

		expect(await openBallotBox(db, { electionId: f.electionId, round: 1 }, f.staff.chair, f.afterClose)).toMatchObject({ kind: 'opened', notified: 2 });
		const mail = await db.selectFrom('email_outbox').select(['voter_id', 'subject', 'body']).execute();
		const to = (i: number) => mail.find((m) => m.voter_id === f.packages[i]!.voterId);
		// Issue 15: the subject names the election, then the state.
		expect(to(0)?.subject).toMatch(new RegExp(`: ${notificationSubject('envelope-counted')}$`));
		expect(to(1)?.subject).toMatch(new RegExp(`: ${notificationSubject('envelope-set-aside')}$`));
		expect(to(1)?.body).toContain('§57d(2)(b)');
		expect(await listVoterEnvelopeStatuses(db, f.packages[0]!.voterId)).toMatchObject([{ status: { status: 'counted' } }]);
		expect(await listVoterEnvelopeStatuses(db, f.packages[1]!.voterId)).toMatchObject([{ status: { status: 'set-aside', ground: 'b' } }]);
	});
});

describe('progress, result and reconciliation', () => {
	it('progress: processed / remaining of the envelopes handed over', async () => {
		const { f, ids } = await handedOver({ packages: 3 });
		await accept(f, ids[0]!);
		const progress = await commissionProgress(db, { electionId: f.electionId, round: 1 }, f.staff.member, f.afterClose);
		expect(progress).toMatchObject({ kind: 'progress', processed: 1, remaining: 2, awaitingHandover: 0, votingClosed: true, ballotBoxOpened: false });
		if (progress.kind !== 'progress') throw new Error('no progress');
		expect(progress.envelopes.map((e) => e.code)).toEqual(f.packages.map((p) => p.code));
		expect(await commissionProgress(db, { electionId: f.electionId, round: 1 }, f.staff.clerk, f.afterClose)).toEqual({ kind: 'forbidden' });
	});

	it('the result counts by outcome and ground, as CSV too', async () => {
		const { f, ids } = await handedOver({ packages: 5, onTime: 4 });
		await accept(f, ids[0]!);
		await accept(f, ids[1]!);
		await setAside(f, ids[2]!, 'd');
		const input = { electionId: f.electionId, round: 1 };
		expect(await commissionResult(db, input, f.staff.member)).toEqual({
			kind: 'result',
			round: 1,
			final: false,
			counts: { handedOver: 4, accepted: 2, setAside: 1, byGround: { a: 0, b: 0, c: 0, d: 1, e: 0 }, unprocessed: 1, late: 1 }
		});
		await setAside(f, ids[3]!, 'a');
		await openBallotBox(db, input, f.staff.chair, f.afterClose);
		const csv = await resultCsv(db, input, f.staff.chair);
		if (csv.kind !== 'csv') throw new Error('no csv');
		const lines = csv.body.trimEnd().split('\r\n');
		expect(lines[0]).toBe('outcome,ground,section,description_cs,description_en,count');
		expect(lines).toContain('accepted,,§57d(3),Úřední obálka vložena do volební schránky,Official envelope put in the ballot box,2');
		expect(lines.find((l) => l.startsWith('set-aside,d,'))?.endsWith(',1')).toBe(true);
		expect(lines.find((l) => l.startsWith('set-aside,a,'))?.endsWith(',1')).toBe(true);
		expect(lines.find((l) => l.startsWith('set-aside,,'))?.endsWith(',2')).toBe(true);
		expect(lines.find((l) => l.startsWith('late,'))?.endsWith(',1')).toBe(true);
		expect(csv.filename).not.toContain('predbezny');
		// The other embassy's commission gets its own (empty) result, never this one's.
		const other = await resultCsv(db, input, f.otherStaff.chair);
		if (other.kind !== 'csv') throw new Error('no csv');
		expect(other.body).toContain('Official envelope put in the ballot box,0\r\n');
	});

	it('reconciliation adds up over a whole election, and shows the difference when it does not', async () => {
		const f = await createEnvelopeFixture(db, { packages: 6 });
		// one package not dispatched, one never returned
		await db.updateTable('correspondence_package').set({ dispatch_method: null, dispatched_at: null, dispatched_by: null }).where('id', '=', f.packages[5]!.packageId).execute();
		const scanned: string[] = [];
		for (const [i, p] of f.packages.slice(0, 5).entries()) {
			const r = await recordEnvelopeScan(db, { code: p.code }, f.staff.clerk, i < 4 ? f.beforeClose : f.afterClose);
			if (r.kind === 'recorded' || r.kind === 'late') scanned.push(r.envelopeId);
		}
		const h = await createHandover(db, { electionId: f.electionId, round: 1 }, f.staff.clerk, f.afterClose);
		if (h.kind !== 'created') throw new Error('no handover');
		await confirmHandoverAsHead(db, { handoverId: h.handoverId }, f.staff.head, f.afterClose);
		await confirmHandoverAsChair(db, { handoverId: h.handoverId }, f.staff.chair, f.afterClose);
		await accept(f, scanned[0]!);
		await setAside(f, scanned[1]!, 'c');
		await setAside(f, scanned[2]!, 'e');

		const input = { officeId: f.embassy.id, electionId: f.electionId };
		const r = await reconciliation(db, input, f.staff.head);
		if (r.kind !== 'reconciliation') throw new Error('no reconciliation');
		expect(r.balanced).toBe(true);
		expect(r.rounds[0]!.counts).toEqual({
			packagesIssued: 6,
			packagesDispatched: 5,
			packagesNotDispatched: 1,
			packagesWithoutEnvelope: 1,
			received: 5,
			receivedOnTime: 4,
			receivedLate: 1,
			handedOver: 4,
			held: 0,
			accepted: 1,
			setAsideTotal: 2,
			setAside: { a: 0, b: 0, c: 1, d: 0, e: 1 },
			unprocessed: 1,
			markedByCorrespondence: 1
		});

		// A mark by correspondence that no accepted envelope explains shows as a difference.
		await db
			.insertInto('voting_mark')
			.values({ voter_id: f.packages[5]!.voterId, election_id: f.electionId, round: 1, method: 'correspondence', marked_at: new Date(), marked_by: null })
			.execute();
		const off = await reconciliation(db, input, f.staff.chair);
		if (off.kind !== 'reconciliation') throw new Error('no reconciliation');
		expect(off.balanced).toBe(false);
		expect(off.rounds[0]!.identities.filter((i) => i.difference !== 0).map((i) => [i.key, i.difference])).toEqual([['accepted-marked', -1]]);

		expect(await reconciliation(db, { ...input, officeId: f.otherEmbassy.id }, f.staff.head)).toEqual({ kind: 'not-found' });
		expect(await reconciliation(db, input, f.otherStaff.head)).toEqual({ kind: 'not-found' });
	});
});
