import { error, fail, redirect } from '@sveltejs/kit';
import { findRequestOfVoter } from '$lib/server/db/queries/requests';
import { voterContext } from '$lib/server/flows/context';
import { normalizeReference } from '$lib/server/reference';
import { cancelRequest } from '$lib/server/services/requests';
import type { Actions, PageServerLoad } from './$types';

/** §56(3): the voter confirms the cancellation of a pending request. */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const reference = normalizeReference(event.params.reference);
	const request = reference ? await findRequestOfVoter(ctx.db, ctx.voterId, reference) : undefined;
	if (!request) error(404, 'Not found');
	if (request.state !== 'received') redirect(303, `/zadosti/${request.reference}`);
	return {
		reference: request.reference,
		kind: request.kind,
		round: request.round,
		electionTitle: ctx.locale === 'en' ? request.election_title_en : request.election_title_cs
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = voterContext(event);
		const reference = normalizeReference(event.params.reference);
		if (!reference) error(404, 'Not found');
		const result = await cancelRequest(ctx.db, { voterId: ctx.voterId, reference }, ctx.actor, ctx.now);
		if (result.ok) redirect(303, `/zadosti/${reference}?zruseno`);
		if (result.refusal.code === 'request-not-found') error(404, 'Not found');
		return fail(400, { refusal: result.refusal });
	}
};
