import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { returnPath, returnPathname } from './return-path';

const ORIGIN = 'https://volby.example.cz';

describe('returnPath', () => {
	it('keeps same-site paths with their query, dropping the fragment', () => {
		expect(returnPath('/zadosti/1?krok=2', null)).toBe('/zadosti/1?krok=2');
		expect(returnPath('/', '/x')).toBe('/');
		expect(returnPath('/volby#obsah', null)).toBe('/volby');
		// A query may carry encoded slashes: a login page's own `zpet`.
		expect(returnPath('/urad/prihlaseni?zpet=%2Furad%2Fsprava', null)).toBe('/urad/prihlaseni?zpet=%2Furad%2Fsprava');
		expect(returnPathname('/urad/sprava?x=1')).toBe('/urad/sprava');
	});

	it('falls back on anything that could leave the portal or split a header', () => {
		const bad = [
			'https://evil.example/',
			'//evil.example/',
			'/\\evil.example',
			'\\\\evil.example',
			'/\t/evil.example/x',
			'/\t\t/evil.example/x',
			'/\r\nSet-Cookie:x=1',
			'/\u0085x',
			'/%2Fevil.example',
			'/%2fevil.example',
			'/%5Cevil.example',
			'/a//b',
			'javascript:alert(1)',
			'zadosti',
			' /zadosti',
			'',
			null,
			undefined,
			42,
			`/${'x'.repeat(600)}`
		];
		for (const value of bad) expect(returnPath(value, '/vychozi'), JSON.stringify(value)).toBe('/vychozi');
	});

	// The pieces an attacker combines: slashes, backslashes, tabs, CR/LF, encoded slashes, schemes, hosts.
	const piece = fc.constantFrom(
		'/', '//', '\\', '\t', '\r', '\n', '\r\n', '\u0000', '\u0085', '\u2028', ' ', '%2F', '%2f', '%5C', '%5c', '%09', '%0d%0a', '%252F',
		'http:', 'https:', 'javascript:', 'data:', ':', '@', '.', '..', '?', '#', '&', '=', 'evil.example', 'portal.invalid', 'urad', 'a', 'ü', '％２Ｆ', '／'
	);
	const hostile = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));

	it('never resolves to another origin, whatever it is given (fast-check)', () => {
		fc.assert(
			fc.property(fc.oneof(hostile, fc.string({ maxLength: 40 }), fc.webUrl()), (value) => {
				const kept = returnPath(value, null);
				if (kept === null) return;
				// As the browser reads the Location header: against the portal, and against any other page.
				expect(new URL(kept, ORIGIN).origin).toBe(ORIGIN);
				expect(new URL(kept, 'http://elsewhere.test/a/b').origin).toBe('http://elsewhere.test');
				expect(kept.startsWith('/')).toBe(true);
				expect(kept.startsWith('//')).toBe(false);
				expect(kept).not.toMatch(/[\u0000-\u001f\u007f-\u009f\\]/);
			}),
			{ numRuns: 5000 }
		);
	});

	it('keeps what the language switch sends for an ordinary page (fast-check)', () => {
		const segment = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
		fc.assert(
			fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.option(fc.stringMatching(/^[a-z]{1,6}=[a-z0-9%]{0,8}$/)), (segments, query) => {
				const path = `/${segments.join('/')}${query ? `?${query}` : ''}`;
				expect(returnPath(path, null)).toBe(new URL(path, ORIGIN).pathname + new URL(path, ORIGIN).search);
			})
		);
	});
});
