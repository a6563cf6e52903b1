import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../db/test-support';
import { acceptRequest, refuseRequest, type DecisionResult } from './decisions';
import { decisionFixture, filed, FIXTURE_NOW, prague } from './decision-fixtures';
import { cancelRequest, submitCorrespondenceRequest, submitSpecialDistrictRegistration, submitVoterCardRequest } from './requests';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const LATER = prague('2026-11-20T10:30');

const requestRow = (id: string) => db.selectFrom('request').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const auditOf = (entityId: string, action?: string) => {
	let q = db.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId);
	if (action) q = q.where('action', '=', action);
	return q.orderBy('id').execute();
};
const mailsOf = (voterId: string) => db.selectFrom('email_outbox').selectAll().where('voter_id', '=', voterId).orderBy('created_at').execute();

describe('acceptRequest', () => {
	it('accepts a pending voter card request: state, who and when, audit before/after, e-mail', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const { id, reference } = await f.voterCardRequest(voterId);

		const result = await acceptRequest(db, { requestId: id }, f.clerk, LATER);
		expect(result).toEqual({ kind: 'done', requestId: id, reference, state: 'accepted' });

		const row = await requestRow(id);
		expect(row.state).toBe('accepted');
		expect(row.decided_by).toBe(f.clerk.id);
		expect(row.decided_at?.toISOString()).toBe('2026-11-20T09:30:00.000Z');

		const [entry] = await auditOf(id, 'request.accept');
		expect(entry).toMatchObject({ actor_kind: 'staff', actor_id: f.clerk.id, office_id: f.praha, entity_type: 'request' });
		expect(entry!.before).toEqual({ state: 'received' });
		expect(entry!.after).toMatchObject({ state: 'accepted', decidedBy: f.clerk.id });

		const mails = await mailsOf(voterId);
		expect(mails.map((m) => m.body).join('\n')).toContain(reference);
		expect(mails.at(-1)!.subject).toMatch(/vyhověno|přijat|accepted/i);
	});

	it('re-checks what can change since the filing: a card issued meanwhile elsewhere is refused (§57(1))', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const { id } = await f.voterCardRequest(voterId);
		// Another office issued the voter a card for the same election and round in the meantime.
		const other = await db
			.insertInto('request')
			.values({
				reference: 'VP-ZZZZZZZZ',
				kind: 'voter-card',
				voter_id: voterId,
				election_id: f.chamber,
				round: 1,
				office_id: f.brno,
				channel: 'in-person',
				delivery: 'in-person',
				state: 'refused',
				refusal_reason: 'other',
				refusal_text: 'fixture',
				received_at: new Date('2026-11-19T08:00:00Z')
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await db
			.insertInto('voter_card')
			.values({ office_id: f.brno, serial: 1, request_id: other.id, voter_id: voterId, election_id: f.chamber, round: 1, issued_at: new Date(), issued_by: f.brnoClerk.id })
			.execute();

		const result = await acceptRequest(db, { requestId: id }, f.clerk, LATER);
		expect(result).toMatchObject({ kind: 'rule', refusal: { code: 'card-already-issued', section: '§57(1)' } });
		expect((await requestRow(id)).state).toBe('received');
		expect(await auditOf(id, 'request.accept')).toHaveLength(0);
	});

	it('re-checks the voter list: a voter who moved to a special district meanwhile is for the embassy (§56(4), §57(1))', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const { id } = await f.voterCardRequest(voterId);
		await db.updateTable('voter').set({ special_district_office_id: f.berlin }).where('id', '=', voterId).execute();

		const result = await acceptRequest(db, { requestId: id }, f.clerk, LATER);
		expect(result).toMatchObject({ kind: 'rule', refusal: { code: 'wrong-office', section: '§57(1)' } });
	});

	it('judges the filing deadline as of receipt (§78(1)(c)): a request filed in time is accepted after the deadline', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		// Filed at 15:59 on D−10, the last minute for a mailed card (§57(3)).
		const { id } = await f.voterCardRequest(voterId, { at: prague('2027-01-05T15:59') });
		const result = await acceptRequest(db, { requestId: id }, f.clerk, prague('2027-01-06T09:00'));
		expect(result).toMatchObject({ kind: 'done', state: 'accepted' });
	});

	it('accepts a special-district registration: the voter is on the embassy list from now on (§56(4))', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const { id } = filed(
			await submitSpecialDistrictRegistration(
				db,
				{ voterId, channel: 'portal', embassyOfficeId: f.berlin, address: { line: 'Kastanienallee 12', city: 'Berlin', postalCode: '10435', country: 'DE' } },
				{ kind: 'voter', id: voterId },
				FIXTURE_NOW
			)
		);
		expect(await acceptRequest(db, { requestId: id }, f.clerk, LATER)).toEqual({ kind: 'not-found' });

		const result = await acceptRequest(db, { requestId: id }, f.embassyClerk, LATER);
		expect(result).toMatchObject({ kind: 'done', state: 'completed' });
		const voter = await db.selectFrom('voter').select(['special_district_office_id', 'municipal_office_id']).where('id', '=', voterId).executeTakeFirstOrThrow();
		expect(voter).toEqual({ special_district_office_id: f.berlin, municipal_office_id: f.praha });
		const [entry] = await auditOf(id, 'request.accept');
		expect(entry!.after).toMatchObject({ state: 'completed', voterSpecialDistrictOfficeId: { before: null, after: f.berlin } });
	});

	it('§57b(1): a proxy collects packages for at most 7 voters per embassy and election; the 8th is refused', async () => {
		const f = await decisionFixture(db);
		const ids: string[] = [];
		for (let i = 0; i < 8; i++) {
			const voterId = await f.voter({ municipal: null, embassy: f.berlin });
			ids.push((await f.correspondenceRequest(voterId, f.embassyClerk, { proxyName: i % 2 ? 'Jan Zmocněnec' : 'jan zmocněnec ' })).id);
		}
		for (const id of ids.slice(0, 7)) {
			expect(await acceptRequest(db, { requestId: id }, f.embassyClerk, LATER)).toMatchObject({ kind: 'done', state: 'accepted' });
		}
		expect(await acceptRequest(db, { requestId: ids[7]! }, f.embassyClerk, LATER)).toMatchObject({
			kind: 'rule',
			refusal: { code: 'proxy-limit', section: '§57b(1)' }
		});
	});
});

describe('refuseRequest', () => {
	it('refuses with a reason from the list and an optional text; audit and e-mail, no personal data in the log', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const { id, reference } = await f.voterCardRequest(voterId);

		const result = await refuseRequest(db, { requestId: id, reason: 'not-on-voter-list', text: 'Volič se odstěhoval.' }, f.clerk, LATER);
		expect(result).toEqual({ kind: 'done', requestId: id, reference, state: 'refused' });
		const row = await requestRow(id);
		expect(row).toMatchObject({ state: 'refused', refusal_reason: 'not-on-voter-list', refusal_text: 'Volič se odstěhoval.', decided_by: f.clerk.id });

		const [entry] = await auditOf(id, 'request.refuse');
		expect(entry!.before).toEqual({ state: 'received' });
		expect(entry!.after).toEqual({ state: 'refused', decidedBy: f.clerk.id, refusalReason: 'not-on-voter-list', refusalText: true });
		expect(JSON.stringify(entry)).not.toContain('odstěhoval');

		const last = (await mailsOf(voterId)).at(-1)!;
		expect(last.body).toContain(reference);
		// Issue 15: in the voter's language only (Czech until known).
		expect(last.body).toContain('Důvod: Volič není v seznamu voličů');
		expect(last.body).not.toContain('Reason');
	});

	it("needs a reason from the list, and the text for 'other'", async () => {
		const f = await decisionFixture(db);
		const { id } = await f.voterCardRequest(await f.voter());
		expect(await refuseRequest(db, { requestId: id, reason: 'because' }, f.clerk, LATER)).toEqual({ kind: 'invalid', field: 'reason' });
		expect(await refuseRequest(db, { requestId: id, reason: 'other', text: '   ' }, f.clerk, LATER)).toEqual({ kind: 'invalid', field: 'text' });
		expect(await refuseRequest(db, { requestId: id, reason: 'other', text: 'x'.repeat(1001) }, f.clerk, LATER)).toEqual({ kind: 'invalid', field: 'text' });
		expect(await refuseRequest(db, { requestId: id, reason: 'other', text: 'Žádost nebyla podepsána.' }, f.clerk, LATER)).toMatchObject({ kind: 'done' });
		expect((await requestRow(id)).refusal_text).toBe('Žádost nebyla podepsána.');
	});

	it('cannot decide a request twice, nor one the voter cancelled', async () => {
		const f = await decisionFixture(db);
		const { id, reference } = await f.voterCardRequest(await f.voter());
		await acceptRequest(db, { requestId: id }, f.clerk, LATER);
		expect(await refuseRequest(db, { requestId: id, reason: 'deadline-passed' }, f.clerk2, LATER)).toEqual({
			kind: 'already-decided',
			reference,
			state: 'accepted'
		});
		expect(await acceptRequest(db, { requestId: id }, f.clerk2, LATER)).toEqual({ kind: 'already-decided', reference, state: 'accepted' });

		const voterId = await f.voter();
		const cancelled = await f.voterCardRequest(voterId);
		expect(await cancelRequest(db, { voterId, reference: cancelled.reference }, { kind: 'voter', id: voterId }, LATER)).toMatchObject({ ok: true });
		expect(await acceptRequest(db, { requestId: cancelled.id }, f.clerk, LATER)).toEqual({
			kind: 'already-decided',
			reference: cancelled.reference,
			state: 'cancelled'
		});
	});
});

describe('two clerks deciding the same request at the same moment', () => {
	it('accept and refuse in parallel: exactly one wins, the other sees it already decided', async () => {
		const f = await decisionFixture(db);
		for (let attempt = 0; attempt < 5; attempt++) {
			const { id } = await f.voterCardRequest(await f.voter());
			const results: DecisionResult[] = await Promise.all([
				acceptRequest(db, { requestId: id }, f.clerk, LATER),
				refuseRequest(db, { requestId: id, reason: 'other', text: 'Souběh' }, f.clerk2, LATER)
			]);
			const winners = results.filter((r) => r.kind === 'done');
			const losers = results.filter((r) => r.kind === 'already-decided');
			expect(winners).toHaveLength(1);
			expect(losers).toHaveLength(1);
			const row = await requestRow(id);
			expect(losers[0]).toMatchObject({ state: row.state });
			expect(row.decided_by).toBe(winners[0] === results[0] ? f.clerk.id : f.clerk2.id);
			const decisions = (await auditOf(id)).filter((e) => e.action === 'request.accept' || e.action === 'request.refuse');
			expect(decisions).toHaveLength(1);
		}
	});

	it('two accepts in parallel: one decision, one audit entry, one e-mail', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const { id } = await f.voterCardRequest(voterId);
		const results = await Promise.all([
			acceptRequest(db, { requestId: id }, f.clerk, LATER),
			acceptRequest(db, { requestId: id }, f.clerk2, LATER)
		]);
		expect(results.map((r) => r.kind).sort()).toEqual(['already-decided', 'done']);
		expect(await auditOf(id, 'request.accept')).toHaveLength(1);
		// Issue 15: the acceptance rewrote the filing's unsent e-mail (coalesced): one e-mail, accepted once.
		const mails = await mailsOf(voterId);
		expect(mails).toHaveLength(1);
		expect(mails[0]?.subject).toMatch(/: Vaší žádosti bylo vyhověno$/);
	});
});

describe('access', () => {
	it("another office's request behaves exactly like an unknown id", async () => {
		const f = await decisionFixture(db);
		const { id } = await f.voterCardRequest(await f.voter());
		const unknown = '00000000-0000-4000-8000-000000000000';
		for (const actor of [f.brnoClerk, f.embassyClerk]) {
			expect(await acceptRequest(db, { requestId: id }, actor, LATER)).toEqual({ kind: 'not-found' });
			expect(await refuseRequest(db, { requestId: id, reason: 'other', text: 'x' }, actor, LATER)).toEqual({ kind: 'not-found' });
		}
		expect(await acceptRequest(db, { requestId: unknown }, f.clerk, LATER)).toEqual({ kind: 'not-found' });
		expect(await acceptRequest(db, { requestId: 'not-a-uuid' }, f.clerk, LATER)).toEqual({ kind: 'not-found' });
		expect((await requestRow(id)).state).toBe('received');
	});

	it('a role that does not decide requests is refused', async () => {
		const f = await decisionFixture(db);
		const { id } = await f.voterCardRequest(await f.voter());
		expect(await acceptRequest(db, { requestId: id }, f.commissionMember, LATER)).toEqual({ kind: 'forbidden' });
		expect(await refuseRequest(db, { requestId: id, reason: 'other', text: 'x' }, f.commissionMember, LATER)).toEqual({ kind: 'forbidden' });
		const admin = { kind: 'staff' as const, id: f.clerk.id, officeId: null, role: 'administrator' as const };
		expect(await acceptRequest(db, { requestId: id }, admin, LATER)).toEqual({ kind: 'forbidden' });
		expect((await requestRow(id)).state).toBe('received');
	});
});

describe('requests entered by a clerk (§57(1)(a),(b))', () => {
	const address = { line: 'Dlouhá 5', city: 'Olomouc', postalCode: '779 00', country: 'CZ' };

	it('records the channel, the clerk and the power of attorney, under the same rules as the portal', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const { id } = filed(
			await submitVoterCardRequest(
				db,
				{
					voterId,
					channel: 'data-box',
					electionId: f.chamber,
					rounds: [1],
					delivery: 'proxy',
					proxy: { name: 'Jana Zmocněná', birthDate: '1970-02-01', powerOfAttorneyNote: 'Ověřeno: Czech POINT, č. 1234/2026' }
				},
				f.clerk,
				FIXTURE_NOW
			)
		);
		expect(await requestRow(id)).toMatchObject({
			channel: 'data-box',
			entered_by: f.clerk.id,
			office_id: f.praha,
			delivery: 'proxy',
			proxy_name: 'Jana Zmocněná',
			proxy_birth_date: '1970-02-01',
			power_of_attorney_note: 'Ověřeno: Czech POINT, č. 1234/2026',
			deadline_key: 'voter-card-pickup-request'
		});
		expect(await acceptRequest(db, { requestId: id }, f.clerk2, LATER)).toMatchObject({ kind: 'done' });
	});

	it('refuses a late filing naming the deadline, exactly as the portal does (§57(3), §78(3))', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		// D−10 for a mailed card: 5 January 2027, 16:00 Prague.
		const input = { voterId, channel: 'verified-letter' as const, electionId: f.chamber, rounds: [1 as const], delivery: 'post' as const, address };
		expect(await submitVoterCardRequest(db, input, f.clerk, prague('2027-01-05T16:00:00.000'))).toEqual({
			ok: false,
			refusal: {
				code: 'deadline-passed',
				section: '§57(3)',
				round: 1,
				deadline: { key: 'voter-card-mail-request', round: 1, at: '2027-01-05T16:00:00+01:00', section: '§57(3)' }
			}
		});
		expect(await submitVoterCardRequest(db, input, f.clerk, prague('2027-01-05T15:59:59.999'))).toMatchObject({ ok: true });
	});

	it("refuses a voter of another office: the clerk files at their own office (§57(1))", async () => {
		const f = await decisionFixture(db);
		const brnoVoter = await f.voter({ municipal: f.brno });
		expect(
			await submitVoterCardRequest(db, { voterId: brnoVoter, channel: 'in-person', electionId: f.chamber, rounds: [1], delivery: 'in-person' }, f.clerk, FIXTURE_NOW)
		).toEqual({ ok: false, refusal: { code: 'wrong-office', section: '§57(1)' } });
	});

	it('§57a(3): at the embassy counter a package request is in time until D−2; by data box only until D−35', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter({ municipal: null, embassy: f.berlin });
		const base = { voterId, electionId: f.chamber, rounds: [1 as const], delivery: 'collect-at-embassy' as const };
		// D−35 = 11 December 2026, 16:00 Prague.
		expect(await submitCorrespondenceRequest(db, { ...base, channel: 'data-box' }, f.embassyClerk, prague('2026-12-11T16:00'))).toMatchObject({
			ok: false,
			refusal: { code: 'deadline-passed', deadline: { key: 'correspondence-request-written' } }
		});
		const { id } = filed(await submitCorrespondenceRequest(db, { ...base, channel: 'in-person' }, f.embassyClerk, prague('2027-01-13T15:59')));
		expect(await requestRow(id)).toMatchObject({ channel: 'in-person', entered_by: f.embassyClerk.id, deadline_key: 'correspondence-request-in-person' });
	});
});
