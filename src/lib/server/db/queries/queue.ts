import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { DbOrTrx } from '../index';
import type { Database, RequestChannel, RequestKind, RequestState } from '../schema';

/**
 * The staff request queue (issue 5): one office's requests for one election, filtered,
 * searched, sorted and paginated by keyset. EVERY query here filters by the office first, so
 * another office's requests never appear, whatever the URL says.
 *
 * Sorting by the §77 decision deadline is sorting by received_at: the deadline is the end of
 * the third Prague calendar day after the day of receipt (domain `decisionDeadline`), a
 * non-decreasing function of received_at. Both sorts therefore walk request_queue_idx
 * (office_id, election_id, received_at, id), forwards or backwards, and the keyset cursor is
 * (received_at, id). The compiled SQL is in queue.sql (queue.test.ts keeps it current).
 */

export const QUEUE_PAGE_SIZE = 50;

/** 'deadline': nearest §77 deadline first (oldest receipt first); 'newest': latest receipt first. */
export type QueueSort = 'deadline' | 'newest';

/** A position in the queue: the row's received_at (ISO 8601 UTC, microseconds) and id. */
export interface QueueCursor {
	at: string;
	id: string;
}

/** A reference is not searched here: the page goes straight to that request (findOfficeRequestIdByReference). */
export type QueueSearch =
	| { kind: 'birth-date'; date: string }
	/** Each word is the start of the voter's family or given name (case-insensitive). */
	| { kind: 'name'; words: string[] };

export interface QueueFilter {
	officeId: string;
	/** null: requests that belong to no election (special-district registrations, §57(6)). */
	electionId: string | null;
	kind?: RequestKind | null;
	state?: RequestState | null;
	channel?: RequestChannel | null;
	round?: 1 | 2 | null;
	search?: QueueSearch | null;
}

export interface QueuePageQuery extends QueueFilter {
	sort: QueueSort;
	/** The next page: rows after this one in the sort order. */
	after?: QueueCursor | null;
	/** The previous page: rows before this one in the sort order. */
	before?: QueueCursor | null;
	limit?: number;
}

export interface QueueRow {
	id: string;
	reference: string;
	kind: RequestKind;
	channel: RequestChannel;
	round: number | null;
	state: RequestState;
	received_at: Date;
	cursor_at: string;
	voter_given_name: string;
	voter_family_name: string;
	voter_birth_date: string;
}

type RequestEb = ExpressionBuilder<Database, 'request'>;

/** LIKE's wildcards in a search word stand for themselves. */
function likePrefix(word: string): string {
	return `${word.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The voters a name or date-of-birth search finds, as a subquery (counts need no join with voter). */
function searchedVoters(eb: RequestEb, search: QueueSearch) {
	return eb
		.selectFrom('voter')
		.select('voter.id')
		.where((v) => {
			if (search.kind === 'birth-date') return v('voter.birth_date', '=', search.date);
			// lower(...) LIKE 'x%' is what voter_family_name_prefix_idx and voter_given_name_prefix_idx serve.
			return v.and(
				search.words.map((word) =>
					v.or([v(v.fn('lower', ['voter.family_name']), 'like', likePrefix(word)), v(v.fn('lower', ['voter.given_name']), 'like', likePrefix(word))])
				)
			);
		});
}

function filterConditions(eb: RequestEb, f: QueueFilter, withState: boolean): Expression<SqlBool>[] {
	const conditions: Expression<SqlBool>[] = [
		eb('request.office_id', '=', f.officeId),
		f.electionId === null ? eb('request.election_id', 'is', null) : eb('request.election_id', '=', f.electionId)
	];
	if (f.kind) conditions.push(eb('request.kind', '=', f.kind));
	if (withState && f.state) conditions.push(eb('request.state', '=', f.state));
	if (f.channel) conditions.push(eb('request.channel', '=', f.channel));
	if (f.round) conditions.push(eb('request.round', '=', f.round));
	if (f.search) conditions.push(eb('request.voter_id', 'in', searchedVoters(eb, f.search)));
	return conditions;
}

/** The page's rows as a query (not run), for listQueuePage and for queue.sql. */
export function queuePageQuery(db: DbOrTrx, q: QueuePageQuery) {
	const backwards = !q.after && !!q.before;
	// Walking backwards from `before` reverses the order; the caller reverses the rows again.
	const ascending = (q.sort === 'deadline') !== backwards;
	const direction = ascending ? 'asc' : 'desc';
	const cursor = q.after ?? q.before ?? null;
	return db
		.selectFrom('request')
		.innerJoin('voter', 'voter.id', 'request.voter_id')
		.select([
			'request.id',
			'request.reference',
			'request.kind',
			'request.channel',
			'request.round',
			'request.state',
			'request.received_at',
			sql<string>`to_char(request.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_at'),
			'voter.given_name as voter_given_name',
			'voter.family_name as voter_family_name',
			'voter.birth_date as voter_birth_date'
		])
		.where((eb) => {
			const conditions = filterConditions(eb, q, true);
			if (cursor) {
				const keyset = ascending
					? sql<SqlBool>`(request.received_at, request.id) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)`
					: sql<SqlBool>`(request.received_at, request.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`;
				conditions.push(keyset);
			}
			return eb.and(conditions);
		})
		.orderBy('request.received_at', direction)
		.orderBy('request.id', direction)
		.limit((q.limit ?? QUEUE_PAGE_SIZE) + 1);
}

export interface QueuePage {
	rows: QueueRow[];
	/** A page after this one exists; its cursor is the last row's. */
	hasNext: boolean;
	/** A page before this one exists; its cursor is the first row's. */
	hasPrevious: boolean;
}

/** One page of the queue, in the sort order; one row more is read to know whether more follow. */
export async function listQueuePage(db: DbOrTrx, q: QueuePageQuery): Promise<QueuePage> {
	const limit = q.limit ?? QUEUE_PAGE_SIZE;
	const rows = (await queuePageQuery(db, { ...q, limit }).execute()) as QueueRow[];
	const more = rows.length > limit;
	const page = rows.slice(0, limit);
	if (!q.after && q.before) {
		return { rows: page.reverse(), hasNext: true, hasPrevious: more };
	}
	return { rows: page, hasNext: more, hasPrevious: !!q.after };
}

/** The count of each state under the filter, the state filter itself aside (the tabs' numbers). */
export function queueStateCountsQuery(db: DbOrTrx, f: QueueFilter) {
	return db
		.selectFrom('request')
		.select(['request.state', (eb) => eb.fn.countAll<string>().as('count')])
		.where((eb) => eb.and(filterConditions(eb, f, false)))
		.groupBy('request.state');
}

export async function countQueueStates(db: DbOrTrx, f: QueueFilter): Promise<Record<RequestState, number>> {
	const counts: Record<RequestState, number> = { received: 0, accepted: 0, issued: 0, completed: 0, refused: 0, cancelled: 0 };
	for (const row of await queueStateCountsQuery(db, f).execute()) counts[row.state] = Number(row.count);
	return counts;
}

/** The office's request with this reference, in any election; undefined for another office's. */
export async function findOfficeRequestIdByReference(db: DbOrTrx, officeId: string, reference: string): Promise<string | undefined> {
	const row = await db
		.selectFrom('request')
		.select('id')
		.where('office_id', '=', officeId)
		.where('reference', '=', reference)
		.executeTakeFirst();
	return row?.id;
}

/**
 * Every request id under the filter, oldest first, up to `limit` (issue 12: "select all N that
 * match this filter", across pages). Walks request_queue_idx like the page query.
 */
export async function listQueueRequestIds(db: DbOrTrx, f: QueueFilter, limit: number): Promise<string[]> {
	const rows = await db
		.selectFrom('request')
		.select('request.id')
		.where((eb) => eb.and(filterConditions(eb, f, true)))
		.orderBy('request.received_at')
		.orderBy('request.id')
		.limit(limit)
		.execute();
	return rows.map((r) => r.id);
}
