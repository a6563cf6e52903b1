import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../db/test-support';
import type { RequestKind, RequestState } from '../db/schema';
import {
	countPackagesDispatchedByDay,
	countRegistrationsByDay,
	countRequestsByDay,
	countReturnEnvelopesByDay,
	countVoterCardsIssuedByDay,
	listCommissionClosures
} from '../db/queries/statistics';
import { createOpenDataFeed, loadElectionFeedData } from './open-data';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

/**
 * One Chamber election (announced 1 Oct 2026, D = Friday 18 Dec 2026) with a municipal
 * office, a small municipal office and an embassy, and rows inserted directly.
 */
async function fixture() {
	const [praha, small, berlin, vienna] = await db
		.insertInto('office')
		.values([
			{ kind: 'municipal', code: 'mu-554782', name_cs: 'Magistrát hl. m. Prahy', name_en: 'Prague City Hall', address: 'Mariánské nám. 2', municipality_code: '554782' },
			{ kind: 'municipal', code: 'mu-500011', name_cs: 'Obecní úřad Malá Ves', name_en: 'Malá Ves Municipal Office', address: 'Malá Ves 1', municipality_code: '500011' },
			{ kind: 'embassy', code: 'zu-berlin', name_cs: 'Velvyslanectví v Berlíně', name_en: 'Embassy in Berlin', address: 'Wilhelmstraße 44', special_district_number: 1, country_code: 'DE', countries: ['DE'], time_zone: 'Europe/Berlin' },
			{ kind: 'embassy', code: 'zu-viden', name_cs: 'Velvyslanectví ve Vídni', name_en: 'Embassy in Vienna', address: 'Penzinger Str. 11', special_district_number: 2, country_code: 'AT', countries: ['AT'], time_zone: 'Europe/Vienna' }
		])
		.returning('id')
		.execute();
	const election = await db
		.insertInto('election')
		.values({ type: 'chamber', title_cs: 'Volby do Poslanecké sněmovny 2026', title_en: 'Chamber 2026', announced_on: '2026-10-01', voting_abroad: true, correspondence_allowed: true })
		.returning('id')
		.executeTakeFirstOrThrow();
	await db.insertInto('election_round').values({ election_id: election.id, round: 1, first_day: '2026-12-18' }).execute();
	const other = await db
		.insertInto('election')
		.values({ type: 'senate', title_cs: 'Senát', title_en: 'Senate', announced_on: '2026-10-01', voting_abroad: false, correspondence_allowed: false })
		.returning('id')
		.executeTakeFirstOrThrow();
	await db.insertInto('election_round').values({ election_id: other.id, round: 1, first_day: '2026-12-18' }).execute();
	const staff = await db
		.insertInto('staff_user')
		.values({ username: 'spravce', display_name: 'Správce', role: 'administrator', office_id: null, password_hash: 'x' })
		.returning('id')
		.executeTakeFirstOrThrow();
	return { praha: praha!.id, small: small!.id, berlin: berlin!.id, vienna: vienna!.id, election: election.id, senate: other.id, staff: staff.id };
}
type Fixture = Awaited<ReturnType<typeof fixture>>;

let sequence = 0;

/** `count` requests, each of its own voter. */
async function addRequests(
	f: Fixture,
	count: number,
	options: { kind: RequestKind; office: string; state: RequestState; receivedAt: string; electionId?: string | null }
): Promise<{ requestId: string; voterId: string }[]> {
	const out: { requestId: string; voterId: string }[] = [];
	for (let i = 0; i < count; i++) {
		sequence++;
		const voter = await db
			.insertInto('voter')
			.values({ municipal_office_id: f.praha, given_name: 'Jan', family_name: `Volič${sequence}`, birth_date: '1980-01-01', address_line: 'Ulice 1', city: 'Praha', postal_code: '11000', country_code: 'CZ', source: 'seed' })
			.returning('id')
			.executeTakeFirstOrThrow();
		const registration = options.kind === 'special-district-registration';
		const request = await db
			.insertInto('request')
			.values({
				reference: `T-${sequence}`,
				kind: options.kind,
				voter_id: voter.id,
				election_id: registration ? null : (options.electionId ?? f.election),
				round: registration ? null : 1,
				office_id: options.office,
				channel: 'portal',
				state: options.state,
				refusal_reason: options.state === 'refused' ? 'deadline-passed' : null,
				received_at: options.receivedAt
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		out.push({ requestId: request.id, voterId: voter.id });
	}
	return out;
}

async function addVoterCards(f: Fixture, office: string, requests: { requestId: string; voterId: string }[], issuedAt: string) {
	for (const r of requests) {
		sequence++;
		await db
			.insertInto('voter_card')
			.values({ office_id: office, serial: sequence, request_id: r.requestId, voter_id: r.voterId, election_id: f.election, round: 1, issued_at: issuedAt, issued_by: f.staff })
			.execute();
	}
}

async function addPackages(f: Fixture, requests: { requestId: string; voterId: string }[], dispatchedAt: string | null): Promise<string[]> {
	const ids: string[] = [];
	for (const r of requests) {
		sequence++;
		const row = await db
			.insertInto('correspondence_package')
			.values({
				office_id: f.berlin,
				request_id: r.requestId,
				voter_id: r.voterId,
				election_id: f.election,
				round: 1,
				id_slip_number: sequence,
				envelope_code: `ENV-${sequence}`,
				issued_at: '2026-11-10T09:00:00Z',
				issued_by: f.staff,
				dispatch_method: dispatchedAt ? 'post' : null,
				dispatched_at: dispatchedAt,
				dispatched_by: dispatchedAt ? f.staff : null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		ids.push(row.id);
	}
	return ids;
}

async function addEnvelopes(f: Fixture, packageIds: string[], receivedAt: string, outcome: { late?: boolean; outcome?: 'accepted' | 'set-aside' }) {
	// §57c(4): only an envelope handed over to the commission gets an outcome
	const handover = outcome.outcome
		? await db
				.insertInto('envelope_handover')
				.values({ office_id: f.berlin, election_id: f.election, round: 1, envelope_count: packageIds.length, created_at: '2026-12-19T13:00:00Z', created_by: f.staff })
				.returning('id')
				.executeTakeFirstOrThrow()
		: null;
	for (const packageId of packageIds) {
		await db
			.insertInto('return_envelope')
			.values({
				package_id: packageId,
				office_id: f.berlin,
				election_id: f.election,
				round: 1,
				received_at: receivedAt,
				received_by: f.staff,
				handover_id: handover?.id ?? null,
				late: outcome.late ?? false,
				outcome: outcome.outcome ?? null,
				set_aside_ground: outcome.outcome === 'set-aside' ? 'a' : null,
				processed_at: outcome.outcome ? '2026-12-19T14:30:00Z' : null,
				processed_by: outcome.outcome ? f.staff : null
			})
			.execute();
	}
}

async function closeCommission(f: Fixture) {
	await db
		.insertInto('commission_closure')
		.values({ office_id: f.berlin, election_id: f.election, round: 1, ballot_box_opened_at: '2026-12-19T16:00:00Z', opened_by: f.staff })
		.execute();
}

/** The scenario of the tests below. */
async function scenario() {
	const f = await fixture();
	// Prague office, 2 Nov: 7 received + 5 issued voter-card requests (all published)
	await addRequests(f, 7, { kind: 'voter-card', office: f.praha, state: 'received', receivedAt: '2026-11-02T10:00:00+01:00' });
	const issued = await addRequests(f, 5, { kind: 'voter-card', office: f.praha, state: 'issued', receivedAt: '2026-11-02T11:00:00+01:00' });
	await addVoterCards(f, f.praha, issued, '2026-11-10T09:00:00+01:00');
	// 3 Nov: 6 received + 2 refused: the 2 are small, so only the total (8) is published
	await addRequests(f, 6, { kind: 'voter-card', office: f.praha, state: 'received', receivedAt: '2026-11-03T09:00:00+01:00' });
	await addRequests(f, 2, { kind: 'voter-card', office: f.praha, state: 'refused', receivedAt: '2026-11-03T09:30:00+01:00' });
	// 23:30 UTC on 3 Nov is already 4 Nov in Prague (§78(2))
	await addRequests(f, 1, { kind: 'voter-card', office: f.praha, state: 'cancelled', receivedAt: '2026-11-03T23:30:00Z' });
	// The small office: 2 cards issued: left out everywhere, as if there were none
	const smallIssued = await addRequests(f, 2, { kind: 'voter-card', office: f.small, state: 'completed', receivedAt: '2026-11-05T10:00:00+01:00' });
	await addVoterCards(f, f.small, smallIssued, '2026-11-10T10:00:00+01:00');
	// Berlin: 12 correspondence requests, 11 packages dispatched on 12 Nov and 1 on 13 Nov
	const correspondence = await addRequests(f, 12, { kind: 'correspondence-package', office: f.berlin, state: 'completed', receivedAt: '2026-11-05T10:00:00+01:00' });
	const packages = [
		...(await addPackages(f, correspondence.slice(0, 11), '2026-11-12T10:00:00+01:00')),
		...(await addPackages(f, correspondence.slice(11), '2026-11-13T10:00:00+01:00'))
	];
	// Return envelopes: 6 counted and 5 set aside received 10 Dec; 1 late on 20 Dec
	await addEnvelopes(f, packages.slice(0, 6), '2026-12-10T10:00:00+01:00', { outcome: 'accepted' });
	await addEnvelopes(f, packages.slice(6, 11), '2026-12-10T11:00:00+01:00', { outcome: 'set-aside' });
	await addEnvelopes(f, packages.slice(11), '2026-12-20T10:00:00+01:00', { late: true });
	// Registrations at Berlin: before the announcement, in the window, after its last day (19 Dec)
	await addRequests(f, 3, { kind: 'special-district-registration', office: f.berlin, state: 'completed', receivedAt: '2026-09-20T10:00:00+02:00' });
	await addRequests(f, 4, { kind: 'special-district-registration', office: f.berlin, state: 'completed', receivedAt: '2026-10-15T10:00:00+02:00' });
	await addRequests(f, 1, { kind: 'special-district-registration', office: f.berlin, state: 'refused', receivedAt: '2026-10-15T11:00:00+02:00' });
	await addRequests(f, 6, { kind: 'special-district-registration', office: f.berlin, state: 'completed', receivedAt: '2026-10-16T10:00:00+02:00' });
	await addRequests(f, 2, { kind: 'special-district-registration', office: f.berlin, state: 'received', receivedAt: '2026-12-19T22:59:00Z' });
	await addRequests(f, 5, { kind: 'special-district-registration', office: f.berlin, state: 'received', receivedAt: '2026-12-19T23:00:00Z' });
	// Another election's requests never leak into this one
	await addRequests(f, 5, { kind: 'voter-card', office: f.praha, state: 'received', receivedAt: '2026-11-02T10:00:00+01:00', electionId: f.senate });
	return f;
}

describe('statistics queries', () => {
	it('count requests by office, round, Prague day, kind and state', async () => {
		const f = await scenario();
		const rows = await countRequestsByDay(db, { electionId: f.election, officeId: f.praha });
		expect(rows).toEqual([
			{ office_id: f.praha, round: 1, day: '2026-11-02', kind: 'voter-card', state: 'issued', count: 5 },
			{ office_id: f.praha, round: 1, day: '2026-11-02', kind: 'voter-card', state: 'received', count: 7 },
			{ office_id: f.praha, round: 1, day: '2026-11-03', kind: 'voter-card', state: 'received', count: 6 },
			{ office_id: f.praha, round: 1, day: '2026-11-03', kind: 'voter-card', state: 'refused', count: 2 },
			{ office_id: f.praha, round: 1, day: '2026-11-04', kind: 'voter-card', state: 'cancelled', count: 1 }
		]);
		const all = await countRequestsByDay(db, { electionId: f.election });
		expect(all.reduce((s, r) => s + r.count, 0)).toBe(7 + 5 + 6 + 2 + 1 + 2 + 12);
		expect(all.every((r) => r.kind !== ('special-district-registration' as string))).toBe(true);
	});

	it('count cards, packages, envelopes and closures per office and day', async () => {
		const f = await scenario();
		expect(await countVoterCardsIssuedByDay(db, { electionId: f.election })).toEqual(
			expect.arrayContaining([
				{ office_id: f.praha, round: 1, day: '2026-11-10', count: 5 },
				{ office_id: f.small, round: 1, day: '2026-11-10', count: 2 }
			])
		);
		expect(await countVoterCardsIssuedByDay(db, { electionId: f.election, officeId: f.small })).toEqual([{ office_id: f.small, round: 1, day: '2026-11-10', count: 2 }]);
		expect(await countPackagesDispatchedByDay(db, { electionId: f.election })).toEqual([
			{ office_id: f.berlin, round: 1, day: '2026-11-12', count: 11 },
			{ office_id: f.berlin, round: 1, day: '2026-11-13', count: 1 }
		]);
		expect(await countReturnEnvelopesByDay(db, { electionId: f.election })).toEqual([
			{ office_id: f.berlin, round: 1, day: '2026-12-10', received: 11, late: 0, counted: 6, set_aside: 5 },
			{ office_id: f.berlin, round: 1, day: '2026-12-20', received: 1, late: 1, counted: 0, set_aside: 0 }
		]);
		expect(await listCommissionClosures(db, { electionId: f.election })).toEqual([]);
		await closeCommission(f);
		expect(await listCommissionClosures(db, { electionId: f.election })).toEqual([
			{ office_id: f.berlin, round: 1, ballot_box_opened_at: new Date('2026-12-19T16:00:00Z') }
		]);
	});

	it('count registrations received and accepted within Prague days, both ends included', async () => {
		const f = await scenario();
		expect(await countRegistrationsByDay(db, { from: '2026-10-01', to: '2026-12-19' })).toEqual([
			{ office_id: f.berlin, day: '2026-10-15', received: 5, accepted: 4 },
			{ office_id: f.berlin, day: '2026-10-16', received: 6, accepted: 6 },
			// 22:59 UTC on 19 Dec is 23:59 in Prague: still in; 23:00 UTC is 20 Dec: out
			{ office_id: f.berlin, day: '2026-12-19', received: 2, accepted: 0 }
		]);
		expect(await countRegistrationsByDay(db, { from: '2026-10-01', to: '2026-12-19', officeId: f.vienna })).toEqual([]);
	});
});

describe('loadElectionFeedData', () => {
	it('publishes the figures, with counts below 5 suppressed', async () => {
		const f = await scenario();
		const data = (await loadElectionFeedData(db, f.election, 30))!;
		expect(data.election).toMatchObject({ id: f.election, type: 'chamber', rounds: [{ round: 1, firstDay: '2026-12-18' }] });
		expect(data.registrationWindow).toEqual({ from: '2026-10-01', to: '2026-12-19' });
		expect(data.offices.map((o) => o.code)).toEqual(['mu-500011', 'mu-554782', 'zu-berlin']);

		const requests = data.tables.requests;
		expect(requests.find((r) => r.office === 'mu-554782' && r.day === '2026-11-02')).toMatchObject({ received: 7, issued: 5, refused: 0, total: 12, suppressed: [] });
		expect(requests.find((r) => r.office === 'mu-554782' && r.day === '2026-11-03')).toMatchObject({
			received: null,
			refused: null,
			accepted: null,
			total: 8,
			suppressed: ['received', 'accepted', 'issued', 'completed', 'refused', 'cancelled']
		});
		// A day with a total of 1–4 is left out, like a day with none (issue 19)
		expect(requests.find((r) => r.office === 'mu-554782' && r.day === '2026-11-04')).toBeUndefined();
		expect(requests.find((r) => r.office === 'mu-500011')).toBeUndefined();
		expect(requests.find((r) => r.office === 'zu-berlin')).toMatchObject({ kind: 'correspondence-package', completed: 12, total: 12 });

		expect(data.tables.voterCards).toEqual([{ office: 'mu-554782', round: 1, day: '2026-11-10', issued: 5, suppressed: [] }]);
		expect(data.tables.packages).toEqual([{ office: 'zu-berlin', round: 1, day: '2026-11-12', dispatched: 11, suppressed: [] }]);
		expect(data.tables.registrations).toEqual([
			// 5 received, 4 accepted: the 1 not accepted would follow by subtraction
			{ office: 'zu-berlin', day: '2026-10-15', received: 5, accepted: null, suppressed: ['accepted'] },
			{ office: 'zu-berlin', day: '2026-10-16', received: 6, accepted: 6, suppressed: [] }
			// 19 Dec: 2 received is left out (before, `received: null, accepted: 0` showed 1–4)
		]);
		// nothing personal: no names, birth dates or references anywhere
		const text = JSON.stringify(data);
		expect(text).not.toMatch(/Volič|1980-01-01|T-\d/);
	});

	it('publishes counted and set-aside envelopes only after the commission has closed', async () => {
		const f = await scenario();
		const before = (await loadElectionFeedData(db, f.election, 30))!;
		expect(before.tables.envelopes).toEqual([
			{ office: 'zu-berlin', round: 1, day: '2026-12-10', received: 11, late: 0, counted: null, setAside: null, commissionClosed: false, suppressed: [] }
			// 20 Dec: 1 late envelope is left out
		]);
		await closeCommission(f);
		const after = (await loadElectionFeedData(db, f.election, 30))!;
		expect(after.tables.envelopes[0]).toEqual({
			office: 'zu-berlin',
			round: 1,
			day: '2026-12-10',
			received: 11,
			late: 0,
			counted: 6,
			setAside: 5,
			commissionClosed: true,
			suppressed: []
		});
	});

	it('is undefined for an unknown or malformed election; an election not held abroad has no registrations', async () => {
		const f = await scenario();
		expect(await loadElectionFeedData(db, crypto.randomUUID(), 30)).toBeUndefined();
		expect(await loadElectionFeedData(db, "x' OR 1=1 --", 30)).toBeUndefined();
		const senate = (await loadElectionFeedData(db, f.senate, 30))!;
		expect(senate.registrationWindow).toBeNull();
		expect(senate.tables.registrations).toEqual([]);
		expect(senate.tables.requests).toEqual([
			{ office: 'mu-554782', round: 1, day: '2026-11-02', kind: 'voter-card', received: 5, accepted: 0, issued: 0, completed: 0, refused: 0, cancelled: 0, total: 5, suppressed: [] }
		]);
	});
});

describe('the feed', () => {
	it('reflects a new request once the update interval has passed, and not before', async () => {
		const f = await scenario();
		let now = Temporal.Instant.from('2026-11-20T08:00:00Z');
		const elapsed = 0; // only the injected clock moves in this test
		const feed = createOpenDataFeed({ db, intervalSeconds: 30, now: () => now, elapsedMs: () => elapsed });

		const first = (await feed.election(f.election))!;
		const firstDoc = JSON.parse(first.value.json.body);
		expect(firstDoc.generated).toBe('2026-11-20T08:00:00Z');
		const newDay = (doc: { tables: { requests: { day: string }[] } }) => doc.tables.requests.filter((r) => r.day === '2026-11-20');
		expect(newDay(firstDoc)).toEqual([]);

		await addRequests(f, 5, { kind: 'voter-card', office: f.small, state: 'received', receivedAt: '2026-11-20T08:00:10Z' });

		now = now.add({ seconds: 29 });
		const cached = (await feed.election(f.election))!;
		expect(cached.value).toBe(first.value);
		expect(newDay(JSON.parse(cached.value.json.body))).toEqual([]);

		now = now.add({ seconds: 1 });
		const updated = (await feed.election(f.election))!;
		const updatedDoc = JSON.parse(updated.value.json.body);
		expect(newDay(updatedDoc)).toEqual([expect.objectContaining({ office: 'mu-500011', received: 5, total: 5 })]);
		expect(updatedDoc.generated).toBe('2026-11-20T08:00:30Z');
		expect(updated.value.json.etag).not.toBe(first.value.json.etag);
		expect(updated.value.csv.requests.body).toContain('mu-500011,Obecní úřad Malá Ves,1,2026-11-20,voter-card,5,');
		expect(updated.value.xml.body).toContain('day="2026-11-20"');

		// nothing changed: after the next interval the snapshot, its ETags and its time stay
		now = now.add({ minutes: 2 });
		const unchanged = (await feed.election(f.election))!;
		expect(unchanged.value).toBe(updated.value);
		expect(JSON.parse(unchanged.value.json.body).generated).toBe('2026-11-20T08:00:30Z');
	});

	it('lists every election with the addresses of its files', async () => {
		const f = await scenario();
		const feed = createOpenDataFeed({ db, intervalSeconds: 30, now: () => Temporal.Instant.from('2026-11-20T08:00:00Z'), elapsedMs: () => 0 });
		const list = JSON.parse((await feed.elections()).value.json.body);
		expect(list.documentation).toBe('/otevrena-data');
		const chamber = list.elections.find((e: { id: string }) => e.id === f.election);
		expect(chamber.links).toEqual({
			json: `/api/open-data/elections/${f.election}.json`,
			xml: `/api/open-data/elections/${f.election}.xml`,
			csv: {
				requests: `/api/open-data/elections/${f.election}.csv?table=requests`,
				'voter-cards': `/api/open-data/elections/${f.election}.csv?table=voter-cards`,
				registrations: `/api/open-data/elections/${f.election}.csv?table=registrations`,
				packages: `/api/open-data/elections/${f.election}.csv?table=packages`,
				envelopes: `/api/open-data/elections/${f.election}.csv?table=envelopes`
			}
		});
		expect(await feed.election('not-an-id')).toBeUndefined();
		expect(await feed.election(crypto.randomUUID())).toBeUndefined();
	});
});
