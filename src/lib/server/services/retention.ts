/**
 * Retention of voter data (§22(6)): voter data is kept no longer than the election's retention
 * period (default 90 days, *configurable*) after its results are declared, unless a court
 * challenge is pending. Run daily by the job queue (jobs/tasks.ts, task 'retention') and on
 * demand from /urad/sprava/uchovavani. Which elections are due is the domain's decision
 * (domain/retention.ts); this file removes their data, each election in its own transaction
 * with its audit entry (counts only, never personal data).
 *
 * What is removed, per election due (README, "Data retention"):
 * - requests: delivery address, proxy's name and date of birth, power-of-attorney note, a
 *   clerk's free-text refusal reason (→ '—'); kind, state, dates and coded reasons stay;
 * - voter cards: the name of whoever collected the card (→ '—'), the power-of-attorney note,
 *   the proxy's date of birth, the note on a loss; serial, dates and methods stay (§23(3));
 * - proxies: name (→ '—'), date of birth, identity document;
 * - the rendered PDFs of package batches (they print names and addresses);
 * - voters a special commission added (source 'commission', §57d(5)) and voters on no list any
 *   more (left a special district, §56(4)), once every election they appear in is past
 *   retention and no registration of theirs is waiting: anonymised (name, date of birth, address, eID
 *   link, e-mail; their sessions and e-mails go). Not deleted: the election's requests,
 *   packages and voting marks, the record of the count (§57d), refer to their rows.
 * Voters on a list stay as they are: the list is kept by law. On every run, expired sessions
 * of people logged in with the eID but on no list (they hold the eID's name, date of birth
 * and address) are deleted too.
 */
import type { Temporal } from 'temporal-polyfill';
import { retentionStatus } from '../../domain/retention';
import { fromDate, toDate } from '../clock';
import type { Db } from '../db/index';
import {
	anonymiseElectionProxies,
	anonymiseElectionRequests,
	anonymiseElectionVoterCards,
	anonymiseVoters,
	deleteElectionBatchPdfs,
	deleteExpiredEidOnlySessions,
	findRetentionElectionForUpdate,
	listRetentionAuditEntries,
	listRetentionElections,
	listVotersPastRetention,
	updateElectionPersonalDataRemoved,
	type RetentionElectionRow
} from '../db/queries/admin';
import { retentionOf, type RetentionStatusView } from './admin-elections';
import { appendAudit } from './audit';
import type { StaffActor } from './staff-actor';

export type RetentionActor = StaffActor | { kind: 'system'; id?: null };

export interface ElectionRetentionCounts {
	requestsAnonymised: number;
	voterCardsAnonymised: number;
	proxiesAnonymised: number;
	batchPdfsDeleted: number;
	votersAnonymised: number;
}

export interface ElectionRetentionReport extends ElectionRetentionCounts {
	electionId: string;
	titleCs: string;
	titleEn: string;
}

export interface RetentionRunReport {
	/** The instant of the run (ISO). */
	at: string;
	elections: ElectionRetentionReport[];
	eidSessionsDeleted: number;
}

function settingsOf(row: RetentionElectionRow) {
	return {
		id: row.id,
		resultsDeclaredOn: row.results_declared_on,
		underCourtChallenge: row.under_court_challenge,
		retentionDays: row.retention_days,
		personalDataRemovedAt: row.personal_data_removed_at ? fromDate(row.personal_data_removed_at) : null
	};
}

/**
 * One election: decided again under the row's lock (a second run at the same moment waits,
 * then finds it done; a court challenge flagged meanwhile stops it), then its data removed.
 */
async function removeElectionData(db: Db, electionId: string, actor: RetentionActor, now: Temporal.Instant): Promise<ElectionRetentionReport | null> {
	return db.transaction().execute(async (trx) => {
		const row = await findRetentionElectionForUpdate(trx, electionId);
		if (!row || retentionStatus(settingsOf(row), now).kind !== 'due') return null;
		const at = toDate(now);
		if (!(await updateElectionPersonalDataRemoved(trx, row.id, at))) return null;
		const requestsAnonymised = await anonymiseElectionRequests(trx, row.id, at);
		const voterCardsAnonymised = await anonymiseElectionVoterCards(trx, row.id);
		const proxiesAnonymised = await anonymiseElectionProxies(trx, row.id, at);
		const batchPdfsDeleted = await deleteElectionBatchPdfs(trx, row.id);
		const votersAnonymised = await anonymiseVoters(trx, await listVotersPastRetention(trx, row.id), at);
		const counts: ElectionRetentionCounts = {
			requestsAnonymised,
			voterCardsAnonymised,
			proxiesAnonymised,
			batchPdfsDeleted,
			votersAnonymised
		};
		await appendAudit(trx, {
			actor,
			action: 'retention.run',
			entityType: 'election',
			entityId: row.id,
			before: { resultsDeclaredOn: row.results_declared_on, retentionDays: row.retention_days, underCourtChallenge: false },
			after: { personalDataRemovedAt: now.toString(), ...counts, section: '§22(6)' },
			at: now
		});
		return { electionId: row.id, titleCs: row.title_cs, titleEn: row.title_en, ...counts };
	});
}

export type RunRetentionResult = { kind: 'ok'; report: RetentionRunReport } | { kind: 'forbidden' };

/** The retention job (§22(6)) at `now`: every election due, then expired eID-only sessions. */
export async function runRetention(db: Db, actor: RetentionActor, now: Temporal.Instant): Promise<RunRetentionResult> {
	if (actor.kind === 'staff' && actor.role !== 'administrator') return { kind: 'forbidden' };
	const candidates = (await listRetentionElections(db)).filter((row) => retentionStatus(settingsOf(row), now).kind === 'due');
	const elections: ElectionRetentionReport[] = [];
	for (const row of candidates) {
		const report = await removeElectionData(db, row.id, actor, now);
		if (report) elections.push(report);
	}
	const eidSessionsDeleted = await db.transaction().execute(async (trx) => {
		const n = await deleteExpiredEidOnlySessions(trx, toDate(now));
		if (n > 0) {
			await appendAudit(trx, {
				actor,
				action: 'retention.eid-sessions',
				entityType: 'session',
				entityId: null,
				after: { deleted: n, section: '§22(6)' },
				at: now
			});
		}
		return n;
	});
	return { kind: 'ok', report: { at: now.toString(), elections, eidSessionsDeleted } };
}

// --- What the page shows ----------------------------------------------------------------------

export interface RetentionOverview {
	elections: { id: string; titleCs: string; titleEn: string; resultsDeclaredOn: string | null; retentionDays: number; status: RetentionStatusView }[];
	runs: { at: string; by: 'staff' | 'system'; electionId: string | null; counts: Partial<ElectionRetentionCounts> }[];
}

export async function getRetentionOverview(db: Db, actor: StaffActor, now: Temporal.Instant): Promise<RetentionOverview | null> {
	if (actor.role !== 'administrator') return null;
	const [elections, runs] = await Promise.all([listRetentionElections(db), listRetentionAuditEntries(db, 20)]);
	return {
		elections: elections.map((e) => ({
			id: e.id,
			titleCs: e.title_cs,
			titleEn: e.title_en,
			resultsDeclaredOn: e.results_declared_on,
			retentionDays: e.retention_days,
			status: retentionOf(e, now)
		})),
		runs: runs.map((r) => {
			const after = (r.after ?? {}) as Partial<ElectionRetentionCounts>;
			return {
				at: r.at.toISOString(),
				by: r.actor_kind === 'staff' ? 'staff' : 'system',
				electionId: r.entity_id,
				counts: {
					requestsAnonymised: after.requestsAnonymised,
					voterCardsAnonymised: after.voterCardsAnonymised,
					proxiesAnonymised: after.proxiesAnonymised,
					batchPdfsDeleted: after.batchPdfsDeleted,
					votersAnonymised: after.votersAnonymised
				}
			};
		})
	};
}
