import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../db/test-support';
import { listCorrectionsDecidedSince } from '../db/queries/corrections';
import { voterRefusalNoticePdf } from '../documents/refusal-notice';
import { correctVoterList, requestCorrection } from './corrections';
import { acceptRequest, refuseRequest } from './decisions';
import { decisionFixture, FIXTURE_NOW, prague } from './decision-fixtures';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const LATER = prague('2026-11-20T10:30');

const requestRow = (id: string) => db.selectFrom('request').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const voterRow = (id: string) => db.selectFrom('voter').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const auditOf = (entityId: string, action: string) =>
	db.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId).where('action', '=', action).orderBy('id').execute();
const mailsOf = (voterId: string) => db.selectFrom('email_outbox').selectAll().where('voter_id', '=', voterId).orderBy('created_at').execute();

async function fileName(voterId: string, familyName = 'Dvořáková') {
	const result = await requestCorrection(
		db,
		{ voterId, statement: 'V příjmení chybí koncovka.', requested: { field: 'name', givenName: 'Řehoř', familyName } },
		{ kind: 'voter', id: voterId },
		FIXTURE_NOW
	);
	if (!result.ok) throw new Error(result.code);
	return result;
}

describe('requestCorrection (§23(5))', () => {
	it('files a request of its own kind with the municipal office that keeps the list, audited and mailed', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const { requestId, reference } = await fileName(voterId);
		expect(reference).toMatch(/^OS-/);

		const row = await requestRow(requestId);
		expect(row).toMatchObject({ kind: 'voter-list-correction', office_id: f.praha, state: 'received', election_id: null, round: null, channel: 'portal' });
		const correction = await db.selectFrom('voter_list_correction').selectAll().where('request_id', '=', requestId).executeTakeFirstOrThrow();
		expect(correction).toMatchObject({ field: 'name', statement: 'V příjmení chybí koncovka.', requested: { givenName: 'Řehoř', familyName: 'Dvořáková' } });
		expect(await auditOf(requestId, 'request.file')).toHaveLength(1);
		expect((await mailsOf(voterId)).at(-1)!.body).toContain(reference);
	});

	it('sends the address abroad of a voter on a special list to the embassy (§23(4))', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter({ embassy: f.berlin });
		const result = await requestCorrection(
			db,
			{ voterId, statement: 'Přestěhoval jsem se.', requested: { field: 'address', line: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', country: 'DE' } },
			{ kind: 'voter', id: voterId },
			FIXTURE_NOW
		);
		expect(result.ok).toBe(true);
		if (result.ok) expect((await requestRow(result.requestId)).office_id).toBe(f.berlin);
	});

	it('keeps one pending correction per field and refuses a voter on no list', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const first = await fileName(voterId);
		const again = await requestCorrection(db, { voterId, statement: 'Znovu.', requested: { field: 'name', givenName: 'A', familyName: 'B' } }, { kind: 'voter', id: voterId }, FIXTURE_NOW);
		expect(again).toEqual({ ok: false, code: 'already-pending', reference: first.reference });

		// Every voter row is on a list (voter_on_a_list); an id of nobody finds none.
		const nobody = '00000000-0000-4000-8000-000000000000';
		const none = await requestCorrection(db, { voterId: nobody, statement: 'x', requested: { field: 'birth-date', birthDate: '1984-03-13' } }, { kind: 'voter', id: nobody }, FIXTURE_NOW);
		expect(none).toEqual({ ok: false, code: 'not-on-voter-list' });
	});
});

describe('correctVoterList', () => {
	it('changes the voter-list record in the same transaction as the decision, old and new values in the audit', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter({ familyName: 'Dvořák' });
		const { requestId, reference } = await fileName(voterId);

		const result = await correctVoterList(db, { requestId, values: { familyName: 'Dvořáková' } }, f.clerk, LATER);
		expect(result).toEqual({ kind: 'done', requestId, reference, state: 'completed' });

		expect(await voterRow(voterId)).toMatchObject({ given_name: 'Řehoř', family_name: 'Dvořáková' });
		const row = await requestRow(requestId);
		expect(row).toMatchObject({ state: 'completed', decided_by: f.clerk.id });
		const [entry] = await auditOf(requestId, 'request.correct');
		expect(entry).toMatchObject({ actor_kind: 'staff', actor_id: f.clerk.id, office_id: f.praha });
		expect(entry!.before).toMatchObject({ state: 'received', field: 'name', values: { givenName: 'Řehoř', familyName: 'Dvořák' } });
		expect(entry!.after).toMatchObject({ state: 'completed', field: 'name', values: { givenName: 'Řehoř', familyName: 'Dvořáková' } });
		const correction = await db.selectFrom('voter_list_correction').selectAll().where('request_id', '=', requestId).executeTakeFirstOrThrow();
		expect(correction.before_values).toEqual({ givenName: 'Řehoř', familyName: 'Dvořák' });
		expect(correction.after_values).toEqual({ givenName: 'Řehoř', familyName: 'Dvořáková' });
		expect((await mailsOf(voterId)).at(-1)!.subject).toMatch(/opraven/i);
	});

	it('shows on a voter-card request of the same voter that is still pending', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const card = await f.voterCardRequest(voterId);
		const { requestId, reference } = await fileName(voterId);
		await correctVoterList(db, { requestId }, f.clerk, LATER);
		const since = await listCorrectionsDecidedSince(db, voterId, (await requestRow(card.id)).received_at);
		expect(since).toMatchObject([{ reference, field: 'name', state: 'completed' }]);
	});

	it('one of two clerks corrects; the other is told; another office’s clerk finds nothing', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const { requestId } = await fileName(voterId);
		expect(await correctVoterList(db, { requestId }, f.brnoClerk, LATER)).toEqual({ kind: 'not-found' });
		const [a, b] = await Promise.all([correctVoterList(db, { requestId }, f.clerk, LATER), correctVoterList(db, { requestId }, f.clerk2, LATER)]);
		expect([a.kind, b.kind].sort()).toEqual(['already-decided', 'done']);
		expect(await auditOf(requestId, 'request.correct')).toHaveLength(1);
	});

	it('is not granted by a bare accept', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const { requestId } = await fileName(voterId);
		expect(await acceptRequest(db, { requestId }, f.clerk, LATER)).toEqual({ kind: 'forbidden' });
		expect((await requestRow(requestId)).state).toBe('received');
	});
});

describe('refusing a correction (§77(1))', () => {
	it('leaves the record as it is; the notice names the court and the §80(1) deadline', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter({ familyName: 'Dvořák' });
		const { requestId, reference } = await fileName(voterId);

		const result = await refuseRequest(db, { requestId, reason: 'other', text: 'Údaj odpovídá evidenci obyvatel.' }, f.clerk, LATER);
		expect(result).toMatchObject({ kind: 'done', state: 'refused' });
		expect((await voterRow(voterId)).family_name).toBe('Dvořák');
		expect(await auditOf(requestId, 'request.refuse')).toHaveLength(1);
		expect((await mailsOf(voterId)).at(-1)!.body).toContain(reference);

		const pdf = await voterRefusalNoticePdf(db, { voterId, reference, now: LATER });
		expect(pdf?.subarray(0, 5).toString()).toBe('%PDF-');
	});
});
