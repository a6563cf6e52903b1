import { VOTER_CARD } from '$lib/server/flows/voter-card';
import { confirmationLoad } from '$lib/server/flows/submit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = confirmationLoad(VOTER_CARD);
