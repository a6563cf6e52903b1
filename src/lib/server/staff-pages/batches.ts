/**
 * The batch pages of a municipal office and an embassy (issue 12), one loader for both route
 * groups: the queue's batch form (rows ticked, or all that match the filter), the batch page
 * (confirmation of a draft, the consignment numbers of a dispatch, the result), the voter
 * cards of a batch as one PDF, and the postal submission sheet (PDF, CSV).
 */
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { refusalText } from '../../forms/refusal-messages';
import type { RefusalView } from '../../forms/refusal';
import { listQueueRequestIds } from '../db/queries/queue';
import type { OfficeBatchAction, RequestKind, RequestState } from '../db/schema';
import { streamPostalSheetCsv, streamPostalSheetPdf } from '../documents/batch';
import {
	assignBatchNumbersFromRange,
	BATCH_MAX,
	createBatch,
	discardBatch,
	getBatchPage,
	isDispatch,
	listPostIssuedOfBatch,
	sheetItems,
	runBatch,
	setBatchNumbers,
	type NumberError
} from '../services/batches';
import { consignmentTrackingUrl } from '../services/consignments';
import { clock } from '../clock';
import { countBatchSheetItems, findConsignmentOfRequest, type BatchItemRow } from '../db/queries/batches';
import { cardsProgress, getBatchCardsProgress, hasCardsPdf, openBatchCardsPdf, retryBatchCards } from '../services/batches/cards-pdf';
import { progressResponse } from '../services/document-job';
import { findVoterCardOfRequest } from '../db/queries/staff-requests';
import { undoVoterCardHandOver, UNDO_REASON_MAX } from '../services/voter-cards';
import { staffContext, type StaffGroup } from './context';
import { resolveQueueFilter } from './queue';
import { actionProblem, loadOfficeRequest, requestPath } from './request-detail';

/** The queue form's actions: what the batch does, and the requests it takes (state, kind). */
const QUEUE_ACTIONS: Record<string, { municipal: OfficeBatchAction; embassy: OfficeBatchAction; state: RequestState; kind: (embassy: boolean) => RequestKind | null }> = {
	prijmout: { municipal: 'accept', embassy: 'accept', state: 'received', kind: () => null },
	vydat: { municipal: 'issue-voter-cards', embassy: 'issue-voter-cards', state: 'accepted', kind: () => 'voter-card' },
	odeslat: {
		municipal: 'dispatch-voter-cards',
		embassy: 'dispatch-packages',
		state: 'issued',
		kind: (embassy) => (embassy ? 'correspondence-package' : 'voter-card')
	}
};

const queueBatchSchema = z.object({
	akce: z.string().regex(/^(prijmout|vydat|odeslat):(vybrane|filtr)$/),
	zadost: z.array(z.uuid()).max(BATCH_MAX)
});

export function batchPath(group: StaffGroup, batchId: string): string {
	return `${group.base}/davky/${batchId}`;
}

/**
 * The queue page's batch form. "Selected": the ticked rows. "All that match": every request
 * under the page's filters (across pages) in the state the action needs. Either way the
 * clerk lands on the batch's confirmation page; nothing is done before it is confirmed.
 */
export async function queueBatchAction(event: RequestEvent, group: StaffGroup) {
	const ctx = await staffContext(event, group);
	const form = await event.request.formData();
	const selected = form.getAll('zadost').filter((v): v is string => typeof v === 'string');
	const parsed = queueBatchSchema.safeParse({ akce: form.get('akce'), zadost: selected });
	if (!parsed.success) return fail(400, { batch: { selected, error: 'none-selected' as const } });
	const [verb, scope] = parsed.data.akce.split(':') as [keyof typeof QUEUE_ACTIONS, 'vybrane' | 'filtr'];
	const spec = QUEUE_ACTIONS[verb]!;
	const embassy = group.officeKind === 'embassy';
	const action = embassy ? spec.embassy : spec.municipal;
	const { filter, chosen } = await resolveQueueFilter(ctx, event.url.searchParams, group);
	let ids = parsed.data.zadost;
	if (scope === 'filtr') {
		if (chosen === undefined) return fail(400, { batch: { selected, error: 'none-selected' as const } });
		ids = await listQueueRequestIds(ctx.db, { ...filter, state: spec.state, kind: spec.kind(embassy) ?? filter.kind }, BATCH_MAX);
	}
	if (ids.length === 0) return fail(400, { batch: { selected, error: 'none-selected' as const } });
	const result = await createBatch(ctx.db, { action, electionId: chosen?.id ?? null, requestIds: ids }, ctx.actor, ctx.now);
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	if (result.kind === 'not-found') error(404, 'Not found');
	if (result.kind === 'empty') return fail(400, { batch: { selected, error: 'none-selected' as const } });
	if (result.kind === 'too-many') return fail(400, { batch: { selected, error: 'too-many' as const } });
	redirect(303, batchPath(group, result.batchId));
}

// --- The batch page ---

function numberOr(value: unknown): number | null {
	return typeof value === 'number' ? value : null;
}

function itemReason(item: { reason: string | null; detail: Record<string, unknown> | null; kind: RequestKind }, locale: 'cs' | 'en') {
	const refusal = item.detail?.refusal as RefusalView | undefined;
	return {
		reason: item.reason,
		/** The state the request was in when the item was skipped. */
		stateThen: (item.detail?.state as RequestState | undefined) ?? null,
		card: (item.detail?.card as string | undefined) ?? null,
		rule: item.reason === 'rule' && refusal ? refusalText(refusal, item.kind, locale) : null
	};
}

function itemView(i: BatchItemRow, locale: 'cs' | 'en', base: string) {
	return {
		requestId: i.request_id,
		position: i.position,
		reference: i.reference,
		voterName: `${i.given_name} ${i.family_name}`,
		address: [i.address_line, [i.postal_code, i.city].filter(Boolean).join(' '), i.country_code].filter(Boolean).join(', '),
		post: i.delivery === 'post',
		state: i.state,
		outcome: i.outcome,
		serial: numberOr(i.detail?.serial),
		number: i.consignment_number,
		recorded: i.recorded_number,
		trackingUrl: i.recorded_number ? consignmentTrackingUrl(i.recorded_number) : null,
		/** Where a recorded dispatch is undone: the package's page at an embassy, the card's otherwise. */
		undoPath: i.package_id ? `${base}/balicky/balicek/${i.package_id}/vratit` : `${base}/zadosti/${i.request_id}/vratit-predani`,
		...itemReason(i, locale)
	};
}

/**
 * The batch page: counts, one page of items (?od=position to go on), the first skipped ones,
 * and for a card batch the progress of its PDF job (started here when the batch is done).
 */
export async function loadBatchPage(event: RequestEvent, group: StaffGroup) {
	const ctx = await staffContext(event, group);
	const after = Number(event.url.searchParams.get('od') ?? 0);
	const result = await getBatchPage(ctx.db, { batchId: event.params.id ?? '', afterPosition: after }, ctx.actor);
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	if (result.kind === 'not-found') error(404, 'Not found');
	const { batch, counts, items, next, skipped } = result.view;
	const dispatch = isDispatch(batch.action);
	return {
		base: group.base,
		embassy: group.officeKind === 'embassy',
		batch: {
			id: batch.id,
			action: batch.action,
			status: batch.status,
			dispatch,
			createdAt: batch.created_at.toISOString(),
			createdBy: batch.created_by_name,
			finishedAt: batch.finished_at?.toISOString() ?? null,
			selected: batch.selected_count,
			done: counts.done,
			skipped: counts.skipped,
			pending: counts.pending,
			donePost: counts.donePostIssued
		},
		items: items.map((i) => itemView(i, ctx.locale, group.base)),
		skippedItems: skipped.map((i) => itemView(i, ctx.locale, group.base)),
		page: { first: !(after > 0), next },
		cardsPdf: hasCardsPdf(batch.action) && batch.status === 'done' && counts.done > 0 ? cardsProgress(ctx.db, batch, ctx.actor, () => clock().now()) : null,
		missingNumbers: dispatch && batch.status === 'draft' ? counts.withoutNumber : 0,
		editNumbers: event.url.searchParams.has('cisla')
	};
}

/** The card PDF's progress poll of the batch page. */
export async function batchCardsStatus(event: RequestEvent, group: StaffGroup): Promise<Response> {
	const ctx = await staffContext(event, group);
	const result = await getBatchCardsProgress(ctx.db, { batchId: event.params.id ?? '' }, ctx.actor, () => clock().now());
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	if (result.kind !== 'ok') error(404, 'Not found');
	return progressResponse(result.progress);
}

const numbersField = /^cislo-([0-9a-f-]{36})$/;

export function batchPageActions(group: StaffGroup) {
	return {
		/** Confirmed: the batch runs (or resumes) now; each item through its single-item service. */
		potvrdit: async (event: RequestEvent) => {
			const ctx = await staffContext(event, group);
			const batchId = event.params.id ?? '';
			const view = await getBatchPage(ctx.db, { batchId, afterPosition: 0 }, ctx.actor);
			if (view.kind === 'forbidden') error(403, 'Forbidden');
			if (view.kind === 'not-found') error(404, 'Not found');
			const { batch, counts } = view.view;
			if (batch.status === 'draft' && isDispatch(batch.action) && counts.withoutNumber > 0) {
				return fail(400, { problem: 'numbers-missing' as const, values: {}, errors: {} });
			}
			const result = await runBatch(ctx.db, { batchId }, ctx.actor, () => clock().now());
			if (result.kind === 'forbidden') error(403, 'Forbidden');
			if (result.kind === 'not-found') error(404, 'Not found');
			redirect(303, batchPath(group, batchId));
		},
		/** From an issue batch: the cards going by post, in the same order, as a dispatch batch. */
		odeslat: async (event: RequestEvent) => {
			const ctx = await staffContext(event, group);
			const view = await listPostIssuedOfBatch(ctx.db, { batchId: event.params.id ?? '' }, ctx.actor);
			if (view.kind === 'forbidden') error(403, 'Forbidden');
			if (view.kind === 'not-found') error(404, 'Not found');
			// An issue batch holds voter cards: they go out as a voter-card dispatch, at either office kind.
			const action = 'dispatch-voter-cards';
			const result = await createBatch(ctx.db, { action, electionId: view.batch.election_id, requestIds: view.ids }, ctx.actor, ctx.now);
			if (result.kind !== 'created') return fail(409, { problem: 'nothing-to-dispatch' as const, values: {}, errors: {} });
			redirect(303, batchPath(group, result.batchId));
		},
		/** The card PDF's job failed: it is claimed and rendered again in the background. */
		tisk: async (event: RequestEvent) => {
			const ctx = await staffContext(event, group);
			const result = await retryBatchCards(ctx.db, { batchId: event.params.id ?? '' }, ctx.actor, () => clock().now());
			if (result.kind === 'forbidden') error(403, 'Forbidden');
			if (result.kind === 'not-found') error(404, 'Not found');
			redirect(303, batchPath(group, event.params.id ?? ''));
		},
		zrusit: async (event: RequestEvent) => {
			const ctx = await staffContext(event, group);
			await discardBatch(ctx.db, { batchId: event.params.id ?? '' }, ctx.actor);
			redirect(303, `${group.base}/zadosti`);
		},
		/** The numbers typed or scanned per row; a wrong or used one is refused for its row only. */
		cisla: async (event: RequestEvent) => {
			const ctx = await staffContext(event, group);
			const form = await event.request.formData();
			const numbers: Record<string, string> = {};
			for (const [key, value] of form) {
				const match = numbersField.exec(key);
				if (match && typeof value === 'string') numbers[match[1]!] = value.slice(0, 40);
			}
			const result = await setBatchNumbers(ctx.db, { batchId: event.params.id ?? '', numbers }, ctx.actor);
			if (result.kind === 'forbidden') error(403, 'Forbidden');
			if (result.kind === 'not-found') error(404, 'Not found');
			if (result.kind === 'not-draft') redirect(303, batchPath(group, event.params.id ?? ''));
			const errors: Record<string, NumberError> = result.errors;
			if (Object.keys(errors).length) return fail(400, { problem: 'numbers' as const, values: numbers, errors });
			redirect(303, batchPath(group, event.params.id ?? ''));
		},
		/** Every row without a number gets the next free one of the office's ranges. */
		pridelit: async (event: RequestEvent) => {
			const ctx = await staffContext(event, group);
			const result = await assignBatchNumbersFromRange(ctx.db, { batchId: event.params.id ?? '' }, ctx.actor, ctx.now);
			if (result.kind === 'forbidden') error(403, 'Forbidden');
			if (result.kind === 'not-found') error(404, 'Not found');
			if (result.kind === 'assigned' && result.missing > 0) return fail(409, { problem: 'range-exhausted' as const, values: {}, errors: {}, missing: result.missing });
			redirect(303, `${batchPath(group, event.params.id ?? '')}?cisla`);
		}
	};
}

// --- Documents ---

/** The voter cards of a batch, one per page in the batch's order: the PDF job's stored document, streamed. */
export async function batchCardsDocument(event: RequestEvent, group: StaffGroup): Promise<Response> {
	const ctx = await staffContext(event, group);
	const result = await openBatchCardsPdf(ctx.db, { batchId: event.params.id ?? '' }, ctx.actor);
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	if (result.kind === 'not-found') error(404, 'Not found');
	// Not made yet: the batch page shows how far it is.
	if (result.kind === 'not-ready') redirect(303, batchPath(group, event.params.id ?? ''));
	const id = (event.params.id ?? '').slice(0, 8);
	return new Response(result.stream, {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Length': String(result.bytes),
			'Content-Disposition': `inline; filename="volicske-prukazy-${id}.pdf"`,
			'Cache-Control': 'private, no-store'
		}
	});
}

/** The postal submission sheet (podací arch) of a dispatch batch: PDF to print, CSV to submit; both streamed. */
export async function postalSheetDocument(event: RequestEvent, group: StaffGroup, format: 'pdf' | 'csv'): Promise<Response> {
	const ctx = await staffContext(event, group);
	const result = await getBatchPage(ctx.db, { batchId: event.params.id ?? '', afterPosition: 0 }, ctx.actor);
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	if (result.kind === 'not-found') error(404, 'Not found');
	const { batch } = result.view;
	if (!isDispatch(batch.action)) error(404, 'Not found');
	const head = { office: ctx.office, batch, count: await countBatchSheetItems(ctx.db, ctx.officeId, batch.id), now: ctx.now };
	const rows = sheetItems(ctx.db, ctx.officeId, batch.id);
	const name = `podaci-arch-${batch.id.slice(0, 8)}`;
	if (format === 'csv') {
		return new Response(streamPostalSheetCsv(head, rows), {
			headers: {
				'Content-Type': 'text/csv; charset=utf-8',
				'Content-Disposition': `attachment; filename="${name}.csv"`,
				'Cache-Control': 'private, no-store'
			}
		});
	}
	return new Response(streamPostalSheetPdf(head, rows), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `inline; filename="${name}.pdf"`,
			'Cache-Control': 'private, no-store'
		}
	});
}

// --- Undo a hand-over recorded by mistake (same office, same day) ---

const undoSchema = z.object({ duvod: z.string().trim().min(1).max(UNDO_REASON_MAX) });

export async function loadUndoHandOver(event: RequestEvent, group: StaffGroup) {
	const ctx = await staffContext(event, group);
	const row = await loadOfficeRequest(ctx, event.params.id ?? '');
	const card = await findVoterCardOfRequest(ctx.db, ctx.officeId, row.id);
	if (row.kind !== 'voter-card' || !card?.handed_over_at) redirect(303, requestPath(group, row.id));
	const consignment = await findConsignmentOfRequest(ctx.db, row.id);
	return {
		base: group.base,
		request: { id: row.id, reference: row.reference, voterName: `${row.voter_given_name} ${row.voter_family_name}` },
		handedOverAt: card.handed_over_at.toISOString(),
		method: card.handover_method,
		consignmentNumber: consignment?.number ?? null
	};
}

export function undoHandOverActions(group: StaffGroup) {
	return {
		default: async (event: RequestEvent) => {
			const ctx = await staffContext(event, group);
			const row = await loadOfficeRequest(ctx, event.params.id ?? '');
			const form = await event.request.formData();
			const reason = String(form.get('duvod') ?? '').slice(0, UNDO_REASON_MAX + 1);
			const parsed = undoSchema.safeParse({ duvod: reason });
			if (!parsed.success) return fail(400, { values: { duvod: reason }, errors: { duvod: reason.trim() ? 'too-long' : 'required' } as Record<string, string> });
			const result = await undoVoterCardHandOver(ctx.db, { requestId: row.id, reason: parsed.data.duvod }, ctx.actor, ctx.now);
			if (result.kind === 'invalid') return fail(400, { values: { duvod: reason }, errors: { duvod: 'required' } as Record<string, string> });
			if (result.kind === 'undo-too-late') return fail(409, { values: { duvod: reason }, errors: { duvod: 'too-late' } as Record<string, string> });
			if (result.kind !== 'done') return actionProblem(result);
			redirect(303, `${requestPath(group, row.id)}?hotovo=vraceno`);
		}
	};
}
