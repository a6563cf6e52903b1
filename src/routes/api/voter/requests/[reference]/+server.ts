import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { apiError } from '$lib/server/api/json-api';
import { db } from '$lib/server/db/runtime';
import { findRequestOfVoter } from '$lib/server/db/queries/requests';
import { normalizeReference } from '$lib/server/reference';
import type { RequestHandler } from './$types';

/**
 * GET /api/voter/requests/<reference> — the status of one of the logged-in voter's requests
 * (what /zadosti/<reference> shows, as JSON). Another voter's reference, or one that does not
 * exist, is the same 404.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	if (!locals.voter) return apiError(401, 'login-required', m.rel_api_login_required());
	const reference = normalizeReference(params.reference);
	const request = reference ? await findRequestOfVoter(db(), locals.voter.id, reference) : undefined;
	if (!request) return apiError(404, 'not-found', m.rel_api_not_found());
	return json(
		{
			reference: request.reference,
			kind: request.kind,
			electionId: request.election_id,
			round: request.round,
			state: request.state,
			receivedAt: request.received_at.toISOString(),
			deadlineAt: request.deadline_at ? request.deadline_at.toISOString() : null,
			decidedAt: request.decided_at ? request.decided_at.toISOString() : null
		},
		{ headers: { 'Cache-Control': 'no-store' } }
	);
};
