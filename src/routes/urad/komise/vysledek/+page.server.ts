import { error } from '@sveltejs/kit';
import { commissionProtocolFacts, COMMISSION_GROUP, envelopePageContext, groundOptions } from '$lib/server/staff-pages/envelopes';
import type { PageServerLoad } from './$types';

/** §57d: counts by outcome and ground; final once the ballot box is open (§57d(6)). */
export const load: PageServerLoad = async (event) => {
	const ctx = await envelopePageContext(event, COMMISSION_GROUP);
	if (!ctx.selected) error(404, 'Not found');
	const result = await commissionProtocolFacts(ctx.db, { electionId: ctx.selected.electionId, round: ctx.selected.round }, ctx.actor);
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	if (result.kind === 'not-found') error(404, 'Not found');
	const { facts } = result;
	return {
		selected: ctx.selected,
		final: facts.final,
		counts: facts.counts,
		openedAt: facts.openedAt ? facts.openedAt.toString() : null,
		openedBy: facts.openedBy,
		recorders: facts.recorders,
		grounds: groundOptions(ctx.locale),
		justOpened: event.url.searchParams.has('otevreno')
	};
};
