import { countryName } from '$lib/server/countries';
import { embassyName, REGISTRATION, REGISTRATION_PATHS, registrationStatus } from '$lib/server/flows/registration';
import { checkAction, openCheckStep, voterSummary } from '$lib/server/flows/submit';
import { submitSpecialDistrictRegistration } from '$lib/server/services/requests';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { ctx, state, voter, idempotencyKey } = await openCheckStep(event, REGISTRATION);
	const status = await registrationStatus(ctx);
	const embassy = state.embassy!;
	return {
		idempotencyKey,
		country: countryName(state.answers.country!, ctx.locale),
		address: state.answers.address!,
		embassy: { name: embassyName(embassy, ctx.locale), specialDistrictNumber: embassy.special_district_number },
		voter: voter ? { ...voterSummary(voter), onMunicipalList: voter.municipal_office_id !== null } : null,
		nextElection: status.nextElection,
		paths: REGISTRATION_PATHS
	};
};

export const actions: Actions = {
	default: checkAction(REGISTRATION, {
		// Every question answered means a country with its embassy and an address there.
		file: (ctx, { answers, embassy }, idempotencyKey) =>
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
	})
};
