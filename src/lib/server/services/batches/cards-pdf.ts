/**
 * The voter cards of a finished batch as ONE PDF (issue 12), made by a background document
 * job (../document-job.ts, the shape the embassy's package batch uses too): claimed, rendered
 * from the stored rows a chunk at a time, streamed into parts stored as they are written, then
 * marked ready with an audit entry. A crash leaves the job 'rendering' without a heartbeat; the
 * next page view or poll claims it again and renders it afresh (the same content: the cards
 * print the batch's end as their date), a ready PDF is never rendered again. The download
 * streams the stored parts a few at a time, so memory stays flat in the batch size.
 */
import type { Temporal } from 'temporal-polyfill';
import { fromDate, toDate } from '../../clock';
import type { Db } from '../../db/index';
import {
	claimBatchCardsPdf,
	findBatchOfOffice,
	insertBatchPdfPart,
	listBatchPdfParts,
	updateBatchCardsFailed,
	updateBatchCardsProgress,
	updateBatchCardsReady,
	type BatchRow
} from '../../db/queries/batches';
import type { OfficeBatchAction } from '../../db/schema';
import { renderBatchVoterCards } from '../../documents/batch';
import { appendAudit } from '../audit';
import { DECIDING_ROLES } from '../decisions';
import { progressOf, runDocumentJob, startDocumentJob, watchDocumentJob, type DocumentJob, type DocumentJobProgress, type DocumentJobResult } from '../document-job';
import { isUuid } from '../requests';
import { actingOffice, type StaffActor } from '../staff-actor';

type NotFound = { kind: 'not-found' };
type Forbidden = { kind: 'forbidden' };

/** The batches whose items are voter cards: their cards make one PDF. */
export function hasCardsPdf(action: OfficeBatchAction): boolean {
	return action === 'issue-voter-cards' || action === 'dispatch-voter-cards';
}

/** Stored parts read per query when the PDF is downloaded (4 × 256 KiB). */
const PARTS_PER_READ = 4;

function jobKey(batchId: string): string {
	return `batch-cards:${batchId}`;
}

function cardsJob(db: Db, batch: BatchRow, actor: StaffActor): DocumentJob<{ cards: number; bytes: number }> {
	const officeId = batch.office_id;
	return {
		key: jobKey(batch.id),
		name: `batch cards ${batch.id}`,
		claim: (at, staleBefore) => claimBatchCardsPdf(db, officeId, batch.id, at, staleBefore),
		progress: (attempt, done, at) => updateBatchCardsProgress(db, batch.id, attempt, done, at),
		fail: (attempt, message, at) => updateBatchCardsFailed(db, batch.id, attempt, message, at),
		render: async (attempt, progress) => {
			const total = (await findBatchOfOffice(db, officeId, batch.id))?.pdf_total ?? 0;
			// The date the cards print: the batch's end, so every render gives the same document.
			const generatedAt = fromDate(batch.finished_at ?? batch.created_at);
			return renderBatchVoterCards(
				db,
				{ officeId, batchId: batch.id, generatedAt },
				(seq, bytes) => insertBatchPdfPart(db, batch.id, attempt, seq, bytes),
				(done) => progress(done, total)
			);
		},
		finish: (attempt, result, finished) =>
			db.transaction().execute(async (trx) => {
				const ok = await updateBatchCardsReady(trx, batch.id, attempt, result.bytes, toDate(finished));
				if (ok) {
					await appendAudit(trx, {
						actor,
						action: 'batch.cards-pdf',
						entityType: 'office_batch',
						entityId: batch.id,
						officeId,
						after: { status: 'ready', attempt, cards: result.cards, bytes: result.bytes },
						at: finished
					});
				}
				return ok;
			})
	};
}

async function loadCardsBatch(db: Db, batchId: string, actor: StaffActor): Promise<BatchRow | NotFound | Forbidden> {
	const officeId = actingOffice(actor, [...DECIDING_ROLES]);
	if (!officeId) return { kind: 'forbidden' };
	if (!isUuid(batchId)) return { kind: 'not-found' };
	const batch = await findBatchOfOffice(db, officeId, batchId);
	if (!batch || !hasCardsPdf(batch.action)) return { kind: 'not-found' };
	return batch;
}

function isRow(value: BatchRow | NotFound | Forbidden): value is BatchRow {
	return !('kind' in value);
}

export type CardsPdfProgressResult = { kind: 'ok'; progress: DocumentJobProgress } | { kind: 'not-finished' } | NotFound | Forbidden;

/**
 * The PDF's progress for the batch page and its poll; a finished batch's job not yet started,
 * or abandoned by a crashed process, is started here in the background.
 */
export async function getBatchCardsProgress(db: Db, input: { batchId: string }, actor: StaffActor, now: () => Temporal.Instant): Promise<CardsPdfProgressResult> {
	const batch = await loadCardsBatch(db, input.batchId, actor);
	if (!isRow(batch)) return batch;
	return { kind: 'ok', progress: cardsProgress(db, batch, actor, now) };
}

/** The progress of a batch already loaded (the batch page), starting the job where it needs a start. */
export function cardsProgress(db: Db, batch: BatchRow, actor: StaffActor, now: () => Temporal.Instant): DocumentJobProgress {
	if (batch.status !== 'done') return progressOf({ status: null, rendered: 0, total: batch.done_count });
	const state = {
		status: batch.pdf_status,
		rendered: batch.pdf_rendered,
		total: batch.pdf_status === null ? batch.done_count : batch.pdf_total,
		heartbeatAt: batch.pdf_heartbeat_at ? fromDate(batch.pdf_heartbeat_at) : null
	};
	return watchDocumentJob(state, () => cardsJob(db, batch, actor), jobKey(batch.id), now);
}

/** Renders the PDF now (what the background job runs; tests and the retry call it too). */
export async function renderBatchCards(db: Db, input: { batchId: string }, actor: StaffActor, now: () => Temporal.Instant): Promise<DocumentJobResult | NotFound | Forbidden | { kind: 'not-finished' }> {
	const batch = await loadCardsBatch(db, input.batchId, actor);
	if (!isRow(batch)) return batch;
	if (batch.status !== 'done') return { kind: 'not-finished' };
	return runDocumentJob(cardsJob(db, batch, actor), now);
}

export type CardsPdfResult = { kind: 'ok'; bytes: number; stream: ReadableStream<Uint8Array> } | { kind: 'not-ready' } | NotFound | Forbidden;

/** The stored PDF of a batch whose job is ready, streamed from its parts a few at a time. */
export async function openBatchCardsPdf(db: Db, input: { batchId: string }, actor: StaffActor): Promise<CardsPdfResult> {
	const batch = await loadCardsBatch(db, input.batchId, actor);
	if (!isRow(batch)) return batch;
	if (batch.pdf_status !== 'ready' || batch.pdf_bytes === null) return { kind: 'not-ready' };
	const attempt = batch.pdf_attempts;
	let after = -1;
	const stream = new ReadableStream<Uint8Array>({
		async pull(controller) {
			const parts = await listBatchPdfParts(db, batch.office_id, batch.id, attempt, after, PARTS_PER_READ);
			for (const part of parts) controller.enqueue(new Uint8Array(part.bytes));
			if (parts.length < PARTS_PER_READ) controller.close();
			else after = parts.at(-1)!.seq;
		}
	});
	return { kind: 'ok', bytes: batch.pdf_bytes, stream };
}

/** A failed PDF is claimed and rendered again in the background (the clerk's "make it again"). */
export async function retryBatchCards(db: Db, input: { batchId: string }, actor: StaffActor, now: () => Temporal.Instant): Promise<{ kind: 'started' } | { kind: 'not-failed' } | NotFound | Forbidden> {
	const batch = await loadCardsBatch(db, input.batchId, actor);
	if (!isRow(batch)) return batch;
	if (batch.status !== 'done' || batch.pdf_status !== 'failed') return { kind: 'not-failed' };
	void startDocumentJob(cardsJob(db, batch, actor), now);
	return { kind: 'started' };
}
