/**
 * Demo rehearsals (issue 14), seeded next to the real demo elections so that every role can
 * train at once after `npm start` (README, "Training walk-through"):
 * - the Chamber election rehearsed at the Embassy in Berlin, its clock at the close of voting,
 *   with packages issued, envelopes returned (some late, some from voters who already voted)
 *   and handed over to the special commission on a record confirmed by the head and the chair;
 * - the Chamber election rehearsed at the municipal office of Praha, its clock at D−25 (inside
 *   the request period), with voter card requests waiting for the clerk.
 * Rows are written directly, as the portal would have written them on the rehearsal's clock;
 * the voters are the Berlin and Praha voters already on the lists, so no list changes.
 */
import { Temporal } from 'temporal-polyfill';
import { ENVELOPE_CODE_RANDOM_BYTES, generateEnvelopeCode } from '../../domain/envelopes';
import { electionNow } from '../clock';
import { newReference } from '../reference';
import { appendAudit } from '../services/audit';
import { idSlipCounter } from '../services/packages';
import { createRehearsal, jumpRehearsalClock } from '../services/rehearsals';
import type { StaffActor } from '../services/staff-actor';
import type { Db } from './index';
import { takeCounterValues } from './queries/packages';

const BERLIN = 'zu-berlin';
const PRAHA = 'mu-554782';

export interface RehearsalSeedSummary {
	berlin: { electionId: string; packages: number; envelopes: number; late: number; alreadyVoted: number } | null;
	praha: { electionId: string; requests: number } | null;
}

async function staffActor(db: Db, username: string): Promise<StaffActor> {
	const row = await db.selectFrom('staff_user').select(['id', 'office_id', 'role']).where('username', '=', username).executeTakeFirstOrThrow();
	return { kind: 'staff', id: row.id, officeId: row.office_id, role: row.role };
}

const toDate = (i: Temporal.Instant) => new Date(i.epochMilliseconds);

export async function seedRehearsals(db: Db, options: { now: Temporal.Instant; berlinPackages?: number; prahaRequests?: number }): Promise<RehearsalSeedSummary> {
	const { now } = options;
	const chamber = await db.selectFrom('election').select('id').where('type', '=', 'chamber').where('rehearsal', '=', false).executeTakeFirst();
	const offices = new Map((await db.selectFrom('office').select(['id', 'code']).where('code', 'in', [BERLIN, PRAHA]).execute()).map((o) => [o.code, o.id]));
	const berlinId = offices.get(BERLIN);
	const prahaId = offices.get(PRAHA);
	if (!chamber || !berlinId || !prahaId) return { berlin: null, praha: null };
	const admin = await staffActor(db, 'spravce');

	// --- Berlin: the commission's day ---
	const berlin = await createRehearsal(db, { fromElectionId: chamber.id, officeIds: [berlinId] }, admin, now);
	if (berlin.kind !== 'created') throw new Error(`Berlin rehearsal: ${JSON.stringify(berlin)}`);
	const jumped = await jumpRehearsalClock(db, { electionId: berlin.electionId, jump: 'close-of-voting' }, admin, now);
	if (jumped.kind !== 'moved') throw new Error(`Berlin rehearsal clock: ${JSON.stringify(jumped)}`);
	const close = jumped.at;
	const clerk = await staffActor(db, 'urednik.berlin');
	const head = await staffActor(db, 'vedouci.berlin');
	const chair = await staffActor(db, 'predseda.berlin');
	const wanted = options.berlinPackages ?? 300;
	const listed = await db
		.selectFrom('voter')
		.select('id')
		.where('special_district_office_id', '=', berlinId)
		.where('eid_subject', 'is', null)
		.where('anonymised_at', 'is', null)
		.orderBy('id')
		.limit(wanted)
		.execute();
	// A small demo list has fewer Berlin voters than a commission day needs: the rest are
	// fictitious test persons (test_identity), marked by their import key.
	const extra = wanted - listed.length;
	const added =
		extra > 0
			? await db
					.insertInto('voter')
					.values(
						Array.from({ length: extra }, (_, i) => ({
							special_district_office_id: berlinId,
							given_name: 'Zkušební',
							family_name: `Volič ${i + 1}`,
							birth_date: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
							address_line: `Teststraße ${i + 1}`,
							city: 'Berlin',
							postal_code: '10117',
							country_code: 'DE',
							source: 'seed' as const,
							import_key: `rehearsal:berlin:${i + 1}`,
							test_identity: true
						}))
					)
					.onConflict((oc) => oc.column('import_key').doNothing())
					.returning('id')
					.execute()
			: [];
	const voters = [...listed, ...added];
	let berlinSummary: RehearsalSeedSummary['berlin'] = { electionId: berlin.electionId, packages: 0, envelopes: 0, late: 0, alreadyVoted: 0 };
	if (voters.length > 0) {
		const issuedAt = close.subtract({ hours: 24 * 30 });
		const requests = await db
			.insertInto('request')
			.values(
				voters.map((v, i) => ({
					reference: newReference('correspondence-package'),
					kind: 'correspondence-package' as const,
					voter_id: v.id,
					election_id: berlin.electionId,
					round: 1,
					office_id: berlinId,
					channel: 'portal' as const,
					delivery: 'post' as const,
					state: 'issued' as const,
					received_at: toDate(issuedAt.subtract({ hours: 24 * 10 + i })),
					decided_at: toDate(issuedAt.subtract({ hours: 24 * 5 })),
					decided_by: clerk.id
				}))
			)
			.returning(['id', 'voter_id'])
			.execute();
		const firstSlip = await takeCounterValues(db, berlinId, idSlipCounter(berlin.electionId), requests.length);
		const packages = await db
			.insertInto('correspondence_package')
			.values(
				requests.map((r, i) => ({
					office_id: berlinId,
					request_id: r.id,
					voter_id: r.voter_id,
					election_id: berlin.electionId,
					round: 1,
					id_slip_number: firstSlip + i,
					envelope_code: generateEnvelopeCode(crypto.getRandomValues(new Uint8Array(ENVELOPE_CODE_RANDOM_BYTES))),
					issued_at: toDate(issuedAt),
					issued_by: head.id,
					dispatch_method: 'post' as const,
					dispatched_at: toDate(issuedAt),
					dispatched_by: clerk.id
				}))
			)
			.returning(['id', 'voter_id'])
			.execute();
		// Nine in ten come back; every twelfth of those after the close (§57c(5)).
		const returned = packages.filter((_, i) => i % 10 !== 9);
		const late = returned.filter((_, i) => i % 12 === 11);
		const onTime = returned.filter((_, i) => i % 12 !== 11);
		const handover = await db
			.insertInto('envelope_handover')
			.values({
				office_id: berlinId,
				election_id: berlin.electionId,
				round: 1,
				envelope_count: onTime.length,
				created_at: toDate(close.add({ minutes: 5 })),
				created_by: clerk.id,
				head_confirmed_at: toDate(close.add({ minutes: 10 })),
				head_confirmed_by: head.id,
				chair_confirmed_at: toDate(close.add({ minutes: 12 })),
				chair_confirmed_by: chair.id
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		if (onTime.length) {
			await db
				.insertInto('return_envelope')
				.values(
					onTime.map((p, i) => ({
						package_id: p.id,
						office_id: berlinId,
						election_id: berlin.electionId,
						round: 1,
						received_at: toDate(close.subtract({ minutes: 60 * 24 * 20 - i * 97 })),
						received_by: clerk.id,
						late: false,
						storage_batch: `B${1 + Math.floor(i / 50)}`,
						handover_id: handover.id
					}))
				)
				.execute();
		}
		if (late.length) {
			await db
				.insertInto('return_envelope')
				.values(
					late.map((p, i) => ({
						package_id: p.id,
						office_id: berlinId,
						election_id: berlin.electionId,
						round: 1,
						received_at: toDate(close.add({ minutes: 1 + i })),
						received_by: clerk.id,
						late: true,
						storage_batch: 'POZDE'
					}))
				)
				.execute();
		}
		// Duplicates: some voters whose envelope was handed over already voted in person (§57d(2)(e)).
		const alreadyVoted = onTime.filter((_, i) => i % 40 === 7);
		if (alreadyVoted.length) {
			await db
				.insertInto('voting_mark')
				.values(alreadyVoted.map((p) => ({ voter_id: p.voter_id, election_id: berlin.electionId, round: 1, method: 'in-person' as const, marked_at: toDate(close.subtract({ hours: 20 })) })))
				.execute();
		}
		berlinSummary = { electionId: berlin.electionId, packages: packages.length, envelopes: returned.length, late: late.length, alreadyVoted: alreadyVoted.length };
	}

	// --- Praha: the request period ---
	const praha = await createRehearsal(db, { fromElectionId: chamber.id, officeIds: [prahaId] }, admin, now);
	if (praha.kind !== 'created') throw new Error(`Praha rehearsal: ${JSON.stringify(praha)}`);
	const prahaJump = await jumpRehearsalClock(db, { electionId: praha.electionId, jump: 'd-25' }, admin, now);
	if (prahaJump.kind !== 'moved') throw new Error(`Praha rehearsal clock: ${JSON.stringify(prahaJump)}`);
	const prahaVoters = await db
		.selectFrom('voter')
		.select('id')
		.where('municipal_office_id', '=', prahaId)
		.where('eid_subject', 'is', null)
		.where('anonymised_at', 'is', null)
		.orderBy('id')
		.limit(options.prahaRequests ?? 100)
		.execute();
	if (prahaVoters.length) {
		const settings = { rehearsal: true, clock_offset_seconds: (await db.selectFrom('election').select('clock_offset_seconds').where('id', '=', praha.electionId).executeTakeFirstOrThrow()).clock_offset_seconds };
		const prahaNow = electionNow(settings, now);
		await db
			.insertInto('request')
			.values(
				prahaVoters.map((v, i) => ({
					reference: newReference('voter-card'),
					kind: 'voter-card' as const,
					voter_id: v.id,
					election_id: praha.electionId,
					round: 1,
					office_id: prahaId,
					channel: i % 5 === 0 ? ('data-box' as const) : ('portal' as const),
					delivery: i % 3 === 0 ? ('in-person' as const) : ('post' as const),
					delivery_address_line: i % 3 === 0 ? null : `Vinohradská ${100 + i}`,
					delivery_city: i % 3 === 0 ? null : 'Praha',
					delivery_postal_code: i % 3 === 0 ? null : '130 00',
					delivery_country_code: i % 3 === 0 ? null : 'CZ',
					state: 'received' as const,
					received_at: toDate(prahaNow.subtract({ minutes: 30 + i * 41 }))
				}))
			)
			.execute();
	}
	await db.transaction().execute((trx) =>
		appendAudit(trx, {
			actor: { kind: 'system' },
			action: 'rehearsal.seed',
			entityType: 'election',
			entityId: berlin.electionId,
			after: { electionId: berlin.electionId, praha: praha.electionId },
			at: now
		})
	);
	return { berlin: berlinSummary, praha: { electionId: praha.electionId, requests: prahaVoters.length } };
}
