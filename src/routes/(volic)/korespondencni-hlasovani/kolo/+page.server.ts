import { fail, redirect } from '@sveltejs/kit';
import { parseForm, roundsSchema } from '$lib/forms/requests';
import { voterContext, writeDraft } from '$lib/server/flows/context';
import {
	correspondenceRounds,
	CORRESPONDENCE_FLOW,
	CORRESPONDENCE_PATHS,
	CORRESPONDENCE_STEPS,
	enterCorrespondenceStep,
	loadCorrespondenceState
} from '$lib/server/flows/correspondence';
import { backPath, nextStep } from '$lib/server/flows/steps';
import type { Actions, PageServerLoad } from './$types';

/** §57b(2): a presidential voter gets papers for both rounds unless they ask for one. */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const state = await loadCorrespondenceState(ctx);
	enterCorrespondenceStep(state, 'rounds');
	return {
		election: state.chosen!.view,
		value: state.answers.rounds ?? 'both',
		back: backPath(CORRESPONDENCE_STEPS, state, 'rounds', CORRESPONDENCE_PATHS.start)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = voterContext(event);
		const state = await loadCorrespondenceState(ctx);
		enterCorrespondenceStep(state, 'rounds');
		const parsed = parseForm(roundsSchema, await event.request.formData(), ['rounds']);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const answers = { ...state.answers, rounds: parsed.data.rounds };
		await writeDraft(ctx, CORRESPONDENCE_FLOW, answers);
		redirect(303, nextStep(CORRESPONDENCE_STEPS, { ...state, answers, rounds: correspondenceRounds(answers, state.chosen) }).path);
	}
};
