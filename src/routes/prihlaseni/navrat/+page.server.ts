import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { deleteEidStateCookie, EID_STATE_COOKIE, setSessionCookie } from '$lib/server/auth/cookies';
import { completeEidLogin, eidClient, FAILURE_STATUS, type EidLoginFailure } from '$lib/server/auth/eid';
import { resolveEidSettings } from '$lib/server/auth/settings';
import { clock } from '$lib/server/clock';
import { config } from '$lib/server/config';
import { db } from '$lib/server/db/runtime';
import type { PageServerLoad } from './$types';

function failureMessage(reason: EidLoginFailure): string {
	switch (reason) {
		case 'cancelled':
			return m.auth_error_cancelled();
		case 'provider-error':
			return m.auth_error_provider();
		case 'state-mismatch':
		case 'state-unknown':
		case 'state-used':
			return m.auth_error_state();
		case 'expired':
			return m.auth_error_expired();
		case 'code-rejected':
			return m.auth_error_code();
		case 'nonce-mismatch':
		case 'id-token-invalid':
			return m.auth_error_token();
		case 'low-assurance':
			return m.auth_low_text();
		case 'claims-missing':
			return m.auth_error_claims();
		case 'provider-unavailable':
			return m.auth_error_unavailable();
	}
}

/** GET /prihlaseni/navrat: the eID's redirect back (OpenID Connect callback). */
export const load: PageServerLoad = async ({ url, cookies, locals }) => {
	const cfg = config();
	const settings = resolveEidSettings(cfg);
	const browserState = cookies.get(EID_STATE_COOKIE) ?? null;
	deleteEidStateCookie(cookies, cfg);
	const result = await completeEidLogin(
		db(),
		eidClient(settings),
		settings,
		{ params: url.searchParams, browserState, previousSessionId: locals.session?.id ?? null },
		clock().now()
	);
	if (!result.ok) error(FAILURE_STATUS[result.reason], { message: failureMessage(result.reason), code: `eid-${result.reason}` });
	setSessionCookie(cookies, result.token, cfg);
	redirect(303, result.destination);
};
