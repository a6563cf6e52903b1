import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_BODY_BYTES } from './api/json-api';
import { bodyLimitFor, declaresTooLarge, limitBody, parseBodySizeLimit, ROUTE_BODY_LIMIT, VOTER_IMPORT_ROUTE } from './body-limit';

describe('parseBodySizeLimit', () => {
	it('reads BODY_SIZE_LIMIT like adapter-node, 512K when unset', () => {
		expect(parseBodySizeLimit(undefined)).toBe(512 * 1024);
		expect(parseBodySizeLimit('')).toBe(512 * 1024);
		expect(parseBodySizeLimit('1000')).toBe(1000);
		expect(parseBodySizeLimit('64k')).toBe(64 * 1024);
		expect(parseBodySizeLimit('200M')).toBe(200 * 1024 * 1024);
		expect(parseBodySizeLimit('1G')).toBe(1024 ** 3);
		expect(parseBodySizeLimit('Infinity')).toBe(Infinity);
	});

	it('is NaN for a value that is not a size', () => {
		expect(parseBodySizeLimit('lots')).toBeNaN();
		expect(parseBodySizeLimit('M')).toBeNaN();
	});
});

describe('bodyLimitFor', () => {
	const big = 200 * 1024 * 1024;

	it('gives every route 512 KiB and the voters’ JSON API its small documents, never more than the server takes', () => {
		expect(bodyLimitFor('/api/voter/requests', false, big)).toBe(MAX_JSON_BODY_BYTES);
		expect(bodyLimitFor('/api/voter/requests/[reference]', false, big)).toBe(MAX_JSON_BODY_BYTES);
		expect(bodyLimitFor('/api/voter/requests', false, 1000)).toBe(1000);
		expect(bodyLimitFor('/urad/prihlaseni', false, big)).toBe(ROUTE_BODY_LIMIT);
		expect(bodyLimitFor('/(volic)/volicsky-prukaz/kontrola', true, big)).toBe(ROUTE_BODY_LIMIT);
		expect(bodyLimitFor(null, true, big)).toBe(ROUTE_BODY_LIMIT);
		expect(bodyLimitFor('/urad/prihlaseni', false, 1000)).toBe(1000);
	});

	it('gives the large limit to the voter-list import only, and only to an administrator past the second factor', () => {
		expect(bodyLimitFor(VOTER_IMPORT_ROUTE, true, big)).toBe(big);
		expect(bodyLimitFor(VOTER_IMPORT_ROUTE, false, big)).toBe(ROUTE_BODY_LIMIT);
		expect(bodyLimitFor(`${VOTER_IMPORT_ROUTE}/[id]`, true, big)).toBe(ROUTE_BODY_LIMIT);
	});
});

describe('limitBody', () => {
	const chunked = (chunks: number, size: number) =>
		new Request('http://portal.test/x', {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new ReadableStream<Uint8Array>({
				start(c) {
					for (let i = 0; i < chunks; i++) c.enqueue(new Uint8Array(size).fill(0x61));
					c.close();
				}
			}),
			duplex: 'half'
		} as RequestInit);

	it('lets a body within the limit through whole', async () => {
		expect((await limitBody(chunked(4, 100), 400).text()).length).toBe(400);
	});

	it('ends a body without a length past the limit with SvelteKit’s 413, before the rest is handed on', async () => {
		const thrown = await limitBody(chunked(10, 100), 350)
			.formData()
			.then(() => null, (e: unknown) => e);
		expect(isHttpError(thrown, 413)).toBe(true);
	});

	it('leaves a request with a declared length as it is (bodySize compared it)', () => {
		const request = new Request('http://portal.test/x', { method: 'POST', headers: { 'content-length': '3' }, body: 'a=1' });
		expect(limitBody(request, 1)).toBe(request);
	});
});

describe('declaresTooLarge', () => {
	const headers = (length?: string) => new Headers(length === undefined ? {} : { 'content-length': length });

	it('is true only for a declared length over the limit', () => {
		expect(declaresTooLarge(headers('1025'), 1024)).toBe(true);
		expect(declaresTooLarge(headers('1024'), 1024)).toBe(false);
		expect(declaresTooLarge(headers('0'), 1024)).toBe(false);
		expect(declaresTooLarge(headers('99999999999'), Infinity)).toBe(false);
	});

	it('leaves a body without a usable length to be counted as it arrives', () => {
		expect(declaresTooLarge(headers(), 1024)).toBe(false);
		expect(declaresTooLarge(headers('-5'), 1)).toBe(false);
		expect(declaresTooLarge(headers('1e9'), 1)).toBe(false);
	});
});
