import { voterContext } from '$lib/server/flows/context';
import { loadConfirmation } from '$lib/server/flows/submit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	return { requests: await loadConfirmation(ctx, event.url, 'voter-card') };
};
