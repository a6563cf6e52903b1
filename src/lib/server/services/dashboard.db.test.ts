import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../db/test-support';
import type { RequestKind, RequestState } from '../db/schema';
import { seedDemoData } from '../db/seed';
import { newReference } from '../reference';
import { daysBetween, defaultElection, loadDashboard, type DashboardData } from './dashboard';
import type { StaffActor } from './staff-actor';

const db = openTestDb();
/** The demo data is dated from Friday 20 November 2026: Chamber D = Friday 15 January 2027, announced 13 November. */
const NOW = Temporal.Instant.from('2026-11-20T09:00:00+01:00');
afterAll(() => db.destroy());

let actors: Record<string, StaffActor>;
let offices: Record<string, string>;
let chamber: string;
let president: string;

beforeEach(async () => {
	await resetDb(db);
	await seedDemoData(db, { now: NOW, voters: 300 });
	const staff = await db.selectFrom('staff_user').select(['id', 'username', 'role', 'office_id']).execute();
	actors = Object.fromEntries(staff.map((s) => [s.username, { kind: 'staff', id: s.id, officeId: s.office_id, role: s.role } as StaffActor]));
	offices = Object.fromEntries((await db.selectFrom('office').select(['id', 'code']).execute()).map((o) => [o.code, o.id]));
	const elections = await db.selectFrom('election').select(['id', 'type']).execute();
	chamber = elections.find((e) => e.type === 'chamber')!.id;
	president = elections.find((e) => e.type === 'president')!.id;
});

/** A request of a voter of the office's list, received at `at` (Prague wall-clock with offset). */
async function request(officeCode: string, kind: RequestKind, at: string, state: RequestState = 'received', electionId: string | null = chamber) {
	const officeId = offices[officeCode]!;
	const column = officeCode.startsWith('mu-') ? 'municipal_office_id' : 'special_district_office_id';
	const used = await db.selectFrom('request').select('voter_id').execute();
	const voter = await db
		.selectFrom('voter')
		.select('id')
		.where(column, '=', officeId)
		.where('id', 'not in', used.length ? used.map((u) => u.voter_id) : ['00000000-0000-0000-0000-000000000000'])
		.orderBy('id')
		.executeTakeFirstOrThrow();
	await db
		.insertInto('request')
		.values({
			reference: newReference(kind),
			kind,
			voter_id: voter.id,
			election_id: kind === 'special-district-registration' ? null : electionId,
			round: kind === 'special-district-registration' ? null : 1,
			office_id: officeId,
			channel: 'portal',
			state,
			received_at: new Date(at),
			...(state === 'refused' ? { refusal_reason: 'deadline-passed' as const } : {})
		})
		.execute();
}

async function dashboard(username: string, input: { electionId?: string; officeCode?: string } = {}): Promise<DashboardData> {
	const result = await loadDashboard(db, input, actors[username]!, NOW);
	if (result.kind !== 'ok') throw new Error(result.kind);
	return result.data;
}

const on = (data: DashboardData, day: string) => data.days.indexOf(day);

describe('loadDashboard', () => {
	it('counts requests per Prague day and kind, by state and per office, for an administrator', async () => {
		await request('mu-554782', 'voter-card', '2026-11-20T10:00:00+01:00');
		await request('mu-554782', 'voter-card', '2026-11-20T23:30:00+01:00', 'accepted');
		// 00:30 Prague on 21 November is still 20 November in UTC: counted on the Prague day (§78(2)).
		await request('mu-582786', 'voter-card', '2026-11-21T00:30:00+01:00', 'refused');
		await request('zu-berlin', 'correspondence-package', '2026-11-20T12:00:00+01:00');
		await request('zu-berlin', 'special-district-registration', '2026-11-20T12:00:00+01:00', 'accepted');
		await request('zu-berlin', 'voter-card', '2026-11-20T13:00:00+01:00', 'received', president);

		const data = await dashboard('spravce');
		expect(data.office).toBeNull();
		expect(data.officeOptions?.length).toBe(Object.keys(offices).length);
		expect(data.election.id).toBe(chamber);
		expect(data.kinds).toEqual(['voter-card', 'correspondence-package', 'special-district-registration']);
		expect(data.days[0]).toBe('2026-11-13');
		expect(data.days.at(-1)).toBe('2027-01-16');
		expect(data.perDay['voter-card'][on(data, '2026-11-20')]).toBe(2);
		expect(data.perDay['voter-card'][on(data, '2026-11-21')]).toBe(1);
		expect(data.perDay['correspondence-package'][on(data, '2026-11-20')]).toBe(1);
		expect(data.perDay['special-district-registration'][on(data, '2026-11-20')]).toBe(1);
		expect(data.totals).toEqual({ 'voter-card': 3, 'correspondence-package': 1, 'special-district-registration': 1, all: 5 });
		expect(data.byState.find((s) => s.state === 'received')).toMatchObject({ total: 2, counts: { 'voter-card': 1, 'correspondence-package': 1 } });
		expect(data.byState.find((s) => s.state === 'accepted')).toMatchObject({ total: 2, counts: { 'voter-card': 1, 'special-district-registration': 1 } });
		expect(data.byState.find((s) => s.state === 'refused')?.total).toBe(1);
		expect(data.perOffice.map((o) => [o.office.code, o.total])).toEqual([
			['mu-554782', 2],
			['zu-berlin', 2],
			['mu-582786', 1]
		]);
		expect(data.officesWithRequests).toBe(3);
		expect(data.funnel).toEqual({ requested: 1, dispatched: 0, received: 0, late: 0, counted: 0, setAside: 0 });
	});

	it('draws the filing deadlines of the domain and the first day of voting', async () => {
		const data = await dashboard('spravce');
		expect(data.markers.map((mk) => [mk.key, mk.day, mk.at])).toEqual([
			// §57a(3): D−35; §57(3): D−10; §57(6): D−3; §57(3), §57a(3): D−2; §2(4): D.
			['correspondence-request-written', '2026-12-11', '2026-12-11T16:00:00+01:00'],
			['voter-card-mail-request', '2027-01-05', '2027-01-05T16:00:00+01:00'],
			['special-district-registration', '2027-01-12', '2027-01-12T16:00:00+01:00'],
			['voter-card-pickup-request', '2027-01-13', '2027-01-13T16:00:00+01:00'],
			['correspondence-request-in-person', '2027-01-13', '2027-01-13T16:00:00+01:00'],
			['voting-day', '2027-01-15', null]
		]);
		const presidential = await dashboard('spravce', { electionId: president });
		expect(presidential.markers.filter((mk) => mk.key === 'voting-day').map((mk) => mk.round)).toEqual([1, 2]);
	});

	it("shows a municipal clerk and an embassy's head their own office only; another office is not found", async () => {
		await request('mu-554782', 'voter-card', '2026-11-20T10:00:00+01:00');
		await request('mu-582786', 'voter-card', '2026-11-20T10:00:00+01:00');
		await request('zu-berlin', 'correspondence-package', '2026-11-20T12:00:00+01:00');
		await request('zu-washington', 'correspondence-package', '2026-11-20T12:00:00+01:00');

		const brno = await dashboard('urednik.brno');
		expect(brno.office?.code).toBe('mu-582786');
		expect(brno.officeOptions).toBeNull();
		expect(brno.kinds).toEqual(['voter-card']);
		expect(brno.totals.all).toBe(1);
		expect(brno.funnel).toBeNull();
		expect(brno.markers.map((mk) => mk.key)).toEqual(['voter-card-mail-request', 'voter-card-pickup-request', 'voting-day']);
		expect(await dashboard('urednik.brno', { officeCode: 'mu-582786' })).toMatchObject({ office: { code: 'mu-582786' } });
		expect(await loadDashboard(db, { officeCode: 'mu-554782' }, actors['urednik.brno']!, NOW)).toEqual({ kind: 'not-found' });

		const berlin = await dashboard('vedouci.berlin');
		expect(berlin.office?.code).toBe('zu-berlin');
		expect(berlin.totals['correspondence-package']).toBe(1);
		expect(berlin.funnel?.requested).toBe(1);
		expect(await loadDashboard(db, { officeCode: 'zu-washington' }, actors['vedouci.berlin']!, NOW)).toEqual({ kind: 'not-found' });

		const narrowed = await dashboard('spravce', { officeCode: 'zu-washington' });
		expect(narrowed.totals.all).toBe(1);
		expect(narrowed.perOffice.map((o) => o.office.code)).toEqual(['zu-washington']);
	});

	it('has nothing for roles without a dashboard, and no unknown election or office', async () => {
		for (const username of ['urednik.berlin', 'clen.berlin', 'predseda.berlin']) {
			expect(await loadDashboard(db, {}, actors[username]!, NOW)).toEqual({ kind: 'forbidden' });
		}
		expect(await loadDashboard(db, { electionId: 'x' }, actors.spravce!, NOW)).toEqual({ kind: 'not-found' });
		expect(await loadDashboard(db, { electionId: crypto.randomUUID() }, actors.spravce!, NOW)).toEqual({ kind: 'not-found' });
		expect(await loadDashboard(db, { officeCode: 'zu-atlantida' }, actors.spravce!, NOW)).toEqual({ kind: 'not-found' });
	});
});

describe('helpers', () => {
	it('lists calendar days, and picks the next election still to come', () => {
		expect(daysBetween('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
		expect(daysBetween('2027-03-27', '2027-03-29')).toHaveLength(3);
		const e = (id: string, first: string) => ({ id, rounds: [{ round: 1 as const, first_day: first }] }) as never;
		expect(defaultElection([e('a', '2026-10-02'), e('b', '2027-01-15')], '2026-11-20')).toMatchObject({ id: 'b' });
		expect(defaultElection([e('a', '2026-10-02')], '2026-11-20')).toMatchObject({ id: 'a' });
	});
});
