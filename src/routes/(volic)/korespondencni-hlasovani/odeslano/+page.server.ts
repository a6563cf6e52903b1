import { CORRESPONDENCE } from '$lib/server/flows/correspondence';
import { confirmationLoad } from '$lib/server/flows/submit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = confirmationLoad(CORRESPONDENCE);
