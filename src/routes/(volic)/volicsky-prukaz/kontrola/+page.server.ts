import { countryName } from '$lib/server/countries';
import { checkAction, openCheckStep, voterSummary } from '$lib/server/flows/submit';
import { competentOfficeName, VOTER_CARD, VOTER_CARD_PATHS } from '$lib/server/flows/voter-card';
import { submitVoterCardRequest } from '$lib/server/services/requests';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { ctx, state, voter, idempotencyKey } = await openCheckStep(event, VOTER_CARD);
	const chosen = state.chosen!;
	const rounds = state.rounds ?? [1];
	const delivery = state.answers.delivery!;
	const office = await competentOfficeName(ctx, chosen);
	const address = delivery === 'post' ? state.answers.address : undefined;
	const deadlineKey = delivery === 'post' ? 'voter-card-mail-request' : 'voter-card-pickup-request';
	return {
		idempotencyKey,
		election: { title: chosen.view.title, twoRounds: chosen.view.twoRounds },
		rounds,
		delivery,
		address: address ? { ...address, countryName: countryName(address.country, ctx.locale) } : null,
		proxyName: delivery === 'proxy' ? (state.answers.proxyName ?? null) : null,
		office,
		voter: voter ? voterSummary(voter) : null,
		deadlines: chosen.view.rounds.filter((r) => rounds.includes(r.round)).flatMap((r) => r.deadlines.filter((d) => d.key === deadlineKey)),
		paths: VOTER_CARD_PATHS
	};
};

export const actions: Actions = {
	default: checkAction(VOTER_CARD, {
		file: (ctx, { chosen, rounds, answers }, idempotencyKey) =>
			submitVoterCardRequest(
				ctx.db,
				{
					voterId: ctx.voterId,
					channel: 'portal',
					idempotencyKey,
					electionId: chosen!.election.id,
					rounds: rounds ?? [1],
					delivery: answers.delivery!,
					address: answers.delivery === 'post' ? answers.address : null,
					proxy: answers.delivery === 'proxy' && answers.proxyName ? { name: answers.proxyName } : null
				},
				ctx.actor,
				ctx.now
			)
	})
};
