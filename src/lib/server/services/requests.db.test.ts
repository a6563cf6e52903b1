import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { openTestDb, resetDb } from '../db/test-support';
import { createElection } from './elections';
import {
	cancelRequest,
	submitCorrespondenceRequest,
	submitSpecialDistrictRegistration,
	submitVoterCardRequest,
	type SubmitResult
} from './requests';
import type { Actor } from './audit';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

/** A Prague wall-clock time as an instant (§78(2): Prague time governs). */
const prague = (local: string) => Temporal.PlainDateTime.from(local).toZonedDateTime('Europe/Prague').toInstant();
const system: Actor = { kind: 'system' };

/** Chamber: D = Fri 15 Jan 2027. President: Fri 15 Jan and Fri 29 Jan 2027. Announced 1 Oct 2026. */
const D = '2027-01-15';
const NOW = prague('2026-11-20T09:00');

async function fixture() {
	const offices = await db
		.insertInto('office')
		.values([
			{ kind: 'municipal', code: 'mu-554782', name_cs: 'Magistrát hl. m. Prahy', name_en: 'Prague City Hall', address: 'Mariánské nám. 2, Praha', municipality_code: '554782' },
			{ kind: 'municipal', code: 'mu-582786', name_cs: 'Magistrát města Brna', name_en: 'Brno City Hall', address: 'Dominikánské nám. 1, Brno', municipality_code: '582786' },
			{ kind: 'embassy', code: 'zu-berlin', name_cs: 'Velvyslanectví v Berlíně', name_en: 'Embassy in Berlin', address: 'Wilhelmstraße 44, Berlin', special_district_number: 1, country_code: 'DE', countries: ['DE'], time_zone: 'Europe/Berlin' },
			{ kind: 'embassy', code: 'zu-nairobi', name_cs: 'Velvyslanectví v Nairobi', name_en: 'Embassy in Nairobi', address: 'Nairobi', special_district_number: 2, country_code: 'KE', countries: ['KE', 'SO'], time_zone: 'Africa/Nairobi' }
		])
		.returning(['id', 'code'])
		.execute();
	const office = (code: string) => offices.find((o) => o.code === code)!.id;
	const praha = office('mu-554782');
	const brno = office('mu-582786');
	const berlin = office('zu-berlin');
	const nairobi = office('zu-nairobi');

	const voter = async (values: { municipal?: string | null; embassy?: string | null; email?: string | null; birthDate?: string }) =>
		(
			await db
				.insertInto('voter')
				.values({
					municipal_office_id: values.municipal ?? null,
					special_district_office_id: values.embassy ?? null,
					given_name: 'Jan',
					family_name: 'Novák',
					birth_date: values.birthDate ?? '1980-05-01',
					address_line: 'Vinohradská 1',
					city: 'Praha',
					postal_code: '120 00',
					country_code: 'CZ',
					email: values.email ?? null,
					email_confirmed_at: values.email ? new Date('2026-01-01T00:00:00Z') : null
				})
				.returning('id')
				.executeTakeFirstOrThrow()
		).id;

	const election = async (type: 'chamber' | 'president' | 'senate', firstDays: string[], announcedOn = '2026-10-01') => {
		const result = await createElection(
			db,
			{ type, announcedOn, rounds: firstDays.map((firstDay, i) => ({ round: (i + 1) as 1 | 2, firstDay })) },
			system,
			NOW
		);
		if (!result.ok) throw new Error(JSON.stringify(result.errors));
		return result.id;
	};

	const clerk = async (username: string, officeId: string, role: 'municipal-clerk' | 'embassy-clerk') =>
		(
			await db
				.insertInto('staff_user')
				.values({ username, display_name: username, role, office_id: officeId, password_hash: 'x' })
				.returning('id')
				.executeTakeFirstOrThrow()
		).id;

	return {
		praha,
		brno,
		berlin,
		nairobi,
		voter,
		clerk,
		chamber: await election('chamber', [D]),
		president: await election('president', [D, '2027-01-29']),
		senate: await election('senate', ['2026-10-02', '2026-10-09'], '2026-07-01')
	};
}

const address = { line: 'Dlouhá 5', city: 'Olomouc', postalCode: '779 00', country: 'CZ' };
const berlinAddress = { line: 'Kastanienallee 12', city: 'Berlin', postalCode: '10435', country: 'DE' };

function ok(result: SubmitResult) {
	if (!result.ok) throw new Error(`Expected success, got ${JSON.stringify(result.refusal)}`);
	return result;
}

const requestsOf = (voterId: string) => db.selectFrom('request').selectAll().where('voter_id', '=', voterId).orderBy('round').execute();
const auditOf = (action: string) => db.selectFrom('audit_log').selectAll().where('action', '=', action).execute();
const outbox = () => db.selectFrom('email_outbox').selectAll().execute();

describe('submitVoterCardRequest', () => {
	it('files a mailed card with the municipal office keeping the voter, with audit and e-mail', async () => {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.praha, email: 'jan@example.cz' });
		const me: Actor = { kind: 'voter', id: voterId };
		const result = ok(
			await submitVoterCardRequest(
				db,
				{ voterId, channel: 'portal', electionId: f.chamber, rounds: [1], delivery: 'post', address, idempotencyKey: 'k1' },
				me,
				NOW
			)
		);
		expect(result.replayed).toBe(false);
		expect(result.requests).toHaveLength(1);
		expect(result.requests[0]!.reference).toMatch(/^VP-[0-9A-Z]{8}$/);

		const [row] = await requestsOf(voterId);
		expect(row).toMatchObject({
			kind: 'voter-card',
			election_id: f.chamber,
			round: 1,
			office_id: f.praha,
			channel: 'portal',
			delivery: 'post',
			delivery_address_line: 'Dlouhá 5',
			delivery_country_code: 'CZ',
			state: 'received',
			deadline_key: 'voter-card-mail-request',
			entered_by: null,
			idempotency_key: 'k1'
		});
		expect(row!.received_at.toISOString()).toBe('2026-11-20T08:00:00.000Z');
		// §57(3): D−10 = Tue 5 Jan 2027 16:00 Prague (CET)
		expect(row!.deadline_at!.toISOString()).toBe('2027-01-05T15:00:00.000Z');

		const audit = await auditOf('request.file');
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actor_kind: 'voter', actor_id: voterId, entity_id: row!.id, office_id: f.praha });
		expect(JSON.stringify(audit[0]!.after)).not.toContain('Dlouhá');
		const mails = await outbox();
		expect(mails).toHaveLength(1);
		expect(mails[0]!.to_address).toBe('jan@example.cz');
		expect(mails[0]!.body).toContain(row!.reference);
	});

	it('§57(1): routes to the embassy when the voter is in its special district and the election is held abroad', async () => {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.praha, embassy: f.berlin });
		const me: Actor = { kind: 'voter', id: voterId };
		ok(await submitVoterCardRequest(db, { voterId, channel: 'portal', electionId: f.chamber, rounds: [1], delivery: 'in-person' }, me, NOW));
		expect((await requestsOf(voterId))[0]!.office_id).toBe(f.berlin);
	});

	it('§57(5): "both rounds" files one request per round, each judged by its own round', async () => {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.praha });
		const result = ok(
			await submitVoterCardRequest(
				db,
				{ voterId, channel: 'portal', electionId: f.president, rounds: [2, 1], delivery: 'proxy', proxy: { name: 'Marie Nováková' }, idempotencyKey: 'both' },
				{ kind: 'voter', id: voterId },
				NOW
			)
		);
		expect(result.requests.map((r) => r.round)).toEqual([1, 2]);
		const rows = await requestsOf(voterId);
		expect(rows.map((r) => r.round)).toEqual([1, 2]);
		expect(new Set(rows.map((r) => r.reference)).size).toBe(2);
		expect(rows.every((r) => r.idempotency_key === 'both' && r.proxy_name === 'Marie Nováková' && r.delivery === 'proxy')).toBe(true);
		// §57(3): collected cards by D−2 of each round
		expect(rows.map((r) => r.deadline_at!.toISOString())).toEqual(['2027-01-13T15:00:00.000Z', '2027-01-27T15:00:00.000Z']);
	});

	it('§57(3), §78(3): a mailed card requested at 15:59:59.999 on D−10 is filed; at 16:00:00.000 it is refused, naming the deadline', async () => {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.praha });
		const me: Actor = { kind: 'voter', id: voterId };
		const input = { voterId, channel: 'portal' as const, electionId: f.chamber, rounds: [1 as const], delivery: 'post' as const, address };

		const late = await submitVoterCardRequest(db, input, me, prague('2027-01-05T16:00:00.000'));
		expect(late).toEqual({
			ok: false,
			refusal: {
				code: 'deadline-passed',
				section: '§57(3)',
				round: 1,
				deadline: { key: 'voter-card-mail-request', round: 1, at: '2027-01-05T16:00:00+01:00', section: '§57(3)' }
			}
		});
		expect(await requestsOf(voterId)).toHaveLength(0);
		expect(await auditOf('request.file')).toHaveLength(0);

		ok(await submitVoterCardRequest(db, input, me, prague('2027-01-05T15:59:59.999')));
		expect(await requestsOf(voterId)).toHaveLength(1);
	});

	it('§57(3): collection in person may still be asked for after D−10, until D−2 16:00', async () => {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.praha });
		const me: Actor = { kind: 'voter', id: voterId };
		const input = { voterId, channel: 'portal' as const, electionId: f.chamber, rounds: [1 as const], delivery: 'in-person' as const };
		const late = await submitVoterCardRequest(db, input, me, prague('2027-01-13T16:00:00.000'));
		expect(late.ok || late.refusal.deadline?.key).toBe('voter-card-pickup-request');
		ok(await submitVoterCardRequest(db, input, me, prague('2027-01-13T15:59:59.999')));
	});

	it('§57(1): refused before the announcement, for a voter on no list for the election, and after a package or card was issued', async () => {
		const f = await fixture();
		const clerk = await f.clerk('clerk.berlin', f.berlin, 'embassy-clerk');
		const early = await submitVoterCardRequest(
			db,
			{ voterId: await f.voter({ municipal: f.praha }), channel: 'portal', electionId: f.chamber, rounds: [1], delivery: 'in-person' },
			system,
			prague('2026-09-30T23:59:59.999')
		);
		expect(early.ok || early.refusal).toMatchObject({ code: 'not-yet-open', section: '§57(1)', opensAt: '2026-10-01T00:00:00+02:00' });

		// §56(4): a voter only on an embassy's list is on no list for an election not held abroad.
		const abroadOnly = await f.voter({ embassy: f.berlin });
		const notListed = await submitVoterCardRequest(
			db,
			{ voterId: abroadOnly, channel: 'portal', electionId: f.senate, rounds: [1], delivery: 'in-person' },
			system,
			prague('2026-09-01T10:00')
		);
		expect(notListed.ok || notListed.refusal).toMatchObject({ code: 'not-on-voter-list', section: '§57(1)' });

		// §57(1) as amended: no voter card once a correspondence package was issued.
		const pkgVoter = await f.voter({ embassy: f.berlin });
		const pkgRequest = ok(
			await submitCorrespondenceRequest(
				db,
				{ voterId: pkgVoter, channel: 'portal', electionId: f.chamber, delivery: 'collect-at-embassy' },
				system,
				NOW
			)
		).requests[0]!;
		await db
			.insertInto('correspondence_package')
			.values({ office_id: f.berlin, request_id: pkgRequest.id, voter_id: pkgVoter, election_id: f.chamber, round: 1, id_slip_number: 1, envelope_code: 'E1', issued_at: new Date(), issued_by: clerk })
			.execute();
		const afterPackage = await submitVoterCardRequest(
			db,
			{ voterId: pkgVoter, channel: 'portal', electionId: f.chamber, rounds: [1], delivery: 'in-person' },
			system,
			NOW
		);
		expect(afterPackage.ok || afterPackage.refusal).toMatchObject({ code: 'correspondence-package-already-issued', section: '§57(1)' });

		// §57(1), §57(5): one card per election and round.
		const cardVoter = await f.voter({ municipal: f.praha });
		const first = ok(
			await submitVoterCardRequest(db, { voterId: cardVoter, channel: 'portal', electionId: f.president, rounds: [1], delivery: 'in-person' }, system, NOW)
		).requests[0]!;
		const praguClerk = await f.clerk('clerk.praha', f.praha, 'municipal-clerk');
		await db.updateTable('request').set({ state: 'issued' }).where('id', '=', first.id).execute();
		await db
			.insertInto('voter_card')
			.values({ office_id: f.praha, serial: 1, request_id: first.id, voter_id: cardVoter, election_id: f.president, round: 1, issued_at: new Date(), issued_by: praguClerk })
			.execute();
		const again = await submitVoterCardRequest(
			db,
			{ voterId: cardVoter, channel: 'portal', electionId: f.president, rounds: [1, 2], delivery: 'in-person' },
			system,
			NOW
		);
		expect(again.ok || again.refusal).toMatchObject({ code: 'card-already-issued', section: '§57(1)', round: 1 });
		// Round 2 alone is still possible.
		ok(await submitVoterCardRequest(db, { voterId: cardVoter, channel: 'portal', electionId: f.president, rounds: [2], delivery: 'in-person' }, system, NOW));
	});

	it('§57(1): a clerk enters a request of their own office under the same rules; another office is the wrong one', async () => {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.praha });
		const praha = await f.clerk('clerk.praha', f.praha, 'municipal-clerk');
		const brno = await f.clerk('clerk.brno', f.brno, 'municipal-clerk');
		const wrong = await submitVoterCardRequest(
			db,
			{ voterId, channel: 'in-person', electionId: f.chamber, rounds: [1], delivery: 'in-person' },
			{ kind: 'staff', id: brno, officeId: f.brno },
			NOW
		);
		expect(wrong.ok || wrong.refusal).toMatchObject({ code: 'wrong-office', section: '§57(1)' });

		ok(
			await submitVoterCardRequest(
				db,
				{ voterId, channel: 'verified-letter', electionId: f.chamber, rounds: [1], delivery: 'proxy', proxy: { name: 'Eva Malá', powerOfAttorneyNote: 'ověřeno 12. 11.' } },
				{ kind: 'staff', id: praha, officeId: f.praha },
				NOW
			)
		);
		const [row] = await requestsOf(voterId);
		expect(row).toMatchObject({ channel: 'verified-letter', entered_by: praha, proxy_name: 'Eva Malá', power_of_attorney_note: 'ověřeno 12. 11.' });
		const late = await submitVoterCardRequest(
			db,
			{ voterId, channel: 'in-person', electionId: f.president, rounds: [1], delivery: 'post', address },
			{ kind: 'staff', id: praha, officeId: f.praha },
			prague('2027-01-05T16:00')
		);
		expect(late.ok || late.refusal.code).toBe('deadline-passed');
	});

	it('the same idempotency key twice files one request and returns it again', async () => {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.praha });
		const input = { voterId, channel: 'portal' as const, electionId: f.president, rounds: [1 as const, 2 as const], delivery: 'in-person' as const, idempotencyKey: 'same' };
		const first = ok(await submitVoterCardRequest(db, input, system, NOW));
		const second = ok(await submitVoterCardRequest(db, input, system, NOW.add({ seconds: 3 })));
		expect(second.replayed).toBe(true);
		expect(second.requests).toEqual(first.requests);
		expect(await requestsOf(voterId)).toHaveLength(2);
		expect(await auditOf('request.file')).toHaveLength(2);
	});

	it('the same key submitted concurrently still files once', async () => {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.praha });
		const input = { voterId, channel: 'portal' as const, electionId: f.chamber, rounds: [1 as const], delivery: 'in-person' as const, idempotencyKey: 'race' };
		const results = await Promise.all(Array.from({ length: 4 }, () => submitVoterCardRequest(db, input, system, NOW)));
		const refs = results.map((r) => ok(r).requests[0]!.reference);
		expect(new Set(refs).size).toBe(1);
		expect(await requestsOf(voterId)).toHaveLength(1);
	});

	it('two concurrent submissions with different keys for the same round: exactly one is filed, the other is told it already was', async () => {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.praha });
		const base = { voterId, channel: 'portal' as const, electionId: f.chamber, rounds: [1 as const], delivery: 'in-person' as const };
		const results = await Promise.all([
			submitVoterCardRequest(db, { ...base, idempotencyKey: 'tab-a' }, system, NOW),
			submitVoterCardRequest(db, { ...base, idempotencyKey: 'tab-b' }, system, NOW)
		]);
		const filed = results.filter((r) => r.ok);
		const refusedResults = results.filter((r) => !r.ok);
		expect(filed).toHaveLength(1);
		expect(refusedResults).toHaveLength(1);
		const reference = ok(filed[0]!).requests[0]!.reference;
		expect(refusedResults[0]!.ok || refusedResults[0]!.refusal).toMatchObject({ code: 'already-filed', references: [reference], round: 1 });
		expect(await requestsOf(voterId)).toHaveLength(1);
	});

	it('a second request for a round already asked for is refused with its reference; after cancelling it, a new one is possible', async () => {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.praha });
		const me: Actor = { kind: 'voter', id: voterId };
		const base = { voterId, channel: 'portal' as const, electionId: f.president, delivery: 'in-person' as const };
		const first = ok(await submitVoterCardRequest(db, { ...base, rounds: [2] }, me, NOW)).requests[0]!;
		const both = await submitVoterCardRequest(db, { ...base, rounds: [1, 2] }, me, NOW);
		expect(both.ok || both.refusal).toMatchObject({ code: 'already-filed', references: [first.reference], round: 2 });
		expect(await requestsOf(voterId)).toHaveLength(1);
		expect((await cancelRequest(db, { voterId, reference: first.reference }, me, NOW)).ok).toBe(true);
		ok(await submitVoterCardRequest(db, { ...base, rounds: [1, 2] }, me, NOW));
	});

	it('an unknown voter or election, or a malformed address, is refused without a row', async () => {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.praha });
		const base = { voterId, channel: 'portal' as const, electionId: f.chamber, rounds: [1 as const], delivery: 'in-person' as const };
		expect((await submitVoterCardRequest(db, { ...base, voterId: '00000000-0000-4000-8000-000000000000' }, system, NOW)).ok).toBe(false);
		expect((await submitVoterCardRequest(db, { ...base, electionId: 'nope' }, system, NOW)).ok).toBe(false);
		const noAddress = await submitVoterCardRequest(db, { ...base, delivery: 'post', address: { ...address, city: ' ' } }, system, NOW);
		expect(noAddress.ok || noAddress.refusal.code).toBe('invalid-input');
		expect(await requestsOf(voterId)).toHaveLength(0);
	});
});

describe('submitSpecialDistrictRegistration', () => {
	it('files the registration with the embassy, judged against the next election held abroad (§57(6))', async () => {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.brno, email: 'k@example.cz' });
		const result = ok(
			await submitSpecialDistrictRegistration(
				db,
				{ voterId, channel: 'portal', embassyOfficeId: f.berlin, address: berlinAddress, idempotencyKey: 'r1' },
				{ kind: 'voter', id: voterId },
				NOW
			)
		);
		expect(result.requests[0]!.reference).toMatch(/^ZO-/);
		const [row] = await requestsOf(voterId);
		expect(row).toMatchObject({
			kind: 'special-district-registration',
			election_id: null,
			round: null,
			office_id: f.berlin,
			delivery_address_line: 'Kastanienallee 12',
			delivery_country_code: 'DE',
			deadline_key: 'special-district-registration'
		});
		// §57(6): D−3 of the chamber election = Tue 12 Jan 2027 16:00 Prague
		expect(row!.deadline_at!.toISOString()).toBe('2027-01-12T15:00:00.000Z');
		expect(await auditOf('request.file')).toHaveLength(1);
		expect(await outbox()).toHaveLength(1);
	});

	it('§57(6), §78(3): for a given election, 15:59:59.999 on D−3 is in time and 16:00:00.000 is refused', async () => {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.brno });
		const input = { voterId, channel: 'portal' as const, embassyOfficeId: f.berlin, address: berlinAddress, electionId: f.chamber };
		const late = await submitSpecialDistrictRegistration(db, input, system, prague('2027-01-12T16:00:00.000'));
		expect(late.ok || late.refusal).toEqual({
			code: 'deadline-passed',
			section: '§57(6)',
			round: 1,
			deadline: { key: 'special-district-registration', round: 1, at: '2027-01-12T16:00:00+01:00', section: '§57(6)' }
		});
		ok(await submitSpecialDistrictRegistration(db, input, system, prague('2027-01-12T15:59:59.999')));
	});

	it('after the next election\'s D−3, a registration without an election is judged against a later one', async () => {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.brno });
		ok(
			await submitSpecialDistrictRegistration(
				db,
				{ voterId, channel: 'portal', embassyOfficeId: f.berlin, address: berlinAddress },
				system,
				prague('2027-01-12T16:00')
			)
		);
		// The presidential round 2 (D = 29 Jan 2027): D−3 = 26 Jan 16:00
		expect((await requestsOf(voterId))[0]!.deadline_at!.toISOString()).toBe('2027-01-26T15:00:00.000Z');
	});

	it('refuses an address outside the embassy\'s area, an election not held abroad, the embassy already keeping the voter, and a second pending one', async () => {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.brno });
		const base = { voterId, channel: 'portal' as const, embassyOfficeId: f.berlin, address: berlinAddress };
		const outside = await submitSpecialDistrictRegistration(db, { ...base, address: { ...berlinAddress, country: 'AT' } }, system, NOW);
		expect(outside.ok || outside.refusal).toMatchObject({ code: 'address-outside-jurisdiction', section: '§57(6)' });
		const senate = await submitSpecialDistrictRegistration(db, { ...base, electionId: f.senate }, system, prague('2026-09-01T10:00'));
		expect(senate.ok || senate.refusal).toMatchObject({ code: 'not-voting-abroad', section: '§2(1)' });
		const notEmbassy = await submitSpecialDistrictRegistration(db, { ...base, embassyOfficeId: f.praha }, system, NOW);
		expect(notEmbassy.ok || notEmbassy.refusal.code).toBe('embassy-not-found');

		const first = ok(await submitSpecialDistrictRegistration(db, base, system, NOW)).requests[0]!;
		const second = await submitSpecialDistrictRegistration(
			db,
			{ ...base, embassyOfficeId: f.nairobi, address: { line: '14 Ngong Road', city: 'Nairobi', postalCode: '00100', country: 'KE' } },
			system,
			NOW
		);
		expect(second.ok || second.refusal).toMatchObject({ code: 'registration-pending', references: [first.reference] });

		const registered = await f.voter({ municipal: f.brno, embassy: f.berlin });
		const again = await submitSpecialDistrictRegistration(db, { ...base, voterId: registered }, system, NOW);
		expect(again.ok || again.refusal).toMatchObject({ code: 'already-registered', section: '§56(4)' });
		// Moving to another embassy's area is a new registration.
		ok(
			await submitSpecialDistrictRegistration(
				db,
				{ ...base, voterId: registered, embassyOfficeId: f.nairobi, address: { line: '14 Ngong Road', city: 'Nairobi', postalCode: '00100', country: 'KE' } },
				system,
				NOW
			)
		);
	});

	it('is idempotent, also when the same submission arrives twice at once', async () => {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.brno });
		const input = { voterId, channel: 'portal' as const, embassyOfficeId: f.berlin, address: berlinAddress, idempotencyKey: 'reg' };
		const [a, b] = await Promise.all([
			submitSpecialDistrictRegistration(db, input, system, NOW),
			submitSpecialDistrictRegistration(db, input, system, NOW)
		]);
		expect(ok(a!).requests).toEqual(ok(b!).requests);
		const c = ok(await submitSpecialDistrictRegistration(db, input, system, NOW));
		expect(c.replayed).toBe(true);
		expect(c.requests).toEqual(ok(a!).requests);
		expect(await requestsOf(voterId)).toHaveLength(1);
	});

	it('two different submissions at once: one registration, the other is told one is pending', async () => {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.brno });
		const input = { voterId, channel: 'portal' as const, embassyOfficeId: f.berlin, address: berlinAddress };
		const results = await Promise.all([
			submitSpecialDistrictRegistration(db, { ...input, idempotencyKey: 'a' }, system, NOW),
			submitSpecialDistrictRegistration(db, { ...input, idempotencyKey: 'b' }, system, NOW)
		]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		const refusal = results.find((r) => !r.ok);
		expect(refusal && !refusal.ok && refusal.refusal.code).toBe('registration-pending');
		expect(await requestsOf(voterId)).toHaveLength(1);
	});
});

describe('submitCorrespondenceRequest', () => {
	it('files a package for both presidential rounds by default, mailed inside the area (§57b(2), §57a(4))', async () => {
		const f = await fixture();
		const voterId = await f.voter({ embassy: f.berlin, email: 't@example.de' });
		const result = ok(
			await submitCorrespondenceRequest(
				db,
				{ voterId, channel: 'portal', electionId: f.president, delivery: 'post', address: berlinAddress, idempotencyKey: 'kh' },
				{ kind: 'voter', id: voterId },
				NOW
			)
		);
		expect(result.requests.map((r) => r.round)).toEqual([1, 2]);
		expect(result.requests[0]!.reference).toMatch(/^KH-/);
		const rows = await requestsOf(voterId);
		expect(rows.map((r) => [r.round, r.office_id, r.delivery, r.delivery_country_code, r.deadline_key])).toEqual([
			[1, f.berlin, 'post', 'DE', 'correspondence-request-written'],
			[2, f.berlin, 'post', 'DE', 'correspondence-request-written']
		]);
		// §57a(3): D−35 of round 1 = Fri 11 Dec 2026 16:00 Prague
		expect(rows.every((r) => r.deadline_at!.toISOString() === '2026-12-11T15:00:00.000Z')).toBe(true);
		expect(await auditOf('request.file')).toHaveLength(2);
		expect(await outbox()).toHaveLength(1);
	});

	it('collection at the embassy needs no address; one round may be asked for', async () => {
		const f = await fixture();
		const voterId = await f.voter({ embassy: f.berlin });
		ok(await submitCorrespondenceRequest(db, { voterId, channel: 'portal', electionId: f.president, rounds: [2], delivery: 'collect-at-embassy' }, system, NOW));
		const rows = await requestsOf(voterId);
		expect(rows.map((r) => [r.round, r.delivery, r.delivery_address_line])).toEqual([[2, 'in-person', null]]);
		// judged against round 2's D−35: Fri 25 Dec 2026 16:00
		expect(rows[0]!.deadline_at!.toISOString()).toBe('2026-12-25T15:00:00.000Z');
	});

	it('§57a(3), §78(3): 15:59:59.999 on D−35 is in time; 16:00:00.000 is refused naming the deadline', async () => {
		const f = await fixture();
		const voterId = await f.voter({ embassy: f.berlin });
		const input = { voterId, channel: 'portal' as const, electionId: f.chamber, delivery: 'collect-at-embassy' as const };
		const late = await submitCorrespondenceRequest(db, input, system, prague('2026-12-11T16:00:00.000'));
		expect(late.ok || late.refusal).toEqual({
			code: 'deadline-passed',
			section: '§57a(3)',
			round: 1,
			deadline: { key: 'correspondence-request-written', round: 1, at: '2026-12-11T16:00:00+01:00', section: '§57a(3)' }
		});
		ok(await submitCorrespondenceRequest(db, input, system, prague('2026-12-11T15:59:59.999')));
	});

	it('§57a(3): at the embassy\'s counter the same request is in time until D−2', async () => {
		const f = await fixture();
		const voterId = await f.voter({ embassy: f.berlin });
		const clerk = await f.clerk('clerk.berlin', f.berlin, 'embassy-clerk');
		ok(
			await submitCorrespondenceRequest(
				db,
				{ voterId, channel: 'in-person', electionId: f.chamber, delivery: 'collect-at-embassy' },
				{ kind: 'staff', id: clerk, officeId: f.berlin },
				prague('2027-01-13T15:59:59.999')
			)
		);
		expect((await requestsOf(voterId))[0]).toMatchObject({ channel: 'in-person', entered_by: clerk, deadline_key: 'correspondence-request-in-person' });
	});

	it('refuses an excluded country (§58(3)), an address outside the area (§57a(4)), a voter not registered there and an election without correspondence (§57a(1))', async () => {
		const f = await fixture();
		const nairobiVoter = await f.voter({ embassy: f.nairobi });
		const somalia = await submitCorrespondenceRequest(
			db,
			{ voterId: nairobiVoter, channel: 'portal', electionId: f.chamber, delivery: 'post', address: { line: 'Maka Al Mukarama Rd 27', city: 'Mogadishu', postalCode: '', country: 'SO' } },
			system,
			NOW
		);
		expect(somalia.ok || somalia.refusal).toMatchObject({ code: 'excluded-country', section: '§58(3)' });
		// Collection at the embassy remains possible.
		ok(await submitCorrespondenceRequest(db, { voterId: nairobiVoter, channel: 'portal', electionId: f.chamber, delivery: 'collect-at-embassy' }, system, NOW));

		const berlinVoter = await f.voter({ embassy: f.berlin });
		const austria = await submitCorrespondenceRequest(
			db,
			{ voterId: berlinVoter, channel: 'portal', electionId: f.chamber, delivery: 'post', address: { ...berlinAddress, country: 'AT' } },
			system,
			NOW
		);
		expect(austria.ok || austria.refusal).toMatchObject({ code: 'address-outside-jurisdiction', section: '§57a(4)' });

		const municipal = await f.voter({ municipal: f.praha });
		const notThere = await submitCorrespondenceRequest(db, { voterId: municipal, channel: 'portal', electionId: f.chamber, delivery: 'collect-at-embassy' }, system, NOW);
		expect(notThere.ok || notThere.refusal).toMatchObject({ code: 'not-registered-at-embassy', section: '§57a(1)' });

		const senate = await submitCorrespondenceRequest(
			db,
			{ voterId: berlinVoter, channel: 'portal', electionId: f.senate, delivery: 'collect-at-embassy' },
			system,
			prague('2026-09-01T10:00')
		);
		expect(senate.ok || senate.refusal).toMatchObject({ code: 'correspondence-not-allowed', section: '§57a(1)' });
		expect(await requestsOf(berlinVoter)).toHaveLength(0);
	});

	it('is idempotent and allows one live request per round', async () => {
		const f = await fixture();
		const voterId = await f.voter({ embassy: f.berlin });
		const input = { voterId, channel: 'portal' as const, electionId: f.president, delivery: 'collect-at-embassy' as const, idempotencyKey: 'x' };
		const first = ok(await submitCorrespondenceRequest(db, input, system, NOW));
		expect(ok(await submitCorrespondenceRequest(db, input, system, NOW)).requests).toEqual(first.requests);
		const other = await submitCorrespondenceRequest(db, { ...input, idempotencyKey: 'y', rounds: [2] }, system, NOW);
		expect(other.ok || other.refusal).toMatchObject({ code: 'already-filed', references: [first.requests[1]!.reference] });
		expect(await requestsOf(voterId)).toHaveLength(2);
	});
});

describe('cancelRequest', () => {
	async function filedCard() {
		const f = await fixture();
		const voterId = await f.voter({ municipal: f.praha, email: 'jan@example.cz' });
		const me: Actor = { kind: 'voter', id: voterId };
		const request = ok(await submitVoterCardRequest(db, { voterId, channel: 'portal', electionId: f.chamber, rounds: [1], delivery: 'in-person' }, me, NOW)).requests[0]!;
		return { f, voterId, me, request };
	}

	it('§56(3): cancels a pending request, with audit and e-mail; a second cancel is refused', async () => {
		const { voterId, me, request } = await filedCard();
		const later = NOW.add({ hours: 1 });
		expect(await cancelRequest(db, { voterId, reference: request.reference }, me, later)).toEqual({ ok: true, reference: request.reference });
		const [row] = await requestsOf(voterId);
		expect(row).toMatchObject({ state: 'cancelled' });
		expect(row!.cancelled_at!.toISOString()).toBe('2026-11-20T09:00:00.000Z');
		const audit = await auditOf('request.cancel');
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actor_kind: 'voter', actor_id: voterId, entity_id: request.id });
		// Issue 15: the filing's e-mail had not gone yet, so the cancellation rewrote it: one e-mail, the latest state.
		expect((await outbox()).map((m) => m.subject)).toEqual([expect.stringContaining('zrušena')]);

		const again = await cancelRequest(db, { voterId, reference: request.reference }, me, later);
		expect(again).toEqual({ ok: false, refusal: { code: 'not-cancellable', section: '§56(3)' } });
	});

	it('refuses once an office has decided the request', async () => {
		const { voterId, me, request } = await filedCard();
		await db.updateTable('request').set({ state: 'accepted' }).where('id', '=', request.id).execute();
		const result = await cancelRequest(db, { voterId, reference: request.reference }, me, NOW);
		expect(result.ok || result.refusal.code).toBe('not-cancellable');
		expect((await requestsOf(voterId))[0]!.state).toBe('accepted');
		expect(await auditOf('request.cancel')).toHaveLength(0);
	});

	it("never cancels another voter's request: it is simply not found", async () => {
		const { f, voterId, request } = await filedCard();
		const intruder = await f.voter({ municipal: f.praha });
		const result = await cancelRequest(db, { voterId: intruder, reference: request.reference }, { kind: 'voter', id: intruder }, NOW);
		expect(result).toEqual({ ok: false, refusal: { code: 'request-not-found', section: null } });
		expect((await requestsOf(voterId))[0]!.state).toBe('received');
		expect(await auditOf('request.cancel')).toHaveLength(0);
	});
});
