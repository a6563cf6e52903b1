import { describe, expect, it } from 'vitest';
import { PartCutter } from './batch';
import { createPdf } from './pdf';

async function cut(chunks: number[], size: number) {
	const parts: { seq: number; bytes: Buffer }[] = [];
	const cutter = new PartCutter(size, async (seq, bytes) => void parts.push({ seq, bytes: Buffer.from(bytes) }));
	let n = 0;
	for (const length of chunks) await cutter.push(Buffer.from(Array.from({ length }, () => n++ % 256)));
	await cutter.end();
	return { parts, total: cutter.total, all: Buffer.concat(parts.map((p) => p.bytes)) };
}

describe('PartCutter: the PDF stream cut into stored parts', () => {
	it('hands on full parts in order and the rest at the end, the bytes unchanged', async () => {
		const { parts, total, all } = await cut([3, 10, 1, 7], 4);
		expect(parts.map((p) => p.seq)).toEqual([0, 1, 2, 3, 4, 5]);
		expect(parts.map((p) => p.bytes.length)).toEqual([4, 4, 4, 4, 4, 1]);
		expect(total).toBe(21);
		expect([...all]).toEqual(Array.from({ length: 21 }, (_, i) => i));
	});

	it('a chunk larger than several parts, an exact fit, nothing at all', async () => {
		expect((await cut([9], 3)).parts.map((p) => p.bytes.length)).toEqual([3, 3, 3]);
		expect((await cut([2, 2], 4)).parts.map((p) => p.bytes.length)).toEqual([4]);
		expect((await cut([], 4)).parts).toEqual([]);
	});
});

describe("a long PDF forgets pdfkit's word layouts after each chunk", () => {
	it('the layouts kept so far are dropped, and writing goes on', async () => {
		const pdf = createPdf({ title: 'Test', lang: 'cs', stream: true });
		const bytes: Buffer[] = [];
		pdf.doc.on('data', (chunk: Buffer) => bytes.push(chunk));
		const ended = new Promise((resolve) => pdf.doc.on('end', resolve));
		pdf.doc.addPage();
		pdf.paragraph('Jana Nováková, Benchmarková 1, 110 00 Praha');
		// pdfkit's cache is where this reaches in: an upgrade that moves it fails here.
		expect(pdf.forgetFontLayouts()).toBeGreaterThan(3);
		expect(pdf.forgetFontLayouts()).toBe(0);
		pdf.paragraph('Petr Novák');
		pdf.end();
		await ended;
		expect(Buffer.concat(bytes).subarray(0, 5).toString()).toBe('%PDF-');
	});
});
