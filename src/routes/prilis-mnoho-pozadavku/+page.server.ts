import type { PageServerLoad } from './$types';

/**
 * The "too many attempts" page: hooks.server.ts shows it with status 429 and Retry-After when
 * an eID login or a submission is over its rate limit (rate-limit-routes.ts). `za` is the
 * wait in seconds.
 */
export const load: PageServerLoad = ({ url }) => {
	const seconds = Number(url.searchParams.get('za'));
	return { seconds: Number.isInteger(seconds) && seconds > 0 && seconds <= 86_400 ? seconds : null };
};
