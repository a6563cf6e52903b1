/**
 * Batches (issue 12): one shape for every mass action of an office. A clerk selects requests
 * (rows ticked, or every request matching the queue's filter), confirms, and the batch runs
 * each selected request through the SAME single-item service a clerk uses on one request
 * (acceptRequest, issueVoterCard, recordVoterCardHandOver, recordPackageHandOver), so every
 * rule (deadlines, office scoping, no card after a package, hand-over windows, the proxy
 * limit) is judged per item exactly as for one.
 *
 * Integrity: each item runs in its own transaction, which also marks the item done (and
 * writes its audit entry naming the batch); an item the service refuses is marked skipped
 * with its reason afterwards. A crash leaves every item either fully processed and marked,
 * or untouched and pending; running the batch again processes the pending ones only. Two
 * clerks whose batches overlap are serialised by the services' row locks and conditional
 * updates: the second gets "already decided" for what the first did, which is named on the
 * result page; voter-card serials are drawn inside the issuing transaction (§23(3)), so none
 * is used twice or skipped.
 */
import type { Temporal } from 'temporal-polyfill';
import { checkConsignmentNumber } from '../../../domain';
import { toDate } from '../../clock';
import type { Db } from '../../db/index';
import {
	countBatchItems,
	deleteDraftBatch,
	listBatchPostIssuedIds,
	findBatchOfOffice,
	insertBatch,
	insertBatchItems,
	listBatchItems,
	listBatchItemsWithoutNumber,
	listUsedConsignmentNumbers,
	updateBatchFinished,
	updateBatchItemNumber,
	updateBatchItemNumbers,
	updateBatchItemOutcome,
	updateBatchRunning,
	type BatchItemRow,
	type BatchRow
} from '../../db/queries/batches';
import type { OfficeBatchAction, StaffRole } from '../../db/schema';
import { appendAudit } from '../audit';
import { takeRangeNumbers } from '../consignments';
import { acceptRequest, DECIDING_ROLES } from '../decisions';
import { recordPackageHandOverOfRequest } from '../packages';
import { isUuid } from '../requests';
import { actingOffice, EMBASSY_ROLES, type StaffActor } from '../staff-actor';
import { issueVoterCard, recordVoterCardHandOver } from '../voter-cards';
import { classifyOutcome, type ItemOutcome, type SingleItemResult } from './outcome';

export { classifyOutcome, type ItemOutcome, type SkipReason } from './outcome';

/** The most requests one batch takes (a day's requests of Prague's largest office, with room). */
export const BATCH_MAX = 20_000;
/** Items are read and processed this many at a time, so memory stays flat in the batch size. */
export const BATCH_CHUNK = 200;
/**
 * Items of a chunk in flight at once, each in its own transaction (and database connection).
 * Measured with npm run bench:batch: the per-item cost is round trips, not CPU, so a few
 * overlapping transactions cut a stage's time by about half on 2 cores; the services' row
 * locks (the voter, the request, the office's serial counter) keep every rule per item.
 */
export const BATCH_CONCURRENCY = 4;

const ROLES: Record<OfficeBatchAction, readonly StaffRole[]> = {
	accept: DECIDING_ROLES,
	'issue-voter-cards': DECIDING_ROLES,
	'dispatch-voter-cards': DECIDING_ROLES,
	'dispatch-packages': EMBASSY_ROLES
};

/** Actions that send letters by registered post: each item carries a consignment number. */
export function isDispatch(action: OfficeBatchAction): boolean {
	return action === 'dispatch-voter-cards' || action === 'dispatch-packages';
}

type NotFound = { kind: 'not-found' };
type Forbidden = { kind: 'forbidden' };

export type CreateBatchResult = { kind: 'created'; batchId: string; count: number } | { kind: 'empty' } | { kind: 'too-many' } | NotFound | Forbidden;

/**
 * A draft batch of the selected requests, in the order given (the postal sheet's order). Ids of
 * another office (or unknown ones) refuse the whole selection, as a single action would.
 */
export async function createBatch(
	db: Db,
	input: { action: OfficeBatchAction; electionId: string | null; requestIds: readonly string[] },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<CreateBatchResult> {
	const officeId = actingOffice(actor, ROLES[input.action] ?? []);
	if (!officeId) return { kind: 'forbidden' };
	const ids = [...new Set(input.requestIds)];
	if (ids.length === 0) return { kind: 'empty' };
	if (ids.length > BATCH_MAX) return { kind: 'too-many' };
	if (!ids.every(isUuid) || (input.electionId !== null && !isUuid(input.electionId))) return { kind: 'not-found' };
	class Refused extends Error {}
	try {
		return await db.transaction().execute(async (trx) => {
			const batchId = await insertBatch(trx, { officeId, electionId: input.electionId, action: input.action, at: toDate(now), by: actor.id });
			const count = await insertBatchItems(trx, batchId, officeId, ids);
			if (count !== ids.length) throw new Refused();
			await appendAudit(trx, {
				actor,
				action: 'batch.create',
				entityType: 'office_batch',
				entityId: batchId,
				officeId,
				after: { action: input.action, electionId: input.electionId, selected: count },
				at: now
			});
			return { kind: 'created' as const, batchId, count };
		});
	} catch (error) {
		if (error instanceof Refused) return { kind: 'not-found' };
		throw error;
	}
}

/** Items shown per page of a batch's page. */
export const PAGE_ITEMS = 100;

export interface BatchPageView {
	batch: BatchRow;
	counts: Awaited<ReturnType<typeof countBatchItems>>;
	/** A draft's items, or a run batch's done items, PAGE_ITEMS from `afterPosition`. */
	items: BatchItemRow[];
	/** The position to continue after, when there are more. */
	next: number | null;
	/** The first PAGE_ITEMS skipped items with their reasons (the counts give how many in all). */
	skipped: BatchItemRow[];
}

/**
 * A batch's page: the counts, one page of items and the first skipped ones, never every item
 * (a batch holds up to BATCH_MAX). Keyset on the position.
 */
export async function getBatchPage(
	db: Db,
	input: { batchId: string; afterPosition: number },
	actor: StaffActor
): Promise<{ kind: 'ok'; view: BatchPageView } | NotFound | Forbidden> {
	const officeId = actingOffice(actor, [...DECIDING_ROLES]);
	if (!officeId) return { kind: 'forbidden' };
	if (!isUuid(input.batchId)) return { kind: 'not-found' };
	const batch = await findBatchOfOffice(db, officeId, input.batchId);
	if (!batch) return { kind: 'not-found' };
	const after = Number.isInteger(input.afterPosition) && input.afterPosition > 0 ? input.afterPosition : 0;
	const draft = batch.status === 'draft';
	const [counts, rows, skipped] = await Promise.all([
		countBatchItems(db, officeId, batch.id),
		listBatchItems(db, officeId, batch.id, { afterPosition: after, limit: PAGE_ITEMS + 1, ...(draft ? {} : { outcome: 'done' as const }) }),
		draft ? Promise.resolve([]) : listBatchItems(db, officeId, batch.id, { limit: PAGE_ITEMS, outcome: 'skipped' })
	]);
	const items = rows.slice(0, PAGE_ITEMS);
	return { kind: 'ok', view: { batch, counts, items, next: rows.length > PAGE_ITEMS ? items.at(-1)!.position : null, skipped } };
}

/** The cards of an issue batch that go by post and wait for dispatch, as a new dispatch batch's selection. */
export async function listPostIssuedOfBatch(db: Db, input: { batchId: string }, actor: StaffActor): Promise<{ kind: 'ok'; batch: BatchRow; ids: string[] } | NotFound | Forbidden> {
	const officeId = actingOffice(actor, [...DECIDING_ROLES]);
	if (!officeId) return { kind: 'forbidden' };
	if (!isUuid(input.batchId)) return { kind: 'not-found' };
	const batch = await findBatchOfOffice(db, officeId, input.batchId);
	if (!batch) return { kind: 'not-found' };
	return { kind: 'ok', batch, ids: await listBatchPostIssuedIds(db, officeId, batch.id) };
}

/** The postal sheet's rows of a dispatch batch, a chunk at a time (keyset on the position). */
export async function* sheetItems(db: Db, officeId: string, batchId: string): AsyncGenerator<BatchItemRow[]> {
	let after = 0;
	for (;;) {
		const rows = await listBatchItems(db, officeId, batchId, { afterPosition: after, limit: SHEET_CHUNK, outcome: 'done' });
		if (rows.length === 0) return;
		yield rows.filter((r) => r.recorded_number);
		if (rows.length < SHEET_CHUNK) return;
		after = rows.at(-1)!.position;
	}
}

/** Rows of the postal sheet read per query. */
export const SHEET_CHUNK = 500;

/** Items of a draft dispatch batch read per query when its numbers are saved or assigned. */
export const NUMBERS_PAGE = 500;

/** The batch row of the actor's office (never its items: a batch holds up to BATCH_MAX). */
async function findBatch(db: Db, batchId: string, actor: StaffActor): Promise<{ kind: 'ok'; batch: BatchRow } | NotFound | Forbidden> {
	const officeId = actingOffice(actor, [...DECIDING_ROLES]);
	if (!officeId) return { kind: 'forbidden' };
	if (!isUuid(batchId)) return { kind: 'not-found' };
	const batch = await findBatchOfOffice(db, officeId, batchId);
	if (!batch) return { kind: 'not-found' };
	return { kind: 'ok', batch };
}

/** A draft the clerk did not confirm is dropped; nothing was done with it. */
export async function discardBatch(db: Db, input: { batchId: string }, actor: StaffActor): Promise<boolean> {
	const officeId = actingOffice(actor, [...DECIDING_ROLES]);
	if (!officeId || !isUuid(input.batchId)) return false;
	return deleteDraftBatch(db, officeId, input.batchId);
}

// --- Running ---

export type RunBatchResult = { kind: 'ran'; done: number; skipped: number; pending: number } | { kind: 'finished-already' } | NotFound | Forbidden;

/** One item through the single-item service of the batch's action. */
async function processItem(
	db: Db,
	batch: BatchRow,
	item: BatchItemRow,
	actor: StaffActor,
	now: Temporal.Instant
): Promise<SingleItemResult> {
	const options = { batchId: batch.id };
	const requestId = item.request_id;
	switch (batch.action) {
		case 'accept':
			return acceptRequest(db, { requestId }, actor, now, options);
		case 'issue-voter-cards':
			return issueVoterCard(db, { requestId }, actor, now, options);
		case 'dispatch-voter-cards':
			if (!item.consignment_number) return { kind: 'number-missing' };
			return recordVoterCardHandOver(db, { requestId, method: 'post', consignmentNumber: item.consignment_number }, actor, now, options);
		case 'dispatch-packages':
			if (!item.consignment_number) return { kind: 'number-missing' };
			return recordPackageHandOverOfRequest(db, { requestId, consignmentNumber: item.consignment_number }, actor, now, options);
	}
}

/**
 * Runs (or resumes) a confirmed batch: the pending items in order, a chunk at a time. `now`
 * is read per item (a long batch may cross a deadline: the item after it is judged then).
 * `onItem` lets a caller observe progress (the benchmark, a test that interrupts).
 */
export async function runBatch(
	db: Db,
	input: { batchId: string },
	actor: StaffActor,
	now: () => Temporal.Instant,
	hooks: {
		onItem?: (position: number, outcome: ItemOutcome) => void | Promise<void>;
		/** Items in flight at once (BATCH_CONCURRENCY); 1 judges each item strictly after the one before. */
		concurrency?: number;
	} = {}
): Promise<RunBatchResult> {
	if (!isUuid(input.batchId)) return { kind: 'not-found' };
	const officeId = actingOffice(actor, [...DECIDING_ROLES]);
	if (!officeId) return { kind: 'forbidden' };
	const batch = await findBatchOfOffice(db, officeId, input.batchId);
	if (!batch) return { kind: 'not-found' };
	if (!actingOffice(actor, ROLES[batch.action])) return { kind: 'forbidden' };
	if (batch.status === 'done') return { kind: 'finished-already' };
	const started = now();
	if (!(await updateBatchRunning(db, officeId, batch.id, toDate(started)))) return { kind: 'finished-already' };

	let after = 0;
	for (;;) {
		const items = await listBatchItems(db, officeId, batch.id, { afterPosition: after, limit: BATCH_CHUNK, outcome: 'pending' });
		if (items.length === 0) break;
		// A few items at a time, each in its own transaction: the round trips to the database
		// overlap. Items are taken in order; when one fails (or the hook throws) no new one
		// is taken, those in flight finish, and the error is raised, so the items done are
		// always whole and a re-run takes the rest.
		let next = 0;
		let failure: { error: unknown } | null = null;
		const worker = async () => {
			while (!failure && next < items.length) {
				const item = items[next++]!;
				try {
					const at = now();
					const outcome = classifyOutcome(await processItem(db, batch, item, actor, at));
					// A done item was marked inside its own transaction; a skipped one is marked now.
					if (outcome.outcome === 'skipped') {
						await updateBatchItemOutcome(db, {
							batchId: batch.id,
							requestId: item.request_id,
							outcome: 'skipped',
							reason: outcome.reason,
							detail: { ...outcome.detail },
							at: toDate(at)
						});
					}
					await hooks.onItem?.(item.position, outcome);
				} catch (error) {
					failure ??= { error };
				}
			}
		};
		await Promise.all(Array.from({ length: Math.max(1, Math.min(hooks.concurrency ?? BATCH_CONCURRENCY, items.length)) }, worker));
		if (failure) throw (failure as { error: unknown }).error;
		after = items.at(-1)!.position;
	}

	const finished = now();
	const counts = await updateBatchFinished(db, batch.id, toDate(finished));
	await db.transaction().execute((trx) =>
		appendAudit(trx, {
			actor,
			action: 'batch.run',
			entityType: 'office_batch',
			entityId: batch.id,
			officeId,
			after: { action: batch.action, done: counts.done, skipped: counts.skipped, pending: counts.pending },
			at: finished
		})
	);
	return { kind: 'ran', ...counts };
}

// --- Consignment numbers of a dispatch batch (scanned, typed, or from a range) ---

export type NumberError = 'format' | 'check-digit' | 'used' | 'duplicate';

export type SetNumbersResult = { kind: 'saved'; errors: Record<string, NumberError> } | { kind: 'not-draft' } | NotFound | Forbidden;

/**
 * Saves the numbers typed or scanned per row of a draft dispatch batch. A wrong or used number
 * is refused for its row only: every other row is saved, and the page keeps what was typed.
 * An empty field clears the row's number.
 */
export async function setBatchNumbers(
	db: Db,
	input: { batchId: string; numbers: Readonly<Record<string, string>> },
	actor: StaffActor,
	options: { pageSize?: number } = {}
): Promise<SetNumbersResult> {
	const found = await findBatch(db, input.batchId, actor);
	if (found.kind !== 'ok') return found;
	const { batch } = found;
	if (batch.status !== 'draft' || !isDispatch(batch.action)) return { kind: 'not-draft' };
	// The typed numbers, as checked: a row's own number matters to the duplicate check only if
	// one of these is it, so only those are remembered while the items are read page by page.
	const typedNumbers = new Set<string>();
	for (const typed of Object.values(input.numbers)) {
		const checked = checkConsignmentNumber(typed);
		if (checked.ok) typedNumbers.add(checked.number);
	}
	const errors: Record<string, NumberError> = {};
	const wanted = new Map<string, string | null>();
	const seen = new Map<string, string>();
	const pageSize = options.pageSize ?? NUMBERS_PAGE;
	for (let after = 0; ; ) {
		const items = await listBatchItems(db, batch.office_id, batch.id, { afterPosition: after, limit: pageSize });
		for (const item of items) {
			const typed = input.numbers[item.request_id];
			if (typed === undefined) {
				if (item.consignment_number && typedNumbers.has(item.consignment_number)) seen.set(item.consignment_number, item.request_id);
				continue;
			}
			if (!typed.trim()) {
				wanted.set(item.request_id, null);
				continue;
			}
			const checked = checkConsignmentNumber(typed);
			if (!checked.ok) {
				errors[item.request_id] = checked.code;
				continue;
			}
			if (seen.has(checked.number)) {
				errors[item.request_id] = 'duplicate';
				continue;
			}
			seen.set(checked.number, item.request_id);
			wanted.set(item.request_id, checked.number);
		}
		if (items.length < pageSize) break;
		after = items.at(-1)!.position;
	}
	const used = new Set(await listUsedConsignmentNumbers(db, [...wanted.values()].filter((n): n is string => n !== null)));
	await db.transaction().execute(async (trx) => {
		// Cleared first, so that two rows may swap their numbers.
		for (const requestId of wanted.keys()) await updateBatchItemNumber(trx, batch.id, requestId, null);
		for (const [requestId, number] of wanted) {
			if (number && used.has(number)) errors[requestId] = 'used';
			else if (number) await updateBatchItemNumber(trx, batch.id, requestId, number);
		}
	});
	return { kind: 'saved', errors };
}

export type AssignNumbersResult = { kind: 'assigned'; count: number; missing: number } | { kind: 'not-draft' } | NotFound | Forbidden;

/**
 * Every row of a draft dispatch batch without a number gets the next free one of the office's
 * ranges, in the batch's order: one transaction (the ranges locked throughout, so the numbers
 * are consecutive free ones) and one audit entry, the rows read and numbered a page at a time.
 */
export async function assignBatchNumbersFromRange(
	db: Db,
	input: { batchId: string },
	actor: StaffActor,
	now: Temporal.Instant,
	options: { pageSize?: number } = {}
): Promise<AssignNumbersResult> {
	const found = await findBatch(db, input.batchId, actor);
	if (found.kind !== 'ok') return found;
	const { batch } = found;
	if (batch.status !== 'draft' || !isDispatch(batch.action)) return { kind: 'not-draft' };
	const pageSize = options.pageSize ?? NUMBERS_PAGE;
	return db.transaction().execute(async (trx) => {
		let count = 0;
		let missing = 0;
		let first: string | null = null;
		let last: string | null = null;
		for (let after = 0; ; ) {
			const without = await listBatchItemsWithoutNumber(trx, batch.office_id, batch.id, after, pageSize);
			if (without.length === 0) break;
			// Once the ranges run out, the rest are only counted.
			const numbers = missing === 0 ? await takeRangeNumbers(trx, batch.office_id, without.length) : [];
			await updateBatchItemNumbers(
				trx,
				batch.id,
				numbers.map((number, i) => ({ requestId: without[i]!.request_id, number }))
			);
			count += numbers.length;
			missing += without.length - numbers.length;
			first ??= numbers[0] ?? null;
			last = numbers.at(-1) ?? last;
			if (without.length < pageSize) break;
			after = without.at(-1)!.position;
		}
		if (count === 0 && missing === 0) return { kind: 'assigned' as const, count: 0, missing: 0 };
		await appendAudit(trx, {
			actor,
			action: 'batch.assign-numbers',
			entityType: 'office_batch',
			entityId: batch.id,
			officeId: batch.office_id,
			after: { count, first, last },
			at: now
		});
		return { kind: 'assigned' as const, count, missing };
	});
}
