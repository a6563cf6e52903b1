import { countryName } from '$lib/server/countries';
import { findVoterById } from '$lib/server/db/queries/voters';
import { idempotencyKeyFor, voterContext } from '$lib/server/flows/context';
import {
	embassyName,
	loadRegistrationState,
	REGISTRATION_FLOW,
	REGISTRATION_PATHS,
	REGISTRATION_STEPS,
	registrationStatus
} from '$lib/server/flows/registration';
import { enterStep } from '$lib/server/flows/steps';
import { submitFromCheckPage } from '$lib/server/flows/submit';
import { submitSpecialDistrictRegistration } from '$lib/server/services/requests';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const state = await loadRegistrationState(ctx);
	enterStep(REGISTRATION_STEPS, state, 'check');
	const [voter, status, idempotencyKey] = await Promise.all([
		findVoterById(ctx.db, ctx.voterId),
		registrationStatus(ctx),
		idempotencyKeyFor(ctx, REGISTRATION_FLOW)
	]);
	const embassy = state.embassy!;
	return {
		idempotencyKey,
		country: countryName(state.answers.country!, ctx.locale),
		address: state.answers.address!,
		embassy: { name: embassyName(embassy, ctx.locale), specialDistrictNumber: embassy.special_district_number },
		voter: voter ? { name: `${voter.given_name} ${voter.family_name}`, birthDate: voter.birth_date, onMunicipalList: voter.municipal_office_id !== null } : null,
		nextElection: status.nextElection,
		paths: REGISTRATION_PATHS
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = voterContext(event);
		const state = await loadRegistrationState(ctx);
		const { answers, embassy } = state;
		return submitFromCheckPage(ctx, {
			flow: REGISTRATION_FLOW,
			kind: 'special-district-registration',
			form: await event.request.formData(),
			draftKey: state.idempotencyKey,
			complete: embassy !== undefined && answers.address !== undefined && answers.country !== undefined,
			paths: REGISTRATION_PATHS,
			file: (idempotencyKey) =>
				submitSpecialDistrictRegistration(
					ctx.db,
					{
						voterId: ctx.voterId,
						channel: 'portal',
						idempotencyKey,
						embassyOfficeId: embassy!.id,
						address: { ...answers.address!, country: answers.country! }
					},
					ctx.actor,
					ctx.now
				)
		});
	}
};
