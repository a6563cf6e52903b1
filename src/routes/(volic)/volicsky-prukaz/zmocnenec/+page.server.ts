import { proxySchema } from '$lib/forms/requests';
import { answerAction, openStep } from '$lib/server/flows/flow';
import { chosenDeadlines, VOTER_CARD } from '$lib/server/flows/voter-card';
import type { Actions, PageServerLoad } from './$types';

/** §57(2): a proxy collects the card with a power of attorney bearing the voter's verified signature. */
export const load: PageServerLoad = async (event) => {
	const { state, back } = await openStep(event, VOTER_CARD, 'proxy');
	return { value: state.answers.proxyName ?? '', deadlines: chosenDeadlines(state, 'voter-card-pickup-request'), back };
};

export const actions: Actions = {
	default: answerAction(VOTER_CARD, 'proxy', {
		schema: proxySchema,
		fields: ['proxyName'],
		answer: ({ proxyName }, { state }) => ({ ...state.answers, proxyName })
	})
};
