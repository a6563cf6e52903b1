import { fail, redirect } from '@sveltejs/kit';
import { electionSchema, parseForm } from '$lib/forms/requests';
import { voterContext, writeDraft } from '$lib/server/flows/context';
import { backPath, enterStep, nextStep } from '$lib/server/flows/steps';
import { loadVoterCardState, roundsFromAnswers, VOTER_CARD_FLOW, VOTER_CARD_PATHS, VOTER_CARD_STEPS } from '$lib/server/flows/voter-card';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const state = await loadVoterCardState(ctx);
	enterStep(VOTER_CARD_STEPS, state, 'election');
	return {
		elections: state.elections.map((e) => e.view),
		value: state.answers.electionId ?? '',
		back: backPath(VOTER_CARD_STEPS, state, 'election', VOTER_CARD_PATHS.start)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = voterContext(event);
		const state = await loadVoterCardState(ctx);
		const parsed = parseForm(electionSchema, await event.request.formData(), ['electionId']);
		const chosen = parsed.ok ? state.elections.find((e) => e.election.id === parsed.data.electionId) : undefined;
		if (!parsed.ok || !chosen) {
			return fail(400, { values: parsed.ok ? { electionId: '' } : parsed.values, errors: { electionId: 'election_required' as const } });
		}
		// Another election: the rounds asked for belong to the old one.
		const answers = { ...state.answers, electionId: chosen.election.id, rounds: chosen.election.id === state.answers.electionId ? state.answers.rounds : undefined };
		await writeDraft(ctx, VOTER_CARD_FLOW, answers);
		redirect(303, nextStep(VOTER_CARD_STEPS, { ...state, answers, chosen, rounds: roundsFromAnswers(answers, chosen) }).path);
	}
};
