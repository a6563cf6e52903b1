/**
 * The envelope station's scan log and the head's decisions on late receipts (issue 13).
 * Every query that reads by id also filters by the office.
 */
import { sql } from 'kysely';
import type { DbOrTrx } from '../index';

/** Which office a package with this code belongs to, if any: the station says "another embassy's" and nothing more. */
export async function findPackageOfficeByCode(db: DbOrTrx, code: string) {
	return db.selectFrom('correspondence_package').select('office_id').where('envelope_code', '=', code).executeTakeFirst();
}

export async function findEnvelopeScan(db: DbOrTrx, scanId: string) {
	return db
		.selectFrom('envelope_scan')
		.select(['scan_id', 'office_id', 'staff_id', 'kind', 'result'])
		.where('scan_id', '=', scanId)
		.executeTakeFirst();
}

export interface NewEnvelopeScan {
	scanId: string;
	officeId: string;
	staffId: string;
	electionId: string | null;
	round: number | null;
	code: string;
	receivedAt: Date;
	scannedAt: Date | null;
}

/**
 * Claims the scan's id. Undefined when a row with the id exists; a concurrent claim of the same
 * id waits for the first transaction and then finds its row (the primary key decides).
 */
export async function claimEnvelopeScan(db: DbOrTrx, s: NewEnvelopeScan) {
	return db
		.insertInto('envelope_scan')
		.values({
			scan_id: s.scanId,
			office_id: s.officeId,
			staff_id: s.staffId,
			election_id: s.electionId,
			round: s.round,
			code: s.code,
			kind: 'pending',
			received_at: s.receivedAt,
			scanned_at: s.scannedAt
		})
		.onConflict((oc) => oc.column('scan_id').doNothing())
		.returning('scan_id')
		.executeTakeFirst();
}

/** The scan's outcome, stored so that a repeat of the id gets it back unchanged. */
export async function completeEnvelopeScan(db: DbOrTrx, scanId: string, kind: string, result: unknown, envelopeId: string | null) {
	await db
		.updateTable('envelope_scan')
		.set({ kind, result: JSON.stringify(result), envelope_id: envelopeId })
		.where('scan_id', '=', scanId)
		.execute();
}

/** The office's station scans since an instant, by outcome: the day's counters. */
export async function countEnvelopeScansSince(db: DbOrTrx, officeId: string, since: Date) {
	return db
		.selectFrom('envelope_scan')
		.select((eb) => ['kind', eb.fn.countAll<number>().as('n')])
		.where('office_id', '=', officeId)
		.where('received_at', '>=', since)
		.groupBy('kind')
		.execute()
		.then((rows) => rows.map((r) => ({ kind: r.kind, n: Number(r.n) })));
}

/** Envelopes scanned before the close and received after it, waiting for the head of the embassy. */
export async function listPendingLateReviews(db: DbOrTrx, officeId: string, electionId: string, round: number) {
	return db
		.selectFrom('return_envelope as e')
		.innerJoin('correspondence_package as p', 'p.id', 'e.package_id')
		.innerJoin('staff_user as s', 's.id', 'e.received_by')
		.select(['e.id', 'p.envelope_code', 'e.received_at', 'e.scanned_at', 's.display_name as received_by_name'])
		.where('e.office_id', '=', officeId)
		.where('e.election_id', '=', electionId)
		.where('e.round', '=', round)
		.where('e.late_review', '=', 'pending')
		.orderBy('e.scan_no')
		.execute();
}

export async function findLateReview(db: DbOrTrx, officeId: string, envelopeId: string) {
	return db
		.selectFrom('return_envelope')
		.select(['id', 'election_id', 'round', 'late_review', 'scanned_at', 'received_at'])
		.where('id', '=', envelopeId)
		.where('office_id', '=', officeId)
		.executeTakeFirst();
}

/**
 * The head's decision, only while it is pending and the commission has not opened the ballot
 * box of the round (§57d(6)): one statement, so that two heads deciding at once cannot both win.
 */
export async function decideLateReview(
	db: DbOrTrx,
	d: { officeId: string; envelopeId: string; decision: 'on-time' | 'late'; staffId: string; at: Date }
) {
	return db
		.updateTable('return_envelope as e')
		.set({ late_review: d.decision, late: d.decision === 'late', late_reviewed_by: d.staffId, late_reviewed_at: d.at })
		.where('e.id', '=', d.envelopeId)
		.where('e.office_id', '=', d.officeId)
		.where('e.late_review', '=', 'pending')
		.where('e.handover_id', 'is', null)
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('commission_closure as c')
						.select(sql<number>`1`.as('one'))
						.whereRef('c.office_id', '=', 'e.office_id')
						.whereRef('c.election_id', '=', 'e.election_id')
						.whereRef('c.round', '=', 'e.round')
				)
			)
		)
		.returning(['e.id', 'e.election_id', 'e.round', 'e.received_at', 'e.scanned_at'])
		.executeTakeFirst();
}
