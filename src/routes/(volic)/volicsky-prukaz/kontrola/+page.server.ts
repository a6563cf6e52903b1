import { countryName } from '$lib/server/countries';
import { findVoterById } from '$lib/server/db/queries/voters';
import { idempotencyKeyFor, voterContext } from '$lib/server/flows/context';
import { enterStep } from '$lib/server/flows/steps';
import { submitFromCheckPage } from '$lib/server/flows/submit';
import { competentOfficeName, loadVoterCardState, VOTER_CARD_FLOW, VOTER_CARD_PATHS, VOTER_CARD_STEPS } from '$lib/server/flows/voter-card';
import { submitVoterCardRequest } from '$lib/server/services/requests';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const state = await loadVoterCardState(ctx);
	enterStep(VOTER_CARD_STEPS, state, 'check');
	const chosen = state.chosen!;
	const rounds = state.rounds ?? [1];
	const delivery = state.answers.delivery!;
	const [voter, office, idempotencyKey] = await Promise.all([
		findVoterById(ctx.db, ctx.voterId),
		competentOfficeName(ctx, chosen),
		idempotencyKeyFor(ctx, VOTER_CARD_FLOW)
	]);
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
		voter: voter ? { name: `${voter.given_name} ${voter.family_name}`, birthDate: voter.birth_date } : null,
		deadlines: chosen.view.rounds.filter((r) => rounds.includes(r.round)).flatMap((r) => r.deadlines.filter((d) => d.key === deadlineKey)),
		paths: VOTER_CARD_PATHS
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = voterContext(event);
		const state = await loadVoterCardState(ctx);
		const complete = state.chosen !== undefined && VOTER_CARD_STEPS.every((s) => s.id === 'check' || !s.applies(state) || s.complete(state));
		const { answers } = state;
		return submitFromCheckPage(ctx, {
			flow: VOTER_CARD_FLOW,
			kind: 'voter-card',
			form: await event.request.formData(),
			draftKey: state.idempotencyKey,
			complete,
			paths: VOTER_CARD_PATHS,
			file: (idempotencyKey) =>
				submitVoterCardRequest(
					ctx.db,
					{
						voterId: ctx.voterId,
						channel: 'portal',
						idempotencyKey,
						electionId: state.chosen!.election.id,
						rounds: state.rounds ?? [1],
						delivery: answers.delivery!,
						address: answers.delivery === 'post' ? answers.address : null,
						proxy: answers.delivery === 'proxy' && answers.proxyName ? { name: answers.proxyName } : null
					},
					ctx.actor,
					ctx.now
				)
		});
	}
};
