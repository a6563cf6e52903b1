/**
 * The embassy's correspondence packages (issue 5, §57b): issuing them for accepted requests,
 * the batch PDF of a day's packages, dispatch by post and hand-over in person or to a proxy.
 * Every function answers with a result a page can render; expected outcomes never throw.
 * Another office's ids behave exactly like unknown ids.
 *
 * Issuing and rendering are separate on purpose: the packages (rows, ID-slip numbers from
 * office_counter, envelope codes) are issued in ONE transaction, so a crash leaves either
 * every package of the batch or none; the PDF is rendered afterwards from the stored rows and
 * can be rendered again, any number of times, with the same content.
 */
import { Temporal } from 'temporal-polyfill';
import {
	allowsCorrespondence,
	checkConsignmentNumber,
	checkCorrespondenceDispatch,
	checkProxyLimit,
	deadlineFor,
	dispatchWarning,
	firstDayOf,
	formatIsoWithOffset,
	lastDayOfVoting,
	parseIsoDate,
	returnEnvelopeDeadline,
	undoAllowed,
	PRAGUE,
	type DispatchWarning,
	type Election,
	type Round
} from '../../domain';
import { ENVELOPE_CODE_RANDOM_BYTES, generateEnvelopeCode } from '../../domain/envelopes';
import type { RefusalView } from '../../forms/refusal';
import { m } from '../../paraglide/messages.js';
import { electionNow, fromDate, toDate } from '../clock';
import { config } from '../config';
import { countryName } from '../countries';
import type { Db, DbOrTrx, Trx } from '../db/index';
import { findElectionById, listElections, takesPartInRehearsal, toDomainElection, type ElectionWithRounds } from '../db/queries/elections';
import { listVotingWindowsOfRound } from '../db/queries/envelopes';
import {
	claimBatchRendering,
	countOtherVotersOfProxy,
	countPackageWork,
	findBatchOfOffice,
	findBatchPdf,
	findPackageDocument,
	findPackageOfOffice,
	insertPackageBatch,
	insertPackages,
	listAcceptedWithoutPackage,
	listBatchesOfOffice,
	listBatchPackageDocuments,
	listPackagesOfOffice,
	lockIssuableRequests,
	findPackagesIssuedToVoters,
	lockPackageOfOffice,
	lockProxy,
	takeCounterValues,
	updateBatchFailed,
	updateBatchProgress,
	updateBatchReady,
	updatePackageDispatched,
	updateRequestCompleted,
	updateRequestsIssued,
	upsertProxy,
	type AcceptedRequestRow,
	type BatchRow,
	type NewPackageRow,
	type PackageCounts,
	type PackageDetailRow,
	type PackageDocumentRow,
	type PackageListFilter,
	type PackageListRow
} from '../db/queries/packages';
import {
	deleteConsignmentOfRequest,
	findPackageIdOfRequest,
	updatePackageDispatchUndone,
	updateRequestReopened
} from '../db/queries/batches';
import type { Delivery, RequestState } from '../db/schema';
import { renderPackageBatchPdf, renderPackagePdf, type PackageDocumentData } from '../documents/package';
import { log } from '../log';
import { isUniqueViolation } from '../db/errors';
import { appendAudit } from './audit';
import { isRunningHere, jobNeedsStart, runDocumentJob, startOnce, type DocumentJob } from './document-job';
import { batchAudit, markBatchItemDone, type BatchItemOptions } from './batches/mark';
import { consignmentDetails, recordConsignment } from './consignments';
import { asRound, votingOfRound } from './envelopes';
import { queueVoterNotification } from './notifications';
import { isUuid, refusalView } from './requests';
import { EMBASSY_ROLES, actingOffice, type StaffActor } from './staff-actor';

type Forbidden = { kind: 'forbidden' };
const FORBIDDEN: Forbidden = { kind: 'forbidden' };

/** ID-slip numbers run per embassy and election (office_counter). */
export function idSlipCounter(electionId: string): string {
	return `id-slip:${electionId}`;
}

/** Batches up to this size are rendered while the clerk waits; larger ones in the background. */
export const SYNCHRONOUS_RENDER_LIMIT = 20;
export { RENDER_STALE_SECONDS } from './document-job';
/** Draws of a fresh envelope code for one package before giving up (55 random bits: a clash is rare). */
const CODE_ATTEMPTS = 5;

function newEnvelopeCode(): string {
	return generateEnvelopeCode(crypto.getRandomValues(new Uint8Array(ENVELOPE_CODE_RANDOM_BYTES)));
}

async function loadElection(db: DbOrTrx, electionId: string): Promise<{ row: ElectionWithRounds; election: Election } | undefined> {
	if (!isUuid(electionId)) return undefined;
	const row = await findElectionById(db, electionId);
	return row ? { row, election: toDomainElection(row) } : undefined;
}

function isCollection(delivery: Delivery | null): boolean {
	return delivery === 'in-person' || delivery === 'proxy';
}

// --- Overview ---

export type PackageElectionsResult = { kind: 'ok'; elections: ElectionWithRounds[] } | Forbidden;

/** The elections with correspondence voting (§57a(1)), soonest first: where an embassy works on packages. */
export async function listPackageElections(db: Db, actor: StaffActor): Promise<PackageElectionsResult> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	const elections = (await listElections(db, { officeId })).filter((row) => allowsCorrespondence(toDomainElection(row)));
	return { kind: 'ok', elections };
}

export interface RoundDispatchState {
	round: Round;
	/** §57b(1): D−25 at 16:00 Prague, ISO with offset. */
	deadline: string | null;
	warning: DispatchWarning;
	waiting: number;
}

export type PackageOverviewResult =
	| {
			kind: 'ok';
			election: ElectionWithRounds;
			counts: PackageCounts;
			accepted: AcceptedRequestRow[];
			batches: BatchRow[];
			rounds: RoundDispatchState[];
	  }
	| { kind: 'not-found' }
	| { kind: 'correspondence-not-allowed' }
	| Forbidden;

export const ACCEPTED_LIST_LIMIT = 200;

/** What the packages page of one election shows: work waiting, the batches, and the dispatch deadline per round. */
export async function getPackageOverview(
	db: Db,
	input: { electionId: string },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<PackageOverviewResult> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	const loaded = await loadElection(db, input.electionId);
	if (!loaded) return { kind: 'not-found' };
	// Issue 14: a rehearsal exists only for the offices taking part.
	if (loaded.row.rehearsal && !(await takesPartInRehearsal(db, loaded.row.id, officeId))) return { kind: 'not-found' };
	if (!allowsCorrespondence(loaded.election)) return { kind: 'correspondence-not-allowed' };
	now = electionNow(loaded.row, now);
	const [counts, accepted, batches] = await Promise.all([
		countPackageWork(db, officeId, loaded.row.id),
		listAcceptedWithoutPackage(db, officeId, loaded.row.id, ACCEPTED_LIST_LIMIT),
		listBatchesOfOffice(db, officeId, loaded.row.id, 20)
	]);
	const rounds = loaded.election.rounds.map(({ round }) => {
		// §57b(1): packages go out by D−25; the portal warns from D−28 (dispatchWarning).
		const deadline = deadlineFor(loaded.election, 'correspondence-dispatch', round);
		return {
			round,
			deadline: deadline ? formatIsoWithOffset(deadline.at) : null,
			warning: dispatchWarning({ election: loaded.election, round, now }),
			waiting: counts.waitingByRound.find((w) => w.round === round)?.count ?? 0
		};
	});
	return { kind: 'ok', election: loaded.row, counts, accepted, batches, rounds };
}

// --- Issuing (one transaction) ---

export interface IssuePackagesInput {
	electionId: string;
	/** The chosen requests; null or absent: every accepted request of the election without a package. */
	requestIds?: readonly string[] | null;
}

export type IssuePackagesResult =
	| { kind: 'issued'; batchId: string; count: number; firstSlip: number; lastSlip: number }
	/** Nothing left to issue: none accepted, or a colleague issued them a moment ago. */
	| { kind: 'nothing-to-issue' }
	/**
	 * §57(1): a voter of the batch has a package for the round already (issued by another clerk
	 * or office at the same moment, or before a cancelled request was filed again): nothing is
	 * issued, and the clerk is told by whom (issue 16: was a 500).
	 */
	| { kind: 'already-issued'; issued: { reference: string; officeCs: string; officeEn: string; by: string | null; at: string }[] }
	| { kind: 'not-found' }
	| { kind: 'correspondence-not-allowed' }
	| Forbidden;

/**
 * §57b: issues the packages of accepted correspondence requests in ONE transaction: locks
 * the requests (those a concurrent batch issued drop out), takes consecutive ID-slip
 * numbers from office_counter, draws an opaque envelope code for each, inserts the batch and
 * the packages, sets the requests to 'issued', writes the audit entries and tells voters who
 * collect that their package is ready. A failure anywhere rolls all of it back.
 */
export async function issuePackages(
	db: Db,
	input: IssuePackagesInput,
	actor: StaffActor,
	now: Temporal.Instant
): Promise<IssuePackagesResult> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	const requestIds = input.requestIds ?? null;
	if (requestIds && requestIds.some((id) => !isUuid(id))) return { kind: 'not-found' };
	const loaded = await loadElection(db, input.electionId);
	if (!loaded) return { kind: 'not-found' };
	// Issue 14: a rehearsal exists only for the offices taking part.
	if (loaded.row.rehearsal && !(await takesPartInRehearsal(db, loaded.row.id, officeId))) return { kind: 'not-found' };
	// §57a(1): packages exist only for elections that allow correspondence voting.
	if (!allowsCorrespondence(loaded.election)) return { kind: 'correspondence-not-allowed' };
	const electionId = loaded.row.id;
	// Issued on the election's clock (a rehearsal runs on its own).
	now = electionNow(loaded.row, now);
	const at = toDate(now);

	let voters: { voter_id: string; round: number }[] = [];
	const alreadyIssued = async (database: DbOrTrx) => {
		const rows = await findPackagesIssuedToVoters(database, electionId, voters);
		return {
			kind: 'already-issued' as const,
			issued: rows.map((r) => ({ reference: r.reference, officeCs: r.office_name_cs, officeEn: r.office_name_en, by: r.issued_by, at: fromDate(r.issued_at).toString() }))
		};
	};
	try {
		return await issuePackagesIn(db, { officeId, electionId, requestIds, at, electionInstant: now, actor }, (locked) => {
			voters = locked;
		}, alreadyIssued);
	} catch (error) {
		// A package for one of the voters committed by someone else between our check and our insert.
		if (isUniqueViolation(error, 'correspondence_package_voter_id_election_id_round_key') || isUniqueViolation(error, 'correspondence_package_request_id_key')) {
			const answer = await alreadyIssued(db);
			if (answer.issued.length) return answer;
			return { kind: 'nothing-to-issue' };
		}
		throw error;
	}
}

async function issuePackagesIn(
	db: Db,
	/** `electionInstant`: the election's clock (electionNow), read by issuePackages. */
	input: { officeId: string; electionId: string; requestIds: readonly string[] | null; at: Date; electionInstant: Temporal.Instant; actor: StaffActor },
	onLocked: (voters: { voter_id: string; round: number }[]) => void,
	alreadyIssued: (trx: Trx) => Promise<Extract<IssuePackagesResult, { kind: 'already-issued' }>>
): Promise<IssuePackagesResult> {
	const { officeId, electionId, requestIds, at, electionInstant: now, actor } = input;
	return db.transaction().execute(async (trx) => {
		const requests = await lockIssuableRequests(trx, officeId, electionId, requestIds);
		if (requests.length === 0) return { kind: 'nothing-to-issue' as const };
		onLocked(requests.map((r) => ({ voter_id: r.voter_id, round: r.round })));
		// §57(1): one package per voter and round, whoever issued it.
		const earlier = await alreadyIssued(trx);
		if (earlier.issued.length) return earlier;

		const firstSlip = await takeCounterValues(trx, officeId, idSlipCounter(electionId), requests.length);
		const batchId = await insertPackageBatch(trx, {
			officeId,
			electionId,
			createdAt: at,
			createdBy: actor.id,
			packageCount: requests.length
		});
		let pending: NewPackageRow[] = requests.map((r, i) => ({
			office_id: officeId,
			request_id: r.id,
			voter_id: r.voter_id,
			election_id: electionId,
			round: r.round,
			id_slip_number: firstSlip + i,
			envelope_code: newEnvelopeCode(),
			batch_id: batchId,
			issued_at: at,
			issued_by: actor.id
		}));
		const issued = new Map<string, { id: string; id_slip_number: number }>();
		for (let attempt = 0; pending.length > 0; attempt++) {
			if (attempt === CODE_ATTEMPTS) throw new Error('Could not draw free envelope codes');
			for (const row of await insertPackages(trx, pending)) issued.set(row.request_id, row);
			// A row skipped on a clashing envelope code gets a fresh code and another go.
			pending = pending.filter((p) => !issued.has(p.request_id)).map((p) => ({ ...p, envelope_code: newEnvelopeCode() }));
		}
		const changed = await updateRequestsIssued(
			trx,
			officeId,
			requests.map((r) => r.id),
			at
		);
		if (changed.length !== requests.length) throw new Error('A locked request changed state while its package was issued');

		await appendAudit(trx, {
			actor,
			action: 'package-batch.create',
			entityType: 'package_batch',
			entityId: batchId,
			after: { electionId, count: requests.length, firstSlip, lastSlip: firstSlip + requests.length - 1 },
			at: now
		});
		for (const request of requests) {
			const pkg = issued.get(request.id)!;
			await appendAudit(trx, {
				actor,
				action: 'correspondence-package.issue',
				entityType: 'correspondence_package',
				entityId: pkg.id,
				before: { requestId: request.id, requestState: 'accepted' },
				after: { requestId: request.id, requestState: 'issued', round: request.round, idSlipNumber: pkg.id_slip_number, batchId },
				at: now
			});
			// §57a(4): a voter who collects at the embassy learns that the package is ready.
			if (isCollection(request.delivery)) {
				await queueVoterNotification(trx, { voterId: request.voter_id, kind: 'package-ready', reference: request.reference });
			}
		}
		return {
			kind: 'issued' as const,
			batchId,
			count: requests.length,
			firstSlip,
			lastSlip: firstSlip + requests.length - 1
		};
	});
}

// --- Document data ---

function addressLine(parts: { line: string | null; postalCode: string | null; city: string | null; country: string | null }): string | null {
	if (!parts.line || !parts.city || !parts.country) return null;
	const place = [parts.postalCode, parts.city].filter((p) => p && p.trim() !== '').join(' ');
	return `${parts.line}, ${place}, ${countryName(parts.country, 'cs')}`;
}

/**
 * §57b(3): the voter's address abroad: the address of their registration at this embassy
 * (§57(6)), else the address the voter list holds if it is abroad, else the mailing address
 * of the request (§57a(4)).
 */
export function addressAbroad(row: PackageDocumentRow): string {
	const registration = addressLine({
		line: row.registration_address_line,
		postalCode: row.registration_postal_code,
		city: row.registration_city,
		country: row.registration_country_code
	});
	if (registration) return registration;
	const voter = addressLine({ line: row.voter_address_line, postalCode: row.voter_postal_code, city: row.voter_city, country: row.voter_country_code });
	if (voter && row.voter_country_code.toUpperCase() !== 'CZ') return voter;
	return (
		addressLine({ line: row.request_address_line, postalCode: row.request_postal_code, city: row.request_city, country: row.request_country_code }) ??
		voter ??
		''
	);
}

interface ElectionCache {
	get(electionId: string): Promise<{ row: ElectionWithRounds; election: Election } | undefined>;
}

function electionCache(db: DbOrTrx): ElectionCache {
	const cache = new Map<string, Promise<{ row: ElectionWithRounds; election: Election } | undefined>>();
	return {
		get(electionId) {
			let hit = cache.get(electionId);
			if (!hit) {
				hit = loadElection(db, electionId);
				cache.set(electionId, hit);
			}
			return hit;
		}
	};
}

async function returnByOf(db: DbOrTrx, row: PackageDocumentRow, round: Round): Promise<Temporal.ZonedDateTime | null> {
	const stored = await listVotingWindowsOfRound(db, row.office_id, row.election_id, round);
	const voting = stored ? votingOfRound(stored.time_zone, round, stored.windows) : null;
	// §57c(4): the return envelope must reach the embassy by the close of voting there.
	return voting ? returnEnvelopeDeadline(voting) : null;
}

async function toDocumentData(db: DbOrTrx, row: PackageDocumentRow, elections: ElectionCache, returnBy: Map<number, Temporal.ZonedDateTime | null>): Promise<PackageDocumentData> {
	const loaded = await elections.get(row.election_id);
	if (!loaded) throw new Error(`Package ${row.id} refers to a missing election`);
	const round = asRound(row.round);
	if (!returnBy.has(round)) returnBy.set(round, await returnByOf(db, row, round));
	return {
		idSlipNumber: row.id_slip_number,
		envelopeCode: row.envelope_code,
		embassy: {
			nameCs: row.office_name_cs,
			nameEn: row.office_name_en,
			address: row.office_address,
			specialDistrictNumber: row.special_district_number ?? 0
		},
		election: {
			titleCs: loaded.row.title_cs,
			titleEn: loaded.row.title_en,
			round,
			roundCount: loaded.election.rounds.length,
			// §2(2): voting in Czechia runs on D and the day after.
			firstDay: firstDayOf(loaded.election, round).toString(),
			lastDay: lastDayOfVoting(loaded.election, round).toString(),
			rehearsal: loaded.row.rehearsal
		},
		voter: {
			givenName: row.voter_given_name,
			familyName: row.voter_family_name,
			birthDate: row.voter_birth_date,
			addressAbroad: addressAbroad(row)
		},
		issuedBy: row.issued_by_name,
		issuedAt: fromDate(row.issued_at),
		returnBy: returnBy.get(round) ?? null,
		ballotsUrl: config().BALLOTS_URL,
		instructionsLocale: row.request_locale
	};
}

// --- Rendering the batch PDF (retryable from the stored rows) ---

export type RenderBatchResult =
	| { kind: 'ready'; batchId: string }
	| { kind: 'failed'; batchId: string; message: string }
	/** Another renderer holds a live claim, or the batch is ready already. */
	| { kind: 'not-claimed'; batchId: string }
	| { kind: 'not-found' }
	| Forbidden;

export type BatchRenderer = typeof renderPackageBatchPdf;

function batchTitle(at: Temporal.Instant): string {
	const day = at.toZonedDateTimeISO(PRAGUE).toPlainDate();
	return m.pkg_doc_batch_title({ date: `${day.day}. ${day.month}. ${day.year}` }, { locale: 'cs' });
}

/** The embassy's package batch as a document job (document-job.ts): the same shape as every batch PDF. */
function packageBatchJob(db: Db, officeId: string, batch: BatchRow, actor: StaffActor, render: BatchRenderer): DocumentJob<Uint8Array> {
	return {
		key: `package-batch:${batch.id}`,
		name: `package batch ${batch.id}`,
		claim: (at, staleBefore) => claimBatchRendering(db, officeId, batch.id, at, staleBefore),
		progress: (attempt, done, at) => updateBatchProgress(db, batch.id, attempt, done, at),
		fail: (attempt, message, at) => updateBatchFailed(db, batch.id, attempt, message, at),
		render: async (_attempt, progress) => {
			const rows = await listBatchPackageDocuments(db, officeId, batch.id);
			const elections = electionCache(db);
			const returnBy = new Map<number, Temporal.ZonedDateTime | null>();
			const documents: PackageDocumentData[] = [];
			for (const row of rows) documents.push(await toDocumentData(db, row, elections, returnBy));
			return render(documents, {
				title: batchTitle(fromDate(batch.created_at)),
				createdAt: fromDate(batch.created_at),
				onProgress: (done) => progress(done, documents.length)
			});
		},
		finish: (attempt, pdf, finished) =>
			db.transaction().execute(async (trx) => {
				const ok = await updateBatchReady(trx, batch.id, attempt, pdf, toDate(finished));
				if (ok) {
					await appendAudit(trx, {
						actor,
						action: 'package-batch.render',
						entityType: 'package_batch',
						entityId: batch.id,
						after: { status: 'ready', attempt, packages: batch.package_count, bytes: pdf.byteLength },
						at: finished
					});
				}
				return ok;
			})
	};
}

/**
 * Renders a batch's PDF from its stored packages and stores it, as a document job: claimed
 * first (pending, failed, or a renderer silent for RENDER_STALE_SECONDS), so two renderers never
 * work on one batch at once; progress is written as it goes. A failure marks the batch
 * 'failed' with the reason, to be rendered again; the packages themselves are untouched.
 */
export async function renderBatch(
	db: Db,
	input: { batchId: string },
	actor: StaffActor,
	now: () => Temporal.Instant,
	render: BatchRenderer = renderPackageBatchPdf
): Promise<RenderBatchResult> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.batchId)) return { kind: 'not-found' };
	const batch = await findBatchOfOffice(db, officeId, input.batchId);
	if (!batch) return { kind: 'not-found' };
	const result = await runDocumentJob(packageBatchJob(db, officeId, batch, actor, render), now);
	return { ...result, batchId: batch.id };
}

/**
 * Starts rendering a batch in the background of this process, unless this process is at it
 * already; the page polls the batch's status meanwhile. Returns the running render.
 */
export function startBatchRendering(db: Db, batchId: string, actor: StaffActor, now: () => Temporal.Instant): Promise<RenderBatchResult> {
	return startOnce(
		`package-batch:${batchId}`,
		() => renderBatch(db, { batchId }, actor, now),
		(error): RenderBatchResult => ({ kind: 'failed', batchId, message: String(error) })
	);
}

export function isRenderingHere(batchId: string): boolean {
	return isRunningHere(`package-batch:${batchId}`);
}

export interface BatchStatusView {
	id: string;
	electionId: string;
	status: BatchRow['status'];
	total: number;
	rendered: number;
	createdAt: string;
	createdBy: string;
	firstSlip: number | null;
	lastSlip: number | null;
	error: string | null;
}

export type BatchStatusResult = { kind: 'ok'; batch: BatchStatusView } | { kind: 'not-found' } | Forbidden;

function batchView(batch: BatchRow): BatchStatusView {
	return {
		id: batch.id,
		electionId: batch.election_id,
		status: batch.status,
		total: batch.package_count,
		rendered: batch.status === 'ready' ? batch.package_count : batch.rendered_count,
		createdAt: fromDate(batch.created_at).toString(),
		createdBy: batch.created_by_name,
		firstSlip: batch.first_slip,
		lastSlip: batch.last_slip,
		error: batch.render_error
	};
}

/**
 * A batch's status for its page and the progress poll. A batch still pending, or 'rendering'
 * with no renderer in this process and none heard from for RENDER_STALE_SECONDS (the process
 * that rendered it crashed), is (re)started here: rendering resumes from the stored rows.
 */
export async function getBatchStatus(
	db: Db,
	input: { batchId: string },
	actor: StaffActor,
	now: () => Temporal.Instant
): Promise<BatchStatusResult> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.batchId)) return { kind: 'not-found' };
	const batch = await findBatchOfOffice(db, officeId, input.batchId);
	if (!batch) return { kind: 'not-found' };
	const heartbeatAt = batch.render_heartbeat_at ? fromDate(batch.render_heartbeat_at) : null;
	if (!isRenderingHere(batch.id) && jobNeedsStart({ status: batch.status, heartbeatAt }, now())) void startBatchRendering(db, batch.id, actor, now);
	return { kind: 'ok', batch: batchView(batch) };
}

/** A failed batch is rendered again on the clerk's request. */
export async function retryBatchRendering(
	db: Db,
	input: { batchId: string },
	actor: StaffActor,
	now: () => Temporal.Instant
): Promise<{ kind: 'started' } | { kind: 'not-found' } | { kind: 'not-failed' } | Forbidden> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.batchId)) return { kind: 'not-found' };
	const batch = await findBatchOfOffice(db, officeId, input.batchId);
	if (!batch) return { kind: 'not-found' };
	if (batch.status !== 'failed') return { kind: 'not-failed' };
	void startBatchRendering(db, batch.id, actor, now);
	return { kind: 'started' };
}

export async function getBatchPdf(
	db: Db,
	input: { batchId: string },
	actor: StaffActor
): Promise<{ kind: 'ok'; pdf: Uint8Array } | { kind: 'not-found' } | Forbidden> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.batchId)) return { kind: 'not-found' };
	const pdf = await findBatchPdf(db, officeId, input.batchId);
	return pdf ? { kind: 'ok', pdf } : { kind: 'not-found' };
}

/** The three pages of one package, rendered again from its stored row (a spoilt print). */
export async function getPackagePdf(
	db: Db,
	input: { packageId: string },
	actor: StaffActor
): Promise<{ kind: 'ok'; pdf: Buffer; idSlipNumber: number } | { kind: 'not-found' } | Forbidden> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.packageId)) return { kind: 'not-found' };
	const row = await findPackageDocument(db, officeId, input.packageId);
	if (!row) return { kind: 'not-found' };
	const data = await toDocumentData(db, row, electionCache(db), new Map());
	return { kind: 'ok', pdf: await renderPackagePdf(data), idSlipNumber: row.id_slip_number };
}

// --- The list and one package ---

export const PACKAGES_PER_PAGE = 50;

export type PackageListResult =
	| { kind: 'ok'; election: ElectionWithRounds; rows: PackageListRow[]; total: number; page: number; pages: number }
	| { kind: 'not-found' }
	| Forbidden;

export async function listPackages(
	db: Db,
	input: { electionId: string; filter: PackageListFilter; page: number },
	actor: StaffActor
): Promise<PackageListResult> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	const loaded = await loadElection(db, input.electionId);
	if (!loaded) return { kind: 'not-found' };
	// Issue 14: a rehearsal exists only for the offices taking part.
	if (loaded.row.rehearsal && !(await takesPartInRehearsal(db, loaded.row.id, officeId))) return { kind: 'not-found' };
	const page = Number.isInteger(input.page) && input.page > 0 ? input.page : 1;
	const { rows, total } = await listPackagesOfOffice(db, officeId, loaded.row.id, {
		filter: input.filter,
		limit: PACKAGES_PER_PAGE,
		offset: (page - 1) * PACKAGES_PER_PAGE
	});
	return { kind: 'ok', election: loaded.row, rows, total, page, pages: Math.max(1, Math.ceil(total / PACKAGES_PER_PAGE)) };
}

export type PackageDetailResult =
	| {
			kind: 'ok';
			pkg: PackageDetailRow;
			election: ElectionWithRounds;
			/** Whether dispatch (post) or hand-over (collection) is still possible now, and if not why. */
			dispatch: { ok: true; warning: DispatchWarning } | { ok: false; refusal: RefusalView };
	  }
	| { kind: 'not-found' }
	| Forbidden;

export async function getPackageDetail(
	db: Db,
	input: { packageId: string },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<PackageDetailResult> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.packageId)) return { kind: 'not-found' };
	const pkg = await findPackageOfOffice(db, officeId, input.packageId);
	if (!pkg) return { kind: 'not-found' };
	const loaded = await loadElection(db, pkg.election_id);
	if (!loaded) return { kind: 'not-found' };
	now = electionNow(loaded.row, now);
	const round = asRound(pkg.round);
	const check = checkCorrespondenceDispatch({ election: loaded.election, round, requestChannel: pkg.channel, now });
	return {
		kind: 'ok',
		pkg,
		election: loaded.row,
		dispatch: check.ok
			? { ok: true, warning: pkg.channel === 'in-person' ? 'none' : dispatchWarning({ election: loaded.election, round, now }) }
			: { ok: false, refusal: refusalView(check) }
	};
}

// --- Dispatch by post, hand-over in person or to a proxy (§57b(1)) ---

export interface ProxyIdentity {
	fullName: string;
	/** YYYY-MM-DD */
	birthDate: string;
	/** The identity document shown, e.g. 'OP 123456789'. */
	identityDocument?: string | null;
}

export type HandOverInput =
	/** `consignmentNumber`: the registered letter's number (UPU S10, issue 12), where recorded. */
	| { packageId: string; method: 'post'; consignmentNumber?: string | null }
	| { packageId: string; method: 'in-person' }
	| { packageId: string; method: 'proxy'; proxy: ProxyIdentity };

export type HandOverResult =
	| { kind: 'dispatched'; method: Delivery; reference: string }
	/** A colleague recorded it a moment earlier (or it was recorded before). */
	| { kind: 'already-dispatched'; method: Delivery; at: string }
	/** The request asked for the other way: mailing (§57a(4)) or collection at the embassy. */
	| { kind: 'wrong-method'; delivery: Delivery | null }
	/** §57b(1): the deadline has passed, or the proxy already collected for 7 voters. */
	| { kind: 'refused'; refusal: RefusalView }
	| { kind: 'invalid-proxy' }
	| { kind: 'invalid'; field: 'consignmentNumber' }
	/** The consignment number was recorded for another dispatch (issue 12). */
	| { kind: 'number-used'; number: string }
	| { kind: 'not-found' }
	| Forbidden;

class Outcome extends Error {
	constructor(readonly result: HandOverResult) {
		super(result.kind);
	}
}

const PROXY_NAME_MAX = 200;

function cleanProxy(proxy: ProxyIdentity): ProxyIdentity | null {
	const fullName = proxy.fullName.trim().replace(/\s+/g, ' ');
	const birth = parseIsoDate(proxy.birthDate.trim());
	if (!fullName || fullName.length > PROXY_NAME_MAX || !birth) return null;
	const identityDocument = proxy.identityDocument?.trim().slice(0, 100) || null;
	return { fullName, birthDate: birth.toString(), identityDocument };
}

/**
 * §57b(1): records that a package left the embassy: sent by post (by D−25, warned from D−28),
 * or handed over at the embassy to the voter or to a proxy with a verified power of attorney,
 * who may collect for at most 7 voters per embassy and election. A request made in person at
 * the embassy is judged against the in-person window instead (checkCorrespondenceDispatch).
 * One transaction: the package (locked), the proxy (locked, counted), the request
 * issued → completed, the audit entry and the voter's notification. Of two clerks recording
 * the same package at once, one succeeds and the other gets 'already-dispatched'.
 */
export async function recordPackageHandOver(
	db: Db,
	input: HandOverInput,
	actor: StaffActor,
	now: Temporal.Instant,
	batch?: BatchItemOptions
): Promise<HandOverResult> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.packageId)) return { kind: 'not-found' };
	const proxy = input.method === 'proxy' ? cleanProxy(input.proxy) : null;
	if (input.method === 'proxy' && !proxy) return { kind: 'invalid-proxy' };
	let consignment: string | null = null;
	if (input.method === 'post' && input.consignmentNumber?.trim()) {
		const checked = checkConsignmentNumber(input.consignmentNumber);
		if (!checked.ok) return { kind: 'invalid', field: 'consignmentNumber' };
		consignment = checked.number;
	}
	let at = toDate(now);

	try {
		return await db.transaction().execute(async (trx) => {
			const pkg = await lockPackageOfOffice(trx, officeId, input.packageId);
			if (!pkg) throw new Outcome({ kind: 'not-found' });
			if (pkg.dispatched_at && pkg.dispatch_method) {
				throw new Outcome({ kind: 'already-dispatched', method: pkg.dispatch_method, at: fromDate(pkg.dispatched_at).toString() });
			}
			// §57a(4): the request carries either a mailing address or collection at the embassy.
			if ((input.method === 'post') !== (pkg.delivery === 'post')) throw new Outcome({ kind: 'wrong-method', delivery: pkg.delivery });

			const loaded = await loadElection(trx, pkg.election_id);
			if (!loaded) throw new Outcome({ kind: 'not-found' });
			// Dispatched on the election's clock (a rehearsal runs on its own).
			now = electionNow(loaded.row, now);
			at = toDate(now);
			// §57b(1): by D−25 (in-person requests: the in-person window of §57a(3)).
			const check = checkCorrespondenceDispatch({ election: loaded.election, round: asRound(pkg.round), requestChannel: pkg.channel, now });
			if (!check.ok) throw new Outcome({ kind: 'refused', refusal: refusalView(check) });

			const proxyId = proxy ? await takeProxy(trx, officeId, pkg, proxy) : null;
			const method: Delivery = input.method;
			if (!(await updatePackageDispatched(trx, officeId, pkg.id, { method, at, by: actor.id, proxyId }))) {
				throw new Outcome({ kind: 'already-dispatched', method, at: now.toString() });
			}
			const completed = await updateRequestCompleted(trx, officeId, pkg.request_id, at);
			if (
				consignment &&
				!(await recordConsignment(trx, { number: consignment, officeId, requestId: pkg.request_id, reference: pkg.reference, batch, at, by: actor.id }))
			) {
				throw new Outcome({ kind: 'number-used', number: consignment });
			}
			await appendAudit(trx, {
				actor,
				action: method === 'post' ? 'correspondence-package.dispatch' : 'correspondence-package.hand-over',
				entityType: 'correspondence_package',
				entityId: pkg.id,
				before: { dispatchMethod: null, requestState: pkg.request_state },
				after: {
					dispatchMethod: method,
					proxyId,
					requestState: completed ? 'completed' : pkg.request_state,
					...(consignment ? { consignmentNumber: consignment } : {}),
					...batchAudit(batch)
				},
				at: now
			});
			await queueVoterNotification(trx, {
				voterId: pkg.voter_id,
				kind: method === 'post' ? 'package-sent' : 'package-handed-over',
				reference: pkg.reference,
				...(proxy ? { details: (locale) => ({ [m.mail_detail_proxy({}, { locale })]: proxy.fullName }) } : {}),
				...(consignment ? { details: consignmentDetails(consignment) } : {})
			});
			await markBatchItemDone(trx, batch, pkg.request_id, consignment ? { number: consignment } : {}, at);
			return { kind: 'dispatched' as const, method, reference: pkg.reference };
		});
	} catch (error) {
		if (error instanceof Outcome) return error.result;
		throw error;
	}
}

/**
 * §57b(1): the proxy of this embassy and election (created on first use), locked, so that
 * hand-overs to one proxy are counted one after another; the 8th distinct voter is refused.
 */
async function takeProxy(trx: Trx, officeId: string, pkg: { election_id: string; voter_id: string }, proxy: ProxyIdentity): Promise<string> {
	const id = await upsertProxy(trx, {
		officeId,
		electionId: pkg.election_id,
		fullName: proxy.fullName,
		birthDate: proxy.birthDate,
		identityDocument: proxy.identityDocument ?? null
	});
	const locked = await lockProxy(trx, officeId, id);
	if (!locked) throw new Error('proxy row vanished');
	const others = await countOtherVotersOfProxy(trx, id, pkg.voter_id);
	const limit = checkProxyLimit(others);
	if (!limit.ok) throw new Outcome({ kind: 'refused', refusal: refusalView(limit) });
	return id;
}

/**
 * Issue 12: a package dispatched by registered post as an item of a batch, named by its
 * request: the same recordPackageHandOver, so §57b(1) (D−25) is judged per item.
 */
export async function recordPackageHandOverOfRequest(
	db: Db,
	input: { requestId: string; consignmentNumber: string },
	actor: StaffActor,
	now: Temporal.Instant,
	batch?: BatchItemOptions
): Promise<HandOverResult | { kind: 'wrong-state'; state: RequestState }> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.requestId)) return { kind: 'not-found' };
	const pkg = await findPackageIdOfRequest(db, officeId, input.requestId);
	// No package issued for the request (yet): nothing to dispatch.
	if (!pkg) return { kind: 'wrong-state', state: 'accepted' };
	return recordPackageHandOver(db, { packageId: pkg, method: 'post', consignmentNumber: input.consignmentNumber }, actor, now, batch);
}

export type UndoDispatchResult =
	| { kind: 'done'; reference: string }
	| { kind: 'not-dispatched' }
	| { kind: 'undo-too-late' }
	| { kind: 'invalid' }
	| { kind: 'not-found' }
	| Forbidden;

/**
 * Issue 12: a package's dispatch or hand-over recorded by mistake is undone by the same embassy
 * on the same Prague day (the election's clock), with the reason, audited; the package waits
 * again, a proxy's count no longer includes it, and its consignment number is released.
 */
export async function undoPackageDispatch(
	db: Db,
	input: { packageId: string; reason: string },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<UndoDispatchResult> {
	const officeId = actingOffice(actor, EMBASSY_ROLES);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.packageId)) return { kind: 'not-found' };
	const reason = input.reason.trim();
	if (!reason || reason.length > 500 || /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(reason)) return { kind: 'invalid' };
	return db.transaction().execute(async (trx): Promise<UndoDispatchResult> => {
		const pkg = await lockPackageOfOffice(trx, officeId, input.packageId);
		if (!pkg) return { kind: 'not-found' };
		if (!pkg.dispatched_at || !pkg.dispatch_method) return { kind: 'not-dispatched' };
		const loaded = await loadElection(trx, pkg.election_id);
		if (!loaded) return { kind: 'not-found' };
		now = electionNow(loaded.row, now);
		if (!undoAllowed(fromDate(pkg.dispatched_at), now)) return { kind: 'undo-too-late' };
		if (!(await updatePackageDispatchUndone(trx, { id: pkg.id, officeId, at: pkg.dispatched_at }))) return { kind: 'not-dispatched' };
		await updateRequestReopened(trx, officeId, pkg.request_id, toDate(now));
		const number = await deleteConsignmentOfRequest(trx, officeId, pkg.request_id);
		await appendAudit(trx, {
			actor,
			action: 'correspondence-package.dispatch-undo',
			entityType: 'correspondence_package',
			entityId: pkg.id,
			before: { dispatchMethod: pkg.dispatch_method, requestState: pkg.request_state, ...(number ? { consignmentNumber: number } : {}) },
			after: { dispatchMethod: null, requestState: 'issued', reason },
			at: now
		});
		return { kind: 'done', reference: pkg.reference };
	});
}
