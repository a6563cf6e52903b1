/**
 * The special commission's record of the result of the vote (issue 17, §57d(6) onward): after
 * the ballot box is opened and counted on paper, the chair and a member each enter the
 * record independently; the portal shows where the two differ (never which one is right),
 * runs the statistical office's checks, and lets the chair close an identical, consistent
 * record by signing it with the second factor. A closed record is never changed: a
 * correction is a new version that keeps the first, entered twice and signed again.
 *
 * The commission of one embassy sees only its own district; the rules live in
 * src/lib/domain/results.ts.
 */
import type { Temporal } from 'temporal-polyfill';
import {
	checkResultClosing,
	checkResultRecord,
	differingFields,
	parseCandidateListCsv,
	parseResultRecord,
	preferencesAllowed,
	type CandidateCsvError,
	type CloseRefusal,
	type RecordField,
	type RecordParseErrors,
	type ResultCheckFailure,
	type ResultRecord,
	type ResultShape
} from '../../domain/results';
import type { Round } from '../../domain';
import { verifyStaffSignature } from '../auth/staff';
import { electionNow, fromDate, toDate } from '../clock';
import type { Db, DbOrTrx } from '../db/index';
import { findElectionById } from '../db/queries/elections';
import { findCommissionClosure, listVotingWindowsOfRound } from '../db/queries/envelopes';
import {
	deleteResultEntries,
	hasResultRecords,
	insertDistrictResult,
	listCandidateLists,
	listDistrictResultVersions,
	listResultEntries,
	lockResultEntries,
	replaceCandidateLists,
	upsertResultEntry,
	type ResultEntryRow,
	type ResultSide
} from '../db/queries/district-results';
import { appendAudit } from './audit';
import { isUuid } from './calendar';
import { asRound, isRound } from './envelopes';
import { COMMISSION_ROLES, actingOffice, type StaffActor } from './staff-actor';

type Forbidden = { kind: 'forbidden' };
const FORBIDDEN: Forbidden = { kind: 'forbidden' };

export interface DistrictRound {
	electionId: string;
	round: number;
}

/** The side of the double entry a role enters: the chair's, or a member's. */
export function resultSide(actor: StaffActor): ResultSide {
	return actor.role === 'commission-chair' ? 'chair' : 'member';
}

/** What a record of this election must contain: its lists and whether it has preferential votes. */
export async function resultShapeOf(db: DbOrTrx, electionId: string, type: Parameters<typeof preferencesAllowed>[0]): Promise<ResultShape> {
	return { lists: await listCandidateLists(db, electionId), preferencesAllowed: preferencesAllowed(type) };
}

interface DistrictContext {
	officeId: string;
	electionId: string;
	round: Round;
	shape: ResultShape;
	rehearsal: boolean;
	now: Temporal.Instant;
}

/** The district of the actor's embassy in one election round, on the election's clock; null if it does not vote in it. */
async function districtContext(db: DbOrTrx, input: DistrictRound, officeId: string, now: Temporal.Instant): Promise<DistrictContext | null> {
	if (!isUuid(input.electionId) || !isRound(input.round)) return null;
	const [windows, election] = await Promise.all([
		listVotingWindowsOfRound(db, officeId, input.electionId, input.round),
		findElectionById(db, input.electionId)
	]);
	if (!windows || windows.windows.length === 0 || !election) return null;
	return {
		officeId,
		electionId: input.electionId,
		round: asRound(input.round),
		shape: await resultShapeOf(db, input.electionId, election.type),
		rehearsal: election.rehearsal,
		now: electionNow(windows, now)
	};
}

export interface ClosedResultVersion {
	version: number;
	record: ResultRecord;
	closedAt: Temporal.Instant;
	closedByName: string;
	correctionReason: string | null;
}

export interface ResultEntryView {
	shape: ResultShape;
	side: ResultSide;
	/** §57d(6): the record can only be entered once the ballot box is open. */
	ballotBoxOpened: boolean;
	/** The actor's side's entry with its failed checks; the other side's figures are never shown. */
	own: { record: ResultRecord; enteredByName: string; enteredAt: Temporal.Instant; failures: ResultCheckFailure[] } | null;
	/** Whether the other side has entered, and who. */
	other: { side: ResultSide; enteredByName: string; enteredAt: Temporal.Instant } | null;
	/** Where the two entries differ, once both exist. */
	differences: RecordField[] | null;
	/** The closed versions, the first first; the last is the one that counts. */
	versions: ClosedResultVersion[];
	rehearsal: boolean;
}

export type ResultEntryViewResult = { kind: 'view'; view: ResultEntryView } | { kind: 'not-found' } | Forbidden;

function asRecord(figures: unknown): ResultRecord {
	return figures as ResultRecord;
}

function entryOf(rows: readonly ResultEntryRow[], side: ResultSide): ResultEntryRow | undefined {
	return rows.find((r) => r.side === side);
}

function versionsOf(rows: Awaited<ReturnType<typeof listDistrictResultVersions>>): ClosedResultVersion[] {
	return rows.map((r) => ({
		version: r.version,
		record: asRecord(r.figures),
		closedAt: fromDate(r.closed_at),
		closedByName: r.closed_by_name,
		correctionReason: r.correction_reason
	}));
}

/** The record's page: the actor's own entry, whether the other exists, the differences and the closed versions. */
export async function resultEntryView(db: DbOrTrx, input: DistrictRound, actor: StaffActor, now: Temporal.Instant): Promise<ResultEntryViewResult> {
	const officeId = actingOffice(actor, COMMISSION_ROLES);
	if (!officeId) return FORBIDDEN;
	const ctx = await districtContext(db, input, officeId, now);
	if (!ctx) return { kind: 'not-found' };
	const [closure, entries, versions] = await Promise.all([
		findCommissionClosure(db, officeId, ctx.electionId, ctx.round),
		listResultEntries(db, officeId, ctx.electionId, ctx.round),
		listDistrictResultVersions(db, officeId, ctx.electionId, ctx.round)
	]);
	const side = resultSide(actor);
	const own = entryOf(entries, side);
	const other = entryOf(entries, side === 'chair' ? 'member' : 'chair');
	return {
		kind: 'view',
		view: {
			shape: ctx.shape,
			side,
			ballotBoxOpened: closure !== undefined,
			own: own
				? {
						record: asRecord(own.figures),
						enteredByName: own.entered_by_name,
						enteredAt: fromDate(own.entered_at),
						failures: checkResultRecord(ctx.shape, asRecord(own.figures))
					}
				: null,
			other: other ? { side: other.side, enteredByName: other.entered_by_name, enteredAt: fromDate(other.entered_at) } : null,
			differences: own && other ? differingFields(ctx.shape, asRecord(own.figures), asRecord(other.figures)) : null,
			versions: versionsOf(versions),
			rehearsal: ctx.rehearsal
		}
	};
}

export type SaveResultEntryResult =
	| { kind: 'saved'; side: ResultSide; failures: ResultCheckFailure[] }
	| { kind: 'invalid'; errors: RecordParseErrors }
	| { kind: 'ballot-box-not-opened'; section: string }
	| { kind: 'no-candidate-lists' }
	| { kind: 'not-found' }
	| Forbidden;

/**
 * The chair's or a member's entry of the record (replacing their earlier one). Saved even
 * when a check fails, so that the commission sees the failures and the differences; it
 * cannot be closed until both agree and pass (checkResultClosing).
 */
export async function saveResultEntry(
	db: Db,
	input: DistrictRound & { fields: Record<string, string | undefined> },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<SaveResultEntryResult> {
	const officeId = actingOffice(actor, COMMISSION_ROLES);
	if (!officeId) return FORBIDDEN;
	const ctx = await districtContext(db, input, officeId, now);
	if (!ctx) return { kind: 'not-found' };
	if (ctx.shape.lists.length === 0) return { kind: 'no-candidate-lists' };
	const parsed = parseResultRecord(ctx.shape, input.fields);
	if (!parsed.ok) return { kind: 'invalid', errors: parsed.errors };
	const side = resultSide(actor);
	return db.transaction().execute(async (trx) => {
		// §57d(6): the votes are counted only from the opened ballot box.
		if (!(await findCommissionClosure(trx, officeId, ctx.electionId, ctx.round))) return { kind: 'ballot-box-not-opened' as const, section: '§57d(6)' };
		await upsertResultEntry(trx, { officeId, electionId: ctx.electionId, round: ctx.round, side, figures: parsed.record, by: actor.id, at: toDate(ctx.now) });
		const failures = checkResultRecord(ctx.shape, parsed.record);
		await appendAudit(trx, {
			actor,
			action: 'district-result.enter',
			entityType: 'district_result_entry',
			entityId: `${officeId}/${ctx.electionId}/${ctx.round}/${side}`,
			after: { electionId: ctx.electionId, round: ctx.round, side, figures: parsed.record, failedChecks: failures.map((f) => f.check) },
			at: ctx.now
		});
		return { kind: 'saved' as const, side, failures };
	});
}

export type CloseResultResult =
	| { kind: 'closed'; version: number; resultId: string }
	| { kind: CloseRefusal }
	| { kind: 'signature-invalid' | 'signature-replayed' | 'not-enrolled' }
	/** A concurrent close won: the page shows the version it closed. */
	| { kind: 'already-closed' }
	| { kind: 'not-found' }
	| Forbidden;

class NotClosed extends Error {
	constructor(readonly result: CloseResultResult) {
		super(result.kind);
	}
}

/**
 * The chair closes the record (§57d(6) onward): both entries identical, every check passed,
 * signed with a code from the chair's authenticator app. The first close is version 1; a
 * later close is a correction (a reason is required) that keeps every earlier version.
 * The entries are cleared, so a correction is entered twice again.
 */
export async function closeResult(
	db: Db,
	input: DistrictRound & { code: string; reason?: string | null; securityAt?: Temporal.Instant },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<CloseResultResult> {
	const officeId = actingOffice(actor, ['commission-chair']);
	if (!officeId) return FORBIDDEN;
	const ctx = await districtContext(db, input, officeId, now);
	if (!ctx) return { kind: 'not-found' };
	const reason = (input.reason ?? '').trim().slice(0, 1000);
	try {
		return await db.transaction().execute(async (trx) => {
			const entries = await lockResultEntries(trx, officeId, ctx.electionId, ctx.round);
			const [closure, versions] = await Promise.all([
				findCommissionClosure(trx, officeId, ctx.electionId, ctx.round),
				listDistrictResultVersions(trx, officeId, ctx.electionId, ctx.round)
			]);
			const chair = entryOf(entries, 'chair');
			const member = entryOf(entries, 'member');
			const correction = versions.length > 0;
			const check = checkResultClosing(ctx.shape, {
				ballotBoxOpened: closure !== undefined,
				chair: chair ? asRecord(chair.figures) : null,
				member: member ? asRecord(member.figures) : null,
				correction,
				reason
			});
			if (!check.ok) throw new NotClosed({ kind: check.reason });
			// The signature: a code of the chair's second factor, used once (auth/staff.ts).
			const signature = await verifyStaffSignature(trx, { staffId: actor.id, code: input.code }, input.securityAt ?? now);
			if (signature !== 'ok') throw new NotClosed({ kind: signature === 'not-enrolled' ? 'not-enrolled' : signature === 'replayed' ? 'signature-replayed' : 'signature-invalid' });
			const version = versions.length + 1;
			const resultId = await insertDistrictResult(trx, {
				officeId,
				electionId: ctx.electionId,
				round: ctx.round,
				version,
				figures: chair!.figures,
				chairEnteredBy: chair!.entered_by,
				memberEnteredBy: member!.entered_by,
				closedBy: actor.id,
				closedAt: toDate(ctx.now),
				correctionReason: correction ? reason : null
			});
			if (!resultId) throw new NotClosed({ kind: 'already-closed' });
			await deleteResultEntries(trx, officeId, ctx.electionId, ctx.round);
			await appendAudit(trx, {
				actor,
				action: correction ? 'district-result.correct' : 'district-result.close',
				entityType: 'district_result',
				entityId: resultId,
				before: correction ? { version: versions.length, figures: versions.at(-1)!.figures } : undefined,
				after: {
					electionId: ctx.electionId,
					round: ctx.round,
					version,
					figures: chair!.figures,
					signedWith: 'totp',
					...(correction ? { reason } : {})
				},
				at: ctx.now
			});
			return { kind: 'closed' as const, version, resultId };
		});
	} catch (error) {
		if (error instanceof NotClosed) return error.result;
		throw error;
	}
}

/** The closed versions of the actor's district, for the protocol PDF; empty while none is closed. */
export async function closedResultVersions(db: DbOrTrx, input: DistrictRound, actor: StaffActor): Promise<{ shape: ResultShape; versions: ClosedResultVersion[] } | null> {
	const officeId = actingOffice(actor, COMMISSION_ROLES);
	if (!officeId || !isUuid(input.electionId) || !isRound(input.round)) return null;
	const election = await findElectionById(db, input.electionId);
	if (!election) return null;
	const [shape, versions] = await Promise.all([
		resultShapeOf(db, input.electionId, election.type),
		listDistrictResultVersions(db, officeId, input.electionId, input.round)
	]);
	return { shape, versions: versionsOf(versions) };
}

// --- Candidate lists (the administrator) ---

export type ImportCandidateListsResult =
	| { kind: 'imported'; lists: number; candidates: number }
	| { kind: 'invalid'; errors: CandidateCsvError[] }
	/** Records of the result count votes for the lists as they are: they cannot change under them. */
	| { kind: 'results-exist' }
	| { kind: 'not-found' }
	| Forbidden;

/**
 * The administrator imports an election's candidate lists (and candidates) as CSV
 * (domain/results.ts parseCandidateListCsv), replacing the earlier ones — only while no
 * special commission has entered a record of the result for that election. Audited.
 */
export async function importCandidateLists(db: Db, input: { electionId: string; csv: string }, actor: StaffActor, now: Temporal.Instant): Promise<ImportCandidateListsResult> {
	if (actor.role !== 'administrator') return FORBIDDEN;
	if (!isUuid(input.electionId)) return { kind: 'not-found' };
	const parsed = parseCandidateListCsv(input.csv);
	if (!parsed.ok) return { kind: 'invalid', errors: parsed.errors };
	return db.transaction().execute(async (trx) => {
		const election = await trx.selectFrom('election').select('id').where('id', '=', input.electionId).forUpdate().executeTakeFirst();
		if (!election) return { kind: 'not-found' as const };
		if (await hasResultRecords(trx, input.electionId)) return { kind: 'results-exist' as const };
		const before = await listCandidateLists(trx, input.electionId);
		await replaceCandidateLists(trx, input.electionId, parsed.lists);
		const candidates = parsed.lists.reduce((n, l) => n + l.candidates.length, 0);
		await appendAudit(trx, {
			actor,
			action: 'election.candidate-lists-import',
			entityType: 'election',
			entityId: input.electionId,
			before: { lists: before.length },
			after: { electionId: input.electionId, lists: parsed.lists },
			at: now
		});
		return { kind: 'imported' as const, lists: parsed.lists.length, candidates };
	});
}
