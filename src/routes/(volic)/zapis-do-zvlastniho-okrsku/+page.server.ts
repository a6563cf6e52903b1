import { voterContext } from '$lib/server/flows/context';
import { REGISTRATION_PATHS, registrationStatus } from '$lib/server/flows/registration';
import type { PageServerLoad } from './$types';

/** Start page: what the registration means (§56(4)), its deadline (§57(6)) and where the voter stands. */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	return { status: await registrationStatus(ctx), startHref: REGISTRATION_PATHS.country };
};
