import PDFDocument from 'pdfkit';
import { m } from '../../paraglide/messages.js';
import { pdfFonts } from './fonts';

export type DocumentLocale = 'cs' | 'en';

export interface PdfOptions {
	/** The document's title: its metadata and the first heading's usual text. */
	title: string;
	lang: DocumentLocale;
	/** Fixes the creation date in the metadata (tests, reproducible output). */
	createdAt?: Date;
	/**
	 * A document of a rehearsal election (issue 14): "NEPLATNÉ — ZKOUŠKA" across every page
	 * and in the title, so that no printout of a rehearsal can pass for a real document.
	 */
	rehearsal?: boolean;
	/**
	 * Issue 12: a long document (a batch's voter cards) is read from `doc` as a stream while it
	 * is written, so memory stays flat: pages are not buffered, so no "page X of Y" footers;
	 * a rehearsal's watermark is drawn as each page starts. Finish with `end()`.
	 */
	stream?: boolean;
}

/** The watermark of every page of a rehearsal's document, in both languages' reader's sight. */
export const REHEARSAL_WATERMARK = 'NEPLATNÉ — ZKOUŠKA';

const REGULAR = 'portal-regular';
const BOLD = 'portal-bold';

const COLOUR_TEXT = '#0b0c0c';
const COLOUR_MUTED = '#505a5f';
const COLOUR_RULE = '#b1b4b6';
const COLOUR_BRAND = '#2362a2';

const MARGIN = 56; // ~2 cm
const HEADER_HEIGHT = 34;

/**
 * An A4 document with the portal's header on every page and page numbers in the footer.
 * Write with the helpers, then `toBuffer()` once.
 */
export class PdfBuilder {
	readonly doc: PDFKit.PDFDocument;
	readonly lang: DocumentLocale;
	private readonly chunks: Buffer[] = [];
	private readonly done: Promise<Buffer> | null;
	private readonly rehearsal: boolean;
	private readonly streaming: boolean;

	constructor(options: PdfOptions) {
		this.lang = options.lang;
		this.rehearsal = options.rehearsal === true;
		this.streaming = options.stream === true;
		const fonts = pdfFonts();
		this.doc = new PDFDocument({
			size: 'A4',
			margins: { top: MARGIN + HEADER_HEIGHT, bottom: MARGIN, left: MARGIN, right: MARGIN },
			bufferPages: !this.streaming,
			autoFirstPage: false,
			lang: options.lang === 'en' ? 'en-GB' : 'cs-CZ',
			displayTitle: true,
			pdfVersion: '1.7',
			info: {
				Title: options.rehearsal ? `${REHEARSAL_WATERMARK}: ${options.title}` : options.title,
				Author: m.doc_portal_name({}, { locale: options.lang }),
				Creator: m.doc_portal_name({}, { locale: options.lang }),
				CreationDate: options.createdAt ?? new Date()
			}
		});
		this.doc.registerFont(REGULAR, fonts.regular);
		this.doc.registerFont(BOLD, fonts.bold);
		this.done = this.streaming
			? null
			: new Promise((resolve, reject) => {
					this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
					this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
					this.doc.on('error', reject);
				});
		this.doc.on('pageAdded', () => {
			this.drawHeader();
			if (this.streaming && this.rehearsal) this.drawWatermark();
		});
		this.doc.addPage();
	}

	private get contentWidth(): number {
		return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
	}

	private drawHeader(): void {
		const { doc } = this;
		const top = MARGIN - 14;
		const left = doc.page.margins.left;
		doc.save();
		doc.rect(left, top, 4, 22).fill(COLOUR_BRAND);
		doc.fillColor(COLOUR_TEXT).font(BOLD).fontSize(12).text(m.doc_portal_name({}, { locale: this.lang }), left + 12, top, {
			lineBreak: false
		});
		doc.font(REGULAR).fontSize(8.5).fillColor(COLOUR_MUTED).text(m.doc_state_name({}, { locale: this.lang }), left + 12, top + 14, {
			lineBreak: false
		});
		doc.moveTo(left, top + 28).lineTo(left + this.contentWidth, top + 28).lineWidth(0.5).strokeColor(COLOUR_RULE).stroke();
		doc.restore();
		doc.x = left;
		doc.y = doc.page.margins.top;
		doc.font(REGULAR).fontSize(11).fillColor(COLOUR_TEXT);
	}

	/** Starts a new page when fewer than `height` points are left on this one. */
	private ensureSpace(height: number): void {
		const bottom = this.doc.page.height - this.doc.page.margins.bottom;
		if (this.doc.y + height > bottom) this.doc.addPage();
	}

	heading(text: string, level: 1 | 2 = 1): this {
		const size = level === 1 ? 20 : 14;
		this.doc.font(BOLD).fontSize(size);
		this.ensureSpace(this.doc.heightOfString(text, { width: this.contentWidth }) + 24);
		if (level === 2) this.doc.moveDown(0.6);
		this.doc.fillColor(COLOUR_TEXT).text(text, this.doc.page.margins.left, this.doc.y, { width: this.contentWidth });
		this.doc.moveDown(level === 1 ? 0.6 : 0.3);
		this.doc.font(REGULAR).fontSize(11);
		return this;
	}

	paragraph(text: string, options: { muted?: boolean; bold?: boolean; size?: number } = {}): this {
		this.doc.font(options.bold ? BOLD : REGULAR).fontSize(options.size ?? 11);
		this.ensureSpace(Math.min(this.doc.heightOfString(text, { width: this.contentWidth }), 60));
		this.doc
			.fillColor(options.muted ? COLOUR_MUTED : COLOUR_TEXT)
			.text(text, this.doc.page.margins.left, this.doc.y, { width: this.contentWidth, lineGap: 2 });
		this.doc.moveDown(0.6);
		this.doc.font(REGULAR).fontSize(11).fillColor(COLOUR_TEXT);
		return this;
	}

	/** Label–value rows, the label in bold on the left, separated by thin rules. */
	keyValueTable(rows: readonly (readonly [label: string, value: string])[]): this {
		const { doc } = this;
		const left = doc.page.margins.left;
		const labelWidth = Math.round(this.contentWidth * 0.36);
		const gap = 12;
		const valueWidth = this.contentWidth - labelWidth - gap;
		const padding = 5;
		doc.fontSize(10.5);
		for (const [label, value] of rows) {
			doc.font(BOLD);
			const labelHeight = doc.heightOfString(label, { width: labelWidth });
			doc.font(REGULAR);
			const valueHeight = doc.heightOfString(value, { width: valueWidth });
			const rowHeight = Math.max(labelHeight, valueHeight) + 2 * padding;
			this.ensureSpace(rowHeight);
			const top = doc.y;
			doc.font(BOLD).fillColor(COLOUR_TEXT).text(label, left, top + padding, { width: labelWidth });
			doc.font(REGULAR).text(value, left + labelWidth + gap, top + padding, { width: valueWidth });
			const bottom = top + rowHeight;
			doc.moveTo(left, bottom).lineTo(left + this.contentWidth, bottom).lineWidth(0.5).strokeColor(COLOUR_RULE).stroke();
			doc.x = left;
			doc.y = bottom;
		}
		doc.moveDown(0.8);
		doc.font(REGULAR).fontSize(11);
		return this;
	}

	/** A PNG (e.g. a barcode) at the current position, `width` points wide. */
	image(png: Buffer, width: number): this {
		// The PNG's own size, from its IHDR chunk, keeps the aspect ratio.
		const height = (png.readUInt32BE(20) / png.readUInt32BE(16)) * width;
		this.ensureSpace(height + 8);
		this.doc.image(png, this.doc.page.margins.left, this.doc.y, { width, height });
		this.doc.y += height + 8;
		return this;
	}

	/** Runs `draw` on every buffered page, allowed to write into the bottom margin. */
	private onEveryPage(draw: (index: number, count: number) => void): void {
		const { doc } = this;
		const range = doc.bufferedPageRange();
		for (let i = range.start; i < range.start + range.count; i++) {
			doc.switchToPage(i);
			const bottomMargin = doc.page.margins.bottom;
			// Writing inside the bottom margin would otherwise make pdfkit start a new page.
			doc.page.margins.bottom = 0;
			draw(i, range.count);
			doc.page.margins.bottom = bottomMargin;
		}
	}

	private drawFooters(): void {
		const { doc } = this;
		this.onEveryPage((i, count) => {
			const y = doc.page.height - MARGIN + 18;
			const text = m.doc_page_of({ page: i + 1, pages: count }, { locale: this.lang });
			doc.font(REGULAR).fontSize(8.5).fillColor(COLOUR_MUTED);
			doc.text(text, doc.page.margins.left, y, { width: this.contentWidth, align: 'right', lineBreak: false });
		});
	}

	/** Issue 14: the watermark diagonally across every page, over the content, translucent. */
	private drawWatermarks(): void {
		const { doc } = this;
		this.onEveryPage(() => this.drawWatermark());
	}

	private drawWatermark(): void {
		const { doc } = this;
		const { width, height } = doc.page;
		const { x, y } = doc;
		const bottomMargin = doc.page.margins.bottom;
		doc.page.margins.bottom = 0;
		doc.save();
		doc.rotate(-50, { origin: [width / 2, height / 2] });
		doc.font(BOLD).fontSize(64).fillColor('#d4351c').fillOpacity(0.18);
		doc.text(REHEARSAL_WATERMARK, 0, height / 2 - 32, { width, align: 'center', lineBreak: false });
		doc.restore();
		doc.page.margins.bottom = bottomMargin;
		doc.x = x;
		doc.y = y;
		doc.font(REGULAR).fontSize(11).fillColor(COLOUR_TEXT).fillOpacity(1);
	}

	/**
	 * pdfkit keeps the glyph layout of every distinct word set in a font (its layout cache) for
	 * the document's life: in a long document (a batch's cards and sheet: names, addresses,
	 * references) that grows with the batch (issue 12). A long document forgets them after each
	 * chunk of rows, so memory stays flat; turning the cache off instead (fontLayoutCache: false)
	 * made the cards' PDF about five times slower. Returns how many layouts were forgotten.
	 */
	forgetFontLayouts(): number {
		const families = (this.doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: Record<string, unknown> }> })._fontFamilies ?? {};
		let forgotten = 0;
		for (const font of new Set(Object.values(families))) {
			if (!font.layoutCache) continue;
			forgotten += Object.keys(font.layoutCache).length;
			font.layoutCache = Object.create(null) as Record<string, unknown>;
		}
		return forgotten;
	}

	/** A streamed document's end: the rest of `doc` is emitted. */
	end(): void {
		this.doc.end();
	}

	/** Finishes the document: page numbers (and a rehearsal's watermark) on every page, then the bytes. */
	toBuffer(): Promise<Buffer> {
		if (!this.done) throw new Error('A streamed PDF is read from doc, not toBuffer()');
		if (this.rehearsal) this.drawWatermarks();
		this.drawFooters();
		this.doc.end();
		return this.done;
	}
}

export function createPdf(options: PdfOptions): PdfBuilder {
	return new PdfBuilder(options);
}
