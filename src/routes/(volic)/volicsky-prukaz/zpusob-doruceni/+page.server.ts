import { fail } from '@sveltejs/kit';
import { voterCardDeliverySchema, type FieldErrors } from '$lib/forms/requests';
import { answerAction, openStep } from '$lib/server/flows/flow';
import { competentOfficeName, VOTER_CARD } from '$lib/server/flows/voter-card';
import { previewVoterCardRequest } from '$lib/server/services/requests';
import type { Actions, PageServerLoad } from './$types';

/** §57(2): registered mail to an address of the voter's choice, or collection in person or by a proxy. */
export const load: PageServerLoad = async (event) => {
	const { ctx, state, back } = await openStep(event, VOTER_CARD, 'delivery');
	const chosen = state.chosen!;
	const rounds = state.rounds ?? [1];
	return {
		deadlines: chosen.view.rounds.filter((r) => rounds.includes(r.round)).flatMap((r) => r.deadlines),
		office: await competentOfficeName(ctx, chosen),
		value: state.answers.delivery ?? '',
		back
	};
};

export const actions: Actions = {
	default: answerAction(VOTER_CARD, 'delivery', {
		schema: voterCardDeliverySchema,
		fields: ['delivery'],
		answer: async ({ delivery }, { ctx, state }) => {
			// §57(3), §78(3): a delivery whose deadline has passed is refused here already, naming it.
			const check = await previewVoterCardRequest(
				ctx.db,
				{ voterId: ctx.voterId, electionId: state.chosen!.election.id, rounds: state.rounds ?? [1], delivery },
				ctx.now
			);
			if (!check.ok) return fail(400, { values: { delivery }, errors: {} as FieldErrors, refusal: check.refusal });
			return { ...state.answers, delivery };
		}
	})
};
