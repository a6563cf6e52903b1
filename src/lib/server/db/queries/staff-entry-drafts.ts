import type { DbOrTrx } from '../index';

/**
 * A clerk entering a request on a voter's behalf (migration 0007): the answers between the
 * pages, one row per staff session, tied to the clerk's office; every query also filters by
 * the office, and the row goes with the session.
 */
export interface StaffEntryDraftRow {
	voter_id: string;
	answers: Record<string, unknown>;
	idempotency_key: string | null;
}

export async function findStaffEntryDraft(db: DbOrTrx, sessionId: string, officeId: string): Promise<StaffEntryDraftRow | undefined> {
	return db
		.selectFrom('staff_entry_draft')
		.select(['voter_id', 'answers', 'idempotency_key'])
		.where('session_id', '=', sessionId)
		.where('office_id', '=', officeId)
		.executeTakeFirst();
}

/** Starts the entry for a voter, dropping any earlier one of the session. */
export async function upsertStaffEntryDraftVoter(
	db: DbOrTrx,
	draft: { sessionId: string; officeId: string; voterId: string; at: Date }
): Promise<void> {
	await db
		.insertInto('staff_entry_draft')
		.values({
			session_id: draft.sessionId,
			office_id: draft.officeId,
			voter_id: draft.voterId,
			answers: '{}',
			idempotency_key: null,
			created_at: draft.at,
			updated_at: draft.at
		})
		.onConflict((oc) =>
			oc.column('session_id').doUpdateSet({
				office_id: draft.officeId,
				voter_id: draft.voterId,
				answers: '{}',
				idempotency_key: null,
				created_at: draft.at,
				updated_at: draft.at
			})
		)
		.execute();
}

/**
 * Writes the answers. A change of answers drops the idempotency key: the check page draws a
 * new one, so that a stale check page can never submit changed answers.
 */
export async function updateStaffEntryDraftAnswers(
	db: DbOrTrx,
	draft: { sessionId: string; officeId: string; answers: Record<string, unknown>; at: Date }
): Promise<void> {
	await db
		.updateTable('staff_entry_draft')
		.set({ answers: JSON.stringify(draft.answers), idempotency_key: null, updated_at: draft.at })
		.where('session_id', '=', draft.sessionId)
		.where('office_id', '=', draft.officeId)
		.execute();
}

/** Sets the check page's idempotency key once; returns the key in force (an earlier one wins). */
export async function updateStaffEntryDraftIdempotencyKey(
	db: DbOrTrx,
	draft: { sessionId: string; officeId: string; key: string; at: Date }
): Promise<string | null> {
	await db
		.updateTable('staff_entry_draft')
		.set({ idempotency_key: draft.key, updated_at: draft.at })
		.where('session_id', '=', draft.sessionId)
		.where('office_id', '=', draft.officeId)
		.where('idempotency_key', 'is', null)
		.execute();
	const row = await findStaffEntryDraft(db, draft.sessionId, draft.officeId);
	return row?.idempotency_key ?? null;
}

export async function deleteStaffEntryDraft(db: DbOrTrx, sessionId: string, officeId: string): Promise<void> {
	await db.deleteFrom('staff_entry_draft').where('session_id', '=', sessionId).where('office_id', '=', officeId).execute();
}
