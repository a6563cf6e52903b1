import { describe, expect, it } from 'vitest';
import { BarcodeError, barcodePng } from './barcode';

function pngSize(png: Buffer): { width: number; height: number } {
	expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
	expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
	return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('barcodePng', () => {
	it('draws a Code 128 PNG whose width grows with the text', async () => {
		const short = pngSize(await barcodePng('ZU-1'));
		const long = pngSize(await barcodePng('ZU-1234567890-ABCDEFGH'));
		expect(short.width).toBeGreaterThan(0);
		expect(short.height).toBeGreaterThan(0);
		expect(long.width).toBeGreaterThan(short.width);
	});

	it('is deterministic, so a reprinted label is identical', async () => {
		expect((await barcodePng('ZU-ABC-123456')).equals(await barcodePng('ZU-ABC-123456'))).toBe(true);
		expect((await barcodePng('ZU-ABC-123456')).equals(await barcodePng('ZU-ABC-123457'))).toBe(false);
	});

	it('refuses text that Code 128 cannot carry', async () => {
		await expect(barcodePng('Dvořák')).rejects.toBeInstanceOf(BarcodeError);
		await expect(barcodePng('')).rejects.toBeInstanceOf(BarcodeError);
	});
});
