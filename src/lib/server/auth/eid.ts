/**
 * Voter login with the national eID (§23(5)): the portal is an OpenID Connect relying party.
 * Authorization code flow with PKCE (S256), `state` bound to the browser and `nonce`
 * checked in the ID token; openid-client validates the ID token's signature, issuer,
 * audience and expiry. Each login attempt (eid_login row) is usable once, for 10 minutes.
 */
import * as oidc from 'openid-client';
import type { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { parseIsoDate } from '../../domain';
import { toDate } from '../clock';
import type { Db } from '../db/index';
import {
	consumeEidLogin,
	deleteEidLoginsCreatedBefore,
	findEidLogin,
	insertEidLogin
} from '../db/queries/eid-logins';
import { deleteExpiredSessions, deleteSession } from '../db/queries/sessions';
import { findVoterByEidSubject } from '../db/queries/voters';
import type { EidClaimsColumn } from '../db/schema';
import { log } from '../log';
import { returnPath, returnPathname } from '../return-path';
import { appendAudit } from '../services/audit';
import { accessFor, isAllowed } from './access';
import { createSession } from './session';
import type { EidSettings } from './settings';

/** How long a started login may take until the callback (eid_login rows are single-use). */
export const EID_LOGIN_TTL_SECONDS = 10 * 60;
/** Name, date of birth and address of permanent residence: what the portal needs of the eID. */
export const EID_SCOPE = 'openid profile address';

export const DEFAULT_VOTER_DESTINATION = '/muj-zaznam';
export const NOT_ON_LIST_DESTINATION = '/nejste-v-seznamu';

// --- OpenID Connect client configuration ---------------------------------------------------

let discovered: { key: string; configuration: Promise<oidc.Configuration> } | undefined;

/**
 * The provider's metadata, discovered once and kept; a failed discovery is not kept, so the
 * next login tries again (the eID may come up after the portal).
 */
export function eidClient(settings: EidSettings): Promise<oidc.Configuration> {
	const key = `${settings.issuer.href}|${settings.clientId}`;
	if (discovered?.key !== key) {
		const insecure = settings.issuer.protocol === 'http:';
		const configuration = oidc.discovery(
			settings.issuer,
			settings.clientId,
			{ client_secret: settings.clientSecret },
			oidc.ClientSecretBasic(settings.clientSecret),
			// http only for the development eID on this machine (settings refuse it in production).
			// The ID token's signature is checked against the eID's published keys too: openid-client
			// skips it for tokens fetched over TLS unless asked (eid-tokens.db.test.ts), and a login
			// that decides who may file is worth the non-repudiation.
			{ execute: insecure ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] : [oidc.enableNonRepudiationChecks], timeout: 10 }
		);
		discovered = { key, configuration };
		configuration.catch(() => {
			if (discovered?.configuration === configuration) discovered = undefined;
		});
	}
	return discovered.configuration;
}

/** Forget the discovered metadata (the development eID restarted with new keys). */
export function resetEidClient(): void {
	discovered = undefined;
}

// --- Level of assurance (§23(5)) ------------------------------------------------------------

/**
 * §23(5): filing through the portal needs an eID with level of assurance at least
 * "substantial". The accepted `acr` values come from configuration (EID_ACCEPTED_ACR).
 */
export function isAcceptedAssurance(acr: unknown, accepted: readonly string[]): boolean {
	return typeof acr === 'string' && accepted.includes(acr);
}

// --- Starting a login -----------------------------------------------------------------------

export interface StartedEidLogin {
	state: string;
	authorizationUrl: URL;
}

export async function startEidLogin(
	db: Db,
	client: oidc.Configuration,
	settings: EidSettings,
	input: { returnTo: string | null; locale: string },
	now: Temporal.Instant
): Promise<StartedEidLogin> {
	const state = oidc.randomState();
	const nonce = oidc.randomNonce();
	const codeVerifier = oidc.randomPKCECodeVerifier();
	const codeChallenge = await oidc.calculatePKCECodeChallenge(codeVerifier);
	// Stale attempts (older than an hour) are of no use to anyone.
	await deleteEidLoginsCreatedBefore(db, toDate(now.subtract({ hours: 1 })));
	await insertEidLogin(db, { state, nonce, codeVerifier, returnTo: returnPath(input.returnTo, null), createdAt: toDate(now) });
	const authorizationUrl = oidc.buildAuthorizationUrl(client, {
		redirect_uri: settings.redirectUri,
		scope: EID_SCOPE,
		response_type: 'code',
		state,
		nonce,
		code_challenge: codeChallenge,
		code_challenge_method: 'S256',
		// §23(5): at least "substantial", in the order of preference of EID_ACCEPTED_ACR.
		acr_values: settings.acceptedAcr.join(' '),
		// Always a fresh authentication: on a shared computer, an eID session left open by the
		// previous person must not log the next one in.
		prompt: 'login',
		ui_locales: input.locale
	});
	return { state, authorizationUrl };
}

// --- Completing a login ---------------------------------------------------------------------

export type EidLoginFailure =
	/** The person cancelled at the eID. */
	| 'cancelled'
	/** The eID answered with another error. */
	| 'provider-error'
	/** The callback's state is not the one this browser started (or the browser has none). */
	| 'state-mismatch'
	/** No such login attempt. */
	| 'state-unknown'
	/** The login attempt was already used (a replayed callback). */
	| 'state-used'
	/** Older than EID_LOGIN_TTL_SECONDS. */
	| 'expired'
	/** The eID refused the code: already used, expired, or not issued for this attempt. */
	| 'code-rejected'
	/** The ID token's nonce is not the one of this login attempt. */
	| 'nonce-mismatch'
	/** Any other failed check of the token response or the ID token. */
	| 'id-token-invalid'
	/** §23(5): level of assurance below "substantial". */
	| 'low-assurance'
	/** The eID gave no name. */
	| 'claims-missing'
	/** The eID could not be reached. */
	| 'provider-unavailable';

export const FAILURE_STATUS: Record<EidLoginFailure, number> = {
	cancelled: 400,
	'provider-error': 400,
	'state-mismatch': 400,
	'state-unknown': 400,
	'state-used': 400,
	expired: 400,
	'code-rejected': 400,
	'nonce-mismatch': 400,
	'id-token-invalid': 400,
	'low-assurance': 403,
	'claims-missing': 400,
	'provider-unavailable': 503
};

export type EidLoginResult =
	| {
			ok: true;
			token: string;
			sessionId: string;
			voterId: string | null;
			destination: string;
	  }
	| { ok: false; reason: EidLoginFailure };

const addressClaim = z
	.object({
		street_address: z.string().optional(),
		locality: z.string().optional(),
		postal_code: z.string().optional(),
		country: z.string().optional(),
		formatted: z.string().optional()
	})
	.partial();

const idTokenClaims = z.object({
	sub: z.string().min(1),
	given_name: z.string().trim().min(1),
	family_name: z.string().trim().min(1),
	birthdate: z.string().optional(),
	address: addressClaim.optional()
});

export function eidClaimsFromIdToken(claims: Record<string, unknown>): { subject: string; identity: EidClaimsColumn } | null {
	const parsed = idTokenClaims.safeParse(claims);
	if (!parsed.success) return null;
	const { sub, given_name, family_name, birthdate, address } = parsed.data;
	return {
		subject: sub,
		identity: {
			givenName: given_name,
			familyName: family_name,
			birthDate: birthdate && parseIsoDate(birthdate) ? birthdate : null,
			address: address
				? {
						street: address.street_address ?? null,
						locality: address.locality ?? null,
						postalCode: address.postal_code ?? null,
						country: address.country ?? null
					}
				: null
		}
	};
}

function classifyGrantError(error: unknown): EidLoginFailure {
	if (error instanceof oidc.ResponseBodyError) {
		// invalid_grant: the code was used before, has expired, or the PKCE verifier does not fit.
		return 'code-rejected';
	}
	if (error instanceof oidc.AuthorizationResponseError) return 'provider-error';
	if (error instanceof oidc.ClientError) {
		const cause = (error.cause as { cause?: { claim?: unknown } } | undefined)?.cause;
		if (error.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && cause?.claim === 'nonce') return 'nonce-mismatch';
		if (error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || error.code === 'OAUTH_RESPONSE_IS_NOT_JSON') return 'provider-unavailable';
		return 'id-token-invalid';
	}
	// fetch failed (connection refused, timeout)
	if (error instanceof TypeError || (error instanceof Error && error.name === 'TimeoutError')) return 'provider-unavailable';
	return 'id-token-invalid';
}

export interface CompleteEidLoginInput {
	/** The callback request's query parameters. */
	params: URLSearchParams;
	/** The state stored in this browser's EID_STATE_COOKIE when the login started. */
	browserState: string | null;
	/** The browser's current session, ended in favour of the new one. */
	previousSessionId: string | null;
}

/**
 * Checks the eID's answer and opens the session: state (this browser's, known, unused, in
 * time), the token exchange with the PKCE verifier, the ID token (by openid-client: signature,
 * issuer, audience, expiry; and the nonce of this attempt), the level of assurance (§23(5)).
 * Then matches the voter by the eID's pairwise subject.
 */
export async function completeEidLogin(
	db: Db,
	clientOrPromise: oidc.Configuration | Promise<oidc.Configuration>,
	settings: EidSettings,
	input: CompleteEidLoginInput,
	now: Temporal.Instant
): Promise<EidLoginResult> {
	const { params } = input;
	const state = params.get('state');
	const stateBound = !!state && !!input.browserState && state === input.browserState;

	const providerError = params.get('error');
	if (providerError) {
		if (stateBound) await consumeEidLogin(db, state, toDate(now));
		log.info({ error: providerError.slice(0, 64) }, 'eID login: error from the provider');
		return { ok: false, reason: providerError === 'access_denied' ? 'cancelled' : 'provider-error' };
	}
	if (!stateBound) return { ok: false, reason: 'state-mismatch' };

	const login = await consumeEidLogin(db, state, toDate(now));
	if (!login) {
		const existing = await findEidLogin(db, state);
		return { ok: false, reason: existing ? 'state-used' : 'state-unknown' };
	}
	if (now.epochMilliseconds - login.created_at.getTime() > EID_LOGIN_TTL_SECONDS * 1000) {
		return { ok: false, reason: 'expired' };
	}

	let claims: Record<string, unknown> | undefined;
	try {
		const client = await clientOrPromise;
		const callbackUrl = new URL(settings.redirectUri);
		callbackUrl.search = params.toString();
		const tokens = await oidc.authorizationCodeGrant(client, callbackUrl, {
			pkceCodeVerifier: login.code_verifier,
			expectedState: login.state,
			expectedNonce: login.nonce,
			idTokenExpected: true
		});
		claims = tokens.claims();
	} catch (error) {
		const reason = classifyGrantError(error);
		log.warn({ reason, err: error instanceof Error ? { message: error.message, code: (error as { code?: string }).code } : String(error) }, 'eID login refused');
		return { ok: false, reason };
	}
	if (!claims) return { ok: false, reason: 'id-token-invalid' };

	if (!isAcceptedAssurance(claims.acr, settings.acceptedAcr)) {
		log.info({ acr: typeof claims.acr === 'string' ? claims.acr : null }, 'eID login refused: level of assurance too low');
		return { ok: false, reason: 'low-assurance' };
	}
	const acr = claims.acr as string;
	const eid = eidClaimsFromIdToken(claims);
	if (!eid) return { ok: false, reason: 'claims-missing' };

	const opened = await db.transaction().execute(async (trx) => {
		const voter = await findVoterByEidSubject(trx, eid.subject);
		// Rotation: the session this browser had before is ended, never carried over.
		if (input.previousSessionId) await deleteSession(trx, input.previousSessionId);
		const session = await createSession(
			trx,
			{ kind: 'eid', voterId: voter?.id ?? null, eidSubject: eid.subject, eidAcr: acr, eidClaims: voter ? null : eid.identity },
			now
		);
		await appendAudit(trx, {
			actor: voter ? { kind: 'voter', id: voter.id } : { kind: 'system' },
			action: voter ? 'voter.login' : 'eid.login-not-on-list',
			entityType: voter ? 'voter' : 'eid-login',
			entityId: voter?.id ?? null,
			after: { method: 'eid', acr },
			at: now
		});
		return { session, voterId: voter?.id ?? null };
	});
	await deleteExpiredSessions(db, toDate(now));

	return { ok: true, token: opened.session.token, sessionId: opened.session.id, voterId: opened.voterId, destination: destinationAfterLogin(login.return_to, opened.voterId !== null) };
}

/**
 * A voter goes back to the page that sent them to log in, or to their record. Someone on no
 * voter list is shown how to get on one.
 */
export function destinationAfterLogin(returnTo: string | null, onVoterList: boolean): string {
	if (!onVoterList) return NOT_ON_LIST_DESTINATION;
	const wanted = returnPath(returnTo, null);
	if (wanted) {
		const path = returnPathname(wanted);
		const loginPages = ['/prihlaseni', '/odhlaseni'].some((p) => path === p || path.startsWith(`${p}/`));
		if (!loginPages && isAllowed(accessFor(path), { voter: true, eid: true, staff: false })) return wanted;
	}
	return DEFAULT_VOTER_DESTINATION;
}
