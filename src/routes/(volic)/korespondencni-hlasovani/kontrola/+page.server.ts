import { correspondenceRequestDeadlineKey } from '$lib/domain';
import { countryName } from '$lib/server/countries';
import { findVoterById } from '$lib/server/db/queries/voters';
import { idempotencyKeyFor, voterContext } from '$lib/server/flows/context';
import {
	CORRESPONDENCE_FLOW,
	CORRESPONDENCE_PATHS,
	CORRESPONDENCE_STEPS,
	enterCorrespondenceStep,
	loadCorrespondenceState
} from '$lib/server/flows/correspondence';
import { submitFromCheckPage } from '$lib/server/flows/submit';
import { submitCorrespondenceRequest } from '$lib/server/services/requests';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const state = await loadCorrespondenceState(ctx);
	enterCorrespondenceStep(state, 'check');
	const chosen = state.chosen!;
	const rounds = state.rounds ?? [1];
	const [voter, idempotencyKey] = await Promise.all([findVoterById(ctx.db, ctx.voterId), idempotencyKeyFor(ctx, CORRESPONDENCE_FLOW)]);
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
		voter: voter
			? {
					name: `${voter.given_name} ${voter.family_name}`,
					birthDate: voter.birth_date
				}
			: null,
		deadline,
		paths: CORRESPONDENCE_PATHS
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = voterContext(event);
		const state = await loadCorrespondenceState(ctx);
		const complete =
			state.embassy !== undefined && state.chosen !== undefined && CORRESPONDENCE_STEPS.every((s) => s.id === 'check' || !s.applies(state) || s.complete(state));
		const { answers } = state;
		return submitFromCheckPage(ctx, {
			flow: CORRESPONDENCE_FLOW,
			kind: 'correspondence-package',
			form: await event.request.formData(),
			draftKey: state.idempotencyKey,
			complete,
			paths: CORRESPONDENCE_PATHS,
			file: (idempotencyKey) =>
				submitCorrespondenceRequest(
					ctx.db,
					{
						voterId: ctx.voterId,
						channel: 'portal',
						idempotencyKey,
						electionId: state.chosen!.election.id,
						rounds: state.rounds,
						delivery: answers.delivery!,
						address: answers.delivery === 'post' ? answers.address : null
					},
					ctx.actor,
					ctx.now
				)
		});
	}
};
