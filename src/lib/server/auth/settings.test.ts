import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config';
import { DEV_EID_CLIENT_ID, LOA, portalOrigin, resolveEidSettings, secureCookies } from './settings';

describe('eID settings', () => {
	it('use the bundled development eID when no issuer is configured (not in production)', () => {
		const settings = resolveEidSettings(parseConfig({ APP_ENV: 'test', ORIGIN: 'http://127.0.0.1:4173', DEV_EID_PORT: '4174' }));
		expect(settings.issuer.href).toBe('http://127.0.0.1:4174/');
		expect(settings.clientId).toBe(DEV_EID_CLIENT_ID);
		expect(settings.redirectUri).toBe('http://127.0.0.1:4173/prihlaseni/navrat');
		expect(settings.dev).toEqual({ host: '127.0.0.1', port: 4174 });
		expect(settings.acceptedAcr).toEqual([LOA.substantial, LOA.high]);
	});

	it('refuse to start in production without the national eID', () => {
		const cfg = parseConfig({ APP_ENV: 'production', ORIGIN: 'https://volby.example.cz' });
		expect(() => resolveEidSettings(cfg)).toThrow(ConfigError);
		expect(() => resolveEidSettings(cfg)).toThrow(/EID_ISSUER/);
	});

	it('need the client credentials together with the issuer', () => {
		expect(() => resolveEidSettings(parseConfig({ EID_ISSUER: 'https://eid.example.cz' }))).toThrow(/EID_CLIENT_ID/);
	});

	it('take the national eID and the redirect URI from the configuration', () => {
		const settings = resolveEidSettings(
			parseConfig({
				APP_ENV: 'production',
				PUBLIC_ORIGIN: 'https://volby.example.cz',
				ORIGIN: 'http://10.0.0.5:3000',
				EID_ISSUER: 'https://eid.example.cz/oidc',
				EID_CLIENT_ID: 'portal',
				EID_CLIENT_SECRET: 's3cret',
				EID_ACCEPTED_ACR: 'http://eidas.europa.eu/LoA/high'
			})
		);
		expect(settings.dev).toBeNull();
		expect(settings.issuer.href).toBe('https://eid.example.cz/oidc');
		expect(settings.redirectUri).toBe('https://volby.example.cz/prihlaseni/navrat');
		expect(settings.acceptedAcr).toEqual([LOA.high]);
	});

	it('need the public origin in production', () => {
		expect(() => portalOrigin(parseConfig({ APP_ENV: 'production' }))).toThrow(/ORIGIN/);
	});

	it('make cookies Secure in production and over https', () => {
		expect(secureCookies(parseConfig({ APP_ENV: 'test', ORIGIN: 'http://127.0.0.1:4173' }))).toBe(false);
		expect(secureCookies(parseConfig({ APP_ENV: 'development', ORIGIN: 'https://volby.test' }))).toBe(true);
		expect(secureCookies(parseConfig({ APP_ENV: 'production', ORIGIN: 'https://volby.example.cz' }))).toBe(true);
	});
});
