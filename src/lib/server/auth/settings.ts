/**
 * Where the portal lives and which eID it trusts, resolved from config() once at start.
 */
import { ConfigError, type Config } from '../config';

/** The bundled development eID: fixed client credentials, never accepted in production. */
export const DEV_EID_CLIENT_ID = 'volebni-portal-dev';
export const DEV_EID_CLIENT_SECRET = 'dev-eid-secret-not-for-production';
/**
 * 127.0.0.1 rather than localhost: the browser and the portal's server-side token request
 * then reach the same IPv4 listener, whatever `localhost` resolves to first.
 */
export const DEV_EID_HOST = '127.0.0.1';

/** The eIDAS levels of assurance as the national eID reports them in `acr`. */
export const LOA = {
	low: 'http://eidas.europa.eu/LoA/low',
	substantial: 'http://eidas.europa.eu/LoA/substantial',
	high: 'http://eidas.europa.eu/LoA/high'
} as const;

export const CALLBACK_PATH = '/prihlaseni/navrat';

/** The portal's public origin: PUBLIC_ORIGIN, else adapter-node's ORIGIN, else the Vite dev server. */
export function portalOrigin(cfg: Config): string {
	const origin = cfg.PUBLIC_ORIGIN ?? cfg.ORIGIN;
	if (origin) return new URL(origin).origin;
	if (cfg.APP_ENV === 'production') {
		throw new ConfigError('Invalid configuration: PUBLIC_ORIGIN (or ORIGIN) must be set in production: the eID redirect URI is derived from it.');
	}
	return 'http://localhost:5173';
}

/** Cookies are Secure in production and whenever the portal is served over https. */
export function secureCookies(cfg: Config): boolean {
	return cfg.APP_ENV === 'production' || portalOrigin(cfg).startsWith('https:');
}

export interface EidSettings {
	issuer: URL;
	clientId: string;
	clientSecret: string;
	redirectUri: string;
	/** `acr` values accepted as level of assurance at least "substantial" (§23(5)). */
	acceptedAcr: readonly string[];
	/** The bundled development eID, started in-process (see dev-eid.ts). */
	dev: { port: number; host: string } | null;
}

/**
 * The eID the portal trusts. Without EID_ISSUER the bundled development eID is used, except
 * in production, where that is a configuration error that stops the start.
 */
export function resolveEidSettings(cfg: Config): EidSettings {
	const redirectUri = new URL(CALLBACK_PATH, portalOrigin(cfg)).href;
	if (cfg.EID_ISSUER) {
		if (!cfg.EID_CLIENT_ID || !cfg.EID_CLIENT_SECRET) {
			throw new ConfigError('Invalid configuration: EID_CLIENT_ID and EID_CLIENT_SECRET must be set together with EID_ISSUER.');
		}
		return {
			issuer: new URL(cfg.EID_ISSUER),
			clientId: cfg.EID_CLIENT_ID,
			clientSecret: cfg.EID_CLIENT_SECRET,
			redirectUri,
			acceptedAcr: cfg.EID_ACCEPTED_ACR,
			dev: null
		};
	}
	if (cfg.APP_ENV === 'production') {
		throw new ConfigError(
			'Invalid configuration: EID_ISSUER, EID_CLIENT_ID and EID_CLIENT_SECRET must be set in production (the national eID); the development eID never runs in production.'
		);
	}
	return {
		issuer: new URL(`http://${DEV_EID_HOST}:${cfg.DEV_EID_PORT}`),
		clientId: DEV_EID_CLIENT_ID,
		clientSecret: DEV_EID_CLIENT_SECRET,
		redirectUri,
		acceptedAcr: cfg.EID_ACCEPTED_ACR,
		dev: { port: cfg.DEV_EID_PORT, host: DEV_EID_HOST }
	};
}
