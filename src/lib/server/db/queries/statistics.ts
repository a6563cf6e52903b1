import { sql, type RawBuilder } from 'kysely';
import { PRAGUE } from '../../../domain/deadlines';
import type { Round } from '../../../domain/elections';
import { REGISTRATION_ACCEPTED_STATES } from '../../../domain/open-data';
import type { DbOrTrx } from '../index';
import type { OfficeKind, RequestKind, RequestState } from '../schema';

/**
 * Aggregate counts per election, office and day, for the open data feed and the
 * administrators' dashboard. Raw counts: no suppression here (src/lib/domain/open-data.ts
 * protects what is published). Days are calendar days in Prague, as every deadline
 * (§78(2)); each query returns 'YYYY-MM-DD' strings and plain numbers.
 */

export interface StatisticsScope {
	electionId: string;
	/** Only this office's figures; all offices when absent. */
	officeId?: string;
}

/**
 * The Prague calendar day of a timestamptz column. The zone is a literal, not a parameter,
 * so that the same expression in SELECT and GROUP BY is one expression to PostgreSQL.
 */
function pragueDay(column: string): RawBuilder<string> {
	return sql<string>`(${sql.ref(column)} AT TIME ZONE ${sql.lit(PRAGUE)})::date`;
}

const count = sql<number>`count(*)::int`;

export interface RequestDayCount {
	office_id: string;
	round: Round;
	day: string;
	// An election's requests: registrations and voter-list corrections belong to no election.
	kind: Extract<RequestKind, 'voter-card' | 'correspondence-package'>;
	state: RequestState;
	count: number;
}

/** Requests of an election (voter cards and correspondence packages) by office, round, day received, kind and current state. */
export async function countRequestsByDay(db: DbOrTrx, scope: StatisticsScope): Promise<RequestDayCount[]> {
	const day = pragueDay('request.received_at');
	let query = db
		.selectFrom('request')
		.select(['request.office_id', 'request.round', day.as('day'), 'request.kind', 'request.state', count.as('count')])
		.where('request.election_id', '=', scope.electionId);
	if (scope.officeId) query = query.where('request.office_id', '=', scope.officeId);
	const rows = await query
		.groupBy(['request.office_id', 'request.round', day, 'request.kind', 'request.state'])
		.orderBy('request.office_id')
		.orderBy('request.round')
		.orderBy(day)
		.orderBy('request.kind')
		.orderBy('request.state')
		.execute();
	return rows.map((r) => ({
		office_id: r.office_id,
		round: r.round as Round,
		day: r.day,
		kind: r.kind as RequestDayCount['kind'],
		state: r.state,
		count: r.count
	}));
}

export interface RoundDayCount {
	office_id: string;
	round: Round;
	day: string;
	count: number;
}

/** Voter cards issued (§23(3) evidence; a card later lost or destroyed still counts) by office, round and day of issue. */
export async function countVoterCardsIssuedByDay(db: DbOrTrx, scope: StatisticsScope): Promise<RoundDayCount[]> {
	const day = pragueDay('voter_card.issued_at');
	let query = db
		.selectFrom('voter_card')
		.select(['voter_card.office_id', 'voter_card.round', day.as('day'), count.as('count')])
		.where('voter_card.election_id', '=', scope.electionId);
	if (scope.officeId) query = query.where('voter_card.office_id', '=', scope.officeId);
	const rows = await query
		.groupBy(['voter_card.office_id', 'voter_card.round', day])
		.orderBy('voter_card.office_id')
		.orderBy('voter_card.round')
		.orderBy(day)
		.execute();
	return rows.map((r) => ({ office_id: r.office_id, round: r.round as Round, day: r.day, count: r.count }));
}

/** Correspondence packages dispatched (§57b(1)) by embassy, round and day of dispatch. */
export async function countPackagesDispatchedByDay(db: DbOrTrx, scope: StatisticsScope): Promise<RoundDayCount[]> {
	const day = pragueDay('correspondence_package.dispatched_at');
	let query = db
		.selectFrom('correspondence_package')
		.select(['correspondence_package.office_id', 'correspondence_package.round', day.as('day'), count.as('count')])
		.where('correspondence_package.election_id', '=', scope.electionId)
		.where('correspondence_package.dispatched_at', 'is not', null);
	if (scope.officeId) query = query.where('correspondence_package.office_id', '=', scope.officeId);
	const rows = await query
		.groupBy(['correspondence_package.office_id', 'correspondence_package.round', day])
		.orderBy('correspondence_package.office_id')
		.orderBy('correspondence_package.round')
		.orderBy(day)
		.execute();
	return rows.map((r) => ({ office_id: r.office_id, round: r.round as Round, day: r.day, count: r.count }));
}

export interface EnvelopeDayCount {
	office_id: string;
	round: Round;
	day: string;
	received: number;
	/** §57c(5): arrived after the close of voting */
	late: number;
	/** outcome 'accepted' (§57d(3),(4)) */
	counted: number;
	/** outcome 'set-aside' (§57d(2)) */
	set_aside: number;
}

/** Return envelopes by embassy, round and day of receipt (§57c(3)), with what the commission made of them. */
export async function countReturnEnvelopesByDay(db: DbOrTrx, scope: StatisticsScope): Promise<EnvelopeDayCount[]> {
	const day = pragueDay('return_envelope.received_at');
	let query = db
		.selectFrom('return_envelope')
		.select([
			'return_envelope.office_id',
			'return_envelope.round',
			day.as('day'),
			count.as('received'),
			sql<number>`(count(*) FILTER (WHERE return_envelope.late))::int`.as('late'),
			sql<number>`(count(*) FILTER (WHERE return_envelope.outcome = 'accepted'))::int`.as('counted'),
			sql<number>`(count(*) FILTER (WHERE return_envelope.outcome = 'set-aside'))::int`.as('set_aside')
		])
		.where('return_envelope.election_id', '=', scope.electionId);
	if (scope.officeId) query = query.where('return_envelope.office_id', '=', scope.officeId);
	const rows = await query
		.groupBy(['return_envelope.office_id', 'return_envelope.round', day])
		.orderBy('return_envelope.office_id')
		.orderBy('return_envelope.round')
		.orderBy(day)
		.execute();
	return rows.map((r) => ({ ...r, round: r.round as Round }));
}

/** The office/round pairs of an election whose special commission has opened the ballot box (§57d(6)). */
export async function listCommissionClosures(
	db: DbOrTrx,
	scope: StatisticsScope
): Promise<{ office_id: string; round: Round; ballot_box_opened_at: Date }[]> {
	let query = db
		.selectFrom('commission_closure')
		.select(['office_id', 'round', 'ballot_box_opened_at'])
		.where('election_id', '=', scope.electionId);
	if (scope.officeId) query = query.where('office_id', '=', scope.officeId);
	const rows = await query.orderBy('office_id').orderBy('round').execute();
	return rows.map((r) => ({ ...r, round: r.round as Round }));
}

export interface RegistrationDayCount {
	office_id: string;
	day: string;
	received: number;
	/** granted: state accepted, issued or completed */
	accepted: number;
}

/**
 * Special-district registrations (§56(4); they belong to no election) by embassy and day
 * received, for the Prague days `from` to `to`, both included ('YYYY-MM-DD').
 */
export async function countRegistrationsByDay(
	db: DbOrTrx,
	range: { from: string; to: string; officeId?: string }
): Promise<RegistrationDayCount[]> {
	const day = pragueDay('request.received_at');
	let query = db
		.selectFrom('request')
		.select([
			'request.office_id',
			day.as('day'),
			count.as('received'),
			sql<number>`(count(*) FILTER (WHERE request.state IN (${sql.join([...REGISTRATION_ACCEPTED_STATES])})))::int`.as('accepted')
		])
		.where('request.kind', '=', 'special-district-registration')
		// bounds as instants so that an index on received_at can serve them
		.where('request.received_at', '>=', sql<Date>`(${range.from}::date)::timestamp AT TIME ZONE ${PRAGUE}`)
		.where('request.received_at', '<', sql<Date>`(${range.to}::date + 1)::timestamp AT TIME ZONE ${PRAGUE}`);
	if (range.officeId) query = query.where('request.office_id', '=', range.officeId);
	return query.groupBy(['request.office_id', day]).orderBy('request.office_id').orderBy(day).execute();
}

export interface RegistrationStateCount {
	office_id: string;
	state: RequestState;
	count: number;
}

/**
 * Special-district registrations received on the Prague days `from` to `to` (both included),
 * by embassy and current state: the staff dashboard's "by state" chart.
 */
export async function countRegistrationsByState(
	db: DbOrTrx,
	range: { from: string; to: string; officeId?: string }
): Promise<RegistrationStateCount[]> {
	let query = db
		.selectFrom('request')
		.select(['request.office_id', 'request.state', count.as('count')])
		.where('request.kind', '=', 'special-district-registration')
		.where('request.received_at', '>=', sql<Date>`(${range.from}::date)::timestamp AT TIME ZONE ${PRAGUE}`)
		.where('request.received_at', '<', sql<Date>`(${range.to}::date + 1)::timestamp AT TIME ZONE ${PRAGUE}`);
	if (range.officeId) query = query.where('request.office_id', '=', range.officeId);
	return query.groupBy(['request.office_id', 'request.state']).orderBy('request.office_id').orderBy('request.state').execute();
}

export interface StatisticsOffice {
	id: string;
	code: string;
	kind: OfficeKind;
	name_cs: string;
	name_en: string;
	municipality_code: string | null;
	special_district_number: number | null;
	country_code: string | null;
}

/** Public facts about offices, for labelling aggregate rows. */
export async function listStatisticsOffices(db: DbOrTrx, ids: readonly string[]): Promise<StatisticsOffice[]> {
	if (ids.length === 0) return [];
	return db
		.selectFrom('office')
		.select(['id', 'code', 'kind', 'name_cs', 'name_en', 'municipality_code', 'special_district_number', 'country_code'])
		.where('id', 'in', [...ids])
		.orderBy('code')
		.execute();
}

const statisticsOfficeColumns = ['id', 'code', 'kind', 'name_cs', 'name_en', 'municipality_code', 'special_district_number', 'country_code'] as const;

/** Every office, municipal offices first, for choosing one (the dashboard, the voter list export). */
export async function listAllStatisticsOffices(db: DbOrTrx): Promise<StatisticsOffice[]> {
	return db.selectFrom('office').select(statisticsOfficeColumns).orderBy('kind', 'desc').orderBy('code').execute();
}

/** One office by its code ('mu-582786', 'zu-berlin'), as URLs name it. */
export async function findStatisticsOfficeByCode(db: DbOrTrx, code: string): Promise<StatisticsOffice | undefined> {
	return db.selectFrom('office').select(statisticsOfficeColumns).where('code', '=', code).executeTakeFirst();
}

/** One office by id. */
export async function findStatisticsOfficeById(db: DbOrTrx, id: string): Promise<StatisticsOffice | undefined> {
	return db.selectFrom('office').select(statisticsOfficeColumns).where('id', '=', id).executeTakeFirst();
}
