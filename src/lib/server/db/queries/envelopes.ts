/**
 * Queries of return envelopes (§57c) and the special commission (§57d). Every query that
 * reads or writes an envelope filters by the office, so that another office's ids behave
 * exactly like unknown ids.
 */
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DbOrTrx } from '../index';
import type { SetAsideGround } from '../schema';

export interface VotingWindowRow {
	starts_local: string;
	ends_local: string;
}

type Round = 1 | 2;

/** An embassy's voting windows of one election round (§2(3)), in window order. */
export async function listVotingWindowsOfRound(
	db: DbOrTrx,
	officeId: string,
	electionId: string,
	round: Round
): Promise<{ time_zone: string; windows: VotingWindowRow[]; rehearsal: boolean; clock_offset_seconds: number } | undefined> {
	return db
		.selectFrom('office')
		.innerJoin('election', (join) => join.on('election.id', '=', electionId))
		.select((eb) => [
			'office.time_zone',
			// the election's clock (clock.ts electionNow)
			'election.rehearsal',
			'election.clock_offset_seconds',
			jsonArrayFrom(
				eb
					.selectFrom('embassy_voting_window as w')
					.select(['w.starts_local', 'w.ends_local'])
					.where('w.office_id', '=', officeId)
					.where('w.election_id', '=', electionId)
					.where('w.round', '=', round)
					.orderBy('w.window_no')
			).as('windows')
		])
		.where('office.id', '=', officeId)
		.where('office.kind', '=', 'embassy')
		.executeTakeFirst();
}

/**
 * The scan's one read: the package with this code at this office, what the acknowledgement
 * shows (the voter's name for initials), the voting windows of its round to judge lateness,
 * and an envelope already recorded for it. Served by the unique index on envelope_code.
 *
 *   SELECT p.id, p.election_id, p.round, p.voter_id, v.given_name, v.family_name,
 *          v.email IS NOT NULL AND v.email_confirmed_at IS NOT NULL AS voter_notifiable,
 *          r.reference, o.time_zone, (SELECT json_agg(...) FROM embassy_voting_window ...) AS windows,
 *          e.id AS envelope_id, e.received_at AS envelope_received_at
 *   FROM correspondence_package p JOIN voter v ... JOIN request r ... JOIN office o ...
 *   LEFT JOIN return_envelope e ON e.package_id = p.id
 *   WHERE p.envelope_code = $1 AND p.office_id = $2
 */
export async function findPackageForScan(db: DbOrTrx, officeId: string, code: string) {
	return db
		.selectFrom('correspondence_package as p')
		.innerJoin('voter as v', 'v.id', 'p.voter_id')
		.innerJoin('request as r', 'r.id', 'p.request_id')
		.innerJoin('office as o', 'o.id', 'p.office_id')
		.innerJoin('election as el', 'el.id', 'p.election_id')
		.leftJoin('return_envelope as e', 'e.package_id', 'p.id')
		.leftJoin('staff_user as rs', 'rs.id', 'e.received_by')
		.select((eb) => [
			'p.id as package_id',
			'el.title_cs',
			'el.title_en',
			// the election's clock (clock.ts electionNow)
			'el.rehearsal',
			'el.clock_offset_seconds',
			'p.election_id',
			'p.round',
			'p.voter_id',
			'v.given_name',
			'v.family_name',
			sql<boolean>`(v.email IS NOT NULL AND v.email_confirmed_at IS NOT NULL)`.as('voter_notifiable'),
			'r.reference',
			'o.time_zone',
			jsonArrayFrom(
				eb
					.selectFrom('embassy_voting_window as w')
					.select(['w.starts_local', 'w.ends_local'])
					.whereRef('w.office_id', '=', 'p.office_id')
					.whereRef('w.election_id', '=', 'p.election_id')
					.whereRef('w.round', '=', 'p.round')
					.orderBy('w.window_no')
			).as('windows'),
			'e.id as envelope_id',
			'e.received_at as envelope_received_at',
			'rs.display_name as envelope_received_by_name'
		])
		.where('p.envelope_code', '=', code)
		.where('p.office_id', '=', officeId)
		.executeTakeFirst();
}

export interface NewReturnEnvelope {
	packageId: string;
	officeId: string;
	electionId: string;
	round: number;
	receivedAt: Date;
	receivedBy: string;
	late: boolean;
	storageBatch: string | null;
	/** When the station scanned it (issue 13); null from the plain form. */
	scannedAt?: Date | null;
	/** 'pending': scanned before the close, received after it; the head decides (issue 13). */
	lateReview?: 'pending' | null;
}

/**
 * Records a return envelope (§57c(3)) and its audit entry in one statement, so that the scan
 * costs one round trip after its look-up; undefined if an envelope is already recorded for
 * the package (the unique package_id decides between two scans of the same code). The audit
 * row is the one appendAudit (services/audit.ts) writes for a staff actor. `count` is the
 * number of envelopes this office has received for the election round, this one included.
 */
export async function insertReturnEnvelope(
	db: DbOrTrx,
	e: NewReturnEnvelope,
	audit: { action: string; after: Record<string, unknown> }
): Promise<{ id: string; received_at: Date; count: number } | undefined> {
	const { rows } = await sql<{ id: string; received_at: Date; count: number }>`
		WITH ins AS (
			INSERT INTO return_envelope (package_id, office_id, election_id, round, received_at, received_by, late, storage_batch, scanned_at, late_review)
			VALUES (${e.packageId}, ${e.officeId}, ${e.electionId}, ${e.round}, ${e.receivedAt}, ${e.receivedBy}, ${e.late}, ${e.storageBatch}, ${e.scannedAt ?? null}, ${e.lateReview ?? null})
			ON CONFLICT (package_id) DO NOTHING
			RETURNING id, received_at
		), audit AS (
			INSERT INTO audit_log (at, actor_kind, actor_id, office_id, action, entity_type, entity_id, after)
			SELECT ${e.receivedAt}, 'staff', ${e.receivedBy}, ${e.officeId}, ${audit.action}, 'return_envelope', ins.id::text, ${JSON.stringify(audit.after)}::jsonb
			FROM ins
		)
		SELECT ins.id, ins.received_at,
			-- the statement's snapshot does not see its own row, hence + 1
			(SELECT count(*)::int + 1 FROM return_envelope r
				WHERE r.office_id = ${e.officeId} AND r.election_id = ${e.electionId} AND r.round = ${e.round}) AS count
		FROM ins`.execute(db);
	return rows[0];
}

export async function findEnvelopeReceiptByPackage(db: DbOrTrx, packageId: string) {
	return db.selectFrom('return_envelope').select(['id', 'received_at']).where('package_id', '=', packageId).executeTakeFirst();
}

/** The last envelope this staff member scanned at this office, if any. */
export async function findLastScanOfStaff(db: DbOrTrx, officeId: string, staffId: string) {
	return db
		.selectFrom('return_envelope')
		.select(['id', 'handover_id', 'outcome'])
		.where('received_by', '=', staffId)
		.where('office_id', '=', officeId)
		.orderBy('scan_no', 'desc')
		.limit(1)
		.executeTakeFirst();
}

/**
 * Deletes an envelope only if it is this staff member's last scan at this office and it
 * has not been handed over: one statement, so a concurrent scan or hand-over cannot slip in.
 */
export async function deleteLastScanOfStaff(db: DbOrTrx, officeId: string, staffId: string, envelopeId: string) {
	return db
		.deleteFrom('return_envelope')
		.where('id', '=', envelopeId)
		.where('office_id', '=', officeId)
		.where('received_by', '=', staffId)
		.where('handover_id', 'is', null)
		.where('outcome', 'is', null)
		.where('scan_no', '=', (eb) =>
			eb
				.selectFrom('return_envelope as last')
				.select((e) => e.fn.max('last.scan_no').as('n'))
				.where('last.received_by', '=', staffId)
				.where('last.office_id', '=', officeId)
		)
		.returning(['id', 'package_id', 'election_id', 'round', 'received_at', 'late', 'storage_batch'])
		.executeTakeFirst();
}

/** Envelopes of an office and election by round, lateness, hand-over and storage batch. */
export async function countArrivals(db: DbOrTrx, officeId: string, electionId: string) {
	const rows = await db
		.selectFrom('return_envelope')
		.select((eb) => [
			'round',
			'late',
			sql<boolean>`handover_id IS NOT NULL`.as('handed_over'),
			'storage_batch',
			eb.fn.countAll<string>().as('n')
		])
		.where('office_id', '=', officeId)
		.where('election_id', '=', electionId)
		.groupBy(['round', 'late', sql`handover_id IS NOT NULL`, 'storage_batch'])
		.orderBy('round')
		.orderBy('storage_batch')
		.execute();
	return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

const handoverColumns = [
	'h.id',
	'h.office_id',
	'h.election_id',
	'h.round',
	'h.envelope_count',
	'h.created_at',
	'h.created_by',
	'h.head_confirmed_at',
	'h.head_confirmed_by',
	'h.chair_confirmed_at',
	'h.chair_confirmed_by'
] as const;

/** The hand-over records of an office and election, oldest first. */
export async function listHandovers(db: DbOrTrx, officeId: string, electionId: string) {
	return db
		.selectFrom('envelope_handover as h')
		.select(handoverColumns)
		.where('h.office_id', '=', officeId)
		.where('h.election_id', '=', electionId)
		.orderBy('h.created_at')
		.orderBy('h.id')
		.execute();
}

export async function findHandover(db: DbOrTrx, officeId: string, handoverId: string) {
	return db.selectFrom('envelope_handover as h').select(handoverColumns).where('h.id', '=', handoverId).where('h.office_id', '=', officeId).executeTakeFirst();
}

/** A hand-over record with the display names of who made and confirmed it, for the printed record. */
export async function findHandoverWithNames(db: DbOrTrx, officeId: string, handoverId: string) {
	return db
		.selectFrom('envelope_handover as h')
		.innerJoin('office as o', 'o.id', 'h.office_id')
		.innerJoin('election as el', 'el.id', 'h.election_id')
		.innerJoin('staff_user as creator', 'creator.id', 'h.created_by')
		.leftJoin('staff_user as head', 'head.id', 'h.head_confirmed_by')
		.leftJoin('staff_user as chair', 'chair.id', 'h.chair_confirmed_by')
		.select([
			...handoverColumns,
			'o.name_cs as office_name_cs',
			'o.name_en as office_name_en',
			'o.special_district_number',
			'o.time_zone',
			'el.title_cs as election_title_cs',
			'el.title_en as election_title_en',
			'creator.display_name as created_by_name',
			'head.display_name as head_name',
			'chair.display_name as chair_name'
		])
		.where('h.id', '=', handoverId)
		.where('h.office_id', '=', officeId)
		.executeTakeFirst();
}

export async function insertHandover(
	db: DbOrTrx,
	h: { officeId: string; electionId: string; round: number; createdAt: Date; createdBy: string }
) {
	return db
		.insertInto('envelope_handover')
		.values({ office_id: h.officeId, election_id: h.electionId, round: h.round, envelope_count: 0, created_at: h.createdAt, created_by: h.createdBy })
		.returning('id')
		.executeTakeFirstOrThrow();
}

/**
 * §57c(4), §57c(5): puts every envelope of the office and round received on time and not yet
 * handed over on the record; late envelopes stay apart. Returns the number of envelopes.
 */
export async function assignEnvelopesToHandover(
	db: DbOrTrx,
	h: { handoverId: string; officeId: string; electionId: string; round: number }
): Promise<number> {
	const result = await db
		.updateTable('return_envelope')
		.set({ handover_id: h.handoverId })
		.where('office_id', '=', h.officeId)
		.where('election_id', '=', h.electionId)
		.where('round', '=', h.round)
		.where('late', '=', false)
		.where('handover_id', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

export async function updateHandoverCount(db: DbOrTrx, handoverId: string, count: number): Promise<void> {
	await db.updateTable('envelope_handover').set({ envelope_count: count }).where('id', '=', handoverId).execute();
}

/**
 * Confirms a hand-over record on behalf of one side, once, and never by the person who
 * confirmed the other side. Undefined when nothing was updated.
 */
export async function confirmHandover(
	db: DbOrTrx,
	c: { side: 'head' | 'chair'; officeId: string; handoverId: string; staffId: string; at: Date }
) {
	const base = db
		.updateTable('envelope_handover')
		.where('id', '=', c.handoverId)
		.where('office_id', '=', c.officeId);
	const query =
		c.side === 'head'
			? base
					.set({ head_confirmed_at: c.at, head_confirmed_by: c.staffId })
					.where('head_confirmed_by', 'is', null)
					.where((eb) => eb.or([eb('chair_confirmed_by', 'is', null), eb('chair_confirmed_by', '<>', c.staffId)]))
			: base
					.set({ chair_confirmed_at: c.at, chair_confirmed_by: c.staffId })
					.where('chair_confirmed_by', 'is', null)
					.where((eb) => eb.or([eb('head_confirmed_by', 'is', null), eb('head_confirmed_by', '<>', c.staffId)]));
	return query.returning(['id', 'head_confirmed_at', 'chair_confirmed_at']).executeTakeFirst();
}

/** The envelopes on a hand-over record: codes and receipt times, in order of receipt (no names). */
export async function listHandoverEnvelopes(db: DbOrTrx, handoverId: string) {
	return db
		.selectFrom('return_envelope as e')
		.innerJoin('correspondence_package as p', 'p.id', 'e.package_id')
		.select(['e.id', 'p.envelope_code', 'e.received_at', 'e.storage_batch'])
		.where('e.handover_id', '=', handoverId)
		.orderBy('e.received_at')
		.orderBy('e.scan_no')
		.execute();
}

/**
 * Everything the commission needs to judge one envelope of its office (§57d): its state,
 * the hand-over, the voter's name and date of birth to compare with the ID slip, whether
 * a voter card was issued (§57d(2)(d)), how the list records the voter as having voted
 * (§57d(2)(e)), whether the voter is on the embassy's list (§57d(5)), the voting windows
 * of its round and whether the ballot box is open (§57d(6)).
 */
export async function findEnvelopeForOpening(db: DbOrTrx, officeId: string, by: { envelopeId: string } | { code: string }) {
	let query = db
		.selectFrom('return_envelope as e')
		.innerJoin('correspondence_package as p', 'p.id', 'e.package_id')
		.innerJoin('voter as v', 'v.id', 'p.voter_id')
		.innerJoin('office as o', 'o.id', 'e.office_id')
		.innerJoin('election as el', 'el.id', 'e.election_id')
		.leftJoin('envelope_handover as h', 'h.id', 'e.handover_id')
		.select((eb) => [
			// the election's clock (clock.ts electionNow)
			'el.rehearsal',
			'el.clock_offset_seconds',
			'e.id',
			'e.election_id',
			'e.round',
			'e.received_at',
			'e.late',
			'e.storage_batch',
			'e.handover_id',
			'e.outcome',
			'e.set_aside_ground',
			'e.processed_at',
			'p.envelope_code',
			'p.voter_id',
			'v.given_name',
			'v.family_name',
			'v.birth_date',
			'v.special_district_office_id',
			'o.time_zone',
			sql<boolean>`(h.head_confirmed_at IS NOT NULL AND h.chair_confirmed_at IS NOT NULL)`.as('handover_confirmed'),
			eb
				.exists(
					eb
						.selectFrom('voter_card as c')
						.select('c.id')
						.whereRef('c.voter_id', '=', 'p.voter_id')
						.whereRef('c.election_id', '=', 'p.election_id')
						.whereRef('c.round', '=', 'p.round')
				)
				.as('voter_card_issued'),
			eb
				.selectFrom('voting_mark as m')
				.select('m.method')
				.whereRef('m.voter_id', '=', 'p.voter_id')
				.whereRef('m.election_id', '=', 'p.election_id')
				.whereRef('m.round', '=', 'p.round')
				.as('voting_mark_method'),
			eb
				.exists(
					eb
						.selectFrom('commission_closure as cc')
						.select('cc.office_id')
						.whereRef('cc.office_id', '=', 'e.office_id')
						.whereRef('cc.election_id', '=', 'e.election_id')
						.whereRef('cc.round', '=', 'e.round')
				)
				.as('ballot_box_opened'),
			jsonArrayFrom(
				eb
					.selectFrom('embassy_voting_window as w')
					.select(['w.starts_local', 'w.ends_local'])
					.whereRef('w.office_id', '=', 'e.office_id')
					.whereRef('w.election_id', '=', 'e.election_id')
					.whereRef('w.round', '=', 'e.round')
					.orderBy('w.window_no')
			).as('windows')
		])
		.where('e.office_id', '=', officeId);
	query = 'envelopeId' in by ? query.where('e.id', '=', by.envelopeId) : query.where('p.envelope_code', '=', by.code);
	return query.executeTakeFirst();
}

/**
 * Records the commission's outcome, once: only while the envelope has none, is on a
 * hand-over record, is not late and the ballot box of its round is not open. Two members
 * recording the same envelope at the same moment: exactly one row comes back.
 */
export async function updateEnvelopeOutcome(
	db: DbOrTrx,
	o: { officeId: string; envelopeId: string; outcome: 'accepted' | 'set-aside'; ground: SetAsideGround | null; at: Date; by: string }
) {
	return db
		.updateTable('return_envelope as e')
		.set({ outcome: o.outcome, set_aside_ground: o.ground, processed_at: o.at, processed_by: o.by })
		.where('e.id', '=', o.envelopeId)
		.where('e.office_id', '=', o.officeId)
		.where('e.outcome', 'is', null)
		.where('e.late', '=', false)
		.where('e.handover_id', 'is not', null)
		.where((eb) =>
			eb.not(
				eb.exists(
					eb
						.selectFrom('commission_closure as cc')
						.select('cc.office_id')
						.whereRef('cc.office_id', '=', 'e.office_id')
						.whereRef('cc.election_id', '=', 'e.election_id')
						.whereRef('cc.round', '=', 'e.round')
				)
			)
		)
		.returning(['e.id', 'e.package_id', 'e.election_id', 'e.round'])
		.executeTakeFirst();
}

/** §57d(3): marks the voter in the list as having voted; undefined if the list already records it. */
export async function insertVotingMark(
	db: DbOrTrx,
	m: { voterId: string; electionId: string; round: number; method: 'correspondence' | 'in-person'; at: Date; by: string | null }
) {
	return db
		.insertInto('voting_mark')
		.values({ voter_id: m.voterId, election_id: m.electionId, round: m.round, method: m.method, marked_at: m.at, marked_by: m.by })
		.onConflict((oc) => oc.columns(['voter_id', 'election_id', 'round']).doNothing())
		.returning('voter_id')
		.executeTakeFirst();
}

/** §57d(5): puts a voter on the embassy's special-district list from the embassy's data. */
export async function setVoterSpecialDistrict(db: DbOrTrx, voterId: string, officeId: string, at: Date): Promise<void> {
	await db.updateTable('voter').set({ special_district_office_id: officeId, updated_at: at }).where('id', '=', voterId).execute();
}

/** §57d(6): what remains before the ballot box may be opened, for one office and round. */
export async function countEnvelopesToDealWith(db: DbOrTrx, officeId: string, electionId: string, round: number) {
	const row = await db
		.selectFrom('return_envelope')
		.select([
			sql<number>`count(*) FILTER (WHERE handover_id IS NOT NULL AND outcome IS NULL)::int`.as('unprocessed'),
			sql<number>`count(*) FILTER (WHERE NOT late AND handover_id IS NULL)::int`.as('awaiting_handover')
		])
		.where('office_id', '=', officeId)
		.where('election_id', '=', electionId)
		.where('round', '=', round)
		.executeTakeFirstOrThrow();
	return row;
}

export async function findCommissionClosure(db: DbOrTrx, officeId: string, electionId: string, round: number) {
	return db
		.selectFrom('commission_closure')
		.select(['ballot_box_opened_at', 'opened_by'])
		.where('office_id', '=', officeId)
		.where('election_id', '=', electionId)
		.where('round', '=', round)
		.executeTakeFirst();
}

/** §57d(6): opens the ballot box, once; undefined if it was already open. */
export async function insertCommissionClosure(
	db: DbOrTrx,
	c: { officeId: string; electionId: string; round: number; at: Date; by: string }
) {
	return db
		.insertInto('commission_closure')
		.values({ office_id: c.officeId, election_id: c.electionId, round: c.round, ballot_box_opened_at: c.at, opened_by: c.by })
		.onConflict((oc) => oc.columns(['office_id', 'election_id', 'round']).doNothing())
		.returning('ballot_box_opened_at')
		.executeTakeFirst();
}

/** The outcomes of a round whose voters gave and confirmed an e-mail address, to tell them. */
export async function listOutcomesToNotify(db: DbOrTrx, officeId: string, electionId: string, round: number) {
	return db
		.selectFrom('return_envelope as e')
		.innerJoin('correspondence_package as p', 'p.id', 'e.package_id')
		.innerJoin('request as r', 'r.id', 'p.request_id')
		.innerJoin('voter as v', 'v.id', 'p.voter_id')
		.select(['p.voter_id', 'r.reference', 'e.outcome', 'e.set_aside_ground'])
		.where('e.office_id', '=', officeId)
		.where('e.election_id', '=', electionId)
		.where('e.round', '=', round)
		.where('e.outcome', 'is not', null)
		.where('v.email', 'is not', null)
		.where('v.email_confirmed_at', 'is not', null)
		.execute();
}

/** The envelopes handed over on confirmed records of one round, for the commission's list. */
export async function listEnvelopesForOpening(db: DbOrTrx, officeId: string, electionId: string, round: number) {
	return db
		.selectFrom('return_envelope as e')
		.innerJoin('envelope_handover as h', 'h.id', 'e.handover_id')
		.innerJoin('correspondence_package as p', 'p.id', 'e.package_id')
		.select(['e.id', 'p.envelope_code', 'e.received_at', 'e.outcome', 'e.set_aside_ground', 'e.processed_at'])
		.where('e.office_id', '=', officeId)
		.where('e.election_id', '=', electionId)
		.where('e.round', '=', round)
		.where('h.head_confirmed_at', 'is not', null)
		.where('h.chair_confirmed_at', 'is not', null)
		.orderBy('e.received_at')
		.orderBy('e.scan_no')
		.execute();
}

/** Envelopes of an office, election and round by outcome and ground (late ones under 'late'). */
export async function countOutcomes(db: DbOrTrx, officeId: string, electionId: string, round: number) {
	const row = await db
		.selectFrom('return_envelope')
		.select([
			sql<number>`count(*) FILTER (WHERE handover_id IS NOT NULL)::int`.as('handed_over'),
			sql<number>`count(*) FILTER (WHERE outcome = 'accepted')::int`.as('accepted'),
			sql<number>`count(*) FILTER (WHERE outcome = 'set-aside')::int`.as('set_aside'),
			sql<number>`count(*) FILTER (WHERE set_aside_ground = 'a')::int`.as('ground_a'),
			sql<number>`count(*) FILTER (WHERE set_aside_ground = 'b')::int`.as('ground_b'),
			sql<number>`count(*) FILTER (WHERE set_aside_ground = 'c')::int`.as('ground_c'),
			sql<number>`count(*) FILTER (WHERE set_aside_ground = 'd')::int`.as('ground_d'),
			sql<number>`count(*) FILTER (WHERE set_aside_ground = 'e')::int`.as('ground_e'),
			sql<number>`count(*) FILTER (WHERE handover_id IS NOT NULL AND outcome IS NULL)::int`.as('unprocessed'),
			sql<number>`count(*) FILTER (WHERE late)::int`.as('late')
		])
		.where('office_id', '=', officeId)
		.where('election_id', '=', electionId)
		.where('round', '=', round)
		.executeTakeFirstOrThrow();
	return row;
}

/** The package figures of an office and election by round, for the reconciliation. */
export async function countPackagesForReconciliation(db: DbOrTrx, officeId: string, electionId: string) {
	return db
		.selectFrom('correspondence_package as p')
		.leftJoin('return_envelope as e', 'e.package_id', 'p.id')
		.select([
			'p.round',
			sql<number>`count(*)::int`.as('issued'),
			sql<number>`count(*) FILTER (WHERE p.dispatched_at IS NOT NULL)::int`.as('dispatched'),
			sql<number>`count(*) FILTER (WHERE p.dispatched_at IS NULL)::int`.as('not_dispatched'),
			sql<number>`count(*) FILTER (WHERE e.id IS NULL)::int`.as('without_envelope')
		])
		.where('p.office_id', '=', officeId)
		.where('p.election_id', '=', electionId)
		.groupBy('p.round')
		.execute();
}

/** The envelope figures of an office and election by round, for the reconciliation. */
export async function countEnvelopesForReconciliation(db: DbOrTrx, officeId: string, electionId: string) {
	return db
		.selectFrom('return_envelope')
		.select([
			'round',
			sql<number>`count(*)::int`.as('received'),
			sql<number>`count(*) FILTER (WHERE NOT late)::int`.as('on_time'),
			sql<number>`count(*) FILTER (WHERE late)::int`.as('late'),
			sql<number>`count(*) FILTER (WHERE NOT late AND handover_id IS NOT NULL)::int`.as('handed_over'),
			sql<number>`count(*) FILTER (WHERE NOT late AND handover_id IS NULL)::int`.as('held'),
			sql<number>`count(*) FILTER (WHERE outcome = 'accepted')::int`.as('accepted'),
			sql<number>`count(*) FILTER (WHERE outcome = 'set-aside')::int`.as('set_aside'),
			sql<number>`count(*) FILTER (WHERE set_aside_ground = 'a')::int`.as('ground_a'),
			sql<number>`count(*) FILTER (WHERE set_aside_ground = 'b')::int`.as('ground_b'),
			sql<number>`count(*) FILTER (WHERE set_aside_ground = 'c')::int`.as('ground_c'),
			sql<number>`count(*) FILTER (WHERE set_aside_ground = 'd')::int`.as('ground_d'),
			sql<number>`count(*) FILTER (WHERE set_aside_ground = 'e')::int`.as('ground_e'),
			sql<number>`count(*) FILTER (WHERE handover_id IS NOT NULL AND outcome IS NULL)::int`.as('unprocessed')
		])
		.where('office_id', '=', officeId)
		.where('election_id', '=', electionId)
		.groupBy('round')
		.execute();
}

/** Voters of this office's packages whom the list records as having voted by correspondence, by round. */
export async function countCorrespondenceMarks(db: DbOrTrx, officeId: string, electionId: string) {
	return db
		.selectFrom('voting_mark as m')
		.innerJoin('correspondence_package as p', (j) =>
			j.onRef('p.voter_id', '=', 'm.voter_id').onRef('p.election_id', '=', 'm.election_id').onRef('p.round', '=', 'm.round')
		)
		.select(['m.round', sql<number>`count(*)::int`.as('marked')])
		.where('p.office_id', '=', officeId)
		.where('m.election_id', '=', electionId)
		.where('m.method', '=', 'correspondence')
		.groupBy('m.round')
		.execute();
}

/** A voter's return envelopes, with whether the commission of each has finished, for their timeline. */
export async function listVoterEnvelopes(db: DbOrTrx, voterId: string) {
	return db
		.selectFrom('correspondence_package as p')
		.innerJoin('return_envelope as e', 'e.package_id', 'p.id')
		.select((eb) => [
			'p.election_id',
			'p.round',
			'p.request_id',
			'e.received_at',
			'e.late',
			'e.outcome',
			'e.set_aside_ground',
			eb
				.exists(
					eb
						.selectFrom('commission_closure as cc')
						.select('cc.office_id')
						.whereRef('cc.office_id', '=', 'e.office_id')
						.whereRef('cc.election_id', '=', 'e.election_id')
						.whereRef('cc.round', '=', 'e.round')
				)
				.as('ballot_box_opened')
		])
		.where('p.voter_id', '=', voterId)
		.orderBy('e.received_at')
		.execute();
}
