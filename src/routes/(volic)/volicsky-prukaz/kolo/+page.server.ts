import { fail, redirect } from '@sveltejs/kit';
import { parseForm, roundsSchema } from '$lib/forms/requests';
import { voterContext, writeDraft } from '$lib/server/flows/context';
import { backPath, enterStep, nextStep } from '$lib/server/flows/steps';
import { loadVoterCardState, roundsFromAnswers, VOTER_CARD_FLOW, VOTER_CARD_PATHS, VOTER_CARD_STEPS } from '$lib/server/flows/voter-card';
import type { Actions, PageServerLoad } from './$types';

/** §57(5): a two-round election — round 1, round 2 or both. */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const state = await loadVoterCardState(ctx);
	enterStep(VOTER_CARD_STEPS, state, 'rounds');
	return {
		election: state.chosen!.view,
		value: state.answers.rounds ?? '',
		back: backPath(VOTER_CARD_STEPS, state, 'rounds', VOTER_CARD_PATHS.start)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = voterContext(event);
		const state = await loadVoterCardState(ctx);
		enterStep(VOTER_CARD_STEPS, state, 'rounds');
		const parsed = parseForm(roundsSchema, await event.request.formData(), ['rounds']);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const answers = { ...state.answers, rounds: parsed.data.rounds };
		await writeDraft(ctx, VOTER_CARD_FLOW, answers);
		redirect(303, nextStep(VOTER_CARD_STEPS, { ...state, answers, rounds: roundsFromAnswers(answers, state.chosen) }).path);
	}
};
