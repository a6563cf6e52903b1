import { error, fail, redirect } from '@sveltejs/kit';
import { createHandover, summariseArrivals } from '$lib/server/services/envelopes';
import { EMBASSY_GROUP, envelopePageContext } from '$lib/server/staff-pages/envelopes';
import type { Actions, PageServerLoad } from './$types';

/**
 * §57c(4): the embassy hands the envelopes received on time over to the special commission
 * with a record confirmed by the head of the embassy and by the commission's chair.
 */
export const load: PageServerLoad = async (event) => {
	const ctx = await envelopePageContext(event, EMBASSY_GROUP);
	const selected = ctx.selected;
	if (!selected) return { rounds: ctx.rounds, selected: null, held: 0, late: 0, handovers: [], isHead: ctx.actor.role === 'embassy-head' };
	const summary = await summariseArrivals(ctx.db, { officeId: ctx.officeId, electionId: selected.electionId }, ctx.actor);
	if (summary.kind === 'forbidden') error(403, 'Forbidden');
	if (summary.kind === 'not-found') error(404, 'Not found');
	const round = summary.rounds.find((r) => r.round === selected.round);
	return {
		rounds: ctx.rounds,
		selected,
		held: round?.held.total ?? 0,
		late: round?.late ?? 0,
		handovers: summary.handovers.filter((h) => h.round === selected.round),
		isHead: ctx.actor.role === 'embassy-head'
	};
};

export const actions: Actions = {
	/** A record of every envelope of the round received on time and still held (§57c(4)); late ones stay apart (§57c(5)). */
	vytvorit: async (event) => {
		const ctx = await envelopePageContext(event, EMBASSY_GROUP);
		if (!ctx.selected) error(404, 'Not found');
		const result = await createHandover(ctx.db, { electionId: ctx.selected.electionId, round: ctx.selected.round }, ctx.actor, ctx.now);
		if (result.kind === 'forbidden') error(403, 'Forbidden');
		if (result.kind === 'not-found') error(404, 'Not found');
		if (result.kind === 'nothing-to-hand-over' || result.kind === 'ballot-box-opened') return fail(409, { problem: result.kind });
		redirect(303, `/urad/zastupitelsky-urad/predani/${result.handoverId}?vytvoreno=${result.envelopeCount}`);
	}
};
