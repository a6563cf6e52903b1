import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../db/test-support';
import { acceptRequest } from './decisions';
import { decisionFixture, prague, type DecisionFixture } from './decision-fixtures';
import { issueFixtureVoterCard } from './envelope-fixtures';
import { invalidateVoterCard, issueVoterCard, recordVoterCardHandOver, type VoterCardResult } from './voter-cards';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const LATER = prague('2026-11-20T10:30');

const requestRow = (id: string) => db.selectFrom('request').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const cardOf = (requestId: string) => db.selectFrom('voter_card').selectAll().where('request_id', '=', requestId).executeTakeFirst();
const auditOf = (action: string) => db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
const mailsOf = (voterId: string) => db.selectFrom('email_outbox').selectAll().where('voter_id', '=', voterId).orderBy('created_at').execute();

function done(result: VoterCardResult) {
	if (result.kind !== 'done') throw new Error(`Expected success, got ${JSON.stringify(result)}`);
	return result;
}

/** A voter card request of the Prague office, filed, accepted and (optionally) issued. */
async function acceptedRequest(f: DecisionFixture, opts: { delivery?: 'post' | 'in-person' | 'proxy'; electionId?: string; issue?: boolean } = {}) {
	const voterId = await f.voter();
	const { id, reference } = await f.voterCardRequest(voterId, { delivery: opts.delivery, electionId: opts.electionId });
	expect(await acceptRequest(db, { requestId: id }, f.clerk, LATER)).toMatchObject({ kind: 'done' });
	if (opts.issue) done(await issueVoterCard(db, { requestId: id }, f.clerk, LATER));
	return { voterId, id, reference };
}

describe('issueVoterCard', () => {
	it('issues with the next serial of the office (§23(3)): request issued, audit, e-mail', async () => {
		const f = await decisionFixture(db);
		const first = await acceptedRequest(f);
		const second = await acceptedRequest(f, { delivery: 'in-person' });

		const a = done(await issueVoterCard(db, { requestId: first.id }, f.clerk, LATER));
		const b = done(await issueVoterCard(db, { requestId: second.id }, f.clerk2, LATER));
		expect([a.serial, b.serial]).toEqual([1, 2]);

		const card = await cardOf(first.id);
		expect(card).toMatchObject({ office_id: f.praha, serial: 1, voter_id: first.voterId, election_id: f.chamber, round: 1, issued_by: f.clerk.id });
		expect(card!.handover_method).toBeNull();
		expect((await requestRow(first.id)).state).toBe('issued');

		const entries = await auditOf('voter-card.issue');
		expect(entries).toHaveLength(2);
		expect(entries[0]).toMatchObject({ entity_type: 'voter_card', entity_id: a.cardId, actor_id: f.clerk.id, office_id: f.praha });
		expect(entries[0]!.before).toEqual({ requestId: first.id, requestState: 'accepted' });
		expect(entries[0]!.after).toMatchObject({ requestId: first.id, requestState: 'issued', serial: 1 });

		// A mailed card is "issued"; a card to be collected is "ready" (voter's e-mail).
		expect((await mailsOf(first.voterId)).at(-1)!.subject).toContain('Voličský průkaz byl vydán');
		expect((await mailsOf(second.voterId)).at(-1)!.subject).toContain('připraven k převzetí');
	});

	it('each office keeps its own evidence: serials start at 1 per office', async () => {
		const f = await decisionFixture(db);
		done(await issueVoterCard(db, { requestId: (await acceptedRequest(f)).id }, f.clerk, LATER));
		const brnoVoter = await f.voter({ municipal: f.brno });
		const { id } = await f.voterCardRequest(brnoVoter);
		await acceptRequest(db, { requestId: id }, f.brnoClerk, LATER);
		expect(done(await issueVoterCard(db, { requestId: id }, f.brnoClerk, LATER)).serial).toBe(1);
	});

	it('no double serial: ten cards issued at the same moment get ten different serials', async () => {
		const f = await decisionFixture(db);
		const requests = [];
		for (let i = 0; i < 10; i++) requests.push(await acceptedRequest(f));
		const results = await Promise.all(requests.map((r, i) => issueVoterCard(db, { requestId: r.id }, i % 2 ? f.clerk : f.clerk2, LATER)));
		const serials = results.map((r) => done(r).serial).sort((x, y) => x - y);
		expect(serials).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		const counter = await db.selectFrom('office_counter').selectAll().where('office_id', '=', f.praha).executeTakeFirstOrThrow();
		expect(counter).toMatchObject({ counter: 'voter-card', next_value: 11 });
	});

	it("a card written by the test fixtures uses the office's counter too: the next card issued gets the next serial", async () => {
		// tests/e2e/envelopes.spec.ts writes a Berlin card through issueFixtureVoterCard; the
		// embassy's next card issued through the portal once failed on UNIQUE (office_id, serial).
		const f = await decisionFixture(db);
		await issueFixtureVoterCard(db, { officeId: f.praha, voterId: await f.voter(), electionId: f.chamber, round: 1, issuedBy: f.clerk.id });
		const next = await acceptedRequest(f);
		expect(done(await issueVoterCard(db, { requestId: next.id }, f.clerk, LATER)).serial).toBe(2);
	});

	it('two clerks issuing the same card at the same moment: one card, the other sees it issued, no serial used up', async () => {
		const f = await decisionFixture(db);
		const { id, reference } = await acceptedRequest(f);
		const results = await Promise.all([issueVoterCard(db, { requestId: id }, f.clerk, LATER), issueVoterCard(db, { requestId: id }, f.clerk2, LATER)]);
		expect(results.map((r) => r.kind).sort()).toEqual(['already-decided', 'done']);
		// Issue 16: the other clerk is told who issued it, not given a 500.
		const winner = await db.selectFrom('voter_card as c').innerJoin('staff_user as s', 's.id', 'c.issued_by').select('s.display_name').executeTakeFirstOrThrow();
		expect(results.find((r) => r.kind === 'already-decided')).toEqual({ kind: 'already-decided', reference, state: 'issued', issuedBy: winner.display_name });
		expect(await db.selectFrom('voter_card').selectAll().execute()).toHaveLength(1);
		expect(done((await issueVoterCard(db, { requestId: (await acceptedRequest(f)).id }, f.clerk, LATER))).serial).toBe(2);
	});

	it('issues only an accepted request, and re-checks a correspondence package issued meanwhile (§57(1))', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const pending = await f.voterCardRequest(voterId);
		expect(await issueVoterCard(db, { requestId: pending.id }, f.clerk, LATER)).toEqual({
			kind: 'wrong-state',
			reference: pending.reference,
			state: 'received'
		});

		await acceptRequest(db, { requestId: pending.id }, f.clerk, LATER);
		// The voter moved to Berlin's special district and was issued a package for the election.
		const pkgRequest = await db
			.insertInto('request')
			.values({ reference: 'KH-ZZZZZZZZ', kind: 'correspondence-package', voter_id: voterId, election_id: f.chamber, round: 1, office_id: f.berlin, channel: 'portal', delivery: 'post', state: 'issued', received_at: new Date() })
			.returning('id')
			.executeTakeFirstOrThrow();
		await db
			.insertInto('correspondence_package')
			.values({ office_id: f.berlin, request_id: pkgRequest.id, voter_id: voterId, election_id: f.chamber, round: 1, id_slip_number: 1, envelope_code: 'ABCDEFGHJKMN', issued_at: new Date(), issued_by: f.embassyClerk.id })
			.execute();
		expect(await issueVoterCard(db, { requestId: pending.id }, f.clerk, LATER)).toMatchObject({
			kind: 'rule',
			refusal: { code: 'correspondence-package-already-issued', section: '§57(1)' }
		});
		expect((await requestRow(pending.id)).state).toBe('accepted');
		expect(await cardOf(pending.id)).toBeUndefined();
	});
});

describe('recordVoterCardHandOver', () => {
	// Chamber election, D = Friday 15 January 2027: D−7 = 8 January, D−2 = 13 January, 16:00 Prague.
	it('§57(3): by post until 15:59:59.999 on D−7; at 16:00:00.000 it is refused, naming the deadline', async () => {
		const f = await decisionFixture(db);
		const late = await acceptedRequest(f, { issue: true });
		expect(await recordVoterCardHandOver(db, { requestId: late.id, method: 'post' }, f.clerk, prague('2027-01-08T16:00:00.000'))).toEqual({
			kind: 'rule',
			refusal: {
				code: 'deadline-passed',
				section: '§57(3)',
				round: 1,
				deadline: { key: 'voter-card-post-dispatch', round: 1, at: '2027-01-08T16:00:00+01:00', section: '§57(3)' }
			}
		});
		expect((await cardOf(late.id))!.handed_over_at).toBeNull();

		const inTime = await acceptedRequest(f, { issue: true });
		const result = done(await recordVoterCardHandOver(db, { requestId: inTime.id, method: 'post' }, f.clerk, prague('2027-01-08T15:59:59.999')));
		const card = await cardOf(inTime.id);
		expect(card).toMatchObject({ handover_method: 'post', handed_over_by: f.clerk.id, handed_over_to: 'Dlouhá 5, 779 00 Olomouc, CZ' });
		expect(card!.handed_over_at!.toISOString()).toBe('2027-01-08T14:59:59.999Z');
		expect((await requestRow(inTime.id)).state).toBe('completed');
		const [entry] = await auditOf('voter-card.hand-over');
		expect(entry).toMatchObject({ entity_id: result.cardId, actor_id: f.clerk.id });
		expect(entry!.before).toMatchObject({ requestState: 'issued', handoverMethod: null });
		expect(entry!.after).toMatchObject({ requestState: 'completed', handoverMethod: 'post' });
		expect(JSON.stringify(entry!.after)).not.toContain('Olomouc');
		expect((await mailsOf(inTime.voterId)).at(-1)!.subject).toContain('odeslán');
	});

	it('§57(3): in person or to a proxy until 15:59:59.999 on D−2; 16:00:00.000 is refused', async () => {
		const f = await decisionFixture(db);
		const late = await acceptedRequest(f, { delivery: 'in-person', issue: true });
		expect(await recordVoterCardHandOver(db, { requestId: late.id, method: 'in-person' }, f.clerk, prague('2027-01-13T16:00:00.000'))).toMatchObject({
			kind: 'rule',
			refusal: { code: 'deadline-passed', deadline: { key: 'voter-card-pickup', at: '2027-01-13T16:00:00+01:00' } }
		});
		const proxyLate = await acceptedRequest(f, { delivery: 'proxy', issue: true });
		expect(
			await recordVoterCardHandOver(db, { requestId: proxyLate.id, method: 'proxy', note: 'plná moc ověřena' }, f.clerk, prague('2027-01-13T16:00:00.000'))
		).toMatchObject({ kind: 'rule', refusal: { code: 'deadline-passed' } });

		done(await recordVoterCardHandOver(db, { requestId: late.id, method: 'in-person' }, f.clerk, prague('2027-01-13T15:59:59.999')));
		const card = await cardOf(late.id);
		expect(card).toMatchObject({ handover_method: 'in-person', handed_over_to: expect.stringContaining('Řehoř Dvořák') });
	});

	it('§57(4): not before the start of D−15 for a European Parliament election', async () => {
		const f = await decisionFixture(db);
		const r = await acceptedRequest(f, { delivery: 'in-person', electionId: f.european, issue: true });
		// D = 15 January 2027, so the earliest hand-over is 00:00 Prague on 31 December 2026.
		expect(await recordVoterCardHandOver(db, { requestId: r.id, method: 'in-person' }, f.clerk, prague('2026-12-30T23:59:59.999'))).toEqual({
			kind: 'rule',
			refusal: {
				code: 'too-early',
				section: '§57(4)',
				round: 1,
				deadline: { key: 'voter-card-earliest-issue', round: 1, at: '2026-12-31T00:00:00+01:00', section: '§57(4)' }
			}
		});
		done(await recordVoterCardHandOver(db, { requestId: r.id, method: 'in-person' }, f.clerk, prague('2026-12-31T00:00:00.000')));
	});

	it('to a proxy: name, date of birth and the power of attorney are recorded (§57(2))', async () => {
		const f = await decisionFixture(db);
		const r = await acceptedRequest(f, { delivery: 'proxy', issue: true });
		expect(await recordVoterCardHandOver(db, { requestId: r.id, method: 'proxy' }, f.clerk, LATER)).toEqual({ kind: 'invalid', field: 'note' });
		expect(await recordVoterCardHandOver(db, { requestId: r.id, method: 'proxy', proxyBirthDate: '1. 2. 1970', note: 'x' }, f.clerk, LATER)).toEqual({
			kind: 'invalid',
			field: 'proxyBirthDate'
		});
		done(
			await recordVoterCardHandOver(
				db,
				{ requestId: r.id, method: 'proxy', proxyName: 'Jana Zmocněná', proxyBirthDate: '1970-02-01', note: 'Plná moc s ověřeným podpisem, OP 123456789' },
				f.clerk,
				LATER
			)
		);
		expect(await cardOf(r.id)).toMatchObject({
			handover_method: 'proxy',
			handed_over_to: 'Jana Zmocněná',
			handed_over_proxy_birth_date: '1970-02-01',
			handed_over_note: 'Plná moc s ověřeným podpisem, OP 123456789'
		});
	});

	it('by post only where the voter gave an address; a card not yet issued cannot be handed over', async () => {
		const f = await decisionFixture(db);
		const r = await acceptedRequest(f, { delivery: 'in-person' });
		expect(await recordVoterCardHandOver(db, { requestId: r.id, method: 'in-person' }, f.clerk, LATER)).toMatchObject({ kind: 'wrong-state', state: 'accepted' });
		done(await issueVoterCard(db, { requestId: r.id }, f.clerk, LATER));
		expect(await recordVoterCardHandOver(db, { requestId: r.id, method: 'post' }, f.clerk, LATER)).toEqual({ kind: 'invalid', field: 'method' });
	});

	it('two clerks handing over the same card at the same moment: one records it, the other sees it handed over', async () => {
		const f = await decisionFixture(db);
		const r = await acceptedRequest(f, { issue: true });
		const results = await Promise.all([
			recordVoterCardHandOver(db, { requestId: r.id, method: 'post' }, f.clerk, LATER),
			recordVoterCardHandOver(db, { requestId: r.id, method: 'in-person' }, f.clerk2, LATER)
		]);
		expect(results.map((x) => x.kind).sort()).toEqual(['already-decided', 'done']);
		expect(results.find((x) => x.kind === 'already-decided')).toMatchObject({ state: 'completed', card: 'handed-over' });
		expect(await auditOf('voter-card.hand-over')).toHaveLength(1);
	});
});

describe('invalidateVoterCard', () => {
	it('§23(3): a lost card is invalidated, never handed over and never re-issued', async () => {
		const f = await decisionFixture(db);
		const r = await acceptedRequest(f, { delivery: 'in-person', issue: true });
		expect(await invalidateVoterCard(db, { requestId: r.id, reason: 'stolen' }, f.clerk, LATER)).toEqual({ kind: 'invalid', field: 'reason' });
		done(await invalidateVoterCard(db, { requestId: r.id, reason: 'lost', note: 'Ohlášeno telefonicky' }, f.clerk, LATER));

		const card = await cardOf(r.id);
		expect(card).toMatchObject({ invalidation_reason: 'lost', invalidation_note: 'Ohlášeno telefonicky', invalidated_by: f.clerk.id });
		const [entry] = await auditOf('voter-card.invalidate');
		expect(entry!.before).toEqual({ serial: 1, invalidationReason: null });
		expect(entry!.after).toEqual({ serial: 1, invalidationReason: 'lost' });

		expect(await recordVoterCardHandOver(db, { requestId: r.id, method: 'in-person' }, f.clerk, LATER)).toEqual({ kind: 'invalidated', reference: r.reference });
		expect(await invalidateVoterCard(db, { requestId: r.id, reason: 'destroyed' }, f.clerk2, LATER)).toMatchObject({ kind: 'already-decided', card: 'invalidated' });
		expect(await issueVoterCard(db, { requestId: r.id }, f.clerk, LATER)).toMatchObject({ kind: 'already-decided', state: 'issued' });
		// The card stays in the evidence: UNIQUE(voter, election, round) keeps any second card out.
		await expect(
			db
				.insertInto('voter_card')
				.values({ office_id: f.praha, serial: 99, request_id: (await f.voterCardRequest(await f.voter())).id, voter_id: r.voterId, election_id: f.chamber, round: 1, issued_at: new Date(), issued_by: f.clerk.id })
				.execute()
		).rejects.toMatchObject({ code: '23505', constraint: 'voter_card_voter_id_election_id_round_key' });
	});
});

describe('access', () => {
	it("another office's card request behaves like an unknown id; other roles are refused", async () => {
		const f = await decisionFixture(db);
		const accepted = await acceptedRequest(f);
		const issued = await acceptedRequest(f, { issue: true });
		for (const actor of [f.brnoClerk, f.embassyClerk]) {
			expect(await issueVoterCard(db, { requestId: accepted.id }, actor, LATER)).toEqual({ kind: 'not-found' });
			expect(await recordVoterCardHandOver(db, { requestId: issued.id, method: 'post' }, actor, LATER)).toEqual({ kind: 'not-found' });
			expect(await invalidateVoterCard(db, { requestId: issued.id, reason: 'lost' }, actor, LATER)).toEqual({ kind: 'not-found' });
		}
		expect(await issueVoterCard(db, { requestId: accepted.id }, f.commissionMember, LATER)).toEqual({ kind: 'forbidden' });
		expect(await recordVoterCardHandOver(db, { requestId: issued.id, method: 'post' }, f.commissionMember, LATER)).toEqual({ kind: 'forbidden' });
		expect((await requestRow(accepted.id)).state).toBe('accepted');
		expect((await cardOf(issued.id))!.handed_over_at).toBeNull();
	});
});
