import { sql } from 'kysely';
import type { DbOrTrx } from '../index';
import type { QueuedEmail } from './email-outbox';
import type { ElectionWithRounds } from './elections';
import type { Delivery, RequestChannel, RequestKind, RequestLocale, RequestState, SetAsideGround, Voter } from '../schema';

/**
 * Requests as the voter sees them. Every query that reads or changes one request takes the
 * voter's id and filters by it, so that one voter can never reach another's request, even
 * with a guessed reference.
 */

export interface NewRequestRow {
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
	power_of_attorney_note: string | null;
	/** The proxy's date of birth, YYYY-MM-DD, where a clerk entered it (migration 0007). */
	proxy_birth_date?: string | null;
	received_at: Date;
	deadline_key: string | null;
	deadline_at: Date | null;
	entered_by: string | null;
	idempotency_key: string | null;
	/** The language the voter filed in; Czech when absent (migration 0016). */
	locale?: RequestLocale;
}

/**
 * Inserts a request unless its reference is already taken (then undefined: draw another).
 * Any other unique violation (the live-request or idempotency indexes) is raised.
 */
export async function insertRequest(db: DbOrTrx, row: NewRequestRow): Promise<{ id: string } | undefined> {
	return db
		.insertInto('request')
		.values({ ...row, updated_at: row.received_at })
		.onConflict((oc) => oc.column('reference').doNothing())
		.returning('id')
		.executeTakeFirst();
}

export interface RequestSummaryRow {
	id: string;
	reference: string;
	kind: RequestKind;
	election_id: string | null;
	round: number | null;
	state: RequestState;
	received_at: Date;
	delivery: Delivery | null;
	office_id: string;
}

const summaryColumns = [
	'request.id',
	'request.reference',
	'request.kind',
	'request.election_id',
	'request.round',
	'request.state',
	'request.received_at',
	'request.delivery',
	'request.office_id'
] as const;

/** The requests one submission created, found again by its idempotency key. */
export async function findRequestsByIdempotencyKey(
	db: DbOrTrx,
	voterId: string,
	kind: RequestKind,
	idempotencyKey: string
): Promise<RequestSummaryRow[]> {
	return db
		.selectFrom('request')
		.select(summaryColumns)
		.where('voter_id', '=', voterId)
		.where('kind', '=', kind)
		.where('idempotency_key', '=', idempotencyKey)
		.orderBy('round')
		.execute();
}

/** Live requests (neither refused nor cancelled) of a kind for an election, in the given rounds (§57(1), §57(5)). */
export async function findLiveRequests(
	db: DbOrTrx,
	voterId: string,
	kind: RequestKind,
	electionId: string,
	rounds: readonly number[]
): Promise<RequestSummaryRow[]> {
	if (rounds.length === 0) return [];
	return db
		.selectFrom('request')
		.select(summaryColumns)
		.where('voter_id', '=', voterId)
		.where('kind', '=', kind)
		.where('election_id', '=', electionId)
		.where('round', 'in', [...rounds])
		.where('state', 'not in', ['refused', 'cancelled'])
		.orderBy('round')
		.execute();
}

/** The voter's special-district registration still waiting for the embassy, if any. */
export async function findPendingRegistration(db: DbOrTrx, voterId: string): Promise<RequestSummaryRow | undefined> {
	return db
		.selectFrom('request')
		.select(summaryColumns)
		.where('voter_id', '=', voterId)
		.where('kind', '=', 'special-district-registration')
		.where('state', '=', 'received')
		.executeTakeFirst();
}

/** Requests of one voter by their references (e.g. those of one submission, for its confirmation page). */
export async function findRequestsByReferences(
	db: DbOrTrx,
	voterId: string,
	references: readonly string[]
): Promise<(RequestSummaryRow & { election_title_cs: string | null; election_title_en: string | null })[]> {
	if (references.length === 0) return [];
	return db
		.selectFrom('request')
		.leftJoin('election', 'election.id', 'request.election_id')
		.select([...summaryColumns, 'election.title_cs as election_title_cs', 'election.title_en as election_title_en'])
		.where('request.voter_id', '=', voterId)
		.where('request.reference', 'in', [...references])
		.orderBy('request.round')
		.orderBy('request.reference')
		.execute();
}

export interface VoterRequestListRow extends RequestSummaryRow {
	election_title_cs: string | null;
	election_title_en: string | null;
	office_name_cs: string;
	office_name_en: string;
}

/** All requests of a voter, newest first, for "My record" (§23(5)). */
export async function listRequestsOfVoter(db: DbOrTrx, voterId: string): Promise<VoterRequestListRow[]> {
	return db
		.selectFrom('request')
		.innerJoin('office', 'office.id', 'request.office_id')
		.leftJoin('election', 'election.id', 'request.election_id')
		.select([
			...summaryColumns,
			'election.title_cs as election_title_cs',
			'election.title_en as election_title_en',
			'office.name_cs as office_name_cs',
			'office.name_en as office_name_en'
		])
		.where('request.voter_id', '=', voterId)
		.orderBy('request.received_at', 'desc')
		.orderBy('request.round')
		.orderBy('request.id')
		.execute();
}

/** One request of one voter with what its detail page shows; undefined for another voter's request. */
export async function findRequestOfVoter(db: DbOrTrx, voterId: string, reference: string) {
	return db
		.selectFrom('request')
		.innerJoin('office', 'office.id', 'request.office_id')
		.leftJoin('election', 'election.id', 'request.election_id')
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
			'request.state',
			'request.received_at',
			'request.deadline_key',
			'request.deadline_at',
			'request.decided_at',
			'request.refusal_reason',
			'request.refusal_text',
			'request.cancelled_at',
			'election.title_cs as election_title_cs',
			'election.title_en as election_title_en',
			// Issue 14: a rehearsal's request carries the band.
			'election.rehearsal as election_rehearsal',
			'office.kind as office_kind',
			'office.name_cs as office_name_cs',
			'office.name_en as office_name_en',
			'office.address as office_address',
			'office.special_district_number as office_special_district_number',
			'office.region_code as office_region_code'
		])
		.where('request.voter_id', '=', voterId)
		.where('request.reference', '=', reference)
		.executeTakeFirst();
}

/** Locks one voter's request for a state change; undefined for another voter's request. */
export async function lockRequestOfVoter(db: DbOrTrx, voterId: string, reference: string) {
	return db
		.selectFrom('request')
		.select(['id', 'reference', 'kind', 'state', 'office_id', 'election_id', 'round'])
		.where('voter_id', '=', voterId)
		.where('reference', '=', reference)
		.forUpdate()
		.executeTakeFirst();
}

/** §56(3): a pending request is cancelled; only while it is still 'received'. */
export async function updateRequestCancelled(db: DbOrTrx, id: string, at: Date): Promise<boolean> {
	const result = await db
		.updateTable('request')
		.set({ state: 'cancelled', cancelled_at: at, updated_at: at })
		.where('id', '=', id)
		.where('state', '=', 'received')
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** §57(1): the voter cards issued to a voter (a lost or destroyed card still counts: it is invalidated, never replaced). */
export async function listVoterCardsIssuedToVoter(db: DbOrTrx, voterId: string): Promise<{ election_id: string; round: number }[]> {
	return db.selectFrom('voter_card').select(['election_id', 'round']).where('voter_id', '=', voterId).execute();
}

/**
 * §57(1), §57a(1): the voter cards and correspondence packages issued to a voter, in one round
 * trip (it is on the path of every filing: npm run bench).
 */
export async function listDocumentsIssuedToVoter(
	db: DbOrTrx,
	voterId: string
): Promise<{ kind: 'voter-card' | 'correspondence-package'; election_id: string; round: number }[]> {
	return db
		.selectFrom('voter_card')
		.select([sql.lit('voter-card').$castTo<'voter-card' | 'correspondence-package'>().as('kind'), 'election_id', 'round'])
		.where('voter_id', '=', voterId)
		.unionAll(
			db
				.selectFrom('correspondence_package')
				.select([sql.lit('correspondence-package').$castTo<'voter-card' | 'correspondence-package'>().as('kind'), 'election_id', 'round'])
				.where('voter_id', '=', voterId)
		)
		.execute();
}

type IssuedDocument = { kind: 'voter-card' | 'correspondence-package'; election_id: string; round: number };

/** A request one earlier submission with the same idempotency key created. */
export type EarlierRequest = { id: string; reference: string; round: number | null };

export interface VoterCardFilingFacts {
	/** Undefined for an unknown or anonymised voter. */
	found: { voter: Voter; issued: IssuedDocument[]; live: { reference: string; round: number | null }[] } | undefined;
	/** Undefined for an unknown election. */
	election: ElectionWithRounds | undefined;
	/** The requests an earlier submission with the key created (empty without a key). */
	earlier: EarlierRequest[];
}

/**
 * Everything a voter card filing decides on, in ONE statement (npm run bench: each round trip
 * costs more than its work): the requests an earlier submission with the same idempotency key
 * created, the voter (as findVoterById) with the documents issued to them (as
 * listDocumentsIssuedToVoter, §57(1)) and their live voter card requests for the election and
 * rounds (as findLiveRequests, §57(5)), and the election with its rounds (as findElectionById). All from one
 * snapshot, so a concurrent twin with the same key that has committed is seen as "earlier"
 * before its live request could be taken for another submission's.
 */
export async function readVoterCardFiling(
	db: DbOrTrx,
	voterId: string,
	electionId: string | null,
	rounds: readonly number[],
	idempotencyKey: string | null
): Promise<VoterCardFilingFacts> {
	const row = await db
		.selectFrom(sql<{ one: number }>`(SELECT 1 AS one)`.as('filing'))
		.leftJoin('voter', (join) => join.on('voter.id', '=', voterId).on('voter.anonymised_at', 'is', null))
		.selectAll('voter')
		.select([
			sql<IssuedDocument[]>`coalesce((
				SELECT json_agg(d) FROM (
					SELECT 'voter-card' AS kind, c.election_id, c.round FROM voter_card c WHERE c.voter_id = voter.id
					UNION ALL
					SELECT 'correspondence-package' AS kind, p.election_id, p.round FROM correspondence_package p WHERE p.voter_id = voter.id
				) d), '[]'::json)`.as('filing_issued'),
			(electionId === null || rounds.length === 0
				? sql<{ reference: string; round: number | null }[]>`'[]'::json`
				: sql<{ reference: string; round: number | null }[]>`coalesce((
						SELECT json_agg(json_build_object('reference', r.reference, 'round', r.round) ORDER BY r.round) FROM request r
						WHERE r.voter_id = voter.id AND r.kind = 'voter-card' AND r.election_id = ${electionId}::uuid
							AND r.round = ANY(${[...rounds]}::int[]) AND r.state NOT IN ('refused', 'cancelled')
					), '[]'::json)`
			).as('filing_live'),
			(electionId === null
				? sql<ElectionWithRounds | null>`NULL::json`
				: sql<ElectionWithRounds | null>`(
						SELECT json_build_object('id', e.id, 'type', e.type, 'title_cs', e.title_cs, 'title_en', e.title_en,
							'announced_on', e.announced_on, 'voting_abroad', e.voting_abroad, 'correspondence_allowed', e.correspondence_allowed,
							'excluded_countries', e.excluded_countries, 'earliest_voter_card_issue_days', e.earliest_voter_card_issue_days,
							'rehearsal', e.rehearsal, 'clock_offset_seconds', e.clock_offset_seconds,
							'rounds', coalesce((SELECT json_agg(json_build_object('round', er.round, 'first_day', er.first_day) ORDER BY er.round)
								FROM election_round er WHERE er.election_id = e.id), '[]'::json))
						FROM election e WHERE e.id = ${electionId}::uuid)`
			).as('filing_election'),
			(idempotencyKey === null
				? sql<EarlierRequest[]>`'[]'::json`
				: sql<EarlierRequest[]>`coalesce((
						SELECT json_agg(json_build_object('id', k.id, 'reference', k.reference, 'round', k.round) ORDER BY k.round) FROM request k
						WHERE k.voter_id = ${voterId}::uuid AND k.kind = 'voter-card' AND k.idempotency_key = ${idempotencyKey}
					), '[]'::json)`
			).as('filing_earlier')
		])
		.executeTakeFirstOrThrow();
	const { filing_issued: issued, filing_live: live, filing_election: election, filing_earlier: earlier, ...voter } = row;
	return {
		found: voter.id === null ? undefined : { voter: voter as Voter, issued, live },
		election: election ?? undefined,
		earlier
	};
}

export interface FilingAudit {
	at: Date;
	actorKind: string;
	actorId: string | null;
	/** Per request, by its reference: the office and the entry's `after` (ids and states only). */
	entries: { reference: string; officeId: string; after: unknown }[];
}

/**
 * Files the request row(s), their `request.file` audit entries and, where given, the voter's
 * e-mail (its outbox trigger queues the job) in ONE statement: a data-modifying WITH is atomic
 * on its own, so it needs no BEGIN/COMMIT round trips (npm run bench). A unique violation
 * (reference, live request, idempotency key) aborts all of it.
 */
export async function insertRequestsWithAudit(
	db: DbOrTrx,
	rows: readonly NewRequestRow[],
	audit: FilingAudit,
	email: QueuedEmail | null
): Promise<{ id: string; reference: string; round: number | null }[]> {
	const insert = db
		.insertInto('request')
		.values(rows.map((row) => ({ ...row, updated_at: row.received_at })))
		.returning(['id', 'reference', 'round']);
	const entries = JSON.stringify(audit.entries.map((e) => ({ reference: e.reference, office_id: e.officeId, after: e.after })));
	const outbox = email
		? // A new request's reference is fresh: its coalesce key has no unsent message yet.
			sql`, o AS (INSERT INTO email_outbox (voter_id, to_address, subject, body, body_html, coalesce_key, send_after)
				VALUES (${email.voterId}::uuid, ${email.to}, ${email.subject}, ${email.body}, ${email.html}, ${email.coalesceKey},
					now() + make_interval(secs => ${Math.max(0, Math.floor(email.delaySeconds))})))`
		: sql``;
	const result = await sql<{ id: string; reference: string; round: number | null }>`WITH r AS (${insert}),
		a AS (
			INSERT INTO audit_log (at, actor_kind, actor_id, office_id, action, entity_type, entity_id, after)
			SELECT ${audit.at}::timestamptz, ${audit.actorKind}, ${audit.actorId}::uuid, x.office_id, 'request.file', 'request', r.id::text, x.after
			FROM r JOIN jsonb_to_recordset(${entries}::jsonb) AS x(reference text, office_id uuid, after jsonb) ON x.reference = r.reference
			ORDER BY r.round
		)${outbox}
		SELECT id, reference, round FROM r ORDER BY round`.execute(db);
	return result.rows;
}

/** §57(1), §57a(1): the correspondence packages issued to a voter. */
export async function listCorrespondencePackagesIssuedToVoter(
	db: DbOrTrx,
	voterId: string
): Promise<{ election_id: string; round: number }[]> {
	return db.selectFrom('correspondence_package').select(['election_id', 'round']).where('voter_id', '=', voterId).execute();
}

export interface RequestProgressRow {
	voter_card: {
		issued_at: Date;
		handover_method: Delivery | null;
		handed_over_at: Date | null;
		invalidated_at: Date | null;
		invalidation_reason: 'lost' | 'destroyed' | null;
	} | null;
	correspondence_package: {
		issued_at: Date;
		dispatch_method: Delivery | null;
		dispatched_at: Date | null;
	} | null;
	return_envelope: {
		received_at: Date;
		late: boolean;
		outcome: 'accepted' | 'set-aside' | null;
		set_aside_ground: SetAsideGround | null;
	} | null;
	commission_closed_at: Date | null;
}

/**
 * What later capabilities recorded about a request: its voter card, its correspondence
 * package, the return envelope and whether the commission has finished (§57d(6)).
 */
export async function findRequestProgress(
	db: DbOrTrx,
	request: { id: string; office_id: string; election_id: string | null; round: number | null }
): Promise<RequestProgressRow> {
	const card = await db
		.selectFrom('voter_card')
		.select(['issued_at', 'handover_method', 'handed_over_at', 'invalidated_at', 'invalidation_reason'])
		.where('request_id', '=', request.id)
		.executeTakeFirst();
	const pkg = await db
		.selectFrom('correspondence_package')
		.leftJoin('return_envelope', 'return_envelope.package_id', 'correspondence_package.id')
		.select([
			'correspondence_package.issued_at',
			'correspondence_package.dispatch_method',
			'correspondence_package.dispatched_at',
			'return_envelope.received_at as envelope_received_at',
			'return_envelope.late as envelope_late',
			'return_envelope.outcome as envelope_outcome',
			'return_envelope.set_aside_ground as envelope_set_aside_ground'
		])
		.where('correspondence_package.request_id', '=', request.id)
		.executeTakeFirst();
	let closedAt: Date | null = null;
	if (pkg && request.election_id !== null && request.round !== null) {
		const closure = await db
			.selectFrom('commission_closure')
			.select('ballot_box_opened_at')
			.where('office_id', '=', request.office_id)
			.where('election_id', '=', request.election_id)
			.where('round', '=', request.round)
			.executeTakeFirst();
		closedAt = closure?.ballot_box_opened_at ?? null;
	}
	return {
		voter_card: card ?? null,
		correspondence_package: pkg ? { issued_at: pkg.issued_at, dispatch_method: pkg.dispatch_method, dispatched_at: pkg.dispatched_at } : null,
		return_envelope:
			pkg && pkg.envelope_received_at !== null
				? {
						received_at: pkg.envelope_received_at,
						late: pkg.envelope_late ?? false,
						outcome: pkg.envelope_outcome ?? null,
						set_aside_ground: pkg.envelope_set_aside_ground ?? null
					}
				: null,
		commission_closed_at: closedAt
	};
}
