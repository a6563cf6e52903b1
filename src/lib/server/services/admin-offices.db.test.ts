import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { findAdminOfficeById, listOfficeVotingWindows, replaceVotingWindowsOfRound } from '../db/queries/admin';
import { openTestDb, resetDb } from '../db/test-support';
import {
	createEmbassy,
	createMunicipalOffice,
	getOfficeForAdmin,
	listOfficesForAdmin,
	setEmbassyVotingWindows,
	updateEmbassy,
	updateMunicipalOffice,
	type EmbassyInput,
	type MunicipalOfficeInput
} from './admin-offices';
import { createElection } from './elections';
import { insertFixtureEmbassy, insertFixtureStaff } from './envelope-fixtures';
import type { StaffActor } from './staff-actor';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const NOW = Temporal.Instant.from('2026-11-20T08:00:00Z');

async function administrator(): Promise<StaffActor> {
	const row = await db
		.insertInto('staff_user')
		.values({ username: 'spravce.test', display_name: 'Správce', password_hash: 'x', role: 'administrator', office_id: null })
		.returning('id')
		.executeTakeFirstOrThrow();
	return { kind: 'staff', id: row.id, officeId: null, role: 'administrator' };
}

async function elections() {
	const chamber = await createElection(db, { type: 'chamber', announcedOn: '2026-11-01', rounds: [{ round: 1, firstDay: '2027-01-15' }] }, { kind: 'system' }, NOW);
	const president = await createElection(
		db,
		{
			type: 'president',
			announcedOn: '2026-11-01',
			rounds: [
				{ round: 1, firstDay: '2027-01-29' },
				{ round: 2, firstDay: '2027-02-12' }
			]
		},
		{ kind: 'system' },
		NOW
	);
	// Regional elections are not held abroad (§2(1)): embassies have no windows in them.
	const regional = await createElection(db, { type: 'regional', announcedOn: '2026-11-01', rounds: [{ round: 1, firstDay: '2027-01-22' }] }, { kind: 'system' }, NOW);
	if (!chamber.ok || !president.ok || !regional.ok) throw new Error('elections');
	return { chamber: chamber.id, president: president.id, regional: regional.id };
}

const MUNICIPAL: MunicipalOfficeInput = {
	nameCs: 'Městský úřad Zkušov',
	address: 'Náměstí 1, 123 45 Zkušov',
	municipalityCode: '123456',
	municipalityName: 'Zkušov',
	regionCode: 'CZ064',
	senateConstituency: 60
};

const MEXICO: EmbassyInput = {
	nameCs: 'Velvyslanectví České republiky v Mexiku',
	nameEn: 'Embassy of the Czech Republic in Mexico',
	address: 'Cerrada de Cicerón 702, Ciudad de México',
	specialDistrictNumber: 77,
	countries: ['MX', 'GT'],
	timeZone: 'America/Mexico_City'
};

describe('municipal offices (issue 7)', () => {
	it('creates one with a unique six-digit municipality code, audited', async () => {
		const admin = await administrator();
		const created = await createMunicipalOffice(db, MUNICIPAL, admin, NOW);
		if (created.kind !== 'ok') throw new Error(JSON.stringify(created));
		expect(await findAdminOfficeById(db, created.id)).toMatchObject({
			kind: 'municipal',
			code: 'mu-123456',
			municipality_code: '123456',
			region_code: 'CZ064',
			senate_constituency: 60
		});
		expect(await createMunicipalOffice(db, { ...MUNICIPAL, nameCs: 'Jiný' }, admin, NOW)).toEqual({ kind: 'invalid', errors: { municipalityCode: 'municipality-code-taken' } });
		expect(await createMunicipalOffice(db, { ...MUNICIPAL, municipalityCode: '12345', regionCode: 'CZ999', senateConstituency: 82, nameCs: '' }, admin, NOW)).toEqual({
			kind: 'invalid',
			errors: { nameCs: 'required', municipalityCode: 'municipality-code-format', regionCode: 'region-unknown', senateConstituency: 'senate-constituency-range' }
		});
		const audit = await db.selectFrom('audit_log').select(['action', 'entity_id', 'actor_id']).execute();
		expect(audit).toEqual([{ action: 'office.create', entity_id: created.id, actor_id: admin.id }]);
	});

	it('edits one only against the version the administrator saw', async () => {
		const admin = await administrator();
		const created = await createMunicipalOffice(db, MUNICIPAL, admin, NOW);
		if (created.kind !== 'ok') throw new Error('create');
		const { version } = (await getOfficeForAdmin(db, admin, created.id))!;
		expect(await updateMunicipalOffice(db, { ...MUNICIPAL, address: 'Nová 2', id: created.id, version }, admin, NOW)).toEqual({ kind: 'ok', id: created.id });
		expect((await findAdminOfficeById(db, created.id))!.address).toBe('Nová 2');
		expect(await updateMunicipalOffice(db, { ...MUNICIPAL, address: 'Stará 3', id: created.id, version }, admin, NOW)).toEqual({ kind: 'changed-meanwhile' });
		const audit = await db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'office.update').executeTakeFirstOrThrow();
		expect(audit.before).toMatchObject({ address: MUNICIPAL.address });
		expect(audit.after).toMatchObject({ address: 'Nová 2' });
	});
});

describe('embassies (issue 7)', () => {
	it('creates one voting in every election held abroad, with the §2(3) defaults of its time zone', async () => {
		const admin = await administrator();
		const e = await elections();
		const created = await createEmbassy(db, MEXICO, admin, NOW);
		if (created.kind !== 'ok') throw new Error(JSON.stringify(created));
		expect(await findAdminOfficeById(db, created.id)).toMatchObject({ kind: 'embassy', code: 'zu-77', special_district_number: 77, country_code: 'MX', countries: ['MX', 'GT'], time_zone: 'America/Mexico_City' });
		const windows = await listOfficeVotingWindows(db, created.id);
		// Mexico City is more than 2 hours behind Prague: Thursday 14–22 and Friday 8–14 local time.
		expect(windows.filter((w) => w.election_id === e.chamber).map((w) => [w.starts_local, w.ends_local])).toEqual([
			['2027-01-14T14:00:00', '2027-01-14T22:00:00'],
			['2027-01-15T08:00:00', '2027-01-15T14:00:00']
		]);
		expect(windows.filter((w) => w.election_id === e.president)).toHaveLength(4);
		expect(windows.filter((w) => w.election_id === e.regional)).toHaveLength(0);
		const detail = (await getOfficeForAdmin(db, admin, created.id))!;
		expect(detail.elections.map((x) => x.electionId).sort()).toEqual([e.chamber, e.president].sort());
		expect(detail.elections.every((x) => x.rounds.every((r) => !r.custom))).toBe(true);
	});

	it('refuses an unknown zone, a special district number or a country already taken, and Czechia', async () => {
		const admin = await administrator();
		const berlin = await insertFixtureEmbassy(db, { timeZone: 'Europe/Berlin' });
		await db.updateTable('office').set({ countries: ['DE'], special_district_number: 5 }).where('id', '=', berlin.id).execute();
		expect(await createEmbassy(db, { ...MEXICO, timeZone: 'Mars/Olympus', specialDistrictNumber: 5, countries: ['MX', 'DE'] }, admin, NOW)).toEqual({
			kind: 'invalid',
			errors: { timeZone: 'time-zone-unknown', specialDistrictNumber: 'special-district-taken', countries: 'country-taken' },
			countriesTaken: ['DE']
		});
		expect(await createEmbassy(db, { ...MEXICO, countries: ['CZ'] }, admin, NOW)).toMatchObject({ errors: { countries: 'country-czechia' } });
		expect(await createEmbassy(db, { ...MEXICO, countries: ['XX'] }, admin, NOW)).toMatchObject({ errors: { countries: 'country-unknown' } });
		expect(await createEmbassy(db, { ...MEXICO, countries: [], specialDistrictNumber: null, nameEn: '' }, admin, NOW)).toMatchObject({
			errors: { countries: 'required', specialDistrictNumber: 'required', nameEn: 'required' }
		});
	});

	it('a new time zone moves default windows and keeps the ones set by hand', async () => {
		const admin = await administrator();
		const e = await elections();
		const created = await createEmbassy(db, MEXICO, admin, NOW);
		if (created.kind !== 'ok') throw new Error('create');
		await replaceVotingWindowsOfRound(db, { officeId: created.id, electionId: e.chamber, round: 1 }, [
			{ start: '2027-01-14T10:00', end: '2027-01-14T20:00' },
			{ start: '2027-01-15T08:00', end: '2027-01-15T12:00' }
		]);
		const { version } = (await getOfficeForAdmin(db, admin, created.id))!;
		const result = await updateEmbassy(db, { ...MEXICO, timeZone: 'Europe/Lisbon', id: created.id, version }, admin, NOW);
		if (result.kind !== 'ok') throw new Error(JSON.stringify(result));
		expect(result.windows!.customKept).toEqual([{ officeId: created.id, round: 1 }]);
		expect(result.windows!.moved).toHaveLength(2);
		const windows = await listOfficeVotingWindows(db, created.id);
		// Lisbon is 1 hour behind Prague: Friday 12–22 and Saturday 8–12 (§2(3)).
		expect(windows.filter((w) => w.election_id === e.president && w.round === 1).map((w) => [w.starts_local, w.ends_local])).toEqual([
			['2027-01-29T12:00:00', '2027-01-29T22:00:00'],
			['2027-01-30T08:00:00', '2027-01-30T12:00:00']
		]);
		expect(windows.filter((w) => w.election_id === e.chamber).map((w) => w.starts_local)).toEqual(['2027-01-14T10:00:00', '2027-01-15T08:00:00']);
		const detail = (await getOfficeForAdmin(db, admin, created.id))!;
		expect(detail.elections.find((x) => x.electionId === e.chamber)!.rounds[0]!.custom).toBe(true);
	});

	it('sets windows validated by the domain, or back to the defaults, audited', async () => {
		const admin = await administrator();
		const e = await elections();
		const created = await createEmbassy(db, MEXICO, admin, NOW);
		if (created.kind !== 'ok') throw new Error('create');
		const target = { officeId: created.id, electionId: e.chamber };
		expect(
			await setEmbassyVotingWindows(
				db,
				{ ...target, rounds: [{ round: 1, windows: [{ start: '2027-01-14T14:00', end: '2027-01-14T12:00' }, { start: '2027-01-15T08:00', end: '2027-01-15T14:00' }] }] },
				admin,
				NOW
			)
		).toEqual({ kind: 'invalid', errors: [{ round: 1, window: 0, code: 'window-end-not-after-start' }] });
		expect(
			await setEmbassyVotingWindows(
				db,
				{ ...target, rounds: [{ round: 1, windows: [{ start: '2027-01-14T15:00', end: '2027-01-14T21:00' }, { start: '2027-01-15T09:00', end: '2027-01-15T13:00' }] }] },
				admin,
				NOW
			)
		).toEqual({ kind: 'ok' });
		expect((await getOfficeForAdmin(db, admin, created.id))!.elections.find((x) => x.electionId === e.chamber)!.rounds[0]!.custom).toBe(true);
		expect(await setEmbassyVotingWindows(db, { ...target, defaults: true }, admin, NOW)).toEqual({ kind: 'ok' });
		expect((await getOfficeForAdmin(db, admin, created.id))!.elections.find((x) => x.electionId === e.chamber)!.rounds[0]!.custom).toBe(false);
		// Not held abroad: no windows to set.
		expect(await setEmbassyVotingWindows(db, { officeId: created.id, electionId: e.regional, defaults: true }, admin, NOW)).toEqual({ kind: 'not-found' });
		expect(await db.selectFrom('audit_log').select('action').where('action', '=', 'embassy-voting.update').execute()).toHaveLength(2);
	});

	it('is for administrators only', async () => {
		const embassy = await insertFixtureEmbassy(db);
		const clerk = await insertFixtureStaff(db, { officeId: embassy.id, role: 'embassy-head' });
		expect(await createEmbassy(db, MEXICO, clerk, NOW)).toEqual({ kind: 'forbidden' });
		expect(await createMunicipalOffice(db, MUNICIPAL, clerk, NOW)).toEqual({ kind: 'forbidden' });
		expect(await listOfficesForAdmin(db, clerk)).toBeNull();
		expect(await getOfficeForAdmin(db, clerk, embassy.id)).toBeNull();
	});
});
