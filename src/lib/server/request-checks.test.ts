import { describe, expect, it } from 'vitest';
import { rateLimitKeyFor } from './rate-limit-routes';
import { crossSiteWrite, decodePath, headWouldWrite, hiddenRoute, malformedUrl, queryDecodes, routeKey } from './request-checks';

/** The malformed encodings of issue 19: truncated, invalid, overlong, surrogate, NUL. */
const MALFORMED = ['%', '%F', '%FF', '%C0%AF', '%ED%A0%80', '%E0%A4%A', '%00', '%C1%81', '%E0%80%AF', '%F8%88%80%80%80', '%EF%BF', '%DF'];

describe('decodePath', () => {
	it('decodes as SvelteKit does before matching a route, keeping %25', () => {
		expect(decodePath('/%70rihlaseni')).toBe('/prihlaseni');
		expect(decodePath('/zadosti/VP-1%2D2')).toBe('/zadosti/VP-1-2');
		expect(decodePath('/a%25FF')).toBe('/a%25FF');
		expect(decodePath('/%C5%BE%C3%A1dost')).toBe('/žádost');
	});

	it('is null for what cannot be decoded or decodes to a control character', () => {
		for (const bad of MALFORMED) {
			expect(decodePath(`/muj-zaznam/${bad}`), bad).toBeNull();
			expect(decodePath(`/muj-zaznam${bad}/x`), bad).toBeNull();
		}
		expect(decodePath('/a%0Ab')).toBeNull();
		expect(decodePath('/a%7F')).toBeNull();
	});
});

describe('queryDecodes and malformedUrl', () => {
	it('accept what a browser sends', () => {
		expect(queryDecodes('')).toBe(true);
		expect(queryDecodes('?zpet=%2Fmuj-zaznam&q=Nov%C3%A1k+Jan')).toBe(true);
		expect(queryDecodes('?/ulozit')).toBe(true);
		expect(malformedUrl(new URL('http://p.test/zadosti?stav=podana'))).toBe(false);
	});

	it('refuse an undecodable or NUL query, or an undecodable path', () => {
		for (const bad of MALFORMED) {
			expect(queryDecodes(`?zpet=${bad}`), bad).toBe(false);
			expect(queryDecodes(`?${bad}=1`), bad).toBe(false);
			expect(malformedUrl(new URL(`http://p.test/zadosti/${bad}`)), bad).toBe(true);
			expect(malformedUrl(new URL(`http://p.test/zadosti?x=${bad}`)), bad).toBe(true);
		}
	});
});

describe('routeKey and the rate limits keyed on it', () => {
	const key = (method: string, route: string | null, voterId: string | null = 'v1') =>
		rateLimitKeyFor({ ...routeKey({ request: { method }, route: { id: route } }), clientAddress: '198.51.100.7', voterId });

	it('counts a HEAD as a GET', () => {
		expect(routeKey({ request: { method: 'head' }, route: { id: '/prihlaseni' } })).toEqual({ method: 'GET', route: '/prihlaseni' });
		expect(key('HEAD', '/prihlaseni')).toEqual({ bucket: 'eid-login', key: '198.51.100.7' });
		expect(key('GET', '/prihlaseni')).toEqual({ bucket: 'eid-login', key: '198.51.100.7' });
	});

	it('keys on the matched route, whatever encoding the path came in', () => {
		// '/%70rihlaseni', '/api/voter/%72equests' and '/muj-zaznam/%65mail' are these routes to SvelteKit.
		expect(key('POST', '/api/voter/requests')).toEqual({ bucket: 'submission', key: 'v1' });
		// A route id names its group: the voter's pages are /(volic)/….
		expect(key('POST', '/(volic)/muj-zaznam/email')).toEqual({ bucket: 'submission', key: 'v1' });
		expect(key('POST', '/(volic)/zadosti/[reference]/zrusit')).toEqual({ bucket: 'submission', key: 'v1' });
		expect(key('POST', '/(volic)/volicsky-prukaz/kontrola')).toEqual({ bucket: 'submission', key: 'v1' });
		expect(key('POST', '/(volic)/volicsky-prukaz/adresa')).toBeNull();
		expect(key('POST', '/volicsky-prukaz/kontrola')).toBeNull();
		expect(key('POST', '/api/voter/requests', null)).toBeNull();
		expect(key('GET', null)).toBeNull();
	});
});

describe('headWouldWrite', () => {
	it('is true for a HEAD of a GET that writes rows only', () => {
		expect(headWouldWrite('HEAD', '/prihlaseni')).toBe(true);
		expect(headWouldWrite('head', '/prihlaseni/navrat')).toBe(true);
		expect(headWouldWrite('GET', '/prihlaseni')).toBe(false);
		expect(headWouldWrite('HEAD', '/volby')).toBe(false);
		expect(headWouldWrite('HEAD', null)).toBe(false);
	});
});

describe('hiddenRoute', () => {
	const routes = ['/dev/posta', '/dev/posta/[id]', '/api/test/session', '/api/test/clock', '/api/test/access-fixture', '/api/test/envelopes'];

	it('hides every /dev and /api/test route in production', () => {
		for (const route of routes) expect(hiddenRoute(route, 'production'), route).toBe(true);
	});

	it('shows the mail catcher in development and test, the test helpers in test only', () => {
		expect(hiddenRoute('/dev/posta', 'development')).toBe(false);
		expect(hiddenRoute('/dev/posta/[id]', 'test')).toBe(false);
		expect(hiddenRoute('/api/test/session', 'test')).toBe(false);
		expect(hiddenRoute('/api/test/session', 'development')).toBe(true);
	});

	it('never hides another route', () => {
		for (const env of ['development', 'test', 'production'] as const) {
			for (const route of ['/', '/devx', '/api/testing', '/api/voter/requests', '/urad/sprava', null]) expect(hiddenRoute(route, env), `${route} ${env}`).toBe(false);
		}
	});
});

describe('crossSiteWrite', () => {
	const portal = 'https://portal.test';
	const h = (headers: Record<string, string>) => new Headers(headers);

	it('refuses a write from another origin, a null one, or a cross-site fetch', () => {
		expect(crossSiteWrite('POST', h({ origin: 'http://evil.example', 'content-type': 'application/json' }), portal)).toBe(true);
		expect(crossSiteWrite('DELETE', h({ origin: 'null' }), portal)).toBe(true);
		expect(crossSiteWrite('PUT', h({ origin: 'https://portal.test.evil.example' }), portal)).toBe(true);
		expect(crossSiteWrite('POST', h({ 'sec-fetch-site': 'cross-site' }), portal)).toBe(true);
	});

	it('lets the portal’s own writes, scripts without Origin and every read through', () => {
		expect(crossSiteWrite('POST', h({ origin: portal, 'sec-fetch-site': 'same-origin' }), portal)).toBe(false);
		expect(crossSiteWrite('POST', h({}), portal)).toBe(false);
		expect(crossSiteWrite('GET', h({ origin: 'http://evil.example' }), portal)).toBe(false);
		expect(crossSiteWrite('HEAD', h({ 'sec-fetch-site': 'cross-site' }), portal)).toBe(false);
	});
});
