/**
 * The bundled development eID: an OpenID Connect provider (oidc-provider) that stands in for
 * the national identity provider when no EID_ISSUER is configured, outside production. It
 * runs in the portal's process on its own port, offers the test identities of the seed data
 * and lets the tester choose the level of assurance. Everything is in memory: keys, sessions
 * and codes are gone when the portal stops.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors as providerErrors, type KoaContext } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { TEST_IDENTITIES } from '../db/seed-data';
import { log } from '../log';
import { devEidSubject } from './dev-eid-subject';
import { DEV_LOA_OPTIONS, devEidTexts, pageLocale, renderErrorPage, renderLoginPage, type DevEidLocale, type DevLoa } from './dev-eid-page';
import { LOA } from './settings';

export interface DevEidOptions {
	host: string;
	/** 0 picks a free port (tests). */
	port: number;
	clientId: string;
	clientSecret: string;
	redirectUri: string;
}

export interface DevEid {
	issuer: string;
	stop(): Promise<void>;
}

const COOKIE_NAMES = { session: 'dev_eid_session', interaction: 'dev_eid_interaction', resume: 'dev_eid_resume' };
const MAX_FORM_BYTES = 4096;
const CLOCK_TOLERANCE_SECONDS = 15;

function signingKey() {
	const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	return { ...privateKey.export({ format: 'jwk' }), kid: `dev-${randomBytes(4).toString('hex')}`, use: 'sig', alg: 'RS256' };
}

function findIdentity(accountId: string) {
	return TEST_IDENTITIES.find((identity) => identity.accountId === accountId);
}

function providerConfiguration(options: DevEidOptions, portalOrigin: string): Record<string, unknown> {
	return {
		// In memory on purpose: a development stand-in keeps nothing across restarts. Chosen
		// explicitly, so that oidc-provider does not warn about its quick-start default.
		adapter: createMemoryAdapter(CLOCK_TOLERANCE_SECONDS),
		clockTolerance: CLOCK_TOLERANCE_SECONDS,
		clients: [
			{
				client_id: options.clientId,
				client_secret: options.clientSecret,
				client_name: 'Volební portál',
				redirect_uris: [options.redirectUri],
				response_types: ['code'],
				grant_types: ['authorization_code'],
				token_endpoint_auth_method: 'client_secret_basic',
				id_token_signed_response_alg: 'RS256',
				subject_type: 'pairwise'
			}
		],
		// Like the national eID: each service gets its own, meaningless subject for a person.
		subjectTypes: ['pairwise'],
		pairwiseIdentifier: async (_ctx: unknown, accountId: string) => devEidSubject(accountId),
		pkce: { required: () => true },
		acrValues: [LOA.low, LOA.substantial, LOA.high],
		scopes: ['openid', 'profile', 'address'],
		claims: {
			openid: ['sub'],
			profile: ['given_name', 'family_name', 'birthdate'],
			address: ['address'],
			acr: null,
			auth_time: null,
			iss: null,
			sid: null
		},
		// The portal reads everything from the ID token; no userinfo call is needed.
		conformIdTokenClaims: false,
		features: {
			devInteractions: { enabled: false },
			rpInitiatedLogout: { enabled: false },
			userinfo: { enabled: true }
		},
		findAccount: async (_ctx: unknown, accountId: string) => {
			const identity = findIdentity(accountId);
			if (!identity) return undefined;
			return {
				accountId,
				claims: async () => ({
					sub: accountId,
					given_name: identity.givenName,
					family_name: identity.familyName,
					birthdate: identity.birthDate,
					address: {
						street_address: identity.address.street,
						locality: identity.address.locality,
						postal_code: identity.address.postalCode,
						country: identity.address.country
					}
				})
			};
		},
		cookies: {
			names: COOKIE_NAMES,
			keys: [randomBytes(32).toString('base64url')],
			long: { httpOnly: true, sameSite: 'lax' },
			short: { httpOnly: true, sameSite: 'lax' }
		},
		jwks: { keys: [signingKey()] },
		ttl: {
			AccessToken: 5 * 60,
			AuthorizationCode: 60,
			IdToken: 5 * 60,
			Interaction: 10 * 60,
			Session: 10 * 60,
			Grant: 10 * 60,
			RefreshToken: 60,
			ClientCredentials: 60,
			DeviceCode: 60,
			BackchannelAuthenticationRequest: 60,
			PreAuthorizedCode: 60
		},
		interactions: { url: async (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
		clientBasedCORS: () => false,
		renderError: async (ctx: KoaContext, out: Record<string, string>) => {
			ctx.type = 'html';
			ctx.body = renderErrorPage({
				error: out.error ?? 'server_error',
				description: out.error_description,
				portalUrl: `${portalOrigin}/prihlaseni`,
				locale: queryLocale(ctx)
			});
		}
	};
}

/** The language asked for in this request's own query (the authorization request's ui_locales), before any interaction exists. */
function queryLocale(ctx: KoaContext): DevEidLocale {
	return pageLocale(new URL(ctx.req.url ?? '/', 'http://dev-eid.invalid').searchParams.get('ui_locales'));
}

async function readForm(ctx: KoaContext): Promise<URLSearchParams> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of ctx.req) {
		size += (chunk as Buffer).length;
		if (size > MAX_FORM_BYTES) throw new Error('form too large');
		chunks.push(chunk as Buffer);
	}
	return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function securityHeaders(ctx: KoaContext, portalOrigin: string) {
	// No scripts at all. Chrome applies form-action to the redirects after a form post, which
	// end at the portal's callback.
	ctx.set('Content-Security-Policy', `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${portalOrigin}; frame-ancestors 'none'; base-uri 'none'`);
	ctx.set('X-Content-Type-Options', 'nosniff');
	ctx.set('Referrer-Policy', 'no-referrer');
	ctx.set('Cache-Control', 'no-store');
}

function isLoa(value: string | null): value is DevLoa {
	return DEV_LOA_OPTIONS.some((option) => option.value === value);
}

function clientName(locale: DevEidLocale): string {
	return locale === 'en' ? 'the Election portal' : 'Volební portál';
}

/** The interaction pages: choose identity and level of assurance; consent is given automatically. */
function interactions(provider: Provider, portalOrigin: string) {
	// The login's result is kept for the consent step (mergeWithLastSubmission), or else the
	// portal's prompt=login would ask for the login again.
	const finish = async (ctx: KoaContext, result: Parameters<Provider['interactionResult']>[2]) => {
		const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
		ctx.redirect(returnTo);
		ctx.status = 303;
	};

	return async (ctx: KoaContext, next: () => Promise<void>) => {
		const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(prihlasit|zrusit))?$/.exec(ctx.path);
		if (!match) return next();
		securityHeaders(ctx, portalOrigin);
		const action = match[2];
		// Until the interaction is found, its language is unknown: Czech, the portal's base language.
		let locale: DevEidLocale = 'cs';
		try {
			const details = await provider.interactionDetails(ctx.req, ctx.res);
			if (details.uid !== match[1]) throw new providerErrors.SessionNotFound('interaction mismatch');
			// The portal asks for the user's language with ui_locales in the authorization request.
			locale = pageLocale(details.params.ui_locales);
			const t = devEidTexts(locale);

			if (ctx.method === 'GET' && !action) {
				if (details.prompt.name === 'consent') {
					// The national eID asks nothing more of the person once they have logged in.
					const accountId = details.session?.accountId;
					const clientId = String(details.params.client_id ?? '');
					if (!accountId) throw new providerErrors.SessionNotFound('no account for consent');
					const grant = details.grantId
						? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId, clientId }))
						: new provider.Grant({ accountId, clientId });
					const prompt = details.prompt.details;
					if (Array.isArray(prompt.missingOIDCScope)) grant.addOIDCScope(prompt.missingOIDCScope.join(' '));
					if (Array.isArray(prompt.missingOIDCClaims)) grant.addOIDCClaims(prompt.missingOIDCClaims as string[]);
					const resourceScopes = (prompt.missingResourceScopes ?? {}) as Record<string, string[]>;
					for (const [indicator, scopes] of Object.entries(resourceScopes)) grant.addResourceScope(indicator, scopes.join(' '));
					return await finish(ctx, { consent: { grantId: await grant.save() } });
				}
				ctx.type = 'html';
				ctx.body = renderLoginPage({ uid: details.uid, clientName: clientName(locale), values: {}, errors: {}, locale });
				return;
			}

			if (ctx.method === 'POST' && action === 'zrusit') {
				return await finish(ctx, { error: 'access_denied', error_description: t.cancelled });
			}

			if (ctx.method === 'POST' && action === 'prihlasit') {
				const form = await readForm(ctx);
				const identity = form.get('identita');
				const loa = form.get('uroven');
				const errors: { identity?: string; loa?: string } = {};
				if (!identity || !findIdentity(identity)) errors.identity = t.chooseIdentity;
				if (!isLoa(loa)) errors.loa = t.chooseLoa;
				if (errors.identity || errors.loa || !identity || !isLoa(loa)) {
					ctx.status = 400;
					ctx.type = 'html';
					ctx.body = renderLoginPage({
						uid: details.uid,
						clientName: clientName(locale),
						values: { identity: identity ?? undefined, loa: loa ?? undefined },
						errors,
						locale
					});
					return;
				}
				return await finish(ctx, { login: { accountId: identity, acr: LOA[loa], amr: ['pwd'], remember: false } });
			}

			ctx.status = 405;
			ctx.type = 'text';
			ctx.body = 'Method Not Allowed';
		} catch (error) {
			const expired = error instanceof providerErrors.SessionNotFound;
			if (!expired) log.warn({ err: error instanceof Error ? error.message : String(error) }, 'development eID: interaction failed');
			ctx.status = 400;
			ctx.type = 'html';
			ctx.body = renderErrorPage({
				error: expired ? 'interaction_expired' : 'invalid_request',
				description: expired ? devEidTexts(locale).expired : undefined,
				portalUrl: `${portalOrigin}/prihlaseni`,
				locale
			});
		}
	};
}

/** Starts the development eID on host:port; its issuer is http://host:port. */
export async function startDevEid(options: DevEidOptions): Promise<DevEid> {
	const portalOrigin = new URL(options.redirectUri).origin;
	const server = http.createServer();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, options.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;
	const issuer = `http://${options.host}:${port}`;
	const provider = new Provider(issuer, providerConfiguration(options, portalOrigin));
	provider.use(interactions(provider, portalOrigin));
	provider.on('server_error', (_ctx: never, error: never) => {
		log.error({ err: String(error) }, 'development eID: server error');
	});
	server.on('request', provider.callback());
	log.info({ issuer }, 'development eID started (test identities only; never in production)');
	return {
		issuer,
		stop: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			})
	};
}

const RUNNING = Symbol.for('volebni-portal.dev-eid');
type Registry = { [RUNNING]?: Promise<DevEid> };

/**
 * Starts the development eID once per process: Vite's dev server may evaluate the hooks
 * again, and a second listener on the same port would fail.
 */
export function ensureDevEid(options: DevEidOptions): Promise<DevEid> {
	const registry = globalThis as Registry;
	registry[RUNNING] ??= startDevEid(options).catch((error: unknown) => {
		delete registry[RUNNING];
		throw error;
	});
	return registry[RUNNING];
}

export async function stopDevEid(): Promise<void> {
	const registry = globalThis as Registry;
	const running = registry[RUNNING];
	delete registry[RUNNING];
	if (running) await (await running).stop();
}
