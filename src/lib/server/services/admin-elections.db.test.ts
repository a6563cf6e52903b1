import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ELECTION_TYPES, ELECTION_TYPE_RULES, type ElectionType } from '../../domain';
import { findAdminElectionById, listElectionVotingWindows, replaceVotingWindowsOfRound } from '../db/queries/admin';
import { openTestDb, resetDb } from '../db/test-support';
import {
	createElectionAsAdmin,
	getElectionForAdmin,
	listElectionsForAdmin,
	updateElectionAsAdmin,
	type ElectionFormData
} from './admin-elections';
import { deadlineId } from './elections';
import { insertFixtureEmbassy, insertFixtureStaff } from './envelope-fixtures';
import type { StaffActor } from './staff-actor';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const prague = (local: string) => Temporal.PlainDateTime.from(local).toZonedDateTime('Europe/Prague').toInstant();
const NOW = prague('2026-11-20T09:00');

async function administrator(): Promise<StaffActor> {
	const row = await db
		.insertInto('staff_user')
		.values({ username: 'spravce.test', display_name: 'Správce', password_hash: 'x', role: 'administrator', office_id: null })
		.returning('id')
		.executeTakeFirstOrThrow();
	return { kind: 'staff', id: row.id, officeId: null, role: 'administrator' };
}

const FIRST_DAYS: Record<ElectionType, string[]> = {
	chamber: ['2027-01-15'],
	president: ['2027-01-15', '2027-01-29'],
	european: ['2027-01-15'],
	senate: ['2027-01-15', '2027-01-22'],
	regional: ['2027-01-15'],
	municipal: ['2027-01-15']
};

function form(type: ElectionType, overrides: Partial<ElectionFormData> = {}): { type: ElectionType } & ElectionFormData {
	const rules = ELECTION_TYPE_RULES[type];
	return {
		type,
		titleCs: '',
		titleEn: '',
		announcedOn: '2026-10-01',
		firstDays: FIRST_DAYS[type],
		correspondenceAllowed: rules.correspondenceAllowed,
		earliestVoterCardIssueDays: rules.earliestVoterCardIssueDays,
		excludedCountries: rules.correspondenceAllowed ? ['AF', 'YE'] : [],
		resultsDeclaredOn: null,
		underCourtChallenge: false,
		retentionDays: 90,
		...overrides
	};
}

describe('creating an election (issue 7)', () => {
	it('creates every type with its rounds, settings and embassies’ default windows, audited', async () => {
		const admin = await administrator();
		const embassy = await insertFixtureEmbassy(db, { timeZone: 'America/New_York' });
		for (const type of ELECTION_TYPES) {
			const result = await createElectionAsAdmin(db, form(type, { retentionDays: 120 }), admin, NOW);
			if (result.kind !== 'ok') throw new Error(`${type}: ${JSON.stringify(result)}`);
			const row = (await findAdminElectionById(db, result.id))!;
			expect(row.rounds.map((r) => r.first_day)).toEqual(FIRST_DAYS[type]);
			expect(row).toMatchObject({ type, retention_days: 120, under_court_challenge: false, results_declared_on: null, voting_abroad: ELECTION_TYPE_RULES[type].votingAbroad });
			const windows = await listElectionVotingWindows(db, result.id);
			// §2(1), §2(3): only elections held abroad have embassies' windows, two per round.
			expect(windows.filter((w) => w.office_id === embassy.id)).toHaveLength(ELECTION_TYPE_RULES[type].votingAbroad ? 2 * FIRST_DAYS[type].length : 0);
		}
		const audit = await db.selectFrom('audit_log').select(['action', 'actor_id']).where('action', '=', 'election.create').execute();
		expect(audit).toHaveLength(ELECTION_TYPES.length);
		expect(audit.every((a) => a.actor_id === admin.id)).toBe(true);
		const list = await listElectionsForAdmin(db, admin, NOW);
		expect(list).toHaveLength(ELECTION_TYPES.length);
		expect(list![0]!.retention).toEqual({ kind: 'results-not-declared' });
	});

	it('lets correspondence voting be switched off for the European Parliament only (§57a(1))', async () => {
		const admin = await administrator();
		const european = await createElectionAsAdmin(db, form('european', { correspondenceAllowed: false }), admin, NOW);
		expect(european.kind).toBe('ok');
		if (european.kind === 'ok') expect((await findAdminElectionById(db, european.id))!.correspondence_allowed).toBe(false);
		// For the Chamber the law decides: the form's value is not taken.
		const chamber = await createElectionAsAdmin(db, form('chamber', { correspondenceAllowed: false }), admin, NOW);
		if (chamber.kind !== 'ok') throw new Error(JSON.stringify(chamber));
		expect((await findAdminElectionById(db, chamber.id))!.correspondence_allowed).toBe(true);
	});

	it('refuses what the law or the form does not allow, field by field', async () => {
		const admin = await administrator();
		expect(await createElectionAsAdmin(db, form('chamber', { firstDays: ['2027-01-14'] }), admin, NOW)).toEqual({
			kind: 'invalid',
			errors: { round1: 'first-day-not-friday' }
		});
		expect(await createElectionAsAdmin(db, form('president', { firstDays: ['2027-01-15', '2027-01-15'] }), admin, NOW)).toEqual({
			kind: 'invalid',
			errors: { round2: 'rounds-out-of-order' }
		});
		expect(await createElectionAsAdmin(db, form('chamber', { announcedOn: '2027-01-15' }), admin, NOW)).toEqual({
			kind: 'invalid',
			errors: { announcedOn: 'announcement-not-before-first-day' }
		});
		expect(await createElectionAsAdmin(db, form('municipal', { earliestVoterCardIssueDays: 15 }), admin, NOW)).toEqual({
			kind: 'invalid',
			errors: { earliestIssueDays: 'earliest-issue-without-voter-cards' }
		});
		expect(await createElectionAsAdmin(db, form('chamber', { excludedCountries: ['AF', 'QQ'] }), admin, NOW)).toEqual({
			kind: 'invalid',
			errors: { excludedCountries: 'country-unknown' }
		});
		expect(await createElectionAsAdmin(db, form('chamber', { retentionDays: -1 }), admin, NOW)).toEqual({
			kind: 'invalid',
			errors: { retentionDays: 'retention-days-invalid' }
		});
		expect(await db.selectFrom('election').select('id').execute()).toEqual([]);
	});

	it('is for administrators only', async () => {
		const embassy = await insertFixtureEmbassy(db);
		const clerk = await insertFixtureStaff(db, { officeId: embassy.id, role: 'embassy-clerk' });
		expect(await createElectionAsAdmin(db, form('chamber'), clerk, NOW)).toEqual({ kind: 'forbidden' });
		expect(await listElectionsForAdmin(db, clerk, NOW)).toBeNull();
	});
});

describe('editing an election (issue 7)', () => {
	async function chamber(admin: StaffActor, firstDay = '2027-01-15') {
		const created = await createElectionAsAdmin(db, form('chamber', { firstDays: [firstDay] }), admin, NOW);
		if (created.kind !== 'ok') throw new Error(JSON.stringify(created));
		return (await getElectionForAdmin(db, admin, created.id, NOW))!;
	}

	function edit(detail: NonNullable<Awaited<ReturnType<typeof getElectionForAdmin>>>, overrides: Partial<ElectionFormData> = {}, confirmed: string[] = []) {
		return {
			id: detail.id,
			version: detail.version,
			confirmed,
			titleCs: detail.titleCs,
			titleEn: detail.titleEn,
			announcedOn: detail.announcedOn,
			firstDays: detail.firstDays,
			correspondenceAllowed: detail.correspondenceAllowed,
			earliestVoterCardIssueDays: detail.earliestVoterCardIssueDays,
			excludedCountries: detail.excludedCountries,
			resultsDeclaredOn: detail.resultsDeclaredOn,
			underCourtChallenge: detail.underCourtChallenge,
			retentionDays: detail.retentionDays,
			...overrides
		};
	}

	it('saves the §22(6) settings without asking when no deadline moves', async () => {
		const admin = await administrator();
		const detail = await chamber(admin);
		const result = await updateElectionAsAdmin(db, edit(detail, { resultsDeclaredOn: '2027-01-19', underCourtChallenge: true, retentionDays: 30, titleCs: 'Sněmovna' }), admin, NOW);
		expect(result).toMatchObject({ kind: 'ok', movedDeadlines: [] });
		const row = (await findAdminElectionById(db, detail.id))!;
		expect(row).toMatchObject({ results_declared_on: '2027-01-19', under_court_challenge: true, retention_days: 30, title_cs: 'Sněmovna' });
		const audit = await db.selectFrom('audit_log').select(['before', 'after', 'actor_id']).where('action', '=', 'election.update').executeTakeFirstOrThrow();
		expect(audit.actor_id).toBe(admin.id);
		expect(audit.before).toMatchObject({ resultsDeclaredOn: null, underCourtChallenge: false, retentionDays: 90, titleCs: 'Volby do Poslanecké sněmovny 2027' });
		expect(audit.after).toMatchObject({ resultsDeclaredOn: '2027-01-19', underCourtChallenge: true, retentionDays: 30, titleCs: 'Sněmovna' });
	});

	it('asks before moving a deadline that has passed, then moves it once confirmed, audited', async () => {
		const admin = await administrator();
		const detail = await chamber(admin);
		// At 20 November 2026 the written correspondence deadline of D 15 January 2027 (D−35 = 11 December) is ahead;
		// moving D to 18 December 2026 puts D−35 (13 November) in the past.
		const moved = edit(detail, { firstDays: ['2026-12-18'] });
		const asked = await updateElectionAsAdmin(db, moved, admin, NOW);
		if (asked.kind !== 'confirm') throw new Error(JSON.stringify(asked));
		expect(asked.movedDeadlines.map((d) => [d.key, d.before, d.after])).toEqual([
			['correspondence-request-written', '2026-12-11T16:00:00+01:00', '2026-11-13T16:00:00+01:00']
		]);
		// Nothing written yet.
		expect((await findAdminElectionById(db, detail.id))!.rounds[0]!.first_day).toBe('2027-01-15');
		expect(await db.selectFrom('audit_log').select('id').where('action', '=', 'election.update').execute()).toEqual([]);

		const confirmed = await updateElectionAsAdmin(db, { ...moved, confirmed: asked.movedDeadlines.map(deadlineId) }, admin, NOW);
		if (confirmed.kind !== 'ok') throw new Error(JSON.stringify(confirmed));
		expect((await findAdminElectionById(db, detail.id))!.rounds[0]!.first_day).toBe('2026-12-18');
		const audit = await db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'election.update').executeTakeFirstOrThrow();
		expect(audit.before).toMatchObject({ rounds: [{ round: 1, firstDay: '2027-01-15' }] });
		expect(audit.after).toMatchObject({ rounds: [{ round: 1, firstDay: '2026-12-18' }], passedDeadlinesConfirmed: true });
	});

	it('asks again when a deadline has passed since the confirmation was shown', async () => {
		const admin = await administrator();
		const detail = await chamber(admin);
		const moved = edit(detail, { firstDays: ['2026-12-18'] }, []);
		const asked = await updateElectionAsAdmin(db, moved, admin, NOW);
		if (asked.kind !== 'confirm') throw new Error(asked.kind);
		// Later, D−35 of the old date (11 December) has passed too, and moves as well: one more to confirm.
		const later = prague('2026-12-12T09:00');
		const again = await updateElectionAsAdmin(db, { ...moved, confirmed: asked.movedDeadlines.map(deadlineId) }, admin, later);
		expect(again.kind).toBe('confirm');
	});

	it('moves embassies’ default windows with D and keeps, and names, the ones set by hand (§2(3))', async () => {
		const admin = await administrator();
		const defaults = await insertFixtureEmbassy(db, { timeZone: 'America/New_York' });
		const custom = await insertFixtureEmbassy(db, { timeZone: 'Europe/Berlin' });
		const detail = await chamber(admin);
		await replaceVotingWindowsOfRound(db, { officeId: custom.id, electionId: detail.id, round: 1 }, [
			{ start: '2027-01-15T10:00', end: '2027-01-15T20:00' },
			{ start: '2027-01-16T08:00', end: '2027-01-16T12:00' }
		]);
		const result = await updateElectionAsAdmin(db, edit(await getElectionForAdmin(db, admin, detail.id, NOW).then((d) => d!), { firstDays: ['2027-01-22'] }), admin, NOW);
		if (result.kind !== 'ok') throw new Error(JSON.stringify(result));
		expect(result.windows).toEqual({ moved: [{ officeId: defaults.id, round: 1 }], customKept: [{ officeId: custom.id, round: 1 }] });
		const windows = await listElectionVotingWindows(db, detail.id);
		// New York is more than 2 hours behind Prague: Thursday and Friday (§2(3)).
		expect(windows.filter((w) => w.office_id === defaults.id).map((w) => [w.starts_local, w.ends_local])).toEqual([
			['2027-01-21T14:00:00', '2027-01-21T22:00:00'],
			['2027-01-22T08:00:00', '2027-01-22T14:00:00']
		]);
		expect(windows.filter((w) => w.office_id === custom.id).map((w) => w.starts_local)).toEqual(['2027-01-15T10:00:00', '2027-01-16T08:00:00']);
		const after = (await getElectionForAdmin(db, admin, detail.id, NOW))!;
		expect(after.embassies.find((e) => e.officeId === custom.id)!.rounds[0]!.custom).toBe(true);
		expect(after.embassies.find((e) => e.officeId === defaults.id)!.rounds[0]!.custom).toBe(false);
	});

	it('of two edits of the same version, exactly one is saved', async () => {
		const admin = await administrator();
		const detail = await chamber(admin);
		const results = await Promise.all([
			updateElectionAsAdmin(db, edit(detail, { retentionDays: 60 }), admin, NOW),
			updateElectionAsAdmin(db, edit(detail, { retentionDays: 30 }), admin, NOW)
		]);
		expect(results.map((r) => r.kind).sort()).toEqual(['changed-meanwhile', 'ok']);
		expect(await db.selectFrom('audit_log').select('id').where('action', '=', 'election.update').execute()).toHaveLength(1);
	});

	it('treats an unknown id as not found and refuses a clerk', async () => {
		const admin = await administrator();
		const detail = await chamber(admin);
		expect(await updateElectionAsAdmin(db, { ...edit(detail), id: crypto.randomUUID() }, admin, NOW)).toEqual({ kind: 'not-found' });
		expect(await updateElectionAsAdmin(db, { ...edit(detail), id: 'nonsense' }, admin, NOW)).toEqual({ kind: 'not-found' });
		const embassy = await insertFixtureEmbassy(db);
		const clerk = await insertFixtureStaff(db, { officeId: embassy.id, role: 'embassy-head' });
		expect(await updateElectionAsAdmin(db, edit(detail), clerk, NOW)).toEqual({ kind: 'forbidden' });
		expect(await getElectionForAdmin(db, clerk, detail.id, NOW)).toBeNull();
	});
});
