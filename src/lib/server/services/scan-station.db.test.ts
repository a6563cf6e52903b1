import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { ENVELOPE_CODE_RANDOM_BYTES, generateEnvelopeCode } from '../../domain/envelopes';
import { openTestDb, resetDb } from '../db/test-support';
import { createEnvelopeFixture, type EnvelopeFixture } from './envelope-fixtures';
import { createHandover } from './envelopes';
import { decideLateReceipt, listLateReviews, recordStationScan, stationCountersToday, type StationScanInput } from './scan-station';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const station = (f: EnvelopeFixture, code: string, extra: Partial<StationScanInput> = {}): StationScanInput => ({
	scanId: crypto.randomUUID(),
	code,
	storageBatch: null,
	expected: { electionId: f.electionId, round: 1 },
	scannedAgoMs: 0,
	...extra
});

async function envelopes() {
	return db.selectFrom('return_envelope').select(['id', 'late', 'late_review', 'scanned_at', 'received_at']).orderBy('scan_no').execute();
}

describe('recordStationScan (issue 13): idempotent on the browser’s scan id', () => {
	it('the same scan sent twice is recorded once and answers its first outcome both times', async () => {
		const f = await createEnvelopeFixture(db);
		const input = station(f, f.packages[0]!.code);
		const first = await recordStationScan(db, input, f.staff.clerk, f.beforeClose);
		expect(first).toMatchObject({ kind: 'scan', repeat: false, outcome: { kind: 'recorded', initials: 'J. N.', count: 1 } });
		// A retry after a lost answer, a minute later: the first outcome, nothing new written.
		const again = await recordStationScan(db, input, f.staff.clerk, f.beforeClose.add({ minutes: 1 }));
		expect(again).toEqual({ kind: 'scan', repeat: true, outcome: first.kind === 'scan' ? first.outcome : null });
		expect(await envelopes()).toHaveLength(1);
		const audits = await db.selectFrom('audit_log').select('action').where('action', '=', 'return-envelope.receive').execute();
		expect(audits).toHaveLength(1);
		// A new scan of the same envelope (a new id) is a duplicate naming who recorded it first.
		const dup = await recordStationScan(db, station(f, f.packages[0]!.code), f.staff.clerk2, f.beforeClose);
		expect(dup).toMatchObject({ kind: 'scan', repeat: false, outcome: { kind: 'duplicate', firstReceivedBy: expect.any(String) } });
	});

	it('the same id sent concurrently five times records one envelope, and every answer is its outcome', async () => {
		const f = await createEnvelopeFixture(db);
		const input = station(f, f.packages[1]!.code);
		const results = await Promise.all(Array.from({ length: 5 }, () => recordStationScan(db, input, f.staff.clerk, f.beforeClose)));
		expect(results.every((r) => r.kind === 'scan' && r.outcome.kind === 'recorded')).toBe(true);
		expect(results.filter((r) => r.kind === 'scan' && !r.repeat)).toHaveLength(1);
		expect(await envelopes()).toHaveLength(1);
	});

	it('another staff member cannot read a scan by its id', async () => {
		const f = await createEnvelopeFixture(db);
		const input = station(f, f.packages[0]!.code);
		await recordStationScan(db, input, f.staff.clerk, f.beforeClose);
		expect(await recordStationScan(db, input, f.otherStaff.clerk, f.beforeClose)).toEqual({ kind: 'scan-id-taken' });
		expect(await recordStationScan(db, input, f.staff.member, f.beforeClose)).toEqual({ kind: 'forbidden' });
	});

	it('refuses another embassy’s envelope, another election’s, an unknown and a mistyped code, recording nothing', async () => {
		const f = await createEnvelopeFixture(db);
		const other = await recordStationScan(db, station(f, f.otherPackages[0]!.code), f.staff.clerk, f.beforeClose);
		expect(other).toMatchObject({ outcome: { kind: 'other-embassy' } });
		const wrong = await recordStationScan(db, station(f, f.packages[0]!.code, { expected: { electionId: crypto.randomUUID(), round: 1 } }), f.staff.clerk, f.beforeClose);
		expect(wrong).toMatchObject({ outcome: { kind: 'wrong-election', round: 1 } });
		const unknown = generateEnvelopeCode(crypto.getRandomValues(new Uint8Array(ENVELOPE_CODE_RANDOM_BYTES)));
		expect(await recordStationScan(db, station(f, unknown), f.staff.clerk, f.beforeClose)).toMatchObject({ outcome: { kind: 'unknown' } });
		expect(await recordStationScan(db, station(f, 'abc'), f.staff.clerk, f.beforeClose)).toMatchObject({ outcome: { kind: 'invalid', code: 'abc', reason: 'length' } });
		expect(await envelopes()).toHaveLength(0);
		// The day's counters, by reason, in the embassy's time zone.
		expect(await stationCountersToday(db, f.staff.clerk, f.beforeClose)).toEqual({ 'other-embassy': 1, 'wrong-election': 1, unknown: 1, invalid: 1 });
		expect(await stationCountersToday(db, f.otherStaff.clerk, f.beforeClose)).toEqual({});
	});
});

describe('scanned before the close of voting, received after it (issue 13, §57c(4),(5))', () => {
	it('is recorded late and waits for the head of the embassy, who decides it was in time, with the audit entry', async () => {
		const f = await createEnvelopeFixture(db);
		// Scanned ten minutes before the close, sent five minutes after it (the station was offline).
		const receivedAt = f.votingClosesAt.add({ minutes: 5 });
		const result = await recordStationScan(db, station(f, f.packages[0]!.code, { scannedAgoMs: 15 * 60_000 }), f.staff.clerk, receivedAt);
		expect(result).toMatchObject({ kind: 'scan', outcome: { kind: 'received-late' } });
		const [row] = await envelopes();
		expect(row).toMatchObject({ late: true, late_review: 'pending' });
		// The server's receipt is the official time; the scan's own is kept beside it.
		expect(row!.received_at).toEqual(new Date(receivedAt.epochMilliseconds));
		expect(row!.scanned_at).toEqual(new Date(f.votingClosesAt.subtract({ minutes: 10 }).epochMilliseconds));

		// Scanned after the close: plainly late, nothing to decide.
		const plain = await recordStationScan(db, station(f, f.packages[1]!.code, { scannedAgoMs: 60_000 }), f.staff.clerk, receivedAt);
		expect(plain).toMatchObject({ outcome: { kind: 'late' } });

		const reviews = await listLateReviews(db, { electionId: f.electionId, round: 1 }, f.staff.clerk, 'America/New_York');
		expect(reviews.kind === 'reviews' && reviews.envelopes.map((e) => e.id)).toEqual([row!.id]);

		const decideAt = f.votingClosesAt.add({ minutes: 20 });
		// Only the head decides; another embassy's head sees no such envelope.
		expect(await decideLateReceipt(db, { envelopeId: row!.id, decision: 'on-time' }, f.staff.clerk, decideAt)).toEqual({ kind: 'forbidden' });
		expect(await decideLateReceipt(db, { envelopeId: row!.id, decision: 'on-time' }, f.otherStaff.head, decideAt)).toEqual({ kind: 'not-found' });
		expect(await decideLateReceipt(db, { envelopeId: row!.id, decision: 'on-time' }, f.staff.head, decideAt)).toEqual({
			kind: 'decided',
			envelopeId: row!.id,
			decision: 'on-time'
		});
		expect(await decideLateReceipt(db, { envelopeId: row!.id, decision: 'late' }, f.staff.head, decideAt)).toEqual({ kind: 'already-decided' });
		const [decided] = await envelopes();
		expect(decided).toMatchObject({ late: false, late_review: 'on-time' });
		const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'return-envelope.late-review').executeTakeFirstOrThrow();
		expect(audit).toMatchObject({ actor_id: f.staff.head.id, entity_id: row!.id, after: expect.objectContaining({ decision: 'on-time', late: false }) });
		// Accepted in time, it is handed over to the commission with the others (§57c(4)).
		const handover = await createHandover(db, { electionId: f.electionId, round: 1 }, f.staff.head, decideAt);
		expect(handover).toMatchObject({ kind: 'created', envelopeCount: 1 });
	});

	it('kept late by the head: stays apart, never handed over', async () => {
		const f = await createEnvelopeFixture(db);
		const at = f.votingClosesAt.add({ seconds: 30 });
		await recordStationScan(db, station(f, f.packages[0]!.code, { scannedAgoMs: 60_000 }), f.staff.clerk, at);
		const [row] = await envelopes();
		expect(await decideLateReceipt(db, { envelopeId: row!.id, decision: 'late' }, f.staff.head, at)).toMatchObject({ kind: 'decided' });
		expect(await envelopes()).toMatchObject([{ late: true, late_review: 'late' }]);
		expect(await createHandover(db, { electionId: f.electionId, round: 1 }, f.staff.head, at)).toEqual({ kind: 'nothing-to-hand-over' });
	});

	it('a scan age that cannot be believed is ignored: late, no decision', async () => {
		const f = await createEnvelopeFixture(db);
		const at = f.afterClose;
		const result = await recordStationScan(db, station(f, f.packages[0]!.code, { scannedAgoMs: 30 * 24 * 3600 * 1000 }), f.staff.clerk, at);
		expect(result).toMatchObject({ outcome: { kind: 'late' } });
		expect(await envelopes()).toMatchObject([{ late: true, late_review: null, scanned_at: null }]);
		expect(Temporal.Instant.compare(at, f.votingClosesAt)).toBe(1);
	});
});
