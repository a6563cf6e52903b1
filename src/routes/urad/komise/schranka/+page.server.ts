import { error, fail, redirect } from '@sveltejs/kit';
import { commissionProgress, openBallotBox } from '$lib/server/services/commission';
import { COMMISSION_GROUP, envelopePageContext } from '$lib/server/staff-pages/envelopes';
import type { Actions, PageServerLoad } from './$types';

/** §57d(6): the ballot box may be opened only once every envelope has been dealt with. */
export const load: PageServerLoad = async (event) => {
	const ctx = await envelopePageContext(event, COMMISSION_GROUP);
	if (!ctx.selected) error(404, 'Not found');
	const progress = await commissionProgress(ctx.db, { electionId: ctx.selected.electionId, round: ctx.selected.round }, ctx.actor, ctx.now);
	if (progress.kind === 'forbidden') error(403, 'Forbidden');
	if (progress.kind === 'not-found') error(404, 'Not found');
	return {
		selected: ctx.selected,
		processed: progress.processed,
		remaining: progress.remaining,
		awaitingHandover: progress.awaitingHandover,
		votingClosed: progress.votingClosed,
		ballotBoxOpened: progress.ballotBoxOpened,
		isChair: ctx.actor.role === 'commission-chair'
	};
};

export const actions: Actions = {
	otevrit: async (event) => {
		const ctx = await envelopePageContext(event, COMMISSION_GROUP);
		if (!ctx.selected) error(404, 'Not found');
		const result = await openBallotBox(ctx.db, { electionId: ctx.selected.electionId, round: ctx.selected.round }, ctx.actor, ctx.now);
		if (result.kind === 'forbidden') error(403, 'Forbidden');
		if (result.kind === 'not-found') error(404, 'Not found');
		if (result.kind === 'envelopes-remaining') {
			return fail(409, { problem: result.kind, unprocessed: result.unprocessed, awaitingHandover: result.awaitingHandover });
		}
		if (result.kind !== 'opened') return fail(409, { problem: result.kind, unprocessed: 0, awaitingHandover: 0 });
		redirect(303, `/urad/komise/vysledek?volby=${ctx.selected.key}&otevreno`);
	}
};
