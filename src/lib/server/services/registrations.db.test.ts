import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../db/test-support';
import { createElection } from './elections';
import { insertFixtureEmbassy, insertFixtureStaffSet, insertFixtureVoters } from './envelope-fixtures';
import { notificationSubject } from './notifications';
import { acceptRequest } from './decisions';
import {
	findRegisteredVoter,
	listRegisteredVoters,
	parseVoterSearch,
	removeFromSpecialDistrict,
	VOTERS_PER_PAGE
} from './registrations';
import { submitCorrespondenceRequest, submitSpecialDistrictRegistration } from './requests';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const NOW = Temporal.Instant.from('2026-11-20T09:00:00+01:00');

async function municipalOffice(): Promise<string> {
	const row = await db
		.insertInto('office')
		.values({ kind: 'municipal', code: 'mu-999999', name_cs: 'Obecní úřad Zkušov', name_en: 'Zkušov', address: 'Náves 1', municipality_code: '999999' })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

async function municipalVoter(officeId: string, opts: { confirmedEmail?: boolean } = {}): Promise<string> {
	const row = await db
		.insertInto('voter')
		.values({
			municipal_office_id: officeId,
			given_name: 'Kateřina',
			family_name: 'Dvořáková',
			birth_date: '1991-07-23',
			address_line: 'Kounicova 684/27',
			city: 'Brno',
			postal_code: '602 00',
			country_code: 'CZ',
			source: 'seed',
			email: opts.confirmedEmail ? 'katerina@example.invalid' : null,
			email_confirmed_at: opts.confirmedEmail ? new Date('2026-01-01T00:00:00Z') : null
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

describe('accepting a registration (§56(4), services/decisions.ts)', () => {
	it('moves the voter onto the embassy’s list, so that a correspondence request goes to that embassy', async () => {
		const embassy = await insertFixtureEmbassy(db, { timeZone: 'Europe/Vienna' });
		await db.updateTable('office').set({ countries: ['AT'], country_code: 'AT' }).where('id', '=', embassy.id).execute();
		const staff = await insertFixtureStaffSet(db, embassy.id);
		const municipal = await municipalOffice();
		const voterId = await municipalVoter(municipal);
		const election = await createElection(
			db,
			{ type: 'chamber', announcedOn: '2026-11-13', rounds: [{ round: 1, firstDay: '2027-01-15' }] },
			{ kind: 'system' },
			NOW
		);
		if (!election.ok) throw new Error('election');

		const filed = await submitSpecialDistrictRegistration(
			db,
			{
				voterId,
				channel: 'portal',
				embassyOfficeId: embassy.id,
				address: { line: 'Mariahilfer Straße 88/14', city: 'Wien', postalCode: '1070', country: 'AT' }
			},
			{ kind: 'voter', id: voterId },
			NOW
		);
		if (!filed.ok) throw new Error(JSON.stringify(filed.refusal));
		// Before acceptance the embassy does not keep the voter: a correspondence request is refused (§57a(1)).
		const early = await submitCorrespondenceRequest(
			db,
			{ voterId, channel: 'portal', electionId: election.id, delivery: 'collect-at-embassy' },
			{ kind: 'voter', id: voterId },
			NOW
		);
		expect(early).toMatchObject({ ok: false, refusal: { code: 'not-registered-at-embassy' } });

		expect(await acceptRequest(db, { requestId: filed.requests[0]!.id }, staff.clerk, NOW)).toMatchObject({ kind: 'done' });
		const voter = await db.selectFrom('voter').selectAll().where('id', '=', voterId).executeTakeFirstOrThrow();
		expect(voter).toMatchObject({ special_district_office_id: embassy.id, municipal_office_id: municipal });
		// The list page shows the voter, with the day the registration was accepted.
		const listed = await listRegisteredVoters(db, { q: 'Dvořáková', page: 1 }, staff.clerk);
		expect(listed).toMatchObject({ kind: 'ok', total: 1, rows: [{ id: voterId, registered_at: new Date(NOW.epochMilliseconds) }] });

		const later = await submitCorrespondenceRequest(
			db,
			{ voterId, channel: 'portal', electionId: election.id, delivery: 'collect-at-embassy' },
			{ kind: 'voter', id: voterId },
			NOW
		);
		expect(later).toMatchObject({ ok: true });
		const request = await db.selectFrom('request').select('office_id').where('kind', '=', 'correspondence-package').executeTakeFirstOrThrow();
		expect(request.office_id).toBe(embassy.id);
	});

});

describe('removeFromSpecialDistrict (§56(4))', () => {
	it('takes the voter off the embassy’s list on their request; a voter on no municipal list too', async () => {
		const embassy = await insertFixtureEmbassy(db);
		const staff = await insertFixtureStaffSet(db, embassy.id);
		const [voterId] = await insertFixtureVoters(db, { officeId: embassy.id, count: 1, confirmedEmail: true });
		expect(await removeFromSpecialDistrict(db, { voterId: voterId!, channel: 'verified-letter' }, staff.clerk, NOW)).toEqual({
			kind: 'removed',
			voterId
		});
		const voter = await db.selectFrom('voter').selectAll().where('id', '=', voterId!).executeTakeFirstOrThrow();
		expect(voter).toMatchObject({ special_district_office_id: null, municipal_office_id: null });
		expect(voter.special_district_left_at?.toISOString()).toBe('2026-11-20T08:00:00.000Z');
		const audit = await db.selectFrom('audit_log').select(['action', 'before', 'after', 'actor_id', 'office_id']).execute();
		expect(audit).toEqual([
			{
				action: 'voter.special-district.leave',
				actor_id: staff.clerk.id,
				office_id: embassy.id,
				before: { specialDistrictOfficeId: embassy.id },
				after: { specialDistrictOfficeId: null, channel: 'verified-letter', municipalOfficeId: null }
			}
		]);
		expect((await db.selectFrom('email_outbox').select('subject').execute()).map((o) => o.subject)).toEqual([
			notificationSubject('registration-removed')
		]);
		// Gone from the list: a second removal finds nobody.
		expect(await removeFromSpecialDistrict(db, { voterId: voterId!, channel: 'in-person' }, staff.clerk2, NOW)).toEqual({ kind: 'not-found' });
	});

	it('a voter of another embassy behaves like an unknown id, and only embassy staff may remove', async () => {
		const embassy = await insertFixtureEmbassy(db);
		const other = await insertFixtureEmbassy(db);
		const staff = await insertFixtureStaffSet(db, embassy.id);
		const [theirs] = await insertFixtureVoters(db, { officeId: other.id, count: 1 });
		const [ours] = await insertFixtureVoters(db, { officeId: embassy.id, count: 1 });
		expect(await removeFromSpecialDistrict(db, { voterId: theirs!, channel: 'in-person' }, staff.clerk, NOW)).toEqual({ kind: 'not-found' });
		expect(await removeFromSpecialDistrict(db, { voterId: crypto.randomUUID(), channel: 'in-person' }, staff.clerk, NOW)).toEqual({
			kind: 'not-found'
		});
		expect(await findRegisteredVoter(db, theirs!, staff.clerk)).toEqual({ kind: 'not-found' });
		expect(await removeFromSpecialDistrict(db, { voterId: ours!, channel: 'in-person' }, staff.member, NOW)).toEqual({ kind: 'forbidden' });
		const still = await db.selectFrom('voter').select('special_district_office_id').where('id', 'in', [theirs!, ours!]).execute();
		expect(still.every((v) => v.special_district_office_id !== null)).toBe(true);
	});
});

describe('listRegisteredVoters', () => {
	it('lists only the embassy’s voters, page by page, and searches by name and date of birth', async () => {
		const embassy = await insertFixtureEmbassy(db);
		const other = await insertFixtureEmbassy(db);
		const staff = await insertFixtureStaffSet(db, embassy.id);
		await insertFixtureVoters(db, { officeId: embassy.id, count: VOTERS_PER_PAGE + 3 });
		await insertFixtureVoters(db, { officeId: other.id, count: 4 });
		const [kral] = await insertFixtureVoters(db, { officeId: embassy.id, count: 1 });
		await db.updateTable('voter').set({ given_name: 'Tomáš', family_name: 'Král', birth_date: '1978-11-05' }).where('id', '=', kral!).execute();

		const first = await listRegisteredVoters(db, { q: '', page: 1 }, staff.clerk);
		expect(first).toMatchObject({ kind: 'ok', total: VOTERS_PER_PAGE + 4, page: 1, pages: 2 });
		if (first.kind !== 'ok') throw new Error('list');
		expect(first.rows).toHaveLength(VOTERS_PER_PAGE);
		const second = await listRegisteredVoters(db, { q: '', page: 2 }, staff.clerk);
		if (second.kind !== 'ok') throw new Error('list');
		expect(second.rows).toHaveLength(4);
		expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(VOTERS_PER_PAGE + 4);

		for (const q of ['král', 'Tomáš Král', 'kr 5. 11. 1978', '1978-11-05']) {
			const found = await listRegisteredVoters(db, { q, page: 1 }, staff.clerk);
			expect(found, q).toMatchObject({ kind: 'ok', total: 1, rows: [{ id: kral }] });
		}
		expect(await listRegisteredVoters(db, { q: 'Král 1.1.1980', page: 1 }, staff.clerk)).toMatchObject({ total: 0 });
		// LIKE's wildcards are searched for literally.
		expect(await listRegisteredVoters(db, { q: '%', page: 1 }, staff.clerk)).toMatchObject({ total: 0 });
		expect(await listRegisteredVoters(db, { q: '', page: 1 }, staff.chair)).toEqual({ kind: 'forbidden' });
	});

	it('parses a search into name words and a date of birth', () => {
		expect(parseVoterSearch('  Tomáš   Král  ')).toEqual({ words: ['Tomáš', 'Král'], birthDate: null });
		expect(parseVoterSearch('Král 5. 11. 1978')).toEqual({ words: ['Král'], birthDate: '1978-11-05' });
		expect(parseVoterSearch('1978-11-05')).toEqual({ words: [], birthDate: '1978-11-05' });
		expect(parseVoterSearch('31. 2. 1978')).toEqual({ words: [], birthDate: null });
	});
});
