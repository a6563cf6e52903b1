import { fail, redirect } from '@sveltejs/kit';
import { parseForm, voterCardDeliverySchema, type FieldErrors } from '$lib/forms/requests';
import { voterContext, writeDraft } from '$lib/server/flows/context';
import { backPath, enterStep, nextStep } from '$lib/server/flows/steps';
import { competentOfficeName, loadVoterCardState, VOTER_CARD_FLOW, VOTER_CARD_PATHS, VOTER_CARD_STEPS } from '$lib/server/flows/voter-card';
import { previewVoterCardRequest } from '$lib/server/services/requests';
import type { Actions, PageServerLoad } from './$types';

/** §57(2): registered mail to an address of the voter's choice, or collection in person or by a proxy. */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const state = await loadVoterCardState(ctx);
	enterStep(VOTER_CARD_STEPS, state, 'delivery');
	const chosen = state.chosen!;
	const rounds = state.rounds ?? [1];
	return {
		deadlines: chosen.view.rounds.filter((r) => rounds.includes(r.round)).flatMap((r) => r.deadlines),
		office: await competentOfficeName(ctx, chosen),
		value: state.answers.delivery ?? '',
		back: backPath(VOTER_CARD_STEPS, state, 'delivery', VOTER_CARD_PATHS.start)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = voterContext(event);
		const state = await loadVoterCardState(ctx);
		enterStep(VOTER_CARD_STEPS, state, 'delivery');
		const parsed = parseForm(voterCardDeliverySchema, await event.request.formData(), ['delivery']);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors, refusal: null });
		// §57(3), §78(3): a delivery whose deadline has passed is refused here already, naming it.
		const check = await previewVoterCardRequest(
			ctx.db,
			{ voterId: ctx.voterId, electionId: state.chosen!.election.id, rounds: state.rounds ?? [1], delivery: parsed.data.delivery },
			ctx.now
		);
		if (!check.ok) return fail(400, { values: { delivery: parsed.data.delivery }, errors: {} as FieldErrors, refusal: check.refusal });
		const answers = { ...state.answers, delivery: parsed.data.delivery };
		await writeDraft(ctx, VOTER_CARD_FLOW, answers);
		redirect(303, nextStep(VOTER_CARD_STEPS, { ...state, answers }).path);
	}
};
