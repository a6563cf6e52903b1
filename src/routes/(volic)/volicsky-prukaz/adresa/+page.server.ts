import { fail } from '@sveltejs/kit';
import { addressSchema, ADDRESS_FIELDS } from '$lib/forms/requests';
import { countryOptions, ISO_COUNTRY_CODES } from '$lib/server/countries';
import { findVoterById } from '$lib/server/db/queries/voters';
import { answerAction, openStep } from '$lib/server/flows/flow';
import { chosenDeadlines, VOTER_CARD } from '$lib/server/flows/voter-card';
import type { Actions, PageServerLoad } from './$types';

/** §57(2): the card goes by registered mail to an address of the voter's choice, in Czechia or abroad. */
export const load: PageServerLoad = async (event) => {
	const { ctx, state, back } = await openStep(event, VOTER_CARD, 'address');
	let values = state.answers.address;
	if (!values) {
		// Offer the address the voter list holds; the voter may change it.
		const voter = await findVoterById(ctx.db, ctx.voterId);
		values = voter ? { line: voter.address_line, city: voter.city, postalCode: voter.postal_code, country: voter.country_code.trim() } : undefined;
	}
	return {
		values: values ?? { line: '', city: '', postalCode: '', country: 'CZ' },
		countries: countryOptions(ISO_COUNTRY_CODES, ctx.locale),
		deadlines: chosenDeadlines(state, 'voter-card-mail-request'),
		back
	};
};

export const actions: Actions = {
	default: answerAction(VOTER_CARD, 'address', {
		schema: addressSchema,
		fields: ADDRESS_FIELDS,
		answer: (address, { state }) => {
			if (!ISO_COUNTRY_CODES.includes(address.country)) {
				return fail(400, { values: { ...address }, errors: { country: 'country_not_offered' as const } });
			}
			return { ...state.answers, address };
		}
	})
};
