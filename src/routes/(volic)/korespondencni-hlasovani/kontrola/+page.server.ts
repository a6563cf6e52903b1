import { correspondenceRequestDeadlineKey } from '$lib/domain';
import { countryName } from '$lib/server/countries';
import { CORRESPONDENCE, CORRESPONDENCE_PATHS } from '$lib/server/flows/correspondence';
import { checkAction, openCheckStep, voterSummary } from '$lib/server/flows/submit';
import { submitCorrespondenceRequest } from '$lib/server/services/requests';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { ctx, state, voter, idempotencyKey } = await openCheckStep(event, CORRESPONDENCE);
	const chosen = state.chosen!;
	const rounds = state.rounds ?? [1];
	const address = state.answers.delivery === 'post' ? state.answers.address : undefined;
	// §57a(3): judged against the deadline of the first round asked for.
	const key = correspondenceRequestDeadlineKey('portal');
	const deadline = chosen.view.rounds.find((r) => r.round === rounds[0])?.deadlines.find((d) => d.key === key) ?? null;
	return {
		idempotencyKey,
		election: { title: chosen.view.title, twoRounds: chosen.view.twoRounds },
		rounds,
		delivery: state.answers.delivery!,
		address: address ? { ...address, countryName: countryName(address.country, ctx.locale) } : null,
		embassy: {
			name: ctx.locale === 'en' ? state.embassy.name_en : state.embassy.name_cs,
			specialDistrictNumber: state.embassy.special_district_number,
			address: state.embassy.address
		},
		voter: voter ? voterSummary(voter) : null,
		deadline,
		paths: CORRESPONDENCE_PATHS
	};
};

export const actions: Actions = {
	default: checkAction(CORRESPONDENCE, {
		// §57a(1): only a voter in an embassy's special district.
		ready: (state) => state.embassy !== undefined,
		file: (ctx, { chosen, rounds, answers }, idempotencyKey) =>
			submitCorrespondenceRequest(
				ctx.db,
				{
					voterId: ctx.voterId,
					channel: 'portal',
					// The package's instructions are printed in the language the voter files in.
					locale: ctx.locale,
					idempotencyKey,
					electionId: chosen!.election.id,
					rounds,
					delivery: answers.delivery!,
					address: answers.delivery === 'post' ? answers.address : null
				},
				ctx.actor,
				ctx.now
			)
	})
};
