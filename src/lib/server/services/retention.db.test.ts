import { parseCrontab } from 'graphile-worker';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../db/test-support';
import { CRONTAB, RETENTION } from '../jobs/tasks';
import { newReference } from '../reference';
import { createElection } from './elections';
import { insertFixtureEmbassy, insertFixtureStaff } from './envelope-fixtures';
import { runRetention } from './retention';
import type { StaffActor } from './staff-actor';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const prague = (local: string) => Temporal.PlainDateTime.from(local).toZonedDateTime('Europe/Prague').toInstant();
const NOW = prague('2026-11-20T09:00');
const PERSONAL = ['Zmocněnec', 'Novák', 'Hlavní 1', 'Broadway', 'Dvořák', 'Smith', 'OP 123456'];

async function election(input: Parameters<typeof createElection>[1]): Promise<string> {
	const result = await createElection(db, input, { kind: 'system' }, prague('2026-03-01T09:00'));
	if (!result.ok) throw new Error(JSON.stringify(result.errors));
	return result.id;
}

async function setting() {
	const municipal = (
		await db
			.insertInto('office')
			.values({ kind: 'municipal', code: 'mu-999999', name_cs: 'Obecní úřad Zkušov', name_en: 'Zkušov', address: 'Náves 1', municipality_code: '999999' })
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;
	const embassy = await insertFixtureEmbassy(db, { timeZone: 'America/New_York' });
	const clerk = await insertFixtureStaff(db, { officeId: municipal, role: 'municipal-clerk' });
	const consul = await insertFixtureStaff(db, { officeId: embassy.id, role: 'embassy-clerk' });
	const admin = (
		await db
			.insertInto('staff_user')
			.values({ username: 'spravce.test', display_name: 'Správce', password_hash: 'x', role: 'administrator', office_id: null })
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;

	// Due: results declared 12 May 2026, 90 days → due 10 August 2026.
	const due = await election({ type: 'chamber', announcedOn: '2026-03-01', rounds: [{ round: 1, firstDay: '2026-05-08' }], resultsDeclaredOn: '2026-05-12' });
	// Not yet: results declared 29 September 2026 → due 28 December 2026.
	const notYet = await election({ type: 'chamber', announcedOn: '2026-06-01', rounds: [{ round: 1, firstDay: '2026-09-25' }], resultsDeclaredOn: '2026-09-29' });
	// Long past, but under court challenge (§22(6)).
	const court = await election({
		type: 'president',
		announcedOn: '2026-01-02',
		rounds: [
			{ round: 1, firstDay: '2026-04-10' },
			{ round: 2, firstDay: '2026-04-24' }
		],
		resultsDeclaredOn: '2026-04-28',
		underCourtChallenge: true
	});
	// Results not declared.
	const undeclared = await election({ type: 'european', announcedOn: '2026-06-01', rounds: [{ round: 1, firstDay: '2026-10-09' }] });

	const voter = async (name: string, values: { municipal?: string; embassy?: string; source?: 'seed' | 'commission'; left?: boolean }) =>
		(
			await db
				.insertInto('voter')
				.values({
					municipal_office_id: values.municipal ?? null,
					special_district_office_id: values.embassy ?? null,
					special_district_left_at: values.left ? new Date('2026-06-01T00:00:00Z') : null,
					given_name: 'Jan',
					family_name: name,
					birth_date: '1980-02-03',
					address_line: values.embassy ? '1 Broadway' : 'Hlavní 1',
					city: values.embassy ? 'New York' : 'Zkušov',
					postal_code: '10001',
					country_code: values.embassy ? 'US' : 'CZ',
					eid_subject: `eid-${name}`,
					email: `${name.toLowerCase()}@example.invalid`,
					email_confirmed_at: new Date('2026-01-01T00:00:00Z'),
					source: values.source ?? 'seed'
				})
				.returning('id')
				.executeTakeFirstOrThrow()
		).id;

	const onList = await voter('Novák', { municipal });
	const commissionOnlyDue = await voter('Dvořák', { embassy: embassy.id, source: 'commission' });
	const commissionAlsoNotYet = await voter('Dvořáková', { embassy: embassy.id, source: 'commission' });
	const leftOnlyDue = await voter('Smith', { left: true });
	const leftButRegistering = await voter('Smithová', { left: true });
	const commissionCourt = await voter('Dvořáček', { embassy: embassy.id, source: 'commission' });

	let serial = 0;
	let slip = 0;
	/** Everything personal that an election's requests can carry, for one voter. */
	async function fill(electionId: string, voterId: string, kind: 'municipal' | 'embassy', round: 1 | 2 = 1) {
		if (kind === 'municipal') {
			const card = await db
				.insertInto('request')
				.values({
					reference: newReference('voter-card'),
					kind: 'voter-card',
					voter_id: voterId,
					election_id: electionId,
					round,
					office_id: municipal,
					channel: 'in-person',
					delivery: 'proxy',
					delivery_address_line: 'Hlavní 1',
					delivery_city: 'Zkušov',
					delivery_postal_code: '123 45',
					delivery_country_code: 'CZ',
					proxy_name: 'Petr Zmocněnec',
					proxy_birth_date: '1970-01-01',
					power_of_attorney_note: 'Plná moc OP 123456',
					state: 'issued',
					received_at: new Date('2026-03-05T10:00:00Z')
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await db
				.insertInto('voter_card')
				.values({
					office_id: municipal,
					serial: ++serial,
					request_id: card.id,
					voter_id: voterId,
					election_id: electionId,
					round,
					issued_at: new Date('2026-03-06T10:00:00Z'),
					issued_by: clerk.id,
					handover_method: 'proxy',
					handed_over_at: new Date('2026-03-07T10:00:00Z'),
					handed_over_by: clerk.id,
					handed_over_to: 'Petr Zmocněnec',
					handed_over_note: 'OP 123456',
					handed_over_proxy_birth_date: '1970-01-01'
				})
				.execute();
			return;
		}
		const proxy = await db
			.insertInto('proxy')
			.values({ office_id: embassy.id, election_id: electionId, full_name: `John Smith ${voterId.slice(0, 4)}`, birth_date: '1970-01-01', identity_document: 'OP 123456' })
			.returning('id')
			.executeTakeFirstOrThrow();
		const request = await db
			.insertInto('request')
			.values({
				reference: newReference('correspondence-package'),
				kind: 'correspondence-package',
				voter_id: voterId,
				election_id: electionId,
				round,
				office_id: embassy.id,
				channel: 'portal',
				delivery: 'proxy',
				delivery_address_line: '1 Broadway',
				delivery_city: 'New York',
				delivery_postal_code: '10001',
				delivery_country_code: 'US',
				proxy_name: 'John Smith',
				proxy_id: proxy.id,
				state: 'issued',
				received_at: new Date('2026-03-05T10:00:00Z')
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const batch = await db
			.insertInto('package_batch')
			.values({ office_id: embassy.id, election_id: electionId, created_at: new Date('2026-03-06T10:00:00Z'), created_by: consul.id, package_count: 1 })
			.returning('id')
			.executeTakeFirstOrThrow();
		await db
			.insertInto('correspondence_package')
			.values({
				office_id: embassy.id,
				request_id: request.id,
				voter_id: voterId,
				election_id: electionId,
				round,
				id_slip_number: ++slip,
				envelope_code: `CODE${slip}${electionId.slice(0, 6)}`,
				batch_id: batch.id,
				issued_at: new Date('2026-03-06T10:00:00Z'),
				issued_by: consul.id,
				dispatch_method: 'proxy',
				dispatched_at: new Date('2026-03-07T10:00:00Z'),
				dispatched_by: consul.id,
				proxy_id: proxy.id
			})
			.execute();
		await db
			.updateTable('package_batch')
			.set({ status: 'ready', rendered_at: new Date('2026-03-06T11:00:00Z'), rendered_count: 1 })
			.where('id', '=', batch.id)
			.execute();
		await db
			.insertInto('package_batch_pdf')
			.values({ batch_id: batch.id, pdf: new TextEncoder().encode('%PDF John Smith, 1 Broadway'), byte_size: 27, created_at: new Date('2026-03-06T11:00:00Z') })
			.execute();
		await db
			.insertInto('voting_mark')
			.values({ voter_id: voterId, election_id: electionId, round, method: 'correspondence', marked_at: new Date('2026-05-09T20:00:00Z'), marked_by: consul.id })
			.execute();
	}

	for (const e of [due, notYet, undeclared]) await fill(e, onList, 'municipal');
	await fill(court, onList, 'municipal', 2);
	await fill(due, commissionOnlyDue, 'embassy');
	await fill(due, commissionAlsoNotYet, 'embassy');
	await fill(notYet, commissionAlsoNotYet, 'embassy');
	await fill(due, leftOnlyDue, 'embassy');
	await fill(due, leftButRegistering, 'embassy');
	await fill(court, commissionCourt, 'embassy');
	// A registration of the voter who left, waiting for the embassy (§56(4)).
	await db
		.insertInto('request')
		.values({
			reference: newReference('special-district-registration'),
			kind: 'special-district-registration',
			voter_id: leftButRegistering,
			office_id: embassy.id,
			channel: 'portal',
			state: 'received',
			received_at: new Date('2026-11-19T10:00:00Z')
		})
		.execute();
	// A refusal whose free text names a person.
	await db
		.insertInto('request')
		.values({
			reference: newReference('voter-card'),
			kind: 'voter-card',
			voter_id: onList,
			election_id: due,
			round: 1,
			office_id: municipal,
			channel: 'data-box',
			delivery: 'post',
			state: 'refused',
			refusal_reason: 'other',
			refusal_text: 'Plnou moc za Jana Nováka nepodepsal zmocnitel.',
			received_at: new Date('2026-03-05T10:00:00Z')
		})
		.execute();

	// Sessions of people logged in with the eID but on no list: one expired, one still live.
	const session = (id: string, expires: string, voterId: string | null = null) => ({
		id,
		secret_hash: new Uint8Array(32),
		voter_id: voterId,
		eid_subject: voterId ? null : `eid-only-${id}`,
		eid_claims: voterId ? null : JSON.stringify({ givenName: 'Eva', familyName: 'Nikdo', birthDate: '1990-01-01', address: null }),
		expires_at: new Date(expires),
		absolute_expires_at: new Date(expires)
	});
	await db
		.insertInto('session')
		.values([
			session('expired-eid', '2026-11-19T10:00:00Z'),
			session('live-eid', '2026-11-20T12:00:00Z'),
			session('expired-voter', '2026-11-19T10:00:00Z', onList)
		])
		.execute();

	return {
		elections: { due, notYet, court, undeclared },
		voters: { onList, commissionOnlyDue, commissionAlsoNotYet, leftOnlyDue, leftButRegistering, commissionCourt },
		admin: { kind: 'staff', id: admin, officeId: null, role: 'administrator' } as StaffActor,
		clerk
	};
}

async function requestsOf(electionId: string) {
	return db.selectFrom('request').selectAll().where('election_id', '=', electionId).orderBy('reference').execute();
}

async function cardsOf(electionId: string) {
	return db.selectFrom('voter_card').selectAll().where('election_id', '=', electionId).execute();
}

async function pdfCount(electionId: string) {
	const row = await db
		.selectFrom('package_batch_pdf as f')
		.innerJoin('package_batch as b', 'b.id', 'f.batch_id')
		.select((eb) => eb.fn.countAll<string>().as('n'))
		.where('b.election_id', '=', electionId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

async function voter(id: string) {
	return db.selectFrom('voter').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

function expectPersonal(rows: object[], present: boolean) {
	const text = JSON.stringify(rows);
	const found = PERSONAL.some((p) => text.includes(p));
	expect(found).toBe(present);
}

describe('the retention job (§22(6))', () => {
	it('on a fixed clock removes exactly what it should', async () => {
		const s = await setting();
		const untouched = {
			notYet: { requests: await requestsOf(s.elections.notYet), cards: await cardsOf(s.elections.notYet) },
			court: { requests: await requestsOf(s.elections.court), cards: await cardsOf(s.elections.court) },
			undeclared: { requests: await requestsOf(s.elections.undeclared), cards: await cardsOf(s.elections.undeclared) }
		};
		const votersBefore = Object.fromEntries(await Promise.all(Object.entries(s.voters).map(async ([k, id]) => [k, await voter(id)])));

		const result = await runRetention(db, { kind: 'system' }, NOW);
		if (result.kind !== 'ok') throw new Error(result.kind);
		expect(result.report.elections).toEqual([
			expect.objectContaining({
				electionId: s.elections.due,
				// 1 voter card (with address and proxy), 4 correspondence requests, 1 refusal
				requestsAnonymised: 6,
				voterCardsAnonymised: 1,
				proxiesAnonymised: 4,
				batchPdfsDeleted: 4,
				// the commission's voter seen only in this election, and the voter who left every list
				votersAnonymised: 2
			})
		]);
		expect(result.report.eidSessionsDeleted).toBe(1);

		// The election due: no personal data left in its requests, cards, proxies and PDFs.
		const requests = await requestsOf(s.elections.due);
		expect(requests).toHaveLength(6);
		expectPersonal(requests, false);
		for (const r of requests) {
			expect([r.delivery_address_line, r.delivery_city, r.delivery_postal_code, r.delivery_country_code, r.proxy_name, r.proxy_birth_date, r.power_of_attorney_note]).toEqual([
				null,
				null,
				null,
				null,
				null,
				null,
				null
			]);
		}
		// What the office's records need stays: kinds, states, the coded refusal reason.
		const refused = requests.find((r) => r.state === 'refused')!;
		expect(refused).toMatchObject({ refusal_reason: 'other', refusal_text: '—', channel: 'data-box' });
		expect(requests.filter((r) => r.state === 'issued')).toHaveLength(5);
		const cards = await cardsOf(s.elections.due);
		expect(cards).toEqual([
			expect.objectContaining({ serial: 1, handover_method: 'proxy', handed_over_to: '—', handed_over_note: null, handed_over_proxy_birth_date: null })
		]);
		const proxies = await db.selectFrom('proxy').selectAll().where('election_id', '=', s.elections.due).execute();
		expect(proxies).toHaveLength(4);
		for (const p of proxies) expect(p).toMatchObject({ full_name: '—', birth_date: null, identity_document: null, anonymised_at: expect.any(Date) });
		expect(await pdfCount(s.elections.due)).toBe(0);
		// The packages, return-envelope codes and voting marks (the record of the count) stay.
		expect(await db.selectFrom('correspondence_package').select('id').where('election_id', '=', s.elections.due).execute()).toHaveLength(4);
		expect(await db.selectFrom('voting_mark').select('voter_id').where('election_id', '=', s.elections.due).execute()).toHaveLength(4);

		// Elections not due: not a byte changed.
		for (const key of ['notYet', 'court', 'undeclared'] as const) {
			expect(await requestsOf(s.elections[key])).toEqual(untouched[key].requests);
			expect(await cardsOf(s.elections[key])).toEqual(untouched[key].cards);
		}
		expect(await pdfCount(s.elections.notYet)).toBe(1);
		expect(await pdfCount(s.elections.court)).toBe(1);

		// Voters: the list stays as it is, the two voters it no longer needs are anonymised.
		expect(await voter(s.voters.onList)).toEqual(votersBefore.onList);
		for (const key of ['commissionAlsoNotYet', 'leftButRegistering', 'commissionCourt'] as const) {
			expect(await voter(s.voters[key])).toEqual(votersBefore[key]);
		}
		for (const key of ['commissionOnlyDue', 'leftOnlyDue'] as const) {
			const v = await voter(s.voters[key]);
			expect(v).toMatchObject({
				given_name: '—',
				family_name: '—',
				birth_date: '1900-01-01',
				address_line: '—',
				city: '—',
				eid_subject: null,
				email: null,
				municipal_office_id: null,
				special_district_office_id: null,
				anonymised_at: expect.any(Date)
			});
			expect(await db.selectFrom('email_outbox').select('id').where('voter_id', '=', s.voters[key]).execute()).toEqual([]);
		}

		// Sessions: the expired eID-only one is gone; a live one and a voter's are not this job's.
		const sessions = (await db.selectFrom('session').select('id').orderBy('id').execute()).map((r) => r.id);
		expect(sessions).toEqual(['expired-voter', 'live-eid']);

		// The election is marked done; the audit says what was done, without personal data.
		const marked = await db.selectFrom('election').select(['id', 'personal_data_removed_at']).where('personal_data_removed_at', 'is not', null).execute();
		expect(marked.map((e) => e.id)).toEqual([s.elections.due]);
		const audit = await db.selectFrom('audit_log').select(['action', 'entity_id', 'actor_kind', 'after']).where('action', 'like', 'retention.%').orderBy('id').execute();
		expect(audit).toEqual([
			{
				action: 'retention.run',
				entity_id: s.elections.due,
				actor_kind: 'system',
				after: expect.objectContaining({ requestsAnonymised: 6, votersAnonymised: 2, section: '§22(6)' })
			},
			{ action: 'retention.eid-sessions', entity_id: null, actor_kind: 'system', after: { deleted: 1, section: '§22(6)' } }
		]);
		expectPersonal(audit, false);
	});

	it('does each election once, and the next one when its day comes', async () => {
		const s = await setting();
		await runRetention(db, { kind: 'system' }, NOW);
		const again = await runRetention(db, s.admin, NOW);
		if (again.kind !== 'ok') throw new Error(again.kind);
		expect(again.report.elections).toEqual([]);

		// 28 December 2026, 00:00 Prague: the second election is due; its voter seen in both goes now.
		const before = await runRetention(db, s.admin, prague('2026-12-27T23:59'));
		expect(before.kind === 'ok' && before.report.elections).toEqual([]);
		const later = await runRetention(db, s.admin, prague('2026-12-28T00:00'));
		if (later.kind !== 'ok') throw new Error(later.kind);
		expect(later.report.elections).toEqual([expect.objectContaining({ electionId: s.elections.notYet, votersAnonymised: 1 })]);
		expect((await voter(s.voters.commissionAlsoNotYet)).anonymised_at).not.toBeNull();
		const runs = await db.selectFrom('audit_log').select(['entity_id', 'actor_kind', 'actor_id']).where('action', '=', 'retention.run').orderBy('id').execute();
		expect(runs).toEqual([
			{ entity_id: s.elections.due, actor_kind: 'system', actor_id: null },
			{ entity_id: s.elections.notYet, actor_kind: 'staff', actor_id: s.admin.id }
		]);

		// A court challenge holds the data however long ago the results were declared.
		const farLater = await runRetention(db, s.admin, prague('2030-01-01T00:00'));
		expect(farLater.kind === 'ok' && farLater.report.elections).toEqual([]);
		expect((await voter(s.voters.commissionCourt)).anonymised_at).toBeNull();
		// Once the challenge is over, the next run removes it.
		await db.updateTable('election').set({ under_court_challenge: false }).where('id', '=', s.elections.court).execute();
		const afterCourt = await runRetention(db, s.admin, prague('2030-01-01T00:00'));
		expect(afterCourt.kind === 'ok' && afterCourt.report.elections.map((e) => e.electionId)).toEqual([s.elections.court]);
	});

	it('runs once when started twice at the same moment', async () => {
		const s = await setting();
		const [a, b] = await Promise.all([runRetention(db, { kind: 'system' }, NOW), runRetention(db, s.admin, NOW)]);
		const done = [a, b].flatMap((r) => (r.kind === 'ok' ? r.report.elections.map((e) => e.electionId) : []));
		expect(done).toEqual([s.elections.due]);
		expect(await db.selectFrom('audit_log').select('id').where('action', '=', 'retention.run').execute()).toHaveLength(1);
	});

	it('is an administrator’s only, from the page', async () => {
		const s = await setting();
		expect(await runRetention(db, s.clerk, NOW)).toEqual({ kind: 'forbidden' });
		expect(await db.selectFrom('election').select('id').where('personal_data_removed_at', 'is not', null).execute()).toEqual([]);
	});

	it('is scheduled daily in the job queue’s crontab', () => {
		const items = parseCrontab(CRONTAB);
		const retention = items.find((i) => i.task === RETENTION);
		expect(retention).toBeDefined();
		expect(retention!.options.jobKey).toBe(RETENTION);
	});
});
