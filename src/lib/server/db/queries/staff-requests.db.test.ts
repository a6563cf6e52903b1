import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { acceptRequest, refuseRequest } from '../../services/decisions';
import { decisionFixture, prague } from '../../services/decision-fixtures';
import { issueVoterCard } from '../../services/voter-cards';
import { openTestDb, resetDb } from '../test-support';
import { findRefusalNoticeOfOffice, findRefusalNoticeOfVoter } from './refusal-notices';
import {
	drawOfficeSerial,
	findOfficeRequest,
	findOfficeVoter,
	findVoterCardDocument,
	listOfficeVoterCards,
	listRequestAuditTrail,
	searchOfficeVoters
} from './staff-requests';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const LATER = prague('2026-11-20T10:30');

describe('office-scoped reads', () => {
	it("finds the office's own request, card and history; another office's id finds nothing", async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter({ givenName: 'Řehoř', familyName: 'Dvořák' });
		const { id } = await f.voterCardRequest(voterId);
		await acceptRequest(db, { requestId: id }, f.clerk, LATER);
		await issueVoterCard(db, { requestId: id }, f.clerk2, LATER);

		const row = await findOfficeRequest(db, f.praha, id);
		expect(row).toMatchObject({ id, state: 'issued', voter_family_name: 'Dvořák', office_kind: 'municipal', decided_by_name: 'Petr Úředník', election_round_count: 1 });
		expect(await findOfficeRequest(db, f.brno, id)).toBeUndefined();
		expect(await findOfficeRequest(db, f.berlin, id)).toBeUndefined();

		expect(await findVoterCardDocument(db, f.praha, id)).toMatchObject({ serial: 1, given_name: 'Řehoř', official_name: 'Pavla Druhá', round_first_day: '2027-01-15' });
		expect(await findVoterCardDocument(db, f.brno, id)).toBeUndefined();
		expect(await listOfficeVoterCards(db, f.brno, { limit: 10 })).toEqual([]);
		expect((await listOfficeVoterCards(db, f.praha, { limit: 10 })).map((c) => c.serial)).toEqual([1]);

		const trail = await listRequestAuditTrail(db, f.praha, { id, cardId: (await db.selectFrom('voter_card').select('id').executeTakeFirstOrThrow()).id });
		expect(trail.map((e) => [e.action, e.actor_kind, e.actor_name])).toEqual([
			['request.file', 'voter', null],
			['request.accept', 'staff', 'Petr Úředník'],
			['voter-card.issue', 'staff', 'Pavla Druhá']
		]);
		expect(await listRequestAuditTrail(db, f.brno, { id, cardId: null })).toEqual([]);
	});

	it("searches only the office's own voter list, by surname (any case) and date of birth", async () => {
		const f = await decisionFixture(db);
		const prague1 = await f.voter({ givenName: 'Jana', familyName: 'Nováková', birthDate: '1990-04-01' });
		await f.voter({ givenName: 'Eva', familyName: 'Nováková', birthDate: '1990-04-01' });
		const brnoVoter = await f.voter({ municipal: f.brno, givenName: 'Jana', familyName: 'Nováková', birthDate: '1990-04-01' });
		const berlinVoter = await f.voter({ municipal: f.praha, embassy: f.berlin, givenName: 'Jana', familyName: 'Nováková', birthDate: '1990-04-01' });

		const praha = { id: f.praha, kind: 'municipal' as const };
		const all = await searchOfficeVoters(db, praha, { familyName: 'NOVÁKOVÁ', givenName: null, birthDate: '1990-04-01' }, 20);
		expect(all.map((v) => v.id)).not.toContain(brnoVoter);
		expect(all).toHaveLength(3);
		const jana = await searchOfficeVoters(db, praha, { familyName: 'nováková', givenName: 'jana', birthDate: '1990-04-01' }, 20);
		expect(jana.map((v) => v.id).sort()).toEqual([prague1, berlinVoter].sort());
		expect(await searchOfficeVoters(db, praha, { familyName: 'Nováková', givenName: null, birthDate: '1990-04-02' }, 20)).toEqual([]);

		const berlin = { id: f.berlin, kind: 'embassy' as const };
		expect((await searchOfficeVoters(db, berlin, { familyName: 'Nováková', givenName: null, birthDate: '1990-04-01' }, 20)).map((v) => v.id)).toEqual([berlinVoter]);
		expect(await findOfficeVoter(db, praha, brnoVoter)).toBeUndefined();
		expect(await findOfficeVoter(db, berlin, prague1)).toBeUndefined();
	});

	it('the refusal notice is found by the office that refused and by the voter, by no one else', async () => {
		const f = await decisionFixture(db);
		const voterId = await f.voter();
		const other = await f.voter();
		const { id, reference } = await f.voterCardRequest(voterId);
		expect(await findRefusalNoticeOfOffice(db, f.praha, id)).toBeUndefined();
		await refuseRequest(db, { requestId: id, reason: 'not-on-voter-list' }, f.clerk, LATER);
		expect(await findRefusalNoticeOfOffice(db, f.praha, id)).toMatchObject({ reference, refusal_reason: 'not-on-voter-list', official_name: 'Petr Úředník' });
		expect(await findRefusalNoticeOfOffice(db, f.brno, id)).toBeUndefined();
		expect(await findRefusalNoticeOfVoter(db, voterId, reference)).toMatchObject({ reference });
		expect(await findRefusalNoticeOfVoter(db, other, reference)).toBeUndefined();
	});
});

describe('drawOfficeSerial', () => {
	it('counts per office and counter, from 1', async () => {
		const f = await decisionFixture(db);
		const draw = (office: string, counter = 'voter-card') => db.transaction().execute((trx) => drawOfficeSerial(trx, office, counter));
		expect([await draw(f.praha), await draw(f.praha), await draw(f.brno), await draw(f.praha, 'other'), await draw(f.praha)]).toEqual([1, 2, 1, 1, 3]);
	});
});
