import { db } from '$lib/server/db/runtime';
import { findVoterEmbassyTimeZone, updateVoterLocale } from '$lib/server/db/queries/voters';
import { getLocale } from '$lib/paraglide/runtime';
import type { LayoutServerLoad } from './$types';

/**
 * What every voter page shares: for a voter on an embassy's special list, the embassy's time
 * zone, so that times (always in Prague time, §78(2)) show the local time beside them.
 * Access is guarded in hooks.server.ts, not here.
 *
 * Issue 15: the language the voter reads the portal in is remembered on their record, so that
 * their e-mail is written in it (services/notifications.ts). A switch of language
 * (/jazyk/…) is a full page load, which runs this again.
 */
export const load: LayoutServerLoad = async ({ locals }) => {
	if (!locals.voter) return { embassyTimeZone: null };
	const database = db();
	const [embassyTimeZone] = await Promise.all([
		findVoterEmbassyTimeZone(database, locals.voter.id),
		updateVoterLocale(database, locals.voter.id, getLocale() === 'en' ? 'en' : 'cs')
	]);
	return { embassyTimeZone };
};
