import { sql } from 'kysely';
import type { DbOrTrx } from '../index';
import { voterCardDocumentQuery } from './staff-requests';
import type { Delivery, OfficeBatchAction, OfficeBatchOutcome, OfficeBatchStatus, PackageBatchStatus, RequestKind, RequestState } from '../schema';

/**
 * Batches of an office (issue 12, services/batches.ts): the batch row, its items in order,
 * consignment ranges and recorded consignment numbers. Every query filters by the office.
 */

export interface BatchRow {
	id: string;
	office_id: string;
	election_id: string | null;
	action: OfficeBatchAction;
	status: OfficeBatchStatus;
	created_at: Date;
	created_by: string;
	created_by_name: string;
	confirmed_at: Date | null;
	finished_at: Date | null;
	selected_count: number;
	done_count: number;
	skipped_count: number;
	pdf_status: PackageBatchStatus | null;
	pdf_total: number;
	pdf_rendered: number;
	pdf_attempts: number;
	pdf_heartbeat_at: Date | null;
	pdf_rendered_at: Date | null;
	pdf_bytes: number | null;
	pdf_error: string | null;
}

export async function insertBatch(
	db: DbOrTrx,
	batch: { officeId: string; electionId: string | null; action: OfficeBatchAction; at: Date; by: string }
): Promise<string> {
	const row = await db
		.insertInto('office_batch')
		.values({ office_id: batch.officeId, election_id: batch.electionId, action: batch.action, created_at: batch.at, created_by: batch.by })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/**
 * The selected requests as the batch's items, in the order given; only requests of the
 * office are taken, so the caller compares the count with what was asked.
 */
export async function insertBatchItems(db: DbOrTrx, batchId: string, officeId: string, requestIds: readonly string[]): Promise<number> {
	if (requestIds.length === 0) return 0;
	const result = await sql`
		INSERT INTO office_batch_item (batch_id, position, request_id)
		SELECT ${batchId}::uuid, row_number() OVER (ORDER BY t.ord), r.id
		FROM unnest(${sql.val(requestIds)}::uuid[]) WITH ORDINALITY AS t(id, ord)
		JOIN request r ON r.id = t.id AND r.office_id = ${officeId}::uuid
		ON CONFLICT DO NOTHING`.execute(db);
	const inserted = Number(result.numAffectedRows ?? 0);
	await db.updateTable('office_batch').set({ selected_count: inserted }).where('id', '=', batchId).execute();
	return inserted;
}

export async function findBatchOfOffice(db: DbOrTrx, officeId: string, batchId: string): Promise<BatchRow | undefined> {
	return db
		.selectFrom('office_batch')
		.innerJoin('staff_user', 'staff_user.id', 'office_batch.created_by')
		.selectAll('office_batch')
		.select('staff_user.display_name as created_by_name')
		.where('office_batch.id', '=', batchId)
		.where('office_batch.office_id', '=', officeId)
		.executeTakeFirst();
}

export async function deleteDraftBatch(db: DbOrTrx, officeId: string, batchId: string): Promise<boolean> {
	const result = await db
		.deleteFrom('office_batch')
		.where('id', '=', batchId)
		.where('office_id', '=', officeId)
		.where('status', '=', 'draft')
		.executeTakeFirst();
	return Number(result.numDeletedRows) === 1;
}

/** draft → running (confirmed), or running stays running (a re-run); false for a finished batch. */
export async function updateBatchRunning(db: DbOrTrx, officeId: string, batchId: string, at: Date): Promise<boolean> {
	const result = await db
		.updateTable('office_batch')
		.set({ status: 'running', confirmed_at: sql<Date>`coalesce(confirmed_at, ${at})` })
		.where('id', '=', batchId)
		.where('office_id', '=', officeId)
		.where('status', 'in', ['draft', 'running'])
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** The counts from the items; the batch is done when no item is pending. */
export async function updateBatchFinished(db: DbOrTrx, batchId: string, at: Date): Promise<{ done: number; skipped: number; pending: number }> {
	const counts = await db
		.selectFrom('office_batch_item')
		.select([
			sql<number>`count(*) FILTER (WHERE outcome = 'done')::int`.as('done'),
			sql<number>`count(*) FILTER (WHERE outcome = 'skipped')::int`.as('skipped'),
			sql<number>`count(*) FILTER (WHERE outcome = 'pending')::int`.as('pending')
		])
		.where('batch_id', '=', batchId)
		.executeTakeFirstOrThrow();
	await db
		.updateTable('office_batch')
		.set({
			done_count: counts.done,
			skipped_count: counts.skipped,
			...(counts.pending === 0 ? { status: 'done' as const, finished_at: sql<Date>`coalesce(finished_at, ${at})` } : {})
		})
		.where('id', '=', batchId)
		.execute();
	return counts;
}

export interface BatchItemRow {
	position: number;
	request_id: string;
	outcome: OfficeBatchOutcome;
	reason: string | null;
	detail: Record<string, unknown> | null;
	consignment_number: string | null;
	reference: string;
	kind: RequestKind;
	state: RequestState;
	delivery: Delivery | null;
	given_name: string;
	family_name: string;
	address_line: string | null;
	postal_code: string | null;
	city: string | null;
	country_code: string | null;
	/** The number recorded for the request's dispatch, if any (this batch's or another's). */
	recorded_number: string | null;
	/** The correspondence package issued for the request (an embassy's), if any: its undo page. */
	package_id: string | null;
}

/** Items of a batch in order; `after` and `limit` read it in chunks. */
export async function listBatchItems(
	db: DbOrTrx,
	officeId: string,
	batchId: string,
	page: { afterPosition?: number; limit?: number; outcome?: OfficeBatchOutcome } = {}
): Promise<BatchItemRow[]> {
	let query = db
		.selectFrom('office_batch_item as i')
		.innerJoin('office_batch as b', 'b.id', 'i.batch_id')
		.innerJoin('request as r', 'r.id', 'i.request_id')
		.innerJoin('voter as v', 'v.id', 'r.voter_id')
		.leftJoin('consignment as c', 'c.request_id', 'i.request_id')
		.leftJoin('correspondence_package as p', 'p.request_id', 'i.request_id')
		.select([
			'i.position',
			'i.request_id',
			'i.outcome',
			'i.reason',
			'i.detail',
			'i.consignment_number',
			'r.reference',
			'r.kind',
			'r.state',
			'r.delivery',
			'v.given_name',
			'v.family_name',
			'r.delivery_address_line as address_line',
			'r.delivery_postal_code as postal_code',
			'r.delivery_city as city',
			'r.delivery_country_code as country_code',
			'c.number as recorded_number',
			'p.id as package_id'
		])
		.where('i.batch_id', '=', batchId)
		.where('b.office_id', '=', officeId)
		.where('r.office_id', '=', officeId);
	if (page.afterPosition !== undefined) query = query.where('i.position', '>', page.afterPosition);
	if (page.outcome) query = query.where('i.outcome', '=', page.outcome);
	return query
		.orderBy('i.position')
		.limit(page.limit ?? 100_000)
		.execute();
}

/** Marks a pending item; false when it was marked already (a re-run, or a colleague running it). */
export async function updateBatchItemOutcome(
	db: DbOrTrx,
	item: { batchId: string; requestId: string; outcome: 'done' | 'skipped'; reason?: string | null; detail?: Record<string, unknown> | null; at: Date }
): Promise<boolean> {
	const result = await db
		.updateTable('office_batch_item')
		.set({
			outcome: item.outcome,
			reason: item.outcome === 'skipped' ? (item.reason ?? 'unknown') : null,
			detail: item.detail ? JSON.stringify(item.detail) : null,
			processed_at: item.at
		})
		.where('batch_id', '=', item.batchId)
		.where('request_id', '=', item.requestId)
		.where('outcome', '=', 'pending')
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** Sets (or clears) the planned consignment number of a draft batch's item. */
export async function updateBatchItemNumber(db: DbOrTrx, batchId: string, requestId: string, number: string | null): Promise<void> {
	await db
		.updateTable('office_batch_item')
		.set({ consignment_number: number })
		.where('batch_id', '=', batchId)
		.where('request_id', '=', requestId)
		.where('outcome', '=', 'pending')
		.execute();
}

/** Of these numbers, those already recorded for a dispatch (any office). */
export async function listUsedConsignmentNumbers(db: DbOrTrx, numbers: readonly string[]): Promise<string[]> {
	if (numbers.length === 0) return [];
	const rows = await db.selectFrom('consignment').select('number').where('number', 'in', [...numbers]).execute();
	return rows.map((r) => r.number);
}

export async function insertConsignment(
	db: DbOrTrx,
	c: { number: string; officeId: string; requestId: string; batchId: string | null; at: Date; by: string }
): Promise<void> {
	await db
		.insertInto('consignment')
		.values({ number: c.number, office_id: c.officeId, request_id: c.requestId, batch_id: c.batchId, recorded_at: c.at, recorded_by: c.by })
		.execute();
}

export async function deleteConsignmentOfRequest(db: DbOrTrx, officeId: string, requestId: string): Promise<string | null> {
	const row = await db
		.deleteFrom('consignment')
		.where('request_id', '=', requestId)
		.where('office_id', '=', officeId)
		.returning('number')
		.executeTakeFirst();
	return row?.number ?? null;
}

/** The consignment number of a request, for the voter's page (the caller checked the request is theirs). */
export async function findConsignmentOfRequest(db: DbOrTrx, requestId: string): Promise<{ number: string; recorded_at: Date } | undefined> {
	return db.selectFrom('consignment').select(['number', 'recorded_at']).where('request_id', '=', requestId).executeTakeFirst();
}

// --- Ranges ---

export interface ConsignmentRangeRow {
	id: string;
	office_id: string;
	service: string;
	country: string;
	first_serial: number;
	last_serial: number;
	next_serial: number;
	created_at: Date;
}

export async function insertConsignmentRange(
	db: DbOrTrx,
	r: { officeId: string; service: string; country: string; first: number; last: number; at: Date; by: string }
): Promise<string> {
	const row = await db
		.insertInto('consignment_range')
		.values({
			office_id: r.officeId,
			service: r.service,
			country: r.country,
			first_serial: r.first,
			last_serial: r.last,
			next_serial: r.first,
			created_at: r.at,
			created_by: r.by
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function listConsignmentRanges(db: DbOrTrx, officeId: string): Promise<ConsignmentRangeRow[]> {
	return db
		.selectFrom('consignment_range')
		.select(['id', 'office_id', 'service', 'country', 'first_serial', 'last_serial', 'next_serial', 'created_at'])
		.where('office_id', '=', officeId)
		.orderBy('created_at')
		.orderBy('id')
		.execute();
}

/** The office's ranges with numbers left, oldest first, locked: numbers are taken one clerk at a time. */
export async function lockOpenConsignmentRanges(db: DbOrTrx, officeId: string): Promise<ConsignmentRangeRow[]> {
	return db
		.selectFrom('consignment_range')
		.select(['id', 'office_id', 'service', 'country', 'first_serial', 'last_serial', 'next_serial', 'created_at'])
		.where('office_id', '=', officeId)
		.where(sql<boolean>`next_serial <= last_serial`)
		.orderBy('created_at')
		.orderBy('id')
		.forUpdate()
		.execute();
}

export async function updateConsignmentRangeNext(db: DbOrTrx, rangeId: string, next: number): Promise<void> {
	await db.updateTable('consignment_range').set({ next_serial: next }).where('id', '=', rangeId).execute();
}

/** Clears a card's hand-over recorded at `at` (an undo the same day); false if it changed meanwhile. */
export async function updateVoterCardHandOverUndone(db: DbOrTrx, card: { id: string; officeId: string; at: Date }): Promise<boolean> {
	const result = await db
		.updateTable('voter_card')
		.set({
			handover_method: null,
			handed_over_at: null,
			handed_over_by: null,
			handed_over_to: null,
			handed_over_note: null,
			handed_over_proxy_birth_date: null
		})
		.where('id', '=', card.id)
		.where('office_id', '=', card.officeId)
		.where('handed_over_at', '=', card.at)
		.where('invalidated_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** The package issued for a request of the office; undefined when none is. */
export async function findPackageIdOfRequest(db: DbOrTrx, officeId: string, requestId: string): Promise<string | undefined> {
	const row = await db
		.selectFrom('correspondence_package')
		.select('id')
		.where('office_id', '=', officeId)
		.where('request_id', '=', requestId)
		.executeTakeFirst();
	return row?.id;
}

/** The voter cards of a batch's done items, in the batch's order, a chunk at a time; with the post address. */
export async function listBatchVoterCardDocuments(db: DbOrTrx, officeId: string, batchId: string, afterPosition: number, limit: number) {
	return voterCardDocumentQuery(db)
		.innerJoin('office_batch_item as i', 'i.request_id', 'voter_card.request_id')
		.innerJoin('request as r', 'r.id', 'voter_card.request_id')
		.select([
			'i.position',
			'r.delivery',
			'r.delivery_address_line',
			'r.delivery_postal_code',
			'r.delivery_city',
			'r.delivery_country_code'
		])
		.where('i.batch_id', '=', batchId)
		.where('i.outcome', '=', 'done')
		.where('i.position', '>', afterPosition)
		.where('voter_card.office_id', '=', officeId)
		.where('voter_card.invalidated_at', 'is', null)
		.orderBy('i.position')
		.limit(limit)
		.execute();
}

/**
 * The pending items of a batch without a planned consignment number, in order, `limit` after
 * `afterPosition` (keyset): what a range's numbers go to, a page at a time.
 */
export async function listBatchItemsWithoutNumber(
	db: DbOrTrx,
	officeId: string,
	batchId: string,
	afterPosition: number,
	limit: number
): Promise<{ position: number; request_id: string }[]> {
	return db
		.selectFrom('office_batch_item as i')
		.innerJoin('office_batch as b', 'b.id', 'i.batch_id')
		.innerJoin('request as r', 'r.id', 'i.request_id')
		.select(['i.position', 'i.request_id'])
		.where('i.batch_id', '=', batchId)
		.where('b.office_id', '=', officeId)
		.where('r.office_id', '=', officeId)
		.where('i.outcome', '=', 'pending')
		.where('i.consignment_number', 'is', null)
		.where('i.position', '>', afterPosition)
		.orderBy('i.position')
		.limit(limit)
		.execute();
}

/** Sets the planned numbers of many pending items of a batch in one statement. */
export async function updateBatchItemNumbers(db: DbOrTrx, batchId: string, numbers: readonly { requestId: string; number: string }[]): Promise<void> {
	if (numbers.length === 0) return;
	await sql`
		UPDATE office_batch_item i SET consignment_number = t.number
		FROM unnest(${sql.val(numbers.map((n) => n.requestId))}::uuid[], ${sql.val(numbers.map((n) => n.number))}::text[]) AS t(request_id, number)
		WHERE i.batch_id = ${batchId}::uuid AND i.request_id = t.request_id AND i.outcome = 'pending'`.execute(db);
}

/** Clears a package's dispatch recorded at `at` (an undo the same day); false if it changed meanwhile. */
export async function updatePackageDispatchUndone(db: DbOrTrx, pkg: { id: string; officeId: string; at: Date }): Promise<boolean> {
	const result = await db
		.updateTable('correspondence_package')
		.set({ dispatch_method: null, dispatched_at: null, dispatched_by: null, proxy_id: null })
		.where('id', '=', pkg.id)
		.where('office_id', '=', pkg.officeId)
		.where('dispatched_at', '=', pkg.at)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** completed → issued for an undone hand-over; only while 'completed'. */
export async function updateRequestReopened(db: DbOrTrx, officeId: string, requestId: string, at: Date): Promise<boolean> {
	const result = await db
		.updateTable('request')
		.set({ state: 'issued', updated_at: at })
		.where('id', '=', requestId)
		.where('office_id', '=', officeId)
		.where('state', '=', 'completed')
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

// --- The voter cards of a batch as one PDF (a document job, migration 0016) ---

/**
 * Claims the rendering of a finished card batch's PDF: never started, pending, failed, or
 * rendering with no sign of life since `staleBefore`. Counts the cards it will hold. Returns
 * the attempt, which fences the writes of an older renderer.
 */
export async function claimBatchCardsPdf(
	db: DbOrTrx,
	officeId: string,
	batchId: string,
	at: Date,
	staleBefore: Date
): Promise<number | undefined> {
	const result = await sql<{ pdf_attempts: number }>`
		UPDATE office_batch b SET
			pdf_status = 'rendering',
			pdf_attempts = b.pdf_attempts + 1,
			pdf_rendered = 0,
			pdf_heartbeat_at = ${at},
			pdf_error = NULL,
			pdf_total = (
				SELECT count(*)::int FROM office_batch_item i
				JOIN voter_card vc ON vc.request_id = i.request_id AND vc.office_id = b.office_id AND vc.invalidated_at IS NULL
				WHERE i.batch_id = b.id AND i.outcome = 'done'
			)
		WHERE b.id = ${batchId}::uuid AND b.office_id = ${officeId}::uuid AND b.status = 'done'
			AND b.action IN ('issue-voter-cards', 'dispatch-voter-cards')
			AND (
				b.pdf_status IS NULL OR b.pdf_status IN ('pending', 'failed')
				OR (b.pdf_status = 'rendering' AND (b.pdf_heartbeat_at IS NULL OR b.pdf_heartbeat_at < ${staleBefore}))
			)
		RETURNING b.pdf_attempts`.execute(db);
	return result.rows[0]?.pdf_attempts;
}

export async function updateBatchCardsProgress(db: DbOrTrx, batchId: string, attempt: number, rendered: number, at: Date): Promise<void> {
	await db
		.updateTable('office_batch')
		.set({ pdf_rendered: sql<number>`least(${rendered}::integer, pdf_total)`, pdf_heartbeat_at: at })
		.where('id', '=', batchId)
		.where('pdf_attempts', '=', attempt)
		.where('pdf_status', '=', 'rendering')
		.execute();
}

/** One part of the PDF as streamed; a part written twice (a retried write) is the same part. */
export async function insertBatchPdfPart(db: DbOrTrx, batchId: string, attempt: number, seq: number, bytes: Uint8Array): Promise<void> {
	await db
		.insertInto('office_batch_pdf_part')
		.values({ batch_id: batchId, attempt, seq, bytes })
		.onConflict((oc) => oc.columns(['batch_id', 'attempt', 'seq']).doUpdateSet({ bytes }))
		.execute();
}

/** rendering → ready for the attempt that still holds the claim; the parts of other attempts go. */
export async function updateBatchCardsReady(db: DbOrTrx, batchId: string, attempt: number, bytes: number, at: Date): Promise<boolean> {
	const row = await db
		.updateTable('office_batch')
		.set((eb) => ({ pdf_status: 'ready', pdf_rendered_at: at, pdf_rendered: eb.ref('pdf_total'), pdf_bytes: bytes, pdf_heartbeat_at: at }))
		.where('id', '=', batchId)
		.where('pdf_attempts', '=', attempt)
		.where('pdf_status', '=', 'rendering')
		.returning('id')
		.executeTakeFirst();
	if (!row) return false;
	await db.deleteFrom('office_batch_pdf_part').where('batch_id', '=', batchId).where('attempt', '<>', attempt).execute();
	return true;
}

export async function updateBatchCardsFailed(db: DbOrTrx, batchId: string, attempt: number, message: string, at: Date): Promise<void> {
	await db
		.updateTable('office_batch')
		.set({ pdf_status: 'failed', pdf_error: message.slice(0, 500), pdf_heartbeat_at: at })
		.where('id', '=', batchId)
		.where('pdf_attempts', '=', attempt)
		.where('pdf_status', '=', 'rendering')
		.execute();
}

/** The parts of a ready PDF after `afterSeq`, in order, `limit` at a time (keyset). */
export async function listBatchPdfParts(db: DbOrTrx, officeId: string, batchId: string, attempt: number, afterSeq: number, limit: number) {
	return db
		.selectFrom('office_batch_pdf_part as p')
		.innerJoin('office_batch as b', 'b.id', 'p.batch_id')
		.select(['p.seq', 'p.bytes'])
		.where('b.office_id', '=', officeId)
		.where('p.batch_id', '=', batchId)
		.where('p.attempt', '=', attempt)
		.where('p.seq', '>', afterSeq)
		.orderBy('p.seq')
		.limit(limit)
		.execute();
}

/** How many items of a batch are done, skipped and pending, and of the done ones how many go by post. */
export async function countBatchItems(db: DbOrTrx, officeId: string, batchId: string) {
	const row = await db
		.selectFrom('office_batch_item as i')
		.innerJoin('office_batch as b', 'b.id', 'i.batch_id')
		.innerJoin('request as r', 'r.id', 'i.request_id')
		.select([
			sql<number>`count(*) FILTER (WHERE i.outcome = 'done')::int`.as('done'),
			sql<number>`count(*) FILTER (WHERE i.outcome = 'skipped')::int`.as('skipped'),
			sql<number>`count(*) FILTER (WHERE i.outcome = 'pending')::int`.as('pending'),
			sql<number>`count(*) FILTER (WHERE i.outcome = 'done' AND r.delivery = 'post' AND r.state = 'issued')::int`.as('donePostIssued'),
			sql<number>`count(*) FILTER (WHERE i.outcome = 'pending' AND i.consignment_number IS NULL)::int`.as('withoutNumber')
		])
		.where('i.batch_id', '=', batchId)
		.where('b.office_id', '=', officeId)
		.executeTakeFirstOrThrow();
	return row;
}

/** How many items of a dispatch batch the postal sheet lists: done, with the number recorded. */
export async function countBatchSheetItems(db: DbOrTrx, officeId: string, batchId: string): Promise<number> {
	const row = await db
		.selectFrom('office_batch_item as i')
		.innerJoin('office_batch as b', 'b.id', 'i.batch_id')
		.innerJoin('consignment as c', 'c.request_id', 'i.request_id')
		.select(sql<number>`count(*)::int`.as('n'))
		.where('i.batch_id', '=', batchId)
		.where('b.office_id', '=', officeId)
		.where('i.outcome', '=', 'done')
		.executeTakeFirstOrThrow();
	return row.n;
}

/** The requests of a batch's done items that were issued for the post and wait for dispatch, in order (ids only). */
export async function listBatchPostIssuedIds(db: DbOrTrx, officeId: string, batchId: string): Promise<string[]> {
	const rows = await db
		.selectFrom('office_batch_item as i')
		.innerJoin('office_batch as b', 'b.id', 'i.batch_id')
		.innerJoin('request as r', 'r.id', 'i.request_id')
		.select('i.request_id')
		.where('i.batch_id', '=', batchId)
		.where('b.office_id', '=', officeId)
		.where('r.office_id', '=', officeId)
		.where('i.outcome', '=', 'done')
		.where('r.delivery', '=', 'post')
		.where('r.state', '=', 'issued')
		.orderBy('i.position')
		.execute();
	return rows.map((r) => r.request_id);
}
