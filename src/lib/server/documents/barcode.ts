import bwipjs from 'bwip-js/node';

export class BarcodeError extends Error {}

/** Code 128 encodes printable ASCII; the envelope codes are short opaque strings of it. */
const CODE128_TEXT = /^[\x20-\x7e]{1,80}$/;

/**
 * A Code 128 barcode as a PNG, with the text printed beneath it: for the labels of return
 * envelopes (§57b(4)), which an embassy scans on arrival (§57c(3)).
 */
export async function barcodePng(text: string, options: { scale?: number; heightMm?: number } = {}): Promise<Buffer> {
	if (!CODE128_TEXT.test(text)) throw new BarcodeError('A Code 128 barcode takes 1–80 printable ASCII characters.');
	return bwipjs.toBuffer({
		bcid: 'code128',
		text,
		scale: options.scale ?? 3,
		height: options.heightMm ?? 12,
		includetext: true,
		textxalign: 'center',
		paddingwidth: 4,
		paddingheight: 2,
		backgroundcolor: 'FFFFFF'
	});
}
