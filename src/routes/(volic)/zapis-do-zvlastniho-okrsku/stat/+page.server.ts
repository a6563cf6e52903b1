import { fail, redirect } from '@sveltejs/kit';
import { countrySchema, parseForm } from '$lib/forms/requests';
import { voterContext, writeDraft } from '$lib/server/flows/context';
import {
	embassyForCountry,
	embassyName,
	loadRegistrationState,
	REGISTRATION_FLOW,
	REGISTRATION_PATHS,
	REGISTRATION_STEPS,
	registrationCountries,
	registrationStatus
} from '$lib/server/flows/registration';
import { backPath, enterStep, nextStep } from '$lib/server/flows/steps';
import type { Actions, PageServerLoad } from './$types';

/** §57(6): the country where the voter lives decides the embassy. */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const state = await loadRegistrationState(ctx);
	enterStep(REGISTRATION_STEPS, state, 'country');
	return {
		countries: registrationCountries(state, ctx.locale),
		value: state.answers.country ?? '',
		nextElection: (await registrationStatus(ctx)).nextElection,
		back: backPath(REGISTRATION_STEPS, state, 'country', REGISTRATION_PATHS.start),
		embassy: state.embassy ? embassyName(state.embassy, ctx.locale) : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = voterContext(event);
		const state = await loadRegistrationState(ctx);
		const offered = registrationCountries(state, ctx.locale).map((c) => c.value);
		const parsed = parseForm(countrySchema(offered), await event.request.formData(), ['country']);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const embassy = embassyForCountry(state.embassies, parsed.data.country);
		// A new country may belong to another embassy; the address abroad belongs to the old one.
		const answers = { ...state.answers, country: parsed.data.country, address: parsed.data.country === state.answers.country ? state.answers.address : undefined };
		await writeDraft(ctx, REGISTRATION_FLOW, answers);
		redirect(303, nextStep(REGISTRATION_STEPS, { ...state, answers, embassy }).path);
	}
};
