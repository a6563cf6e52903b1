import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../../db/test-support';
import { checkConsignmentNumber, consignmentNumber } from '../../../domain';
import { addConsignmentRange } from '../consignments';
import { acceptRequest, refuseRequest } from '../decisions';
import { decisionFixture, prague, type DecisionFixture } from '../decision-fixtures';
import { undoVoterCardHandOver } from '../voter-cards';
import { assignBatchNumbersFromRange, BATCH_CONCURRENCY, createBatch, getBatchPage, runBatch, setBatchNumbers } from './index';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const LATER = prague('2026-11-20T10:30');
/** After the earliest hand-over (§57(4), D−15) and before the post's deadline (§57(3), D−7 16:00). */
const DISPATCH = prague('2027-01-05T10:00');
const at = (instant: typeof LATER) => () => instant;

async function administrator() {
	const row = await db
		.insertInto('staff_user')
		.values({ username: 'spravce.batch', display_name: 'Správce', password_hash: 'x', role: 'administrator', office_id: null })
		.returning('id')
		.executeTakeFirstOrThrow();
	return { kind: 'staff' as const, id: row.id, officeId: null, role: 'administrator' as const };
}

async function requests(f: DecisionFixture, n: number, opts: { accept?: boolean } = {}) {
	const ids: string[] = [];
	for (let i = 0; i < n; i++) {
		const { id } = await f.voterCardRequest(await f.voter());
		if (opts.accept) expect(await acceptRequest(db, { requestId: id }, f.clerk, LATER)).toMatchObject({ kind: 'done' });
		ids.push(id);
	}
	return ids;
}

async function created(f: DecisionFixture, action: 'accept' | 'issue-voter-cards' | 'dispatch-voter-cards', ids: string[], actor = f.clerk) {
	const result = await createBatch(db, { action, electionId: f.chamber, requestIds: ids }, actor, LATER);
	if (result.kind !== 'created') throw new Error(JSON.stringify(result));
	return result.batchId;
}

const items = (batchId: string) => db.selectFrom('office_batch_item').selectAll().where('batch_id', '=', batchId).orderBy('position').execute();
const cards = () => db.selectFrom('voter_card').select(['request_id', 'serial']).orderBy('serial').execute();

describe('batches', () => {
	it('accept then issue: every item through the single-item service, consecutive serials, one audit entry per item naming the batch', async () => {
		const f = await decisionFixture(db);
		const ids = await requests(f, 5);
		// A colleague refuses one meanwhile: it is skipped and named.
		const acceptBatch = await created(f, 'accept', ids);
		expect(await refuseRequest(db, { requestId: ids[2]!, reason: 'not-on-voter-list' }, f.clerk2, LATER)).toMatchObject({ kind: 'done' });
		expect(await runBatch(db, { batchId: acceptBatch }, f.clerk, at(LATER))).toEqual({ kind: 'ran', done: 4, skipped: 1, pending: 0 });
		const accepted = await items(acceptBatch);
		expect(accepted[2]).toMatchObject({ outcome: 'skipped', reason: 'changed-meanwhile', detail: { state: 'refused' } });
		const batchRow = await db.selectFrom('office_batch').selectAll().where('id', '=', acceptBatch).executeTakeFirstOrThrow();
		expect(batchRow).toMatchObject({ status: 'done', selected_count: 5, done_count: 4, skipped_count: 1, created_by: f.clerk.id });
		const acceptAudit = await db.selectFrom('audit_log').select(['after']).where('action', '=', 'request.accept').execute();
		expect(acceptAudit.filter((a) => (a.after as { batchId?: string }).batchId === acceptBatch)).toHaveLength(4);

		const issueBatch = await created(f, 'issue-voter-cards', ids);
		expect(await runBatch(db, { batchId: issueBatch }, f.clerk, at(LATER))).toMatchObject({ done: 4, skipped: 1 });
		expect((await cards()).map((c) => c.serial)).toEqual([1, 2, 3, 4]);
		expect((await items(issueBatch))[2]).toMatchObject({ outcome: 'skipped', reason: 'wrong-state' });
		const issueAudit = await db.selectFrom('audit_log').select(['after']).where('action', '=', 'voter-card.issue').execute();
		expect(issueAudit.every((a) => (a.after as { batchId?: string }).batchId === issueBatch)).toBe(true);
		// Running a finished batch again does nothing.
		expect(await runBatch(db, { batchId: issueBatch }, f.clerk, at(LATER))).toEqual({ kind: 'finished-already' });
	});

	it("refuses another office's ids: the whole selection, and nothing is written", async () => {
		const f = await decisionFixture(db);
		const [own] = await requests(f, 1);
		const { id: brno } = await f.voterCardRequest(await f.voter({ municipal: f.brno }));
		expect(await createBatch(db, { action: 'accept', electionId: f.chamber, requestIds: [own!, brno] }, f.clerk, LATER)).toEqual({ kind: 'not-found' });
		expect(await createBatch(db, { action: 'accept', electionId: f.chamber, requestIds: ['not-a-uuid'] }, f.clerk, LATER)).toEqual({ kind: 'not-found' });
		expect(await db.selectFrom('office_batch').selectAll().execute()).toHaveLength(0);
		// Another office's batch id is not found either.
		const batchId = await created(f, 'accept', [own!]);
		expect(await getBatchPage(db, { batchId, afterPosition: 0 }, f.brnoClerk)).toEqual({ kind: 'not-found' });
		expect(await runBatch(db, { batchId }, f.brnoClerk, at(LATER))).toEqual({ kind: 'not-found' });
		expect(await runBatch(db, { batchId }, f.commissionMember, at(LATER))).toEqual({ kind: 'forbidden' });
	});

	it('two clerks running overlapping batches at the same moment: no card twice, no serial twice, each told what the other did', async () => {
		const f = await decisionFixture(db);
		const ids = await requests(f, 10, { accept: true });
		const a = await created(f, 'issue-voter-cards', ids.slice(0, 7), f.clerk);
		const b = await created(f, 'issue-voter-cards', ids.slice(3).reverse(), f.clerk2);
		const [ra, rb] = await Promise.all([runBatch(db, { batchId: a }, f.clerk, at(LATER)), runBatch(db, { batchId: b }, f.clerk2, at(LATER))]);
		if (ra.kind !== 'ran' || rb.kind !== 'ran') throw new Error('not ran');
		expect(ra.done + rb.done).toBe(10);
		expect(ra.skipped + rb.skipped).toBe(4);
		const issued = await cards();
		expect(issued.map((c) => c.serial)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		expect(new Set(issued.map((c) => c.request_id)).size).toBe(10);
		const skipped = [...(await items(a)), ...(await items(b))].filter((i) => i.outcome === 'skipped');
		expect(skipped.every((i) => i.reason === 'changed-meanwhile' && (i.detail as { state?: string }).state === 'issued')).toBe(true);
	});

	it('a batch interrupted in the middle leaves whole items; running it again finishes it without duplicates', async () => {
		const f = await decisionFixture(db);
		const ids = await requests(f, 10, { accept: true });
		const batchId = await created(f, 'issue-voter-cards', ids);
		let seen = 0;
		await expect(
			runBatch(db, { batchId }, f.clerk, at(LATER), {
				onItem: () => {
					if (++seen === 3) throw new Error('crash');
				}
			})
		).rejects.toThrow('crash');
		// The items in flight when it crashed finished whole; none was taken after it.
		const outcomes = (await items(batchId)).map((i) => i.outcome);
		const doneBefore = outcomes.filter((o) => o === 'done').length;
		expect(doneBefore).toBeGreaterThanOrEqual(3);
		// At most BATCH_CONCURRENCY − 1 others were in flight beside the third.
		expect(doneBefore).toBeLessThanOrEqual(3 + BATCH_CONCURRENCY - 1);
		expect(outcomes).toEqual([...Array(doneBefore).fill('done'), ...Array(10 - doneBefore).fill('pending')]);
		expect(await cards()).toHaveLength(doneBefore);
		expect((await db.selectFrom('office_batch').select('status').where('id', '=', batchId).executeTakeFirstOrThrow()).status).toBe('running');

		expect(await runBatch(db, { batchId }, f.clerk2, at(LATER))).toEqual({ kind: 'ran', done: 10, skipped: 0, pending: 0 });
		expect((await cards()).map((c) => c.serial)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		expect((await items(batchId)).every((i) => i.outcome === 'done')).toBe(true);
	});

	it('registered post: numbers from a range or typed, a wrong or used one refused per row, dispatch recorded, undone the same day only', async () => {
		const f = await decisionFixture(db);
		const ids = await requests(f, 3, { accept: true });
		await runBatch(db, { batchId: await created(f, 'issue-voter-cards', ids) }, f.clerk, at(LATER));
		const admin = await administrator();
		expect(await addConsignmentRange(db, { officeId: f.praha, service: 'RR', country: 'CZ', first: 100, last: 101 }, admin, LATER)).toMatchObject({ kind: 'done' });
		expect(await addConsignmentRange(db, { officeId: f.praha, service: 'RR', country: 'CZ', first: 100, last: 101 }, f.clerk, LATER)).toEqual({ kind: 'forbidden' });

		const dispatch = await created(f, 'dispatch-voter-cards', ids);
		// Two numbers left in the range for three letters: the third stays without one.
		expect(await assignBatchNumbersFromRange(db, { batchId: dispatch }, f.clerk, LATER)).toEqual({ kind: 'assigned', count: 2, missing: 1 });
		const typedWrong = await setBatchNumbers(db, { batchId: dispatch, numbers: { [ids[2]!]: 'RR123456784CZ' } }, f.clerk);
		expect(typedWrong).toEqual({ kind: 'saved', errors: { [ids[2]!]: 'check-digit' } });
		const duplicate = await setBatchNumbers(db, { batchId: dispatch, numbers: { [ids[2]!]: consignmentNumber('RR', 100, 'CZ') } }, f.clerk);
		expect(duplicate).toEqual({ kind: 'saved', errors: { [ids[2]!]: 'duplicate' } });
		expect(await setBatchNumbers(db, { batchId: dispatch, numbers: { [ids[2]!]: 'rr 123456785 cz' } }, f.clerk)).toEqual({ kind: 'saved', errors: {} });
		expect((await items(dispatch)).map((i) => i.consignment_number)).toEqual([
			consignmentNumber('RR', 100, 'CZ'),
			consignmentNumber('RR', 101, 'CZ'),
			'RR123456785CZ'
		]);

		expect(await runBatch(db, { batchId: dispatch }, f.clerk, at(DISPATCH))).toEqual({ kind: 'ran', done: 3, skipped: 0, pending: 0 });
		const recorded = await db.selectFrom('consignment').selectAll().orderBy('number').execute();
		expect(recorded.map((c) => c.number)).toEqual([consignmentNumber('RR', 100, 'CZ'), consignmentNumber('RR', 101, 'CZ'), 'RR123456785CZ']);
		expect(recorded.every((c) => c.batch_id === dispatch && c.office_id === f.praha)).toBe(true);
		const handOver = await db.selectFrom('audit_log').select('after').where('action', '=', 'voter-card.hand-over').execute();
		expect(handOver.map((a) => (a.after as { consignmentNumber?: string }).consignmentNumber).sort()).toEqual(recorded.map((c) => c.number));

		// A number used already is refused for a new batch's row.
		const { id: another } = await f.voterCardRequest(await f.voter());
		await acceptRequest(db, { requestId: another }, f.clerk, LATER);
		await runBatch(db, { batchId: await created(f, 'issue-voter-cards', [another]) }, f.clerk, at(LATER));
		const second = await created(f, 'dispatch-voter-cards', [another]);
		expect(await setBatchNumbers(db, { batchId: second, numbers: { [another]: 'RR123456785CZ' } }, f.clerk)).toEqual({
			kind: 'saved',
			errors: { [another]: 'used' }
		});

		// Undo: another office cannot, the next day is too late, the same day it is undone and the number freed.
		expect(await undoVoterCardHandOver(db, { requestId: ids[0]!, reason: 'Omyl' }, f.brnoClerk, DISPATCH)).toEqual({ kind: 'not-found' });
		expect(await undoVoterCardHandOver(db, { requestId: ids[0]!, reason: 'Omyl' }, f.clerk, prague('2027-01-06T00:00'))).toMatchObject({ kind: 'undo-too-late' });
		expect(await undoVoterCardHandOver(db, { requestId: ids[0]!, reason: '' }, f.clerk, DISPATCH)).toEqual({ kind: 'invalid', field: 'reason' });
		expect(await undoVoterCardHandOver(db, { requestId: ids[0]!, reason: 'Zásilka zůstala na úřadě' }, f.clerk, prague('2027-01-05T23:59'))).toMatchObject({ kind: 'done' });
		expect((await db.selectFrom('request').select('state').where('id', '=', ids[0]!).executeTakeFirstOrThrow()).state).toBe('issued');
		expect(await db.selectFrom('consignment').select('number').where('request_id', '=', ids[0]!).executeTakeFirst()).toBeUndefined();
		const [undo] = await db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'voter-card.hand-over-undo').execute();
		expect(undo).toMatchObject({ before: { consignmentNumber: consignmentNumber('RR', 100, 'CZ') }, after: { reason: 'Zásilka zůstala na úřadě', requestState: 'issued' } });
	});
	it('numbers a page at a time: across page and range boundaries consecutive valid numbers, one audit entry, duplicates found across pages', async () => {
		const f = await decisionFixture(db);
		const ids = await requests(f, 7, { accept: true });
		await runBatch(db, { batchId: await created(f, 'issue-voter-cards', ids) }, f.clerk, at(LATER));
		const admin = await administrator();
		// Four numbers in the first range, the rest from the second: the second page crosses from one to the other.
		expect(await addConsignmentRange(db, { officeId: f.praha, service: 'RR', country: 'CZ', first: 200, last: 203 }, admin, LATER)).toMatchObject({ kind: 'done' });
		expect(await addConsignmentRange(db, { officeId: f.praha, service: 'RR', country: 'CZ', first: 300, last: 307 }, admin, prague('2026-11-20T10:31'))).toMatchObject({ kind: 'done' });
		const dispatch = await created(f, 'dispatch-voter-cards', ids);
		const page = { pageSize: 3 };

		expect(await assignBatchNumbersFromRange(db, { batchId: dispatch }, f.clerk, LATER, page)).toEqual({ kind: 'assigned', count: 7, missing: 0 });
		const expected = [200, 201, 202, 203, 300, 301, 302].map((serial) => consignmentNumber('RR', serial, 'CZ'));
		const numbered = await items(dispatch);
		expect(numbered.map((i) => i.consignment_number)).toEqual(expected);
		expect(numbered.every((i) => checkConsignmentNumber(i.consignment_number!).ok)).toBe(true);
		const audit = await db.selectFrom('audit_log').select(['entity_id', 'after']).where('action', '=', 'batch.assign-numbers').execute();
		expect(audit).toEqual([{ entity_id: dispatch, after: { count: 7, first: expected[0], last: expected[6] } }]);
		// Nothing left without a number: nothing taken, nothing written.
		expect(await assignBatchNumbersFromRange(db, { batchId: dispatch }, f.clerk, LATER, page)).toEqual({ kind: 'assigned', count: 0, missing: 0 });
		expect(await db.selectFrom('audit_log').select('id').where('action', '=', 'batch.assign-numbers').execute()).toHaveLength(1);
		const ranges = await db.selectFrom('consignment_range').select(['first_serial', 'next_serial']).orderBy('first_serial').execute();
		expect(ranges).toEqual([
			{ first_serial: 200, next_serial: 204 },
			{ first_serial: 300, next_serial: 303 }
		]);

		// Typed on the third page: a number of a row on the first page is a duplicate; two typed rows on different pages with one number, the later one.
		const fresh = consignmentNumber('RR', 500, 'CZ');
		const typed = await setBatchNumbers(db, { batchId: dispatch, numbers: { [ids[6]!]: expected[1]!, [ids[2]!]: fresh, [ids[4]!]: fresh } }, f.clerk, page);
		expect(typed).toEqual({ kind: 'saved', errors: { [ids[6]!]: 'duplicate', [ids[4]!]: 'duplicate' } });
		expect((await items(dispatch)).map((i) => i.consignment_number)).toEqual([expected[0], expected[1], fresh, expected[3], expected[4], expected[5], expected[6]]);

		// The ranges run out on a page: what they held is assigned, the rest counted as missing.
		const more = await requests(f, 7, { accept: true });
		await runBatch(db, { batchId: await created(f, 'issue-voter-cards', more) }, f.clerk, at(LATER));
		const second = await created(f, 'dispatch-voter-cards', more);
		expect(await assignBatchNumbersFromRange(db, { batchId: second }, f.clerk, LATER, page)).toEqual({ kind: 'assigned', count: 5, missing: 2 });
		expect((await items(second)).map((i) => i.consignment_number)).toEqual([...[303, 304, 305, 306, 307].map((s) => consignmentNumber('RR', s, 'CZ')), null, null]);
	});
});
