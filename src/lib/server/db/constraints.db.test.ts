import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openTestDb, resetDb } from './test-support';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

async function fixture() {
	const office = await db
		.insertInto('office')
		.values({ kind: 'municipal', code: 'mu-554782', name_cs: 'Magistrát', name_en: 'City Hall', address: 'Mariánské nám. 2, Praha', municipality_code: '554782' })
		.returning('id')
		.executeTakeFirstOrThrow();
	const election = await db
		.insertInto('election')
		.values({ type: 'president', title_cs: 'Volba prezidenta', title_en: 'Presidential election', announced_on: '2027-10-01', voting_abroad: true, correspondence_allowed: true })
		.returning('id')
		.executeTakeFirstOrThrow();
	await db.insertInto('election_round').values([
		{ election_id: election.id, round: 1, first_day: '2028-01-14' },
		{ election_id: election.id, round: 2, first_day: '2028-01-28' }
	]).execute();
	const voter = await db
		.insertInto('voter')
		.values({ municipal_office_id: office.id, given_name: 'Jan', family_name: 'Novák', birth_date: '1980-05-01', address_line: 'Vinohradská 1', city: 'Praha', postal_code: '12000', country_code: 'CZ' })
		.returning('id')
		.executeTakeFirstOrThrow();
	return { officeId: office.id, electionId: election.id, voterId: voter.id };
}

function request(f: Awaited<ReturnType<typeof fixture>>, round: number, reference: string, state: 'received' | 'refused' = 'received') {
	return db
		.insertInto('request')
		.values({
			reference,
			kind: 'voter-card',
			voter_id: f.voterId,
			election_id: f.electionId,
			round,
			office_id: f.officeId,
			channel: 'portal',
			delivery: 'in-person',
			state,
			refusal_reason: state === 'refused' ? 'deadline-passed' : null,
			received_at: new Date('2027-12-01T10:00:00Z')
		})
		.execute();
}

describe('constraints that state the law', () => {
	it('§2(4): a round must start on a Friday', async () => {
		const f = await fixture();
		await expect(
			db.insertInto('election_round').values({ election_id: f.electionId, round: 1, first_day: '2028-01-13' }).execute()
		).rejects.toThrow(/first_day|check|duplicate/);
		await db.deleteFrom('election_round').where('election_id', '=', f.electionId).where('round', '=', 2).execute();
		await expect(
			db.insertInto('election_round').values({ election_id: f.electionId, round: 2, first_day: '2028-01-27' }).execute()
		).rejects.toThrow(/check constraint/);
	});

	it('§57(1), §57(5): one live voter-card request per voter, election and round', async () => {
		const f = await fixture();
		await request(f, 1, 'A-1');
		await request(f, 2, 'A-2');
		await expect(request(f, 1, 'A-3')).rejects.toThrow(/request_live_per_round_idx/);
		// a refused request does not block a new one
		await db.updateTable('request').set({ state: 'refused', refusal_reason: 'other', refusal_text: 'test' }).where('reference', '=', 'A-1').execute();
		await request(f, 1, 'A-4');
	});

	it('§23(3): card serials are unique per office, and one card per voter and round', async () => {
		const f = await fixture();
		await request(f, 1, 'B-1');
		await request(f, 2, 'B-2');
		const staff = await db
			.insertInto('staff_user')
			.values({ username: 'clerk', display_name: 'Clerk', password_hash: 'x', role: 'municipal-clerk', office_id: f.officeId })
			.returning('id')
			.executeTakeFirstOrThrow();
		const reqs = await db.selectFrom('request').select(['id', 'round']).orderBy('round').execute();
		const card = (requestId: string, round: number, serial: number) =>
			db.insertInto('voter_card').values({ office_id: f.officeId, serial, request_id: requestId, voter_id: f.voterId, election_id: f.electionId, round, issued_at: new Date(), issued_by: staff.id }).execute();
		await card(reqs[0]!.id, 1, 1);
		await expect(card(reqs[1]!.id, 2, 1)).rejects.toThrow(/voter_card_office_id_serial_key/);
	});

	it('the audit log is append-only', async () => {
		await db.insertInto('audit_log').values({ at: new Date(), actor_kind: 'system', action: 'test', entity_type: 'test', entity_id: null }).execute();
		await expect(sql`UPDATE audit_log SET action = 'changed'`.execute(db)).rejects.toThrow(/append-only/);
		await expect(sql`DELETE FROM audit_log`.execute(db)).rejects.toThrow(/append-only/);
	});

	it('staff other than administrators belong to exactly one office', async () => {
		await expect(
			db.insertInto('staff_user').values({ username: 'nobody', display_name: 'X', password_hash: 'x', role: 'embassy-clerk', office_id: null }).execute()
		).rejects.toThrow(/check constraint/);
	});
});
