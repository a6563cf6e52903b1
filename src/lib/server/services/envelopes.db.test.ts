import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { ENVELOPE_CODE_RANDOM_BYTES, formatEnvelopeCode, generateEnvelopeCode } from '../../domain/envelopes';
import { openTestDb, resetDb } from '../db/test-support';
import { notificationSubject } from './notifications';
import { createEnvelopeFixture, type EnvelopeFixture } from './envelope-fixtures';
import {
	confirmHandoverAsChair,
	confirmHandoverAsHead,
	createHandover,
	getHandoverRecord,
	listVoterEnvelopeStatuses,
	recordEnvelopeScan,
	summariseArrivals,
	undoLastScan,
	voterInitials
} from './envelopes';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

function freshCode(): string {
	return generateEnvelopeCode(crypto.getRandomValues(new Uint8Array(ENVELOPE_CODE_RANDOM_BYTES)));
}

async function scan(f: EnvelopeFixture, index: number, at: Temporal.Instant = f.beforeClose, batch?: string) {
	return recordEnvelopeScan(db, { code: f.packages[index]!.code, storageBatch: batch }, f.staff.clerk, at);
}

async function auditActions(entityId: string) {
	const rows = await db.selectFrom('audit_log').select('action').where('entity_id', '=', entityId).orderBy('id').execute();
	return rows.map((r) => r.action);
}

describe('recordEnvelopeScan (§57c(3), §57c(5))', () => {
	it('acknowledges a scan with the initials, the receipt time in Prague and local time, and the running count', async () => {
		const f = await createEnvelopeFixture(db);
		const first = await scan(f, 0);
		expect(first).toMatchObject({ kind: 'recorded', late: false, initials: 'J. N.', count: 1, code: f.packages[0]!.code });
		if (first.kind !== 'recorded') throw new Error('not recorded');
		// Washington-like embassy (America/New_York), one hour before the close of 14:00 local on D (15 Jan 2027).
		expect(first.receivedAt).toEqual({
			prague: '2027-01-15T19:00:00+01:00',
			local: '2027-01-15T13:00:00-05:00',
			timeZone: 'America/New_York'
		});
		// The same audit row appendAudit writes, in the scan's one statement.
		const audit = await db.selectFrom('audit_log').selectAll().where('entity_id', '=', first.envelopeId).executeTakeFirstOrThrow();
		expect(audit).toMatchObject({
			action: 'return-envelope.receive',
			actor_kind: 'staff',
			actor_id: f.staff.clerk.id,
			office_id: f.embassy.id,
			entity_type: 'return_envelope',
			before: null,
			after: { packageId: f.packages[0]!.packageId, electionId: f.electionId, round: 1, late: false, storageBatch: null }
		});
		expect(audit.at).toEqual(new Date(f.beforeClose.epochMilliseconds));

		// Typed by hand, in lower case with hyphens: the same code.
		const second = await recordEnvelopeScan(db, { code: formatEnvelopeCode(f.packages[1]!.code).toLowerCase() }, f.staff.clerk2, f.beforeClose);
		expect(second).toMatchObject({ kind: 'recorded', count: 2 });
	});

	it('§57c(5) late at the exact instant of the close of voting; on time one millisecond before', async () => {
		const f = await createEnvelopeFixture(db);
		expect(await scan(f, 0, f.votingClosesAt.subtract({ milliseconds: 1 }))).toMatchObject({ kind: 'recorded', late: false });
		const late = await scan(f, 1, f.votingClosesAt);
		expect(late).toMatchObject({ kind: 'late', late: true, count: 2 });
		expect(await scan(f, 2, f.afterClose)).toMatchObject({ kind: 'late' });
		const rows = await db.selectFrom('return_envelope').select(['late']).orderBy('scan_no').execute();
		expect(rows.map((r) => r.late)).toEqual([false, true, true]);
	});

	it('a second scan of the same envelope is a duplicate naming the first receipt; nothing is written', async () => {
		const f = await createEnvelopeFixture(db);
		await scan(f, 0, f.beforeClose.subtract({ hours: 5 }));
		const again = await scan(f, 0);
		expect(again).toEqual({
			kind: 'duplicate',
			code: f.packages[0]!.code,
			initials: 'J. N.',
			firstReceivedAt: { prague: '2027-01-15T14:00:00+01:00', local: '2027-01-15T08:00:00-05:00', timeZone: 'America/New_York' },
			firstReceivedBy: expect.any(String)
		});
		expect(await db.selectFrom('return_envelope').select('id').execute()).toHaveLength(1);
	});

	it('a well-formed code of no package is unknown; a typo is refused before any look-up', async () => {
		const f = await createEnvelopeFixture(db);
		const unknown = freshCode();
		expect(await recordEnvelopeScan(db, { code: unknown }, f.staff.clerk, f.beforeClose)).toEqual({ kind: 'unknown-code', code: unknown });
		const code = f.packages[0]!.code;
		const typo = code.slice(0, 5) + (code[5] === 'A' ? 'B' : 'A') + code.slice(6);
		expect(await recordEnvelopeScan(db, { code: typo }, f.staff.clerk, f.beforeClose)).toEqual({ kind: 'invalid-code', reason: 'check' });
		expect(await recordEnvelopeScan(db, { code: 'XYZ' }, f.staff.clerk, f.beforeClose)).toEqual({ kind: 'invalid-code', reason: 'length' });
	});

	it('another embassy’s envelope behaves exactly like an unknown code', async () => {
		const f = await createEnvelopeFixture(db);
		const foreign = f.otherPackages[0]!.code;
		expect(await recordEnvelopeScan(db, { code: foreign }, f.staff.clerk, f.beforeClose)).toEqual({ kind: 'unknown-code', code: foreign });
		expect(await db.selectFrom('return_envelope').select('id').execute()).toHaveLength(0);
	});

	it('only the embassy’s clerk or head may record arrivals', async () => {
		const f = await createEnvelopeFixture(db);
		expect(await recordEnvelopeScan(db, { code: f.packages[0]!.code }, f.staff.member, f.beforeClose)).toEqual({ kind: 'forbidden' });
		expect(await recordEnvelopeScan(db, { code: f.packages[0]!.code }, f.staff.chair, f.beforeClose)).toEqual({ kind: 'forbidden' });
		expect(await recordEnvelopeScan(db, { code: f.packages[0]!.code }, f.staff.head, f.beforeClose)).toMatchObject({ kind: 'recorded' });
	});

	it('refuses to judge lateness without the embassy’s voting windows', async () => {
		const f = await createEnvelopeFixture(db);
		await db.deleteFrom('embassy_voting_window').where('office_id', '=', f.embassy.id).execute();
		expect(await scan(f, 0)).toEqual({ kind: 'voting-not-configured' });
	});

	it('refuses a storage batch name that is too long; trims a blank one to none', async () => {
		const f = await createEnvelopeFixture(db);
		expect(await scan(f, 0, f.beforeClose, 'x'.repeat(41))).toEqual({ kind: 'invalid-storage-batch' });
		expect(await scan(f, 0, f.beforeClose, '   ')).toMatchObject({ kind: 'recorded', storageBatch: null });
	});

	it('tells a voter with a confirmed e-mail address that the envelope arrived, and that it came late', async () => {
		const f = await createEnvelopeFixture(db, { confirmedEmail: true });
		await scan(f, 0);
		await scan(f, 1, f.afterClose);
		const mail = await db.selectFrom('email_outbox').select(['voter_id', 'subject', 'body']).orderBy('created_at').execute();
		expect(mail.map((m) => m.voter_id).sort()).toEqual([f.packages[0]!.voterId, f.packages[1]!.voterId].sort());
		// Issue 15: the subject names the election, then the state.
		expect(mail.every((m) => m.subject.endsWith(`: ${notificationSubject('envelope-received')}`))).toBe(true);
		// In the voter's language only (Czech until known).
		expect(mail.find((m) => m.voter_id === f.packages[1]!.voterId)?.body).toContain('nebude započtena (§57c odst. 5)');
		expect(mail.find((m) => m.voter_id === f.packages[0]!.voterId)?.body).not.toContain('§57c');
	});

	it('no e-mail for a voter without a confirmed address', async () => {
		const f = await createEnvelopeFixture(db);
		await scan(f, 0);
		expect(await db.selectFrom('email_outbox').select('id').execute()).toHaveLength(0);
	});

	it('two scans of the same code at the same moment: one recorded, one duplicate', async () => {
		const f = await createEnvelopeFixture(db);
		const results = await Promise.all([
			recordEnvelopeScan(db, { code: f.packages[0]!.code }, f.staff.clerk, f.beforeClose),
			recordEnvelopeScan(db, { code: f.packages[0]!.code }, f.staff.clerk2, f.beforeClose)
		]);
		expect(results.map((r) => r.kind).sort()).toEqual(['duplicate', 'recorded']);
		expect(await db.selectFrom('return_envelope').select('id').execute()).toHaveLength(1);
		expect(await db.selectFrom('audit_log').select('id').where('action', '=', 'return-envelope.receive').execute()).toHaveLength(1);
	});
});

describe('undoLastScan', () => {
	it('takes back the clerk’s own last scan only, once, and the envelope can be scanned again', async () => {
		const f = await createEnvelopeFixture(db);
		const a = await scan(f, 0);
		const b = await scan(f, 1);
		if (a.kind !== 'recorded' || b.kind !== 'recorded') throw new Error('not recorded');
		// Another clerk has no scan of their own to undo.
		expect(await undoLastScan(db, { envelopeId: b.envelopeId }, f.staff.clerk2, f.beforeClose)).toEqual({ kind: 'nothing-to-undo' });
		// Not the last one.
		expect(await undoLastScan(db, { envelopeId: a.envelopeId }, f.staff.clerk, f.beforeClose)).toEqual({ kind: 'not-last-scan' });
		expect(await undoLastScan(db, { envelopeId: b.envelopeId }, f.staff.clerk, f.beforeClose)).toEqual({ kind: 'undone', envelopeId: b.envelopeId });
		// Sent twice: the second undoes nothing more.
		expect(await undoLastScan(db, { envelopeId: b.envelopeId }, f.staff.clerk, f.beforeClose)).toEqual({ kind: 'not-last-scan' });
		expect(await db.selectFrom('return_envelope').select('id').execute()).toEqual([{ id: a.envelopeId }]);
		expect(await auditActions(b.envelopeId)).toEqual(['return-envelope.receive', 'return-envelope.undo-receive']);
		expect(await scan(f, 1)).toMatchObject({ kind: 'recorded', count: 2 });
	});

	it('not once the envelope is handed over', async () => {
		const f = await createEnvelopeFixture(db);
		const a = await scan(f, 0);
		if (a.kind !== 'recorded') throw new Error('not recorded');
		await createHandover(db, { electionId: f.electionId, round: 1 }, f.staff.head, f.afterClose);
		expect(await undoLastScan(db, { envelopeId: a.envelopeId }, f.staff.clerk, f.afterClose)).toEqual({ kind: 'already-handed-over' });
		expect(await db.selectFrom('return_envelope').select('id').execute()).toHaveLength(1);
	});

	it('a commission member cannot undo, and a malformed id is not the last scan', async () => {
		const f = await createEnvelopeFixture(db);
		expect(await undoLastScan(db, { envelopeId: 'x' }, f.staff.member, f.beforeClose)).toEqual({ kind: 'forbidden' });
		expect(await undoLastScan(db, { envelopeId: 'x' }, f.staff.clerk, f.beforeClose)).toEqual({ kind: 'not-last-scan' });
	});
});

describe('summariseArrivals', () => {
	it('held by batch, late apart, handed over', async () => {
		const f = await createEnvelopeFixture(db, { packages: 6 });
		await scan(f, 0, f.beforeClose, 'A');
		await scan(f, 1, f.beforeClose, 'A');
		await scan(f, 2, f.beforeClose, 'B');
		await createHandover(db, { electionId: f.electionId, round: 1 }, f.staff.clerk, f.beforeClose);
		await scan(f, 3, f.beforeClose, 'C');
		await scan(f, 4, f.beforeClose);
		await scan(f, 5, f.afterClose, 'C');
		const summary = await summariseArrivals(db, { officeId: f.embassy.id, electionId: f.electionId }, f.staff.clerk);
		expect(summary).toMatchObject({
			kind: 'summary',
			rounds: [{ round: 1, held: { total: 2, byBatch: [{ batch: 'C', count: 1 }, { batch: null, count: 1 }] }, late: 1, handedOver: 3 }],
			handovers: [{ round: 1, envelopeCount: 3, headConfirmed: false, chairConfirmed: false }]
		});
	});

	it('another office’s summary is not found', async () => {
		const f = await createEnvelopeFixture(db);
		expect(await summariseArrivals(db, { officeId: f.otherEmbassy.id, electionId: f.electionId }, f.staff.clerk)).toEqual({ kind: 'not-found' });
	});
});

describe('hand-over to the commission (§57c(4))', () => {
	it('takes every envelope received on time and not yet handed over; late ones stay apart', async () => {
		const f = await createEnvelopeFixture(db);
		await scan(f, 0);
		await scan(f, 1);
		await scan(f, 2, f.afterClose);
		const created = await createHandover(db, { electionId: f.electionId, round: 1 }, f.staff.clerk, f.afterClose);
		expect(created).toMatchObject({ kind: 'created', envelopeCount: 2 });
		if (created.kind !== 'created') throw new Error('not created');
		const late = await db.selectFrom('return_envelope').select(['handover_id']).where('late', '=', true).executeTakeFirstOrThrow();
		expect(late.handover_id).toBeNull();
		expect(await createHandover(db, { electionId: f.electionId, round: 1 }, f.staff.clerk, f.afterClose)).toEqual({ kind: 'nothing-to-hand-over' });
		expect(await createHandover(db, { electionId: f.electionId, round: 1 }, f.staff.member, f.afterClose)).toEqual({ kind: 'forbidden' });
		expect(await createHandover(db, { electionId: f.electionId, round: 2 }, f.staff.clerk, f.afterClose)).toEqual({ kind: 'not-found' });
	});

	it('is confirmed by the head and by the chair, each once; the record lists codes and receipt times', async () => {
		const f = await createEnvelopeFixture(db);
		await scan(f, 0, f.beforeClose.subtract({ minutes: 30 }));
		await scan(f, 1);
		const created = await createHandover(db, { electionId: f.electionId, round: 1 }, f.staff.clerk, f.afterClose);
		if (created.kind !== 'created') throw new Error('not created');
		const id = { handoverId: created.handoverId };

		expect(await confirmHandoverAsHead(db, id, f.staff.clerk, f.afterClose)).toEqual({ kind: 'forbidden' });
		expect(await confirmHandoverAsChair(db, id, f.staff.member, f.afterClose)).toEqual({ kind: 'forbidden' });
		expect(await confirmHandoverAsHead(db, id, f.staff.head, f.afterClose)).toEqual({ kind: 'confirmed', handoverId: created.handoverId, complete: false });
		expect(await confirmHandoverAsHead(db, id, f.staff.head, f.afterClose)).toEqual({ kind: 'already-confirmed' });
		expect(await confirmHandoverAsChair(db, id, f.staff.chair, f.afterClose)).toEqual({ kind: 'confirmed', handoverId: created.handoverId, complete: true });

		const record = await getHandoverRecord(db, id, f.staff.chair);
		if (record.kind !== 'record') throw new Error('no record');
		expect(record.record.envelopeCount).toBe(2);
		expect(record.record.envelopes.map((e) => e.code)).toEqual([f.packages[0]!.code, f.packages[1]!.code]);
		expect(record.record.envelopes[0]!.receivedAt.prague).toBe('2027-01-15T18:30:00+01:00');
		expect(record.record.head?.name).toBeTruthy();
		expect(record.record.chair?.name).toBeTruthy();
		expect(JSON.stringify(record)).not.toContain('Nováková');
		expect(await auditActions(created.handoverId)).toEqual([
			'envelope-handover.create',
			'envelope-handover.confirm-head',
			'envelope-handover.confirm-chair'
		]);
	});

	it('the same person cannot confirm both sides (service and database)', async () => {
		const f = await createEnvelopeFixture(db);
		await scan(f, 0);
		const created = await createHandover(db, { electionId: f.electionId, round: 1 }, f.staff.head, f.afterClose);
		if (created.kind !== 'created') throw new Error('not created');
		const id = { handoverId: created.handoverId };
		expect(await confirmHandoverAsChair(db, id, f.staff.chair, f.afterClose)).toMatchObject({ kind: 'confirmed' });
		// The chair is made head of the embassy and tries to confirm the other side too.
		await db.updateTable('staff_user').set({ role: 'embassy-head' }).where('id', '=', f.staff.chair.id).execute();
		const sameAsHead = { ...f.staff.chair, role: 'embassy-head' as const };
		expect(await confirmHandoverAsHead(db, id, sameAsHead, f.afterClose)).toEqual({ kind: 'same-person' });
		await expect(
			db
				.updateTable('envelope_handover')
				.set({ head_confirmed_by: f.staff.chair.id, head_confirmed_at: new Date() })
				.where('id', '=', created.handoverId)
				.execute()
		).rejects.toThrow(/check constraint/);
	});

	it('another embassy’s hand-over behaves like an unknown one', async () => {
		const f = await createEnvelopeFixture(db);
		await recordEnvelopeScan(db, { code: f.otherPackages[0]!.code }, f.otherStaff.clerk, f.beforeClose);
		const foreign = await createHandover(db, { electionId: f.electionId, round: 1 }, f.otherStaff.clerk, f.afterClose);
		if (foreign.kind !== 'created') throw new Error('not created');
		const id = { handoverId: foreign.handoverId };
		expect(await confirmHandoverAsHead(db, id, f.staff.head, f.afterClose)).toEqual({ kind: 'not-found' });
		expect(await confirmHandoverAsChair(db, id, f.staff.chair, f.afterClose)).toEqual({ kind: 'not-found' });
		expect(await getHandoverRecord(db, id, f.staff.chair)).toEqual({ kind: 'not-found' });
		expect(await confirmHandoverAsHead(db, { handoverId: 'nonsense' }, f.staff.head, f.afterClose)).toEqual({ kind: 'not-found' });
	});
});

describe('the voter’s timeline', () => {
	it('shows the envelope received, with the Prague receipt time', async () => {
		const f = await createEnvelopeFixture(db);
		await scan(f, 0);
		expect(await listVoterEnvelopeStatuses(db, f.packages[0]!.voterId)).toEqual([
			{
				electionId: f.electionId,
				round: 1,
				requestId: f.packages[0]!.requestId,
				receivedAt: { prague: '2027-01-15T19:00:00+01:00', local: '2027-01-15T19:00:00+01:00', timeZone: 'Europe/Prague' },
				status: { status: 'received' }
			}
		]);
		expect(await listVoterEnvelopeStatuses(db, f.packages[1]!.voterId)).toEqual([]);
	});
});

describe('voterInitials', () => {
	it('first letters, upper case, Czech letters kept', () => {
		expect(voterInitials('Šárka', 'Čechová')).toBe('Š. Č.');
		expect(voterInitials(' jan ', 'novák')).toBe('J. N.');
	});
});
