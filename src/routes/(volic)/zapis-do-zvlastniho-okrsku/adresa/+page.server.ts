import { addressWithoutCountrySchema, ADDRESS_FIELDS_WITHOUT_COUNTRY } from '$lib/forms/requests';
import { countryName } from '$lib/server/countries';
import { answerAction, openStep } from '$lib/server/flows/flow';
import { embassyName, REGISTRATION, registrationStatus } from '$lib/server/flows/registration';
import type { Actions, PageServerLoad } from './$types';

/** §57(6): the voter gives the address where they live, inside the embassy's area. */
export const load: PageServerLoad = async (event) => {
	const { ctx, state, back } = await openStep(event, REGISTRATION, 'address');
	return {
		values: state.answers.address ?? { line: '', city: '', postalCode: '' },
		country: countryName(state.answers.country!, ctx.locale),
		countryCode: state.answers.country!,
		embassy: embassyName(state.embassy!, ctx.locale),
		nextElection: (await registrationStatus(ctx)).nextElection,
		back
	};
};

export const actions: Actions = {
	default: answerAction(REGISTRATION, 'address', {
		schema: addressWithoutCountrySchema,
		fields: ADDRESS_FIELDS_WITHOUT_COUNTRY,
		answer: (address, { state }) => ({ ...state.answers, address })
	})
};
