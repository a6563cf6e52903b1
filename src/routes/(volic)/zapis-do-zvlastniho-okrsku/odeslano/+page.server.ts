import { REGISTRATION } from '$lib/server/flows/registration';
import { confirmationLoad } from '$lib/server/flows/submit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = confirmationLoad(REGISTRATION);
