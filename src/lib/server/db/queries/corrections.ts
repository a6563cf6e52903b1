import type { DbOrTrx } from '../index';
import type { CorrectionField, RequestState, VoterUpdate } from '../schema';

/** A request to correct the voter list (§23(5)) with what the voter asked for. */
export interface CorrectionRow {
	request_id: string;
	field: CorrectionField;
	statement: string;
	requested: Record<string, string>;
	before_values: Record<string, string> | null;
	after_values: Record<string, string> | null;
}

export async function insertCorrection(
	db: DbOrTrx,
	row: { requestId: string; field: CorrectionField; statement: string; requested: Record<string, string> }
): Promise<void> {
	await db
		.insertInto('voter_list_correction')
		.values({ request_id: row.requestId, field: row.field, statement: row.statement, requested: JSON.stringify(row.requested) })
		.execute();
}

/** The correction of a request; the caller has already scoped the request to its office or voter. */
export async function findCorrectionOfRequest(db: DbOrTrx, requestId: string): Promise<CorrectionRow | undefined> {
	return db
		.selectFrom('voter_list_correction')
		.select(['request_id', 'field', 'statement', 'requested', 'before_values', 'after_values'])
		.where('request_id', '=', requestId)
		.executeTakeFirst();
}

/** The voter's correction of the same field still waiting for a decision, if any. */
export async function findPendingCorrection(db: DbOrTrx, voterId: string, field: CorrectionField): Promise<{ reference: string } | undefined> {
	return db
		.selectFrom('voter_list_correction as c')
		.innerJoin('request', 'request.id', 'c.request_id')
		.select('request.reference')
		.where('request.voter_id', '=', voterId)
		.where('c.field', '=', field)
		.where('request.state', '=', 'received')
		.executeTakeFirst();
}

export async function updateCorrectionApplied(
	db: DbOrTrx,
	requestId: string,
	values: { before: Record<string, string>; after: Record<string, string> }
): Promise<void> {
	await db
		.updateTable('voter_list_correction')
		.set({ before_values: JSON.stringify(values.before), after_values: JSON.stringify(values.after) })
		.where('request_id', '=', requestId)
		.execute();
}

/** §23(5): the municipal office (or embassy) corrects the voter's record. */
export async function updateVoterRecord(db: DbOrTrx, voterId: string, set: VoterUpdate): Promise<void> {
	await db.updateTable('voter').set(set).where('id', '=', voterId).execute();
}

/**
 * The voter's corrections decided after `since` (a pending voter-card or correspondence
 * request's receipt), so that the request shows them too.
 */
export async function listCorrectionsDecidedSince(
	db: DbOrTrx,
	voterId: string,
	since: Date
): Promise<{ reference: string; field: CorrectionField; state: RequestState; decided_at: Date | null }[]> {
	return db
		.selectFrom('voter_list_correction as c')
		.innerJoin('request', 'request.id', 'c.request_id')
		.select(['request.reference', 'c.field', 'request.state', 'request.decided_at'])
		.where('request.voter_id', '=', voterId)
		.where('request.state', 'in', ['completed', 'refused'])
		.where('request.decided_at', '>=', since)
		.orderBy('request.decided_at')
		.execute();
}
