import { fail, redirect } from '@sveltejs/kit';
import { addressSchema, ADDRESS_FIELDS, parseForm, type FieldErrors } from '$lib/forms/requests';
import { findVoterById } from '$lib/server/db/queries/voters';
import { voterContext, writeDraft } from '$lib/server/flows/context';
import {
	CORRESPONDENCE_FLOW,
	CORRESPONDENCE_PATHS,
	CORRESPONDENCE_STEPS,
	embassyCountries,
	enterCorrespondenceStep,
	governingDeadline,
	loadCorrespondenceState
} from '$lib/server/flows/correspondence';
import { backPath, nextStep } from '$lib/server/flows/steps';
import { previewCorrespondenceRequest } from '$lib/server/services/requests';
import type { Actions, PageServerLoad } from './$types';

/** §57a(4): a mailing address inside the embassy's area; §58(3): never in an excluded country. */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const state = await loadCorrespondenceState(ctx);
	enterCorrespondenceStep(state, 'address');
	let values = state.answers.address;
	if (!values) {
		const voter = await findVoterById(ctx.db, ctx.voterId);
		const country = voter?.country_code.trim() ?? '';
		// The voter list's address abroad, if it is in the embassy's area.
		values =
			voter && state.embassy.countries.includes(country)
				? { line: voter.address_line, city: voter.city, postalCode: voter.postal_code, country }
				: { line: '', city: '', postalCode: '', country: state.embassy.countries.length === 1 ? (state.embassy.countries[0] ?? '') : '' };
	}
	return {
		values,
		countries: embassyCountries(state.embassy, ctx.locale, state.chosen?.election.excludedCountries ?? []),
		embassy: ctx.locale === 'en' ? state.embassy.name_en : state.embassy.name_cs,
		deadline: governingDeadline(state),
		back: backPath(CORRESPONDENCE_STEPS, state, 'address', CORRESPONDENCE_PATHS.start)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = voterContext(event);
		const state = await loadCorrespondenceState(ctx);
		enterCorrespondenceStep(state, 'address');
		const parsed = parseForm(addressSchema, await event.request.formData(), ADDRESS_FIELDS);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors, refusal: null });
		if (!state.embassy.countries.includes(parsed.data.country)) {
			return fail(400, { values: { ...parsed.data }, errors: { country: 'country_not_offered' } as FieldErrors, refusal: null });
		}
		// §58(3), §57a(4): the domain's own check, so that the refusal names the rule at once.
		const check = await previewCorrespondenceRequest(
			ctx.db,
			{ voterId: ctx.voterId, electionId: state.chosen!.election.id, rounds: state.rounds, delivery: 'post', country: parsed.data.country },
			ctx.now
		);
		if (!check.ok) return fail(400, { values: { ...parsed.data }, errors: {} as FieldErrors, refusal: check.refusal });
		const answers = { ...state.answers, address: parsed.data };
		await writeDraft(ctx, CORRESPONDENCE_FLOW, answers);
		redirect(303, nextStep(CORRESPONDENCE_STEPS, { ...state, answers }).path);
	}
};
