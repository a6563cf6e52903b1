import { error } from '@sveltejs/kit';
import { reconciliation } from '$lib/server/services/envelopes';
import { EMBASSY_GROUP, envelopePageContext } from '$lib/server/staff-pages/envelopes';
import type { PageServerLoad } from './$types';

/**
 * The embassy's figures for one election round — packages issued and dispatched, envelopes
 * on time and late, handed over, accepted, set aside by ground — and whether each identity
 * of the domain's `reconcile` holds.
 */
export const load: PageServerLoad = async (event) => {
	const ctx = await envelopePageContext(event, EMBASSY_GROUP);
	const selected = ctx.selected;
	if (!selected) return { rounds: ctx.rounds, selected: null, reconciliation: null };
	const result = await reconciliation(ctx.db, { officeId: ctx.officeId, electionId: selected.electionId }, ctx.actor);
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	if (result.kind === 'not-found') error(404, 'Not found');
	const round = result.rounds.find((r) => r.round === selected.round);
	if (!round) error(404, 'Not found');
	return { rounds: ctx.rounds, selected, reconciliation: round };
};
