import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { setEidStateCookie } from '$lib/server/auth/cookies';
import { EID_LOGIN_TTL_SECONDS, eidClient, startEidLogin } from '$lib/server/auth/eid';
import { portalOrigin, resolveEidSettings } from '$lib/server/auth/settings';
import { clock } from '$lib/server/clock';
import { config } from '$lib/server/config';
import { isDatabaseUnavailable } from '$lib/server/db/errors';
import { db } from '$lib/server/db/runtime';
import { log } from '$lib/server/log';
import type { PageServerLoad } from './$types';

/** GET /prihlaseni?zpet=<path>: starts an eID login and sends the browser to the eID. */
export const load: PageServerLoad = async ({ url, cookies }) => {
	const cfg = config();
	// The eID returns to the public origin, where the state cookie must be: a login started on
	// another host (127.0.0.1 for localhost) starts again there first, instead of failing on
	// the way back with an error that blames the voter (issue 15).
	const origin = portalOrigin(cfg);
	if (url.origin !== origin) redirect(307, new URL(url.pathname + url.search, origin).href);
	const settings = resolveEidSettings(cfg);
	let started;
	try {
		const client = await eidClient(settings);
		started = await startEidLogin(db(), client, settings, { returnTo: url.searchParams.get('zpet'), locale: getLocale() }, clock().now());
	} catch (e) {
		if (isDatabaseUnavailable(e)) throw e;
		log.warn({ err: e instanceof Error ? e.message : String(e) }, 'eID login could not start: provider unreachable');
		error(503, { message: m.auth_error_unavailable(), code: 'eid-provider-unavailable' });
	}
	setEidStateCookie(cookies, started.state, EID_LOGIN_TTL_SECONDS, cfg);
	redirect(303, started.authorizationUrl.href);
};
