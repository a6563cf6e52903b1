/**
 * The envelope station at scanner speed (issue 13): each scan comes with an id its browser
 * gave it, and the server is idempotent on that id (a retry gets the first outcome back and
 * records nothing twice). The server's receipt is the official time (§57c(3)); the scan also
 * says how long ago it was scanned, so that a scan made before the close of voting that reached
 * the portal after it (the station was offline) waits for the head of the embassy to decide.
 */
import { Temporal } from 'temporal-polyfill';
import { formatEnvelopeCode } from '../../domain/envelopes';
import type { StationCounters, StationOutcome, StationOutcomeKind } from '../../components/staff/envelope-types';
import type { Db, DbOrTrx } from '../db/index';
import {
	claimEnvelopeScan,
	completeEnvelopeScan,
	countEnvelopeScansSince,
	decideLateReview,
	findEnvelopeScan,
	findLateReview,
	listPendingLateReviews
} from '../db/queries/envelope-scans';
import { findEmbassyById } from '../db/queries/elections';
import { toDate } from '../clock';
import { appendAudit } from './audit';
import { isUuid } from './calendar';
import { electionNowById } from './election-clock';
import { receiptTime, recordEnvelopeScan, type ReceiptTime, type RecordEnvelopeScanResult } from './envelopes';
import { EMBASSY_ROLES, actingOffice, type StaffActor } from './staff-actor';

type Forbidden = { kind: 'forbidden' };
const FORBIDDEN: Forbidden = { kind: 'forbidden' };

/** How old a queued scan may say it is: a queue kept longer than the voting days is not believed. */
const MAX_SCAN_AGE_MS = 7 * 24 * 3600 * 1000;
const CODE_MAX = 64;

export interface StationScanInput {
	/** crypto.randomUUID() of the browser, once per scan; a retry sends the same one. */
	scanId: string;
	code: string;
	storageBatch: string | null;
	/** The round the station works on (its `volby`); null: any of the office's. */
	expected: { electionId: string; round: number } | null;
	/**
	 * How long before sending the clerk scanned it, by the browser's own clock (its send time
	 * minus its scan time): a browser whose clock is wrong still measures the wait right.
	 */
	scannedAgoMs: number | null;
}

export type StationScanResult =
	| { kind: 'scan'; outcome: StationOutcome; repeat: boolean }
	/** The id was used by another staff member: never theirs to read. */
	| { kind: 'scan-id-taken' }
	| Forbidden;

function toOutcome(result: Exclude<RecordEnvelopeScanResult, Forbidden>, typed: string): StationOutcome {
	switch (result.kind) {
		case 'recorded':
		case 'late':
		case 'received-late':
			return {
				kind: result.kind,
				code: formatEnvelopeCode(result.code),
				envelopeId: result.envelopeId,
				initials: result.initials,
				count: result.count,
				receivedAt: result.receivedAt,
				storageBatch: result.storageBatch
			};
		case 'duplicate':
			return {
				kind: 'duplicate',
				code: formatEnvelopeCode(result.code),
				initials: result.initials,
				firstReceivedAt: result.firstReceivedAt,
				firstReceivedBy: result.firstReceivedBy
			};
		case 'unknown-code':
			return { kind: 'unknown', code: formatEnvelopeCode(result.code) };
		case 'other-embassy':
			return { kind: 'other-embassy', code: formatEnvelopeCode(result.code) };
		case 'wrong-election':
			return { kind: 'wrong-election', code: formatEnvelopeCode(result.code), titleCs: result.titleCs, titleEn: result.titleEn, round: result.round };
		case 'invalid-code':
			return { kind: 'invalid', code: typed, reason: result.reason };
		case 'invalid-storage-batch':
			return { kind: 'invalid', code: typed, reason: 'batch-too-long' };
		case 'voting-not-configured':
			return { kind: 'voting-not-configured', code: typed };
	}
}

/**
 * §57c(3): one scan of the station, recorded once whatever number of times it is sent. The scan
 * log row and the envelope with its audit entry are one transaction: a retry racing the first
 * send waits for it on the primary key and then reads its outcome.
 */
export async function recordStationScan(db: Db, input: StationScanInput, actor: StaffActor, now: Temporal.Instant): Promise<StationScanResult> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.scanId)) return { kind: 'scan-id-taken' };
	const scanId = input.scanId.toLowerCase();
	const repeat = async (): Promise<StationScanResult> => {
		const first = await findEnvelopeScan(db, scanId);
		if (!first || first.office_id !== officeId || first.staff_id !== actor.id || first.kind === 'pending') return { kind: 'scan-id-taken' };
		return { kind: 'scan', outcome: first.result as StationOutcome, repeat: true };
	};
	if (await findEnvelopeScan(db, scanId)) return repeat();

	const typed = input.code.trim().slice(0, CODE_MAX);
	const ago = input.scannedAgoMs;
	// The portal's instant of the scan; recordEnvelopeScan turns it into the election's.
	const scannedAt = ago !== null && Number.isFinite(ago) && ago >= 0 && ago <= MAX_SCAN_AGE_MS ? now.subtract({ milliseconds: Math.round(ago) }) : null;
	const outcome = await db.transaction().execute(async (trx) => {
		const claimed = await claimEnvelopeScan(trx, {
			scanId,
			officeId,
			staffId: actor.id,
			electionId: input.expected?.electionId ?? null,
			round: input.expected?.round ?? null,
			code: typed,
			receivedAt: toDate(now),
			scannedAt: scannedAt ? toDate(scannedAt) : null
		});
		if (!claimed) return null;
		const result = await recordEnvelopeScan(db, { code: typed, storageBatch: input.storageBatch }, actor, now, {
			trx,
			expected: input.expected,
			scannedAt
		});
		if (result.kind === 'forbidden') throw new Error('unreachable: the office was checked');
		const outcome = toOutcome(result, typed);
		await completeEnvelopeScan(trx, scanId, outcome.kind, outcome, 'envelopeId' in outcome ? outcome.envelopeId : null);
		return outcome;
	});
	if (!outcome) return repeat();
	return { kind: 'scan', outcome, repeat: false };
}

/** The station's scans of the actor's embassy today, in the embassy's time zone, by outcome. */
export async function stationCountersToday(db: DbOrTrx, actor: StaffActor, now: Temporal.Instant): Promise<StationCounters> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return {};
	const office = await findEmbassyById(db, officeId);
	const dayStart = now.toZonedDateTimeISO(office?.time_zone ?? 'Europe/Prague').startOfDay().toInstant();
	const rows = await countEnvelopeScansSince(db, officeId, toDate(dayStart));
	const counters: StationCounters = {};
	for (const r of rows) if (r.kind !== 'pending') counters[r.kind as StationOutcomeKind] = r.n;
	return counters;
}

// --- Scanned before the close, received late: the head of the embassy decides ---

export interface LateReview {
	id: string;
	code: string;
	receivedAt: ReceiptTime;
	scannedAt: ReceiptTime | null;
	receivedBy: string;
}

export async function listLateReviews(
	db: DbOrTrx,
	input: { electionId: string; round: number },
	actor: StaffActor,
	timeZone: string
): Promise<{ kind: 'reviews'; envelopes: LateReview[] } | Forbidden> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.electionId)) return { kind: 'reviews', envelopes: [] };
	const rows = await listPendingLateReviews(db, officeId, input.electionId, input.round);
	return {
		kind: 'reviews',
		envelopes: rows.map((r) => ({
			id: r.id,
			code: r.envelope_code,
			receivedAt: receiptTime(r.received_at, timeZone),
			scannedAt: r.scanned_at ? receiptTime(r.scanned_at, timeZone) : null,
			receivedBy: r.received_by_name
		}))
	};
}

export type LateReviewDecision = 'on-time' | 'late';

export type DecideLateReceiptResult =
	| { kind: 'decided'; envelopeId: string; decision: LateReviewDecision }
	| { kind: 'already-decided' }
	/** §57d(6): the ballot box of the round is open, or the envelope was handed over. */
	| { kind: 'too-late' }
	| { kind: 'not-found' }
	| Forbidden;

/**
 * Issue 13, §57c(4),(5): the head of the embassy decides on an envelope the station scanned
 * before the close of voting but the portal received after it: received in time (it joins the
 * envelopes handed to the commission) or late (kept apart, never counted). With the audit entry.
 */
export async function decideLateReceipt(
	db: Db,
	input: { envelopeId: string; decision: string },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<DecideLateReceiptResult> {
	const officeId = actingOffice(actor, ['embassy-head']);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.envelopeId)) return { kind: 'not-found' };
	if (input.decision !== 'on-time' && input.decision !== 'late') return { kind: 'not-found' };
	const decision: LateReviewDecision = input.decision;
	const envelope = await findLateReview(db, officeId, input.envelopeId);
	if (!envelope || envelope.late_review === null) return { kind: 'not-found' };
	now = await electionNowById(db, envelope.election_id, now);
	const decided = await db.transaction().execute(async (trx) => {
		const row = await decideLateReview(trx, { officeId, envelopeId: envelope.id, decision, staffId: actor.id, at: toDate(now) });
		if (!row) return undefined;
		await appendAudit(trx, {
			actor,
			action: 'return-envelope.late-review',
			entityType: 'return_envelope',
			entityId: row.id,
			before: { late: true, lateReview: 'pending' },
			after: {
				electionId: row.election_id,
				round: row.round,
				decision,
				late: decision === 'late',
				receivedAt: row.received_at.toISOString(),
				scannedAt: row.scanned_at?.toISOString() ?? null
			},
			at: now
		});
		return row;
	});
	if (decided) return { kind: 'decided', envelopeId: decided.id, decision };
	const after = await findLateReview(db, officeId, envelope.id);
	if (after && after.late_review !== 'pending') return { kind: 'already-decided' };
	return { kind: 'too-late' };
}
