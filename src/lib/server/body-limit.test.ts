import { describe, expect, it } from 'vitest';
import { MAX_JSON_BODY_BYTES } from './api/json-api';
import { bodyLimitFor, declaresTooLarge, parseBodySizeLimit } from './body-limit';

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
	it('keeps the voters’ JSON API to its small documents and leaves the rest to the server limit', () => {
		expect(bodyLimitFor('/api/voter/requests', 512 * 1024)).toBe(MAX_JSON_BODY_BYTES);
		expect(bodyLimitFor('/api/voter/requests/KH-12345678', 512 * 1024)).toBe(MAX_JSON_BODY_BYTES);
		expect(bodyLimitFor('/api/voter/requests', 1000)).toBe(1000);
		expect(bodyLimitFor('/api/voterx', 512 * 1024)).toBe(512 * 1024);
		expect(bodyLimitFor('/volicsky-prukaz/kontrola', 512 * 1024)).toBe(512 * 1024);
		expect(bodyLimitFor('/urad/administrace/import', Infinity)).toBe(Infinity);
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
