import { sql } from 'kysely';
import type { DbOrTrx } from '../index';
import type { Delivery, ElectionTypeColumn, RefusalReasonColumn, RequestChannel, RequestKind, RequestState } from '../schema';

/**
 * Requests, voters and voter cards as an office's staff see them. EVERY query here takes the
 * staff member's office id and filters by it, so that another office's request, voter or
 * card behaves exactly like an unknown id.
 */

export interface OfficeRequestRow {
	id: string;
	reference: string;
	kind: RequestKind;
	voter_id: string;
	election_id: string | null;
	round: number | null;
	office_id: string;
	channel: RequestChannel;
	delivery: Delivery | null;
	delivery_address_line: string | null;
	delivery_city: string | null;
	delivery_postal_code: string | null;
	delivery_country_code: string | null;
	proxy_name: string | null;
	proxy_birth_date: string | null;
	power_of_attorney_note: string | null;
	state: RequestState;
	received_at: Date;
	deadline_key: string | null;
	deadline_at: Date | null;
	decided_at: Date | null;
	decided_by: string | null;
	refusal_reason: RefusalReasonColumn | null;
	refusal_text: string | null;
	cancelled_at: Date | null;
	entered_by: string | null;
	voter_given_name: string;
	voter_family_name: string;
	voter_birth_date: string;
	voter_address_line: string;
	voter_city: string;
	voter_postal_code: string;
	voter_country_code: string;
	voter_municipal_office_id: string | null;
	voter_special_district_office_id: string | null;
	election_title_cs: string | null;
	election_title_en: string | null;
	election_round_count: number | null;
	office_kind: 'municipal' | 'embassy';
	office_name_cs: string;
	office_name_en: string;
	office_address: string;
	office_special_district_number: number | null;
	office_countries: string[];
	office_region_code: string | null;
	entered_by_name: string | null;
	decided_by_name: string | null;
	election_rehearsal: boolean | null;
	election_clock_offset_seconds: number | null;
}

/** One request of the office with its voter, election and office; undefined for another office's request. */
export async function findOfficeRequest(db: DbOrTrx, officeId: string, requestId: string): Promise<OfficeRequestRow | undefined> {
	return db
		.selectFrom('request')
		.innerJoin('voter', 'voter.id', 'request.voter_id')
		.innerJoin('office', 'office.id', 'request.office_id')
		.leftJoin('election', 'election.id', 'request.election_id')
		.leftJoin('staff_user as entered', 'entered.id', 'request.entered_by')
		.leftJoin('staff_user as decided', 'decided.id', 'request.decided_by')
		.select([
			'request.id',
			'request.reference',
			'request.kind',
			'request.voter_id',
			'request.election_id',
			'request.round',
			'request.office_id',
			'request.channel',
			'request.delivery',
			'request.delivery_address_line',
			'request.delivery_city',
			'request.delivery_postal_code',
			'request.delivery_country_code',
			'request.proxy_name',
			'request.proxy_birth_date',
			'request.power_of_attorney_note',
			'request.state',
			'request.received_at',
			'request.deadline_key',
			'request.deadline_at',
			'request.decided_at',
			'request.decided_by',
			'request.refusal_reason',
			'request.refusal_text',
			'request.cancelled_at',
			'request.entered_by',
			'voter.given_name as voter_given_name',
			'voter.family_name as voter_family_name',
			'voter.birth_date as voter_birth_date',
			'voter.address_line as voter_address_line',
			'voter.city as voter_city',
			'voter.postal_code as voter_postal_code',
			'voter.country_code as voter_country_code',
			'voter.municipal_office_id as voter_municipal_office_id',
			'voter.special_district_office_id as voter_special_district_office_id',
			'election.title_cs as election_title_cs',
			'election.title_en as election_title_en',
			// Issue 14: a rehearsal's request is shown on its election's clock, with the band.
			'election.rehearsal as election_rehearsal',
			'election.clock_offset_seconds as election_clock_offset_seconds',
			sql<number | null>`(SELECT count(*)::int FROM election_round er WHERE er.election_id = request.election_id)`.as(
				'election_round_count'
			),
			'office.kind as office_kind',
			'office.name_cs as office_name_cs',
			'office.name_en as office_name_en',
			'office.address as office_address',
			'office.special_district_number as office_special_district_number',
			'office.region_code as office_region_code',
			'office.countries as office_countries',
			'entered.display_name as entered_by_name',
			'decided.display_name as decided_by_name'
		])
		.where('request.id', '=', requestId)
		.where('request.office_id', '=', officeId)
		.executeTakeFirst();
}

/** The state of one request of the office, e.g. after a conditional update found it changed. */
export async function findOfficeRequestState(
	db: DbOrTrx,
	officeId: string,
	requestId: string
): Promise<{ state: RequestState; reference: string } | undefined> {
	return db
		.selectFrom('request')
		.select(['state', 'reference'])
		.where('id', '=', requestId)
		.where('office_id', '=', officeId)
		.executeTakeFirst();
}

/**
 * Decides a request that is still 'received': of two clerks deciding at the same moment the
 * second one's update waits for the first to commit, then finds the state changed and
 * updates nothing (READ COMMITTED re-checks the WHERE on the new row version).
 */
export async function updateRequestDecided(
	db: DbOrTrx,
	decision: {
		id: string;
		officeId: string;
		state: 'accepted' | 'completed' | 'refused';
		at: Date;
		by: string;
		refusalReason?: RefusalReasonColumn | null;
		refusalText?: string | null;
	}
): Promise<{ id: string } | undefined> {
	return db
		.updateTable('request')
		.set({
			state: decision.state,
			decided_at: decision.at,
			decided_by: decision.by,
			refusal_reason: decision.refusalReason ?? null,
			refusal_text: decision.refusalText ?? null,
			updated_at: decision.at
		})
		.where('id', '=', decision.id)
		.where('office_id', '=', decision.officeId)
		.where('state', '=', 'received')
		.returning('id')
		.executeTakeFirst();
}

/** Moves a request of the office on from one state to the next, only if it is still in `from`. */
export async function updateRequestStateFrom(
	db: DbOrTrx,
	change: { id: string; officeId: string; from: RequestState; to: RequestState; at: Date }
): Promise<boolean> {
	const result = await db
		.updateTable('request')
		.set({ state: change.to, updated_at: change.at })
		.where('id', '=', change.id)
		.where('office_id', '=', change.officeId)
		.where('state', '=', change.from)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/**
 * Locks the voter's row until the transaction ends, so that decisions about the same voter
 * (a voter card here, a correspondence package there, §57(1)) are taken one after another.
 * FOR NO KEY UPDATE leaves the foreign-key checks of rows that refer to the voter (the
 * e-mail outbox, the audit of another transaction) free, so it cannot deadlock with them.
 */
export async function lockVoter(db: DbOrTrx, voterId: string): Promise<void> {
	await db.selectFrom('voter').select('id').where('id', '=', voterId).forNoKeyUpdate().execute();
}

/** §56(4): an accepted registration puts the voter on the embassy's special list (again, if they had left one). */
export async function updateVoterSpecialDistrict(db: DbOrTrx, voterId: string, officeId: string, at: Date): Promise<void> {
	await db
		.updateTable('voter')
		.set({ special_district_office_id: officeId, special_district_left_at: null, updated_at: at })
		.where('id', '=', voterId)
		.execute();
}

/**
 * §57b(1): how many other voters the same proxy (by name, case-insensitively) already
 * collects correspondence packages for at this embassy in this election.
 */
export async function countVotersOfProxy(
	db: DbOrTrx,
	scope: { officeId: string; electionId: string; proxyName: string; exceptVoterId: string }
): Promise<number> {
	const row = await db
		.selectFrom('request')
		.select(sql<number>`count(DISTINCT request.voter_id)::int`.as('n'))
		.where('office_id', '=', scope.officeId)
		.where('election_id', '=', scope.electionId)
		.where('kind', '=', 'correspondence-package')
		.where('delivery', '=', 'proxy')
		.where('state', 'in', ['accepted', 'issued', 'completed'])
		.where(sql<boolean>`lower(btrim(proxy_name)) = lower(btrim(${scope.proxyName}))`)
		.where('voter_id', '<>', scope.exceptVoterId)
		.executeTakeFirstOrThrow();
	return row.n;
}

// --- Serial numbers ---

/**
 * The next number of one of the office's counters (e.g. 'voter-card', §23(3)), inside the
 * caller's transaction: the row lock held until commit means two clerks can never draw the
 * same number, and a rolled-back transaction gives its number back.
 */
export async function drawOfficeSerial(db: DbOrTrx, officeId: string, counter: string): Promise<number> {
	const row = await db
		.insertInto('office_counter')
		.values({ office_id: officeId, counter, next_value: 2 })
		.onConflict((oc) =>
			oc.columns(['office_id', 'counter']).doUpdateSet({ next_value: sql<number>`office_counter.next_value + 1` })
		)
		.returning(sql<number>`next_value - 1`.as('value'))
		.executeTakeFirstOrThrow();
	return row.value;
}

// --- Voter cards (§23(3)) ---

/** The display name of the staff member who issued a request's voter card, if it has one. */
export async function findVoterCardIssuer(db: DbOrTrx, requestId: string): Promise<string | undefined> {
	const row = await db
		.selectFrom('voter_card as c')
		.innerJoin('staff_user as s', 's.id', 'c.issued_by')
		.select('s.display_name')
		.where('c.request_id', '=', requestId)
		.executeTakeFirst();
	return row?.display_name;
}

export interface VoterCardRow {
	id: string;
	office_id: string;
	serial: number;
	request_id: string;
	voter_id: string;
	election_id: string;
	round: number;
	issued_at: Date;
	issued_by: string;
	handover_method: Delivery | null;
	handed_over_at: Date | null;
	handed_over_by: string | null;
	handed_over_to: string | null;
	handed_over_note: string | null;
	handed_over_proxy_birth_date: string | null;
	invalidated_at: Date | null;
	invalidation_reason: 'lost' | 'destroyed' | null;
	invalidation_note: string | null;
	invalidated_by: string | null;
	issued_by_name: string;
	handed_over_by_name: string | null;
	invalidated_by_name: string | null;
}

function voterCardQuery(db: DbOrTrx) {
	return db
		.selectFrom('voter_card')
		.innerJoin('staff_user as issuer', 'issuer.id', 'voter_card.issued_by')
		.leftJoin('staff_user as hander', 'hander.id', 'voter_card.handed_over_by')
		.leftJoin('staff_user as invalidator', 'invalidator.id', 'voter_card.invalidated_by')
		.select([
			'voter_card.id',
			'voter_card.office_id',
			'voter_card.serial',
			'voter_card.request_id',
			'voter_card.voter_id',
			'voter_card.election_id',
			'voter_card.round',
			'voter_card.issued_at',
			'voter_card.issued_by',
			'voter_card.handover_method',
			'voter_card.handed_over_at',
			'voter_card.handed_over_by',
			'voter_card.handed_over_to',
			'voter_card.handed_over_note',
			'voter_card.handed_over_proxy_birth_date',
			'voter_card.invalidated_at',
			'voter_card.invalidation_reason',
			'voter_card.invalidation_note',
			'voter_card.invalidated_by',
			'issuer.display_name as issued_by_name',
			'hander.display_name as handed_over_by_name',
			'invalidator.display_name as invalidated_by_name'
		]);
}

/** The voter card issued on one request of the office, if any. */
export async function findVoterCardOfRequest(db: DbOrTrx, officeId: string, requestId: string): Promise<VoterCardRow | undefined> {
	return voterCardQuery(db)
		.where('voter_card.request_id', '=', requestId)
		.where('voter_card.office_id', '=', officeId)
		.executeTakeFirst();
}

export async function insertVoterCard(
	db: DbOrTrx,
	card: { officeId: string; serial: number; requestId: string; voterId: string; electionId: string; round: number; at: Date; by: string; rehearsal?: boolean }
): Promise<{ id: string }> {
	return db
		.insertInto('voter_card')
		.values({
			office_id: card.officeId,
			serial: card.serial,
			request_id: card.requestId,
			voter_id: card.voterId,
			election_id: card.electionId,
			round: card.round,
			issued_at: card.at,
			issued_by: card.by,
			rehearsal: card.rehearsal ?? false
		})
		.returning('id')
		.executeTakeFirstOrThrow();
}

/** Records the hand-over once, of a card that is still valid and not yet handed over. */
export async function updateVoterCardHandedOver(
	db: DbOrTrx,
	handOver: {
		id: string;
		officeId: string;
		method: Delivery;
		at: Date;
		by: string;
		to: string;
		note: string | null;
		proxyBirthDate: string | null;
	}
): Promise<boolean> {
	const result = await db
		.updateTable('voter_card')
		.set({
			handover_method: handOver.method,
			handed_over_at: handOver.at,
			handed_over_by: handOver.by,
			handed_over_to: handOver.to,
			handed_over_note: handOver.note,
			handed_over_proxy_birth_date: handOver.proxyBirthDate
		})
		.where('id', '=', handOver.id)
		.where('office_id', '=', handOver.officeId)
		.where('handed_over_at', 'is', null)
		.where('invalidated_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** §23(3): a card reported lost or destroyed is invalidated, once. */
export async function updateVoterCardInvalidated(
	db: DbOrTrx,
	invalidation: { id: string; officeId: string; reason: 'lost' | 'destroyed'; note: string | null; at: Date; by: string }
): Promise<boolean> {
	const result = await db
		.updateTable('voter_card')
		.set({
			invalidated_at: invalidation.at,
			invalidation_reason: invalidation.reason,
			invalidation_note: invalidation.note,
			invalidated_by: invalidation.by
		})
		.where('id', '=', invalidation.id)
		.where('office_id', '=', invalidation.officeId)
		.where('invalidated_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

export interface VoterCardEvidenceRow {
	id: string;
	serial: number;
	request_id: string;
	reference: string;
	round: number;
	election_id: string;
	election_title_cs: string;
	election_title_en: string;
	voter_given_name: string;
	voter_family_name: string;
	voter_birth_date: string;
	issued_at: Date;
	handover_method: Delivery | null;
	handed_over_at: Date | null;
	handed_over_to: string | null;
	invalidated_at: Date | null;
	invalidation_reason: 'lost' | 'destroyed' | null;
}

/**
 * §23(3): the office's evidence of voter cards, by serial, optionally of one election;
 * keyset-paginated after a serial.
 */
export async function listOfficeVoterCards(
	db: DbOrTrx,
	officeId: string,
	opts: { electionId?: string | null; afterSerial?: number | null; limit: number }
): Promise<VoterCardEvidenceRow[]> {
	let query = db
		.selectFrom('voter_card')
		.innerJoin('request', 'request.id', 'voter_card.request_id')
		.innerJoin('voter', 'voter.id', 'voter_card.voter_id')
		.innerJoin('election', 'election.id', 'voter_card.election_id')
		.select([
			'voter_card.id',
			'voter_card.serial',
			'voter_card.request_id',
			'request.reference',
			'voter_card.round',
			'voter_card.election_id',
			'election.title_cs as election_title_cs',
			'election.title_en as election_title_en',
			'voter.given_name as voter_given_name',
			'voter.family_name as voter_family_name',
			'voter.birth_date as voter_birth_date',
			'voter_card.issued_at',
			'voter_card.handover_method',
			'voter_card.handed_over_at',
			'voter_card.handed_over_to',
			'voter_card.invalidated_at',
			'voter_card.invalidation_reason'
		])
		.where('voter_card.office_id', '=', officeId);
	if (opts.electionId) query = query.where('voter_card.election_id', '=', opts.electionId);
	if (opts.afterSerial) query = query.where('voter_card.serial', '>', opts.afterSerial);
	return query.orderBy('voter_card.serial').limit(opts.limit).execute();
}

// --- The office's audit trail of one request ---

export interface RequestAuditRow {
	id: string;
	at: Date;
	action: string;
	actor_kind: 'voter' | 'staff' | 'system';
	actor_name: string | null;
	before: unknown;
	after: unknown;
}

/**
 * Every audit entry about the request and its voter card, oldest first, with the name of
 * the staff member who acted ("every staff action is traceable to a person").
 */
export async function listRequestAuditTrail(
	db: DbOrTrx,
	officeId: string,
	request: { id: string; cardId: string | null }
): Promise<RequestAuditRow[]> {
	return db
		.selectFrom('audit_log')
		.leftJoin('staff_user', (join) =>
			join.onRef('staff_user.id', '=', 'audit_log.actor_id').on('audit_log.actor_kind', '=', 'staff')
		)
		.select([
			'audit_log.id',
			'audit_log.at',
			'audit_log.action',
			'audit_log.actor_kind',
			'staff_user.display_name as actor_name',
			'audit_log.before',
			'audit_log.after'
		])
		.where('audit_log.office_id', '=', officeId)
		.where((eb) =>
			eb.or([
				eb.and([eb('audit_log.entity_type', '=', 'request'), eb('audit_log.entity_id', '=', request.id)]),
				...(request.cardId
					? [eb.and([eb('audit_log.entity_type', '=', 'voter_card'), eb('audit_log.entity_id', '=', request.cardId)])]
					: [])
			])
		)
		.orderBy('audit_log.id')
		.execute();
}

// --- The office's voter list ---

export interface OfficeVoterRow {
	id: string;
	given_name: string;
	family_name: string;
	birth_date: string;
	address_line: string;
	city: string;
	postal_code: string;
	country_code: string;
	municipal_office_id: string | null;
	special_district_office_id: string | null;
}

const officeVoterColumns = [
	'voter.id',
	'voter.given_name',
	'voter.family_name',
	'voter.birth_date',
	'voter.address_line',
	'voter.city',
	'voter.postal_code',
	'voter.country_code',
	'voter.municipal_office_id',
	'voter.special_district_office_id'
] as const;

/** The office keeps the voter: a municipal office its residents, an embassy its special district (§56(4)). */
function onOfficeList(office: { id: string; kind: 'municipal' | 'embassy' }) {
	return office.kind === 'embassy' ? ('voter.special_district_office_id' as const) : ('voter.municipal_office_id' as const);
}

/**
 * Voters on the office's own list by surname (and optionally given name), ignoring case,
 * and date of birth; another office's voters are never found. Uses voter_name_idx.
 */
export async function searchOfficeVoters(
	db: DbOrTrx,
	office: { id: string; kind: 'municipal' | 'embassy' },
	search: { familyName: string; givenName: string | null; birthDate: string },
	limit: number
): Promise<OfficeVoterRow[]> {
	let query = db
		.selectFrom('voter')
		.select(officeVoterColumns)
		.where(onOfficeList(office), '=', office.id)
		.where('voter.anonymised_at', 'is', null)
		.where(sql<boolean>`lower(voter.family_name) = lower(${search.familyName})`)
		.where('voter.birth_date', '=', search.birthDate);
	if (search.givenName) query = query.where(sql<boolean>`lower(voter.given_name) = lower(${search.givenName})`);
	return query.orderBy('voter.family_name').orderBy('voter.given_name').orderBy('voter.id').limit(limit).execute();
}

/** One voter on the office's own list; undefined for anyone else. */
export async function findOfficeVoter(
	db: DbOrTrx,
	office: { id: string; kind: 'municipal' | 'embassy' },
	voterId: string
): Promise<OfficeVoterRow | undefined> {
	return db
		.selectFrom('voter')
		.select(officeVoterColumns)
		.where('voter.id', '=', voterId)
		.where(onOfficeList(office), '=', office.id)
		.where('voter.anonymised_at', 'is', null)
		.executeTakeFirst();
}

// --- The voter card as a document (decree 353/2025 §6) ---

export interface VoterCardDocumentRow {
	/** A card of a rehearsal (issue 14). */
	rehearsal: boolean;
	serial: number;
	round: number;
	issued_at: Date;
	invalidated_at: Date | null;
	election_type: ElectionTypeColumn;
	election_title_cs: string;
	election_title_en: string;
	election_round_count: number;
	round_first_day: string;
	given_name: string;
	family_name: string;
	birth_date: string;
	office_kind: 'municipal' | 'embassy';
	office_name_cs: string;
	office_name_en: string;
	office_address: string;
	official_name: string;
}

/** The voter card issued on a request of the office, with what its form shows; undefined for anything else. */
export async function findVoterCardDocument(db: DbOrTrx, officeId: string, requestId: string): Promise<VoterCardDocumentRow | undefined> {
	return voterCardDocumentQuery(db)
		.where('voter_card.request_id', '=', requestId)
		.where('voter_card.office_id', '=', officeId)
		.executeTakeFirst();
}

/** What a voter card's form shows, as a query to narrow (one request's card, a batch's cards). */
export function voterCardDocumentQuery(db: DbOrTrx) {
	return db
		.selectFrom('voter_card')
		.innerJoin('voter', 'voter.id', 'voter_card.voter_id')
		.innerJoin('election', 'election.id', 'voter_card.election_id')
		.innerJoin('election_round', (join) =>
			join.onRef('election_round.election_id', '=', 'voter_card.election_id').onRef('election_round.round', '=', 'voter_card.round')
		)
		.innerJoin('office', 'office.id', 'voter_card.office_id')
		.innerJoin('staff_user', 'staff_user.id', 'voter_card.issued_by')
		.select([
			'voter_card.serial',
			'voter_card.rehearsal',
			'voter_card.round',
			'voter_card.issued_at',
			'voter_card.invalidated_at',
			'election.type as election_type',
			'election.title_cs as election_title_cs',
			'election.title_en as election_title_en',
			sql<number>`(SELECT count(*)::int FROM election_round er WHERE er.election_id = voter_card.election_id)`.as('election_round_count'),
			'election_round.first_day as round_first_day',
			'voter.given_name',
			'voter.family_name',
			'voter.birth_date',
			'office.kind as office_kind',
			'office.name_cs as office_name_cs',
			'office.name_en as office_name_en',
			'office.address as office_address',
			'staff_user.display_name as official_name'
		]);
}
