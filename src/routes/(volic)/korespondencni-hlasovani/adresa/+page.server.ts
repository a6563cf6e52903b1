import { fail } from '@sveltejs/kit';
import { addressSchema, ADDRESS_FIELDS, type FieldErrors } from '$lib/forms/requests';
import { findVoterById } from '$lib/server/db/queries/voters';
import { CORRESPONDENCE, embassyCountries, governingDeadline } from '$lib/server/flows/correspondence';
import { answerAction, openStep } from '$lib/server/flows/flow';
import { previewCorrespondenceRequest } from '$lib/server/services/requests';
import type { Actions, PageServerLoad } from './$types';

/** §57a(4): a mailing address inside the embassy's area; §58(3): never in an excluded country. */
export const load: PageServerLoad = async (event) => {
	const { ctx, state, back } = await openStep(event, CORRESPONDENCE, 'address');
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
		back
	};
};

export const actions: Actions = {
	default: answerAction(CORRESPONDENCE, 'address', {
		schema: addressSchema,
		fields: ADDRESS_FIELDS,
		answer: async (address, { ctx, state }) => {
			if (!state.embassy.countries.includes(address.country)) {
				return fail(400, { values: { ...address }, errors: { country: 'country_not_offered' } as FieldErrors, refusal: null });
			}
			// §58(3), §57a(4): the domain's own check, so that the refusal names the rule at once.
			const check = await previewCorrespondenceRequest(
				ctx.db,
				{ voterId: ctx.voterId, electionId: state.chosen!.election.id, rounds: state.rounds, delivery: 'post', country: address.country },
				ctx.now
			);
			if (!check.ok) return fail(400, { values: { ...address }, errors: {} as FieldErrors, refusal: check.refusal });
			return { ...state.answers, address };
		}
	})
};
