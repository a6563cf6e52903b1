import { db } from '$lib/server/db/runtime';
import { findVoterEmbassyTimeZone } from '$lib/server/db/queries/voters';
import type { LayoutServerLoad } from './$types';

/**
 * What every voter page shares: for a voter on an embassy's special list, the embassy's time
 * zone, so that times (always in Prague time, §78(2)) show the local time beside them.
 * Access is guarded in hooks.server.ts, not here.
 */
export const load: LayoutServerLoad = async ({ locals }) => ({
	embassyTimeZone: locals.voter ? await findVoterEmbassyTimeZone(db(), locals.voter.id) : null
});
