import { PDFParse } from 'pdf-parse';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../../db/test-support';
import { claimBatchCardsPdf, findBatchOfOffice, updateBatchCardsReady } from '../../db/queries/batches';
import { renderBatchVoterCards } from '../../documents/batch';
import { acceptRequest } from '../decisions';
import { decisionFixture, prague, type DecisionFixture } from '../decision-fixtures';
import { cardsProgress, getBatchCardsProgress, openBatchCardsPdf, renderBatchCards, retryBatchCards } from './cards-pdf';
import { createBatch, runBatch } from './index';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const LATER = prague('2026-11-20T10:30');
const at = (instant: typeof LATER) => () => instant;

/** Pages of a PDF: its page objects (not the /Pages tree). */
function pageCount(pdf: Buffer): number {
	return (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
}

async function issuedBatch(f: DecisionFixture, n: number) {
	const ids: string[] = [];
	for (let i = 0; i < n; i++) {
		const { id } = await f.voterCardRequest(await f.voter({ familyName: `Dávkový${String(i).padStart(2, '0')}` }));
		expect(await acceptRequest(db, { requestId: id }, f.clerk, LATER)).toMatchObject({ kind: 'done' });
		ids.push(id);
	}
	// The postal sheet's order is the order selected: the reverse of filing here.
	const created = await createBatch(db, { action: 'issue-voter-cards', electionId: f.chamber, requestIds: [...ids].reverse() }, f.clerk, LATER);
	if (created.kind !== 'created') throw new Error(JSON.stringify(created));
	expect(await runBatch(db, { batchId: created.batchId }, f.clerk, at(LATER))).toMatchObject({ kind: 'ran', done: n });
	return created.batchId;
}

async function download(batchId: string, actor: DecisionFixture['clerk']): Promise<Buffer> {
	const opened = await openBatchCardsPdf(db, { batchId }, actor);
	if (opened.kind !== 'ok') throw new Error(opened.kind);
	const parts: Buffer[] = [];
	const reader = opened.stream.getReader();
	for (let read = await reader.read(); !read.done; read = await reader.read()) parts.push(Buffer.from(read.value));
	const pdf = Buffer.concat(parts);
	expect(pdf.byteLength).toBe(opened.bytes);
	return pdf;
}

const batchRow = (id: string) => db.selectFrom('office_batch').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const partRows = (id: string) => db.selectFrom('office_batch_pdf_part').select(['attempt', 'seq']).where('batch_id', '=', id).orderBy('attempt').orderBy('seq').execute();

describe('the voter cards of a batch as one PDF (a document job)', () => {
	it('renders in keyset chunks into small parts: one card per page, in the batch order, the address in the window', async () => {
		const f = await decisionFixture(db);
		const batchId = await issuedBatch(f, 5);
		const parts: Buffer[] = [];
		const seen: number[] = [];
		const progress: number[] = [];
		const result = await renderBatchVoterCards(
			db,
			{ officeId: f.praha, batchId, generatedAt: LATER },
			async (seq, bytes) => {
				seen.push(seq);
				parts.push(Buffer.from(bytes));
			},
			async (done) => {
				progress.push(done);
			},
			{ chunk: 2, partBytes: 4096 }
		);
		const pdf = Buffer.concat(parts);
		expect(result).toEqual({ cards: 5, bytes: pdf.byteLength });
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		expect(pageCount(pdf)).toBe(5);
		// Parts of at most 4 KiB, in order: the PDF never sat whole in memory.
		expect(seen).toEqual([...seen.keys()]);
		expect(parts.length).toBeGreaterThan(3);
		expect(parts.every((p) => p.byteLength <= 4096)).toBe(true);
		expect(progress).toEqual([1, 2, 3, 4, 5]);
		// The batch's order (selected in reverse of filing), the window address on each card.
		const parser = new PDFParse({ data: new Uint8Array(pdf) });
		const text = (await parser.getText()).text;
		await parser.destroy();
		const order = [...text.matchAll(/Dávkový(\d\d)/g)].map((m) => m[1]);
		expect([...new Set(order)]).toEqual(['04', '03', '02', '01', '00']);
		expect(text).toContain('Dlouhá 5');
	});

	it('the job: pending until started, then ready with its parts stored, audited; the download streams them back', async () => {
		const f = await decisionFixture(db);
		const batchId = await issuedBatch(f, 3);
		expect((await batchRow(batchId)).pdf_status).toBeNull();
		expect(await openBatchCardsPdf(db, { batchId }, f.clerk)).toEqual({ kind: 'not-ready' });

		expect(await renderBatchCards(db, { batchId }, f.clerk, at(LATER))).toEqual({ kind: 'ready' });
		const row = await batchRow(batchId);
		expect(row).toMatchObject({ pdf_status: 'ready', pdf_total: 3, pdf_rendered: 3, pdf_attempts: 1, pdf_error: null });
		const pdf = await download(batchId, f.clerk);
		expect(pageCount(pdf)).toBe(3);
		const audit = await db.selectFrom('audit_log').select(['after']).where('action', '=', 'batch.cards-pdf').where('entity_id', '=', batchId).execute();
		expect(audit).toHaveLength(1);
		expect(audit[0]!.after).toMatchObject({ status: 'ready', cards: 3, bytes: pdf.byteLength });

		// Idempotent: a ready PDF is not rendered again, and stays what it was.
		expect(await renderBatchCards(db, { batchId }, f.clerk, at(LATER.add({ minutes: 5 })))).toEqual({ kind: 'not-claimed' });
		expect((await download(batchId, f.clerk)).equals(pdf)).toBe(true);
		expect(await getBatchCardsProgress(db, { batchId }, f.clerk, at(LATER))).toEqual({ kind: 'ok', progress: { status: 'ready', rendered: 3, total: 3 } });
	});

	it('a renderer that crashed mid-way is taken over after it went silent; its parts go, the result is the same document', async () => {
		const f = await decisionFixture(db);
		const batchId = await issuedBatch(f, 4);
		// A first renderer claims the job and dies after writing a part (a process killed).
		const dead = await claimBatchCardsPdf(db, f.praha, batchId, new Date(LATER.epochMilliseconds), new Date(LATER.subtract({ seconds: 60 }).epochMilliseconds));
		expect(dead).toBe(1);
		await db.insertInto('office_batch_pdf_part').values({ batch_id: batchId, attempt: 1, seq: 0, bytes: Buffer.from('%PDF-half') }).execute();
		// While it might still be alive, nobody else claims it, and the page does not start a second one.
		expect(await renderBatchCards(db, { batchId }, f.clerk, at(LATER.add({ seconds: 30 })))).toEqual({ kind: 'not-claimed' });
		expect(await getBatchCardsProgress(db, { batchId }, f.clerk, at(LATER.add({ seconds: 30 })))).toMatchObject({ kind: 'ok', progress: { status: 'rendering' } });
		// Silent for over a minute: taken over and rendered again from the stored rows.
		expect(await renderBatchCards(db, { batchId }, f.clerk2, at(LATER.add({ seconds: 61 })))).toEqual({ kind: 'ready' });
		expect((await batchRow(batchId)).pdf_attempts).toBe(2);
		expect((await partRows(batchId)).every((p) => p.attempt === 2)).toBe(true);
		const pdf = await download(batchId, f.clerk);
		expect(pageCount(pdf)).toBe(4);
		// The dead renderer waking up cannot overwrite the result (fenced by its attempt).
		expect(await db.transaction().execute((trx) => updateBatchCardsReady(trx, batchId, 1, 9, new Date()))).toBe(false);
		expect((await download(batchId, f.clerk)).equals(pdf)).toBe(true);
	});

	it('the page starts a job that never started; a failure is rendered again only on request', async () => {
		const f = await decisionFixture(db);
		const batchId = await issuedBatch(f, 2);
		// Looking at the finished batch starts its job in the background.
		expect(cardsProgress(db, (await findBatchOfOffice(db, f.praha, batchId))!, f.clerk, at(LATER))).toEqual({ status: 'pending', rendered: 0, total: 2 });
		await expect.poll(async () => (await batchRow(batchId)).pdf_status, { timeout: 20_000 }).toBe('ready');
		expect(pageCount(await download(batchId, f.clerk))).toBe(2);

		await db
			.updateTable('office_batch')
			.set({ pdf_status: 'failed', pdf_rendered_at: null, pdf_bytes: null, pdf_rendered: 1, pdf_error: 'disk full' })
			.where('id', '=', batchId)
			.execute();
		// A failed job is not restarted by looking at it: only by the clerk's retry.
		expect(cardsProgress(db, (await findBatchOfOffice(db, f.praha, batchId))!, f.clerk, at(LATER))).toEqual({ status: 'failed', rendered: 1, total: 2 });
		expect((await batchRow(batchId)).pdf_status).toBe('failed');
		expect(await openBatchCardsPdf(db, { batchId }, f.clerk)).toEqual({ kind: 'not-ready' });
		expect(await retryBatchCards(db, { batchId }, f.clerk, at(LATER))).toEqual({ kind: 'started' });
		await expect.poll(async () => (await batchRow(batchId)).pdf_status, { timeout: 20_000 }).toBe('ready');
		expect((await batchRow(batchId)).pdf_attempts).toBe(2);
		expect(pageCount(await download(batchId, f.clerk))).toBe(2);
		expect(await retryBatchCards(db, { batchId }, f.clerk, at(LATER))).toEqual({ kind: 'not-failed' });
	});

	it("another office's clerk gets not-found; an accept batch has no cards PDF; an unfinished batch none yet", async () => {
		const f = await decisionFixture(db);
		const batchId = await issuedBatch(f, 1);
		expect(await renderBatchCards(db, { batchId }, f.brnoClerk, at(LATER))).toEqual({ kind: 'not-found' });
		expect(await openBatchCardsPdf(db, { batchId }, f.brnoClerk)).toEqual({ kind: 'not-found' });
		expect(await getBatchCardsProgress(db, { batchId }, f.brnoClerk, at(LATER))).toEqual({ kind: 'not-found' });
		const { id } = await f.voterCardRequest(await f.voter());
		const accept = await createBatch(db, { action: 'accept', electionId: f.chamber, requestIds: [id] }, f.clerk, LATER);
		if (accept.kind !== 'created') throw new Error(accept.kind);
		expect(await renderBatchCards(db, { batchId: accept.batchId }, f.clerk, at(LATER))).toEqual({ kind: 'not-found' });
		const { id: other } = await f.voterCardRequest(await f.voter());
		expect(await acceptRequest(db, { requestId: other }, f.clerk, LATER)).toMatchObject({ kind: 'done' });
		const draft = await createBatch(db, { action: 'issue-voter-cards', electionId: f.chamber, requestIds: [other] }, f.clerk, LATER);
		if (draft.kind !== 'created') throw new Error(draft.kind);
		expect(await renderBatchCards(db, { batchId: draft.batchId }, f.clerk, at(LATER))).toEqual({ kind: 'not-finished' });
	});
});
