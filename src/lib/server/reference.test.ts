import { describe, expect, it } from 'vitest';
import { CROCKFORD_ALPHABET, newReference, normalizeReference, randomReferenceBody } from './reference';

describe('request references', () => {
	it('are a kind prefix and 8 Crockford base32 characters', () => {
		expect(newReference('voter-card')).toMatch(/^VP-[0-9A-HJKMNP-TV-Z]{8}$/);
		expect(newReference('special-district-registration')).toMatch(/^ZO-[0-9A-HJKMNP-TV-Z]{8}$/);
		expect(newReference('correspondence-package')).toMatch(/^KH-[0-9A-HJKMNP-TV-Z]{8}$/);
	});

	it('encode all 40 random bits', () => {
		expect(randomReferenceBody((b) => b.fill(0))).toBe('00000000');
		expect(randomReferenceBody((b) => b.fill(255))).toBe('ZZZZZZZZ');
		// 0x0842108421 = 00001 00001 00001 ... : every 5-bit group is 1
		expect(randomReferenceBody((b) => (b.set([0x08, 0x42, 0x10, 0x84, 0x21]), b))).toBe('11111111');
	});

	it('are not repeated in practice', () => {
		const seen = new Set(Array.from({ length: 5000 }, () => newReference('voter-card')));
		expect(seen.size).toBe(5000);
	});

	it('never contain the ambiguous letters I, L, O, U', () => {
		expect(CROCKFORD_ALPHABET).not.toMatch(/[ILOU]/);
	});

	it('are read back forgivingly', () => {
		expect(normalizeReference('vp-7k3m9qxd')).toBe('VP-7K3M9QXD');
		expect(normalizeReference(' VP 7K3M 9QXD ')).toBe('VP-7K3M9QXD');
		expect(normalizeReference('VP7K3M9QXD')).toBe('VP-7K3M9QXD');
		// Crockford: O reads as 0, I and L as 1 — but not in the prefix ZO
		expect(normalizeReference('zo-OIL00000')).toBe('ZO-01100000');
	});

	it('refuse what cannot be a reference', () => {
		expect(normalizeReference('')).toBeNull();
		expect(normalizeReference('XX-7K3M9QXD')).toBeNull();
		expect(normalizeReference('VP-7K3M9QX')).toBeNull();
		expect(normalizeReference('VP-7K3M9QXU')).toBeNull();
		expect(normalizeReference('../../etc')).toBeNull();
	});
});
