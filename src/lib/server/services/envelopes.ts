/**
 * The embassy's side of return envelopes (issue 6): arrival (§57c(3), §57c(5)), storage,
 * hand-over to the special commission (§57c(4)), reconciliation, and what the voter's
 * timeline shows. Every function answers with a result a page can render; expected
 * outcomes never throw. Another office's ids behave exactly like unknown ids.
 */
import { Temporal } from 'temporal-polyfill';
import { PRAGUE, formatIsoWithOffset, type EmbassyVoting, type Round } from '../../domain';
import {
	arrivalTiming,
	parseEnvelopeCode,
	reconcile,
	voterEnvelopeStatus,
	type Reconciliation,
	type ReconciliationCounts,
	type VoterEnvelopeStatus
} from '../../domain/envelopes';
import { m } from '../../paraglide/messages.js';
import { formatInZone, formatLongInstant, zoneCity } from '../../components/format';
import { electionNow, fromDate, toDate } from '../clock';
import { electionNowById } from './election-clock';
import type { Db, DbOrTrx, Trx } from '../db/index';
import { findPackageOfficeByCode } from '../db/queries/envelope-scans';
import {
	assignEnvelopesToHandover,
	confirmHandover,
	countArrivals,
	countCorrespondenceMarks,
	countEnvelopesForReconciliation,
	countPackagesForReconciliation,
	deleteLastScanOfStaff,
	findCommissionClosure,
	findEnvelopeReceiptByPackage,
	findHandover,
	findHandoverWithNames,
	findLastScanOfStaff,
	findPackageForScan,
	insertHandover,
	insertReturnEnvelope,
	listHandoverEnvelopes,
	listHandovers,
	listVoterEnvelopes,
	listVotingWindowsOfRound,
	updateHandoverCount,
	type VotingWindowRow
} from '../db/queries/envelopes';
import { findElectionById, findEmbassyById } from '../db/queries/elections';
import { appendAudit } from './audit';
import { isUuid, toEmbassyVoting } from './calendar';
import { queueVoterNotification } from './notifications';
import { COMMISSION_ROLES, EMBASSY_ROLES, actingOffice, type StaffActor } from './staff-actor';

// --- Shared by the embassy's and the commission's services ---

/** An instant for a voter's e-mail: "pátek 2. října 2026, 14:00 (Praha)", with the embassy's local time beside it. */
function mailTime(at: Temporal.Instant, timeZone: string | null | undefined, locale: 'cs' | 'en'): string {
	const prague = formatLongInstant(toDate(at), locale);
	if (!timeZone || timeZone === PRAGUE) return prague;
	return `${prague}; ${formatInZone(at.toString(), timeZone, locale)} (${zoneCity(timeZone)})`;
}

/** A receipt time as the pages show it: Prague time (§78(2)) and the embassy's own. */
export interface ReceiptTime {
	/** ISO 8601 with the Prague offset, whole seconds. */
	prague: string;
	/** ISO 8601 with the embassy's offset, whole seconds. */
	local: string;
	timeZone: string;
}

export function receiptTime(at: Date | Temporal.Instant, timeZone: string): ReceiptTime {
	const instant = at instanceof Date ? fromDate(at) : at;
	return {
		prague: formatIsoWithOffset(instant.toZonedDateTimeISO(PRAGUE)),
		local: formatIsoWithOffset(instant.toZonedDateTimeISO(timeZone)),
		timeZone
	};
}

/** The embassy's voting of one round from its stored windows (§2(3)); null when none are stored. */
export function votingOfRound(timeZone: string, round: number, windows: readonly VotingWindowRow[]): EmbassyVoting | null {
	if (!isRound(round) || windows.length === 0) return null;
	return toEmbassyVoting(
		timeZone,
		windows.map((w, i) => ({ round, window_no: i + 1, starts_local: w.starts_local, ends_local: w.ends_local }))
	)[0] ?? null;
}

export function isRound(value: unknown): value is Round {
	return value === 1 || value === 2;
}

/** A round as stored (smallint, CHECK 1 or 2). */
export function asRound(value: number): Round {
	return value === 2 ? 2 : 1;
}


/** 'J. N.': enough for the clerk to match the acknowledgement with the envelope in hand. */
export function voterInitials(givenName: string, familyName: string): string {
	const initial = (name: string) => {
		const first = [...name.trim()][0];
		return first ? `${first.toLocaleUpperCase('cs')}.` : '';
	};
	return [initial(givenName), initial(familyName)].filter(Boolean).join(' ');
}

type Forbidden = { kind: 'forbidden' };
const FORBIDDEN: Forbidden = { kind: 'forbidden' };

// --- Arrival (§57c(3), §57c(5)) ---

export interface RecordEnvelopeScanInput {
	/** As scanned or typed: case, spaces and hyphens are forgiven. */
	code: string;
	/** The sealed batch the envelope goes into, e.g. 'A-03'. */
	storageBatch?: string | null;
}

interface ScanReceipt {
	envelopeId: string;
	code: string;
	initials: string;
	receivedAt: ReceiptTime;
	/** Envelopes this embassy has received for the election round, this one included. */
	count: number;
	storageBatch: string | null;
}

export type RecordEnvelopeScanResult =
	| ({ kind: 'recorded'; late: false } & ScanReceipt)
	/** §57c(5): recorded, to be kept apart and never counted. */
	| ({ kind: 'late'; late: true } & ScanReceipt)
	/** Issue 13: scanned before the close, received after it: recorded late, the head of the embassy decides. */
	| ({ kind: 'received-late'; late: true } & ScanReceipt)
	| { kind: 'duplicate'; code: string; initials: string; firstReceivedAt: ReceiptTime; firstReceivedBy: string | null }
	/** A well-formed code that no package of this embassy carries. */
	| { kind: 'unknown-code'; code: string }
	/** Issue 13 (the station only): a package of another embassy; nothing more about it is said. */
	| { kind: 'other-embassy'; code: string }
	/** Issue 13 (the station only): this embassy's package, of another election or round than the station's. */
	| { kind: 'wrong-election'; code: string; titleCs: string; titleEn: string; round: Round }
	/** Not a code at all (a typo): refused before any look-up. */
	| { kind: 'invalid-code'; reason: 'length' | 'character' | 'check' }
	| { kind: 'invalid-storage-batch' }
	/** The embassy has no voting windows for the package's round: lateness cannot be judged. */
	| { kind: 'voting-not-configured' }
	| Forbidden;

const STORAGE_BATCH_MAX = 40;

/** What the scanning station (issue 13) adds to a scan; the plain form passes none of it. */
export interface StationScanOptions {
	/** The transaction the station's scan log row is written in: the scan joins it. */
	trx: Trx;
	/** The round the station works on: another election's or round's package is refused. */
	expected: { electionId: string; round: number } | null;
	/** When the clerk scanned it, on the portal's clock; null when not known. */
	scannedAt: Temporal.Instant | null;
}

/**
 * §57c(3): records a return envelope's arrival with its receipt time; §57c(5): late when it
 * arrives at or after the close of voting in the special district. Two round trips: the
 * look-up, and one statement writing the envelope with its audit entry.
 */
export async function recordEnvelopeScan(
	db: Db,
	input: RecordEnvelopeScanInput,
	actor: StaffActor,
	now: Temporal.Instant,
	station: StationScanOptions | null = null
): Promise<RecordEnvelopeScanResult> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	const parsed = parseEnvelopeCode(input.code);
	if (!parsed.ok) return { kind: 'invalid-code', reason: parsed.reason };
	const storageBatch = input.storageBatch?.trim() || null;
	if (storageBatch && storageBatch.length > STORAGE_BATCH_MAX) return { kind: 'invalid-storage-batch' };
	const reader: DbOrTrx = station?.trx ?? db;

	const pkg = await findPackageForScan(reader, officeId, parsed.code);
	if (!pkg) {
		if (station && (await findPackageOfficeByCode(reader, parsed.code))) return { kind: 'other-embassy', code: parsed.code };
		return { kind: 'unknown-code', code: parsed.code };
	}
	const initials = voterInitials(pkg.given_name, pkg.family_name);
	if (station?.expected && (station.expected.electionId !== pkg.election_id || station.expected.round !== pkg.round)) {
		return { kind: 'wrong-election', code: parsed.code, titleCs: pkg.title_cs, titleEn: pkg.title_en, round: asRound(pkg.round) };
	}
	if (pkg.envelope_received_at) {
		return {
			kind: 'duplicate',
			code: parsed.code,
			initials,
			firstReceivedAt: receiptTime(pkg.envelope_received_at, pkg.time_zone),
			firstReceivedBy: pkg.envelope_received_by_name
		};
	}
	const voting = votingOfRound(pkg.time_zone, pkg.round, pkg.windows);
	if (!voting) return { kind: 'voting-not-configured' };
	// §57c(4),(5): received, and late or not, on the election's clock.
	now = electionNow(pkg, now);
	const scannedAt = station?.scannedAt ? electionNow(pkg, station.scannedAt) : null;
	const timing = arrivalTiming(now, scannedAt, voting);
	const late = timing !== 'on-time';
	const lateReview = timing === 'scanned-before-close' ? 'pending' : null;

	const write = (d: DbOrTrx) =>
		insertReturnEnvelope(
			d,
			{
				packageId: pkg.package_id,
				officeId,
				electionId: pkg.election_id,
				round: pkg.round,
				receivedAt: toDate(now),
				receivedBy: actor.id,
				late,
				storageBatch,
				scannedAt: scannedAt ? toDate(scannedAt) : null,
				lateReview
			},
			{
				action: 'return-envelope.receive',
				after: {
					packageId: pkg.package_id,
					electionId: pkg.election_id,
					round: pkg.round,
					late,
					storageBatch,
					...(scannedAt ? { scannedAt: scannedAt.toString() } : {}),
					...(lateReview ? { lateReview } : {})
				}
			}
		);
	const writeAndNotify = async (trx: Trx) => {
		const inserted = await write(trx);
		if (inserted && pkg.voter_notifiable) {
			await queueVoterNotification(trx, {
				voterId: pkg.voter_id,
				kind: 'envelope-received',
				reference: pkg.reference,
				// Prague time as a person writes it (§78(2)), the embassy's own beside it (issue 15).
				details: (locale) => ({
					[m.mail_detail_received({}, { locale })]: mailTime(now, pkg.time_zone, locale),
					...(timing === 'late' ? { [m.mail_detail_status({}, { locale })]: m.mail_detail_late({}, { locale }) } : {})
				})
			});
		}
		return inserted;
	};
	// The envelope and its audit entry are one statement; the voter's e-mail, where they
	// confirmed an address, joins them in one transaction (the station's, when it scans).
	const row = station
		? await writeAndNotify(station.trx)
		: !pkg.voter_notifiable
			? await write(db)
			: await db.transaction().execute(writeAndNotify);
	if (!row) {
		// A second scan of the same code at the same moment: the first one won.
		const first = await findEnvelopeReceiptByPackage(reader, pkg.package_id);
		const firstAt = first?.received_at ?? toDate(now);
		return { kind: 'duplicate', code: parsed.code, initials, firstReceivedAt: receiptTime(firstAt, pkg.time_zone), firstReceivedBy: null };
	}
	const receipt: ScanReceipt = {
		envelopeId: row.id,
		code: parsed.code,
		initials,
		receivedAt: receiptTime(row.received_at, pkg.time_zone),
		count: row.count,
		storageBatch
	};
	if (timing === 'scanned-before-close') return { kind: 'received-late', late: true, ...receipt };
	return late ? { kind: 'late', late: true, ...receipt } : { kind: 'recorded', late: false, ...receipt };
}

export type UndoLastScanResult =
	| { kind: 'undone'; envelopeId: string }
	| { kind: 'nothing-to-undo' }
	/** The envelope named is not this clerk's last scan (e.g. the undo was sent twice). */
	| { kind: 'not-last-scan' }
	| { kind: 'already-handed-over' }
	| Forbidden;

/**
 * Takes back the clerk's own last scan while it has not been handed over. The page passes
 * the envelope id of the acknowledgement it shows, so a repeated submission undoes nothing more.
 */
export async function undoLastScan(
	db: Db,
	input: { envelopeId: string },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<UndoLastScanResult> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.envelopeId)) return { kind: 'not-last-scan' };
	const deleted = await db.transaction().execute(async (trx) => {
		const row = await deleteLastScanOfStaff(trx, officeId, actor.id, input.envelopeId);
		if (!row) return undefined;
		await appendAudit(trx, {
			actor,
			action: 'return-envelope.undo-receive',
			entityType: 'return_envelope',
			entityId: row.id,
			before: {
				packageId: row.package_id,
				electionId: row.election_id,
				round: row.round,
				receivedAt: row.received_at.toISOString(),
				late: row.late,
				storageBatch: row.storage_batch
			},
			at: now
		});
		return row;
	});
	if (deleted) return { kind: 'undone', envelopeId: deleted.id };
	const last = await findLastScanOfStaff(db, officeId, actor.id);
	if (!last) return { kind: 'nothing-to-undo' };
	if (last.id !== input.envelopeId) return { kind: 'not-last-scan' };
	return { kind: 'already-handed-over' };
}

// --- Storage ---

export interface RoundArrivals {
	round: Round;
	/** Received on time, sealed, not yet handed over, by storage batch (null = no batch named). */
	held: { total: number; byBatch: { batch: string | null; count: number }[] };
	/** §57c(5): kept apart, never counted. */
	late: number;
	handedOver: number;
}

export interface HandoverSummary {
	id: string;
	round: Round;
	envelopeCount: number;
	createdAt: ReceiptTime;
	headConfirmed: boolean;
	chairConfirmed: boolean;
}

export type ArrivalsSummaryResult =
	| { kind: 'summary'; rounds: RoundArrivals[]; handovers: HandoverSummary[] }
	| { kind: 'not-found' }
	| Forbidden;

/** What the embassy holds for an election: sealed envelopes by batch, late ones, handed over. */
export async function summariseArrivals(
	db: DbOrTrx,
	input: { officeId: string; electionId: string },
	actor: StaffActor
): Promise<ArrivalsSummaryResult> {
	const officeId = actingOffice(actor, [...EMBASSY_ROLES, ...COMMISSION_ROLES]);
	if (!officeId) return FORBIDDEN;
	if (input.officeId !== officeId || !isUuid(input.electionId)) return { kind: 'not-found' };
	const [rows, handovers, office] = await Promise.all([
		countArrivals(db, officeId, input.electionId),
		listHandovers(db, officeId, input.electionId),
		findEmbassyById(db, officeId)
	]);
	const timeZone = office?.time_zone ?? PRAGUE;
	const byRound = new Map<Round, RoundArrivals>();
	const roundOf = (round: number) => {
		const r = asRound(round);
		let entry = byRound.get(r);
		if (!entry) {
			entry = { round: r, held: { total: 0, byBatch: [] }, late: 0, handedOver: 0 };
			byRound.set(r, entry);
		}
		return entry;
	};
	for (const row of rows) {
		const entry = roundOf(row.round);
		if (row.late) entry.late += row.n;
		else if (row.handed_over) entry.handedOver += row.n;
		else {
			entry.held.total += row.n;
			entry.held.byBatch.push({ batch: row.storage_batch, count: row.n });
		}
	}
	return {
		kind: 'summary',
		rounds: [...byRound.values()].sort((a, b) => a.round - b.round),
		handovers: handovers.map((h) => ({
			id: h.id,
			round: asRound(h.round),
			envelopeCount: h.envelope_count,
			createdAt: receiptTime(h.created_at, timeZone),
			headConfirmed: h.head_confirmed_at !== null,
			chairConfirmed: h.chair_confirmed_at !== null
		}))
	};
}

// --- Hand-over to the commission (§57c(4)) ---

export type CreateHandoverResult =
	| { kind: 'created'; handoverId: string; envelopeCount: number }
	| { kind: 'nothing-to-hand-over' }
	/** §57d(6): the commission has finished; nothing more can be handed over. */
	| { kind: 'ballot-box-opened' }
	| { kind: 'not-found' }
	| Forbidden;

class NothingToHandOver extends Error {}

/**
 * §57c(4): a hand-over record of every envelope of the office and round received on time
 * and not yet handed over; late envelopes stay apart (§57c(5)).
 */
export async function createHandover(
	db: Db,
	input: { electionId: string; round: number },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<CreateHandoverResult> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.electionId) || !isRound(input.round)) return { kind: 'not-found' };
	const { electionId, round } = input;
	const voting = await listVotingWindowsOfRound(db, officeId, electionId, round);
	if (!voting || voting.windows.length === 0) return { kind: 'not-found' };
	if (await findCommissionClosure(db, officeId, electionId, round)) return { kind: 'ballot-box-opened' };
	now = await electionNowById(db, electionId, now);
	try {
		return await db.transaction().execute(async (trx) => {
			const { id } = await insertHandover(trx, { officeId, electionId, round, createdAt: toDate(now), createdBy: actor.id });
			const count = await assignEnvelopesToHandover(trx, { handoverId: id, officeId, electionId, round });
			if (count === 0) throw new NothingToHandOver();
			await updateHandoverCount(trx, id, count);
			await appendAudit(trx, {
				actor,
				action: 'envelope-handover.create',
				entityType: 'envelope_handover',
				entityId: id,
				after: { electionId, round, envelopeCount: count },
				at: now
			});
			return { kind: 'created' as const, handoverId: id, envelopeCount: count };
		});
	} catch (error) {
		if (error instanceof NothingToHandOver) return { kind: 'nothing-to-hand-over' };
		throw error;
	}
}

export type ConfirmHandoverResult =
	| { kind: 'confirmed'; handoverId: string; complete: boolean }
	| { kind: 'already-confirmed' }
	/** §57c(4): the head and the chair are two different people. */
	| { kind: 'same-person' }
	| { kind: 'not-found' }
	| Forbidden;

async function confirm(
	db: Db,
	side: 'head' | 'chair',
	input: { handoverId: string },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<ConfirmHandoverResult> {
	// §57c(4): the record is confirmed by the head of the embassy and by the commission's chair.
	const officeId = actingOffice(actor, side === 'head' ? ['embassy-head'] : ['commission-chair']);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.handoverId)) return { kind: 'not-found' };
	const record = await findHandover(db, officeId, input.handoverId);
	if (record) now = await electionNowById(db, record.election_id, now);
	const updated = await db.transaction().execute(async (trx) => {
		const row = await confirmHandover(trx, { side, officeId, handoverId: input.handoverId, staffId: actor.id, at: toDate(now) });
		if (!row) return undefined;
		await appendAudit(trx, {
			actor,
			action: `envelope-handover.confirm-${side}`,
			entityType: 'envelope_handover',
			entityId: row.id,
			at: now
		});
		return row;
	});
	if (updated) {
		return { kind: 'confirmed', handoverId: updated.id, complete: updated.head_confirmed_at !== null && updated.chair_confirmed_at !== null };
	}
	const handover = await findHandover(db, officeId, input.handoverId);
	if (!handover) return { kind: 'not-found' };
	const mine = side === 'head' ? handover.head_confirmed_by : handover.chair_confirmed_by;
	if (mine !== null) return { kind: 'already-confirmed' };
	return { kind: 'same-person' };
}

/** §57c(4): the head of the embassy confirms the hand-over record. */
export function confirmHandoverAsHead(db: Db, input: { handoverId: string }, actor: StaffActor, now: Temporal.Instant) {
	return confirm(db, 'head', input, actor, now);
}

/** §57c(4): the commission's chair confirms the hand-over record. */
export function confirmHandoverAsChair(db: Db, input: { handoverId: string }, actor: StaffActor, now: Temporal.Instant) {
	return confirm(db, 'chair', input, actor, now);
}

export interface HandoverRecord {
	id: string;
	office: { nameCs: string; nameEn: string; specialDistrictNumber: number | null; timeZone: string };
	election: { titleCs: string; titleEn: string; round: Round };
	envelopeCount: number;
	createdAt: ReceiptTime;
	createdBy: string;
	head: { name: string; confirmedAt: ReceiptTime } | null;
	chair: { name: string; confirmedAt: ReceiptTime } | null;
	/** Codes and receipt times only: the record names no voter. */
	envelopes: { code: string; receivedAt: ReceiptTime; storageBatch: string | null }[];
}

export type HandoverRecordResult = { kind: 'record'; record: HandoverRecord } | { kind: 'not-found' } | Forbidden;

/** §57c(4): the hand-over record with its list of envelopes, for the page and the PDF. */
export async function getHandoverRecord(
	db: DbOrTrx,
	input: { handoverId: string },
	actor: StaffActor
): Promise<HandoverRecordResult> {
	const officeId = actingOffice(actor, [...EMBASSY_ROLES, ...COMMISSION_ROLES]);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.handoverId)) return { kind: 'not-found' };
	const h = await findHandoverWithNames(db, officeId, input.handoverId);
	if (!h) return { kind: 'not-found' };
	const envelopes = await listHandoverEnvelopes(db, h.id);
	const tz = h.time_zone;
	return {
		kind: 'record',
		record: {
			id: h.id,
			office: { nameCs: h.office_name_cs, nameEn: h.office_name_en, specialDistrictNumber: h.special_district_number, timeZone: tz },
			election: { titleCs: h.election_title_cs, titleEn: h.election_title_en, round: asRound(h.round) },
			envelopeCount: h.envelope_count,
			createdAt: receiptTime(h.created_at, tz),
			createdBy: h.created_by_name,
			head: h.head_confirmed_at && h.head_name ? { name: h.head_name, confirmedAt: receiptTime(h.head_confirmed_at, tz) } : null,
			chair: h.chair_confirmed_at && h.chair_name ? { name: h.chair_name, confirmedAt: receiptTime(h.chair_confirmed_at, tz) } : null,
			envelopes: envelopes.map((e) => ({ code: e.envelope_code, receivedAt: receiptTime(e.received_at, tz), storageBatch: e.storage_batch }))
		}
	};
}

// --- Reconciliation ---

export interface RoundReconciliation extends Reconciliation {
	round: Round;
	counts: ReconciliationCounts;
}

export type ReconciliationResult =
	| { kind: 'reconciliation'; rounds: RoundReconciliation[]; balanced: boolean }
	| { kind: 'not-found' }
	| Forbidden;

/**
 * Per embassy and election, by round: packages issued, dispatched, returned; envelopes on
 * time and late, handed over, accepted, set aside by ground; and whether it all adds up.
 */
export async function reconciliation(
	db: DbOrTrx,
	input: { officeId: string; electionId: string },
	actor: StaffActor
): Promise<ReconciliationResult> {
	const officeId = actingOffice(actor, [...EMBASSY_ROLES, ...COMMISSION_ROLES]);
	if (!officeId) return FORBIDDEN;
	if (input.officeId !== officeId || !isUuid(input.electionId)) return { kind: 'not-found' };
	const [packages, envelopes, marks, election] = await Promise.all([
		countPackagesForReconciliation(db, officeId, input.electionId),
		countEnvelopesForReconciliation(db, officeId, input.electionId),
		countCorrespondenceMarks(db, officeId, input.electionId),
		findElectionById(db, input.electionId)
	]);
	if (!election) return { kind: 'not-found' };
	const result: RoundReconciliation[] = election.rounds.map(({ round }) => {
		const p = packages.find((r) => r.round === round);
		const e = envelopes.find((r) => r.round === round);
		const counts: ReconciliationCounts = {
			packagesIssued: p?.issued ?? 0,
			packagesDispatched: p?.dispatched ?? 0,
			packagesNotDispatched: p?.not_dispatched ?? 0,
			packagesWithoutEnvelope: p?.without_envelope ?? 0,
			received: e?.received ?? 0,
			receivedOnTime: e?.on_time ?? 0,
			receivedLate: e?.late ?? 0,
			handedOver: e?.handed_over ?? 0,
			held: e?.held ?? 0,
			accepted: e?.accepted ?? 0,
			setAsideTotal: e?.set_aside ?? 0,
			setAside: { a: e?.ground_a ?? 0, b: e?.ground_b ?? 0, c: e?.ground_c ?? 0, d: e?.ground_d ?? 0, e: e?.ground_e ?? 0 },
			unprocessed: e?.unprocessed ?? 0,
			markedByCorrespondence: marks.find((r) => r.round === round)?.marked ?? 0
		};
		return { round: asRound(round), counts, ...reconcile(counts) };
	});
	return { kind: 'reconciliation', rounds: result, balanced: result.every((r) => r.balanced) };
}

// --- The voter's timeline ---

export interface VoterEnvelope {
	electionId: string;
	round: Round;
	requestId: string;
	receivedAt: ReceiptTime;
	status: VoterEnvelopeStatus;
}

/**
 * The voter's own return envelopes: received, late, and — only once the commission has
 * finished (§57d(6)) — counted or set aside with the ground.
 */
export async function listVoterEnvelopeStatuses(db: DbOrTrx, voterId: string): Promise<VoterEnvelope[]> {
	if (!isUuid(voterId)) return [];
	const rows = await listVoterEnvelopes(db, voterId);
	return rows.map((r) => ({
		electionId: r.election_id,
		round: asRound(r.round),
		requestId: r.request_id,
		receivedAt: receiptTime(r.received_at, PRAGUE),
		status: voterEnvelopeStatus({
			late: r.late,
			outcome: r.outcome,
			ground: r.set_aside_ground,
			ballotBoxOpened: Boolean(r.ballot_box_opened)
		})
	}));
}
