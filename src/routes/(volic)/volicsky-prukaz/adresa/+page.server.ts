import { fail, redirect } from '@sveltejs/kit';
import { addressSchema, ADDRESS_FIELDS, parseForm } from '$lib/forms/requests';
import { countryOptions, ISO_COUNTRY_CODES } from '$lib/server/countries';
import { voterContext, writeDraft } from '$lib/server/flows/context';
import { backPath, enterStep, nextStep } from '$lib/server/flows/steps';
import { chosenDeadlines, loadVoterCardState, VOTER_CARD_FLOW, VOTER_CARD_PATHS, VOTER_CARD_STEPS } from '$lib/server/flows/voter-card';
import { findVoterById } from '$lib/server/db/queries/voters';
import type { Actions, PageServerLoad } from './$types';

/** §57(2): the card goes by registered mail to an address of the voter's choice, in Czechia or abroad. */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const state = await loadVoterCardState(ctx);
	enterStep(VOTER_CARD_STEPS, state, 'address');
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
		back: backPath(VOTER_CARD_STEPS, state, 'address', VOTER_CARD_PATHS.start)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = voterContext(event);
		const state = await loadVoterCardState(ctx);
		enterStep(VOTER_CARD_STEPS, state, 'address');
		const parsed = parseForm(addressSchema, await event.request.formData(), ADDRESS_FIELDS);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		if (!ISO_COUNTRY_CODES.includes(parsed.data.country)) {
			return fail(400, { values: { ...parsed.data }, errors: { country: 'country_not_offered' as const } });
		}
		const answers = { ...state.answers, address: parsed.data };
		await writeDraft(ctx, VOTER_CARD_FLOW, answers);
		redirect(303, nextStep(VOTER_CARD_STEPS, { ...state, answers }).path);
	}
};
