import { countrySchema } from '$lib/forms/requests';
import { answerAction, openStep } from '$lib/server/flows/flow';
import { embassyName, REGISTRATION, registrationCountries, registrationStatus } from '$lib/server/flows/registration';
import type { Actions, PageServerLoad } from './$types';

/** §57(6): the country where the voter lives decides the embassy. */
export const load: PageServerLoad = async (event) => {
	const { ctx, state, back } = await openStep(event, REGISTRATION, 'country');
	return {
		countries: registrationCountries(state, ctx.locale),
		value: state.answers.country ?? '',
		nextElection: (await registrationStatus(ctx)).nextElection,
		back,
		embassy: state.embassy ? embassyName(state.embassy, ctx.locale) : null
	};
};

export const actions: Actions = {
	default: answerAction(REGISTRATION, 'country', {
		schema: ({ ctx, state }) => countrySchema(registrationCountries(state, ctx.locale).map((c) => c.value)),
		fields: ['country'],
		// A new country may belong to another embassy; the address abroad belongs to the old one.
		answer: ({ country }, { state }) => ({ ...state.answers, country, address: country === state.answers.country ? state.answers.address : undefined })
	})
};
