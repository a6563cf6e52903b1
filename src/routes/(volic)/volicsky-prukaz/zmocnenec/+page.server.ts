import { fail, redirect } from '@sveltejs/kit';
import { parseForm, proxySchema } from '$lib/forms/requests';
import { voterContext, writeDraft } from '$lib/server/flows/context';
import { backPath, enterStep, nextStep } from '$lib/server/flows/steps';
import { chosenDeadlines, loadVoterCardState, VOTER_CARD_FLOW, VOTER_CARD_PATHS, VOTER_CARD_STEPS } from '$lib/server/flows/voter-card';
import type { Actions, PageServerLoad } from './$types';

/** §57(2): a proxy collects the card with a power of attorney bearing the voter's verified signature. */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const state = await loadVoterCardState(ctx);
	enterStep(VOTER_CARD_STEPS, state, 'proxy');
	return { value: state.answers.proxyName ?? '', deadlines: chosenDeadlines(state, 'voter-card-pickup-request'), back: backPath(VOTER_CARD_STEPS, state, 'proxy', VOTER_CARD_PATHS.start) };
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = voterContext(event);
		const state = await loadVoterCardState(ctx);
		enterStep(VOTER_CARD_STEPS, state, 'proxy');
		const parsed = parseForm(proxySchema, await event.request.formData(), ['proxyName']);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const answers = { ...state.answers, proxyName: parsed.data.proxyName };
		await writeDraft(ctx, VOTER_CARD_FLOW, answers);
		redirect(303, nextStep(VOTER_CARD_STEPS, { ...state, answers }).path);
	}
};
