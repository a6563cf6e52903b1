import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { GATE_VERDICT } from '$lib/server/admission-handle';
import { clientAddressOf, frontRequest } from './results-front';

const ID = '0b5a3c1e-93f4-4b7e-9a51-5a0f5b1f2c3d';

function req(url: string, options: { method?: string; headers?: Record<string, string>; remote?: string; refused?: boolean } = {}): IncomingMessage {
	const r = { method: options.method ?? 'GET', url, headers: options.headers ?? {}, socket: { remoteAddress: options.remote ?? '127.0.0.1' } } as unknown as IncomingMessage;
	if (options.refused) (r as unknown as Record<symbol, unknown>)[GATE_VERDICT] = { admitted: false, retryAfterSeconds: 5 };
	return r;
}

describe('the results feed front: which requests it takes', () => {
	it('takes a plain GET or HEAD of a feed file, with its conditional and authorization headers', () => {
		const taken = frontRequest(req(`/api/open-data/results/${ID}/vysledky_zahranici.xml`, { headers: { 'if-none-match': '"abc"', authorization: 'Bearer x' } }), false);
		expect(taken).toMatchObject({ electionId: ID, file: 'vysledky_zahranici.xml', test: false, ifNoneMatch: '"abc"', ifModifiedSince: null, authorization: 'Bearer x' });
		expect(taken?.clientAddress()).toBe('127.0.0.1');
		expect(frontRequest(req(`/api/open-data/results/${ID}/manifest.json?test=1`, { method: 'HEAD' }), false)).toMatchObject({ file: 'manifest.json', test: true });
	});

	it('leaves everything else to SvelteKit', () => {
		const others = [
			req(`/api/open-data/results/${ID}/vysledky_zahranici.xml`, { method: 'POST' }),
			req(`/api/open-data/results/${ID}/vysledky_zahranici.xml?test=1&x=1`),
			req(`/api/open-data/results/${ID}/vysledky_zahranici.xml?format=xml`),
			req(`/api/open-data/results/${ID}/other.xml`),
			req(`/api/open-data/results/${ID}/vysledky%5Fzahranici.xml`),
			req(`/api/open-data/results/${ID}/vysledky_zahranici.xml/`),
			req(`/api/open-data/elections/${ID}.json`),
			req(`/api/open-data/results/${ID}/vysledky_zahranici.xml`, { refused: true })
		];
		for (const r of others) expect(frontRequest(r, false), r.url).toBeNull();
	});

	it('leaves a test clock to SvelteKit under APP_ENV=test only', () => {
		const r = req(`/api/open-data/results/${ID}/vysledky_zahranici.json`, { headers: { 'x-test-now': '2027-01-01T00:00:00Z' } });
		expect(frontRequest(r, true)).toBeNull();
		expect(frontRequest(r, false)).not.toBeNull();
	});
});

describe('the client address, as adapter-node reads it', () => {
	it('is the peer without ADDRESS_HEADER', () => {
		expect(clientAddressOf(req('/', { remote: '::1' }), {})).toBe('::1');
	});
	it('is the XFF_DEPTH-th address from the right of X-Forwarded-For', () => {
		const r = req('/', { headers: { 'x-forwarded-for': '203.0.113.9, 198.51.100.2, 10.0.0.1' } });
		expect(clientAddressOf(r, { ADDRESS_HEADER: 'X-Forwarded-For', XFF_DEPTH: '1' })).toBe('10.0.0.1');
		expect(clientAddressOf(r, { ADDRESS_HEADER: 'X-Forwarded-For', XFF_DEPTH: '3' })).toBe('203.0.113.9');
		// adapter-node throws for these: the request goes on to SvelteKit, which answers as the route does.
		expect(clientAddressOf(r, { ADDRESS_HEADER: 'X-Forwarded-For', XFF_DEPTH: '4' })).toBeNull();
		expect(clientAddressOf(req('/'), { ADDRESS_HEADER: 'X-Forwarded-For' })).toBeNull();
	});
	it('is another header as it is', () => {
		expect(clientAddressOf(req('/', { headers: { 'x-real-ip': '198.51.100.7' } }), { ADDRESS_HEADER: 'X-Real-IP' })).toBe('198.51.100.7');
	});
});
