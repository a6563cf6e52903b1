import { fail, redirect } from '@sveltejs/kit';
import { electionSchema, parseForm } from '$lib/forms/requests';
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

export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const state = await loadCorrespondenceState(ctx);
	enterCorrespondenceStep(state, 'election');
	return {
		elections: state.elections.map((e) => e.view),
		value: state.answers.electionId ?? '',
		back: backPath(CORRESPONDENCE_STEPS, state, 'election', CORRESPONDENCE_PATHS.start)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = voterContext(event);
		const state = await loadCorrespondenceState(ctx);
		enterCorrespondenceStep(state, 'election');
		const parsed = parseForm(electionSchema, await event.request.formData(), ['electionId']);
		const chosen = parsed.ok ? state.elections.find((e) => e.election.id === parsed.data.electionId) : undefined;
		if (!parsed.ok || !chosen) {
			return fail(400, { values: parsed.ok ? { electionId: '' } : parsed.values, errors: { electionId: 'election_required' as const } });
		}
		const answers = { ...state.answers, electionId: chosen.election.id, rounds: chosen.election.id === state.answers.electionId ? state.answers.rounds : undefined };
		await writeDraft(ctx, CORRESPONDENCE_FLOW, answers);
		redirect(303, nextStep(CORRESPONDENCE_STEPS, { ...state, answers, chosen, rounds: correspondenceRounds(answers, chosen) }).path);
	}
};
