import { fail, redirect } from '@sveltejs/kit';
import { addressWithoutCountrySchema, ADDRESS_FIELDS_WITHOUT_COUNTRY, parseForm } from '$lib/forms/requests';
import { countryName } from '$lib/server/countries';
import { voterContext, writeDraft } from '$lib/server/flows/context';
import { embassyName, loadRegistrationState, REGISTRATION_FLOW, REGISTRATION_PATHS, REGISTRATION_STEPS, registrationStatus } from '$lib/server/flows/registration';
import { backPath, enterStep, nextStep } from '$lib/server/flows/steps';
import type { Actions, PageServerLoad } from './$types';

/** §57(6): the voter gives the address where they live, inside the embassy's area. */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const state = await loadRegistrationState(ctx);
	enterStep(REGISTRATION_STEPS, state, 'address');
	return {
		values: state.answers.address ?? { line: '', city: '', postalCode: '' },
		country: countryName(state.answers.country!, ctx.locale),
		countryCode: state.answers.country!,
		embassy: embassyName(state.embassy!, ctx.locale),
		nextElection: (await registrationStatus(ctx)).nextElection,
		back: backPath(REGISTRATION_STEPS, state, 'address', REGISTRATION_PATHS.start)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = voterContext(event);
		const state = await loadRegistrationState(ctx);
		enterStep(REGISTRATION_STEPS, state, 'address');
		const parsed = parseForm(addressWithoutCountrySchema, await event.request.formData(), ADDRESS_FIELDS_WITHOUT_COUNTRY);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const answers = { ...state.answers, address: parsed.data };
		await writeDraft(ctx, REGISTRATION_FLOW, answers);
		redirect(303, nextStep(REGISTRATION_STEPS, { ...state, answers }).path);
	}
};
