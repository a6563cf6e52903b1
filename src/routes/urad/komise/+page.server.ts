import { error, fail, redirect } from '@sveltejs/kit';
import { commissionProgress, getEnvelopeForOpening } from '$lib/server/services/commission';
import { summariseArrivals } from '$lib/server/services/envelopes';
import { COMMISSION_GROUP, envelopePageContext, groundOptions } from '$lib/server/staff-pages/envelopes';
import type { Actions, PageServerLoad } from './$types';

/**
 * §57d: the special commission's page for one election round: hand-over records to take
 * over, the envelopes handed over with their outcomes, progress, and where to open each.
 */
export const load: PageServerLoad = async (event) => {
	const ctx = await envelopePageContext(event, COMMISSION_GROUP);
	const selected = ctx.selected;
	const isChair = ctx.actor.role === 'commission-chair';
	if (!selected) return { rounds: ctx.rounds, selected: null, progress: null, pendingHandovers: [], grounds: [], isChair, done: null };
	const input = { electionId: selected.electionId, round: selected.round };
	const [progress, summary] = await Promise.all([
		commissionProgress(ctx.db, input, ctx.actor, ctx.now),
		summariseArrivals(ctx.db, { officeId: ctx.officeId, electionId: selected.electionId }, ctx.actor)
	]);
	if (progress.kind === 'forbidden' || summary.kind === 'forbidden') error(403, 'Forbidden');
	if (progress.kind === 'not-found' || summary.kind === 'not-found') error(404, 'Not found');
	const doneId = event.url.searchParams.get('hotovo');
	const done = doneId ? (progress.envelopes.find((e) => e.id === doneId) ?? null) : null;
	return {
		rounds: ctx.rounds,
		selected,
		progress: {
			envelopes: progress.envelopes,
			processed: progress.processed,
			remaining: progress.remaining,
			awaitingHandover: progress.awaitingHandover,
			votingClosed: progress.votingClosed,
			ballotBoxOpened: progress.ballotBoxOpened
		},
		pendingHandovers: summary.handovers.filter((h) => h.round === selected.round && !(h.headConfirmed && h.chairConfirmed)),
		grounds: groundOptions(ctx.locale),
		isChair,
		done
	};
};

export const actions: Actions = {
	/** An envelope scanned or typed: its opening page, or why it cannot be opened. */
	najit: async (event) => {
		const ctx = await envelopePageContext(event, COMMISSION_GROUP);
		if (!ctx.selected) error(404, 'Not found');
		const form = await event.request.formData();
		const raw = form.get('kod');
		const code = typeof raw === 'string' ? raw.trim() : '';
		if (!code) return fail(400, { values: { kod: '' }, errors: { kod: 'required' as const } });
		const result = await getEnvelopeForOpening(ctx.db, { code }, ctx.actor, ctx.now);
		switch (result.kind) {
			case 'forbidden':
				error(403, 'Forbidden');
			case 'found':
				redirect(303, `/urad/komise/obalka/${result.envelope.id}?volby=${ctx.selected.key}`);
			case 'invalid-code':
				return fail(400, { values: { kod: code }, errors: { kod: result.reason } });
			default:
				return fail(409, { values: { kod: code }, errors: { kod: result.kind } });
		}
	}
};
