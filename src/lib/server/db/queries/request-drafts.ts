import type { DbOrTrx } from '../index';
import type { RequestDraftFlow } from '../schema';

/**
 * The answers of one request flow between its pages (migration 0003), one row per session
 * and flow; every query also filters by the voter, and the row goes with the session.
 */
export interface DraftRow {
	answers: Record<string, unknown>;
	idempotency_key: string | null;
}

export async function findRequestDraft(
	db: DbOrTrx,
	sessionId: string,
	voterId: string,
	flow: RequestDraftFlow
): Promise<DraftRow | undefined> {
	return db
		.selectFrom('request_draft')
		.select(['answers', 'idempotency_key'])
		.where('session_id', '=', sessionId)
		.where('voter_id', '=', voterId)
		.where('flow', '=', flow)
		.executeTakeFirst();
}

/**
 * Writes a flow's answers. A change of answers drops the idempotency key: the check page
 * draws a new one, so that a stale check page can never submit the changed answers.
 */
export async function upsertRequestDraftAnswers(
	db: DbOrTrx,
	draft: { sessionId: string; voterId: string; flow: RequestDraftFlow; answers: Record<string, unknown>; at: Date }
): Promise<void> {
	const answers = JSON.stringify(draft.answers);
	await db
		.insertInto('request_draft')
		.values({
			session_id: draft.sessionId,
			voter_id: draft.voterId,
			flow: draft.flow,
			answers,
			idempotency_key: null,
			created_at: draft.at,
			updated_at: draft.at
		})
		.onConflict((oc) =>
			oc
				.columns(['session_id', 'flow'])
				.doUpdateSet({ answers, idempotency_key: null, updated_at: draft.at })
				.where('request_draft.voter_id', '=', draft.voterId)
		)
		.execute();
}

/** Sets the check page's idempotency key once; returns the key in force (an earlier one wins). */
export async function updateRequestDraftIdempotencyKey(
	db: DbOrTrx,
	draft: { sessionId: string; voterId: string; flow: RequestDraftFlow; key: string; at: Date }
): Promise<string | null> {
	await db
		.updateTable('request_draft')
		.set({ idempotency_key: draft.key, updated_at: draft.at })
		.where('session_id', '=', draft.sessionId)
		.where('voter_id', '=', draft.voterId)
		.where('flow', '=', draft.flow)
		.where('idempotency_key', 'is', null)
		.execute();
	const row = await findRequestDraft(db, draft.sessionId, draft.voterId, draft.flow);
	return row?.idempotency_key ?? null;
}

export async function deleteRequestDraft(db: DbOrTrx, sessionId: string, voterId: string, flow: RequestDraftFlow): Promise<void> {
	await db
		.deleteFrom('request_draft')
		.where('session_id', '=', sessionId)
		.where('voter_id', '=', voterId)
		.where('flow', '=', flow)
		.execute();
}
