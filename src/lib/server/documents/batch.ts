/**
 * The documents of a batch (issue 12): every voter card of the batch in one PDF, one card per
 * page in the batch's (the postal sheet's) order, the addressee placed for a window envelope
 * on the cards going by post, streamed a chunk of cards at a time so that memory stays flat
 * however large the batch; and the postal submission sheet (podací arch) as PDF and CSV.
 */
import { Readable } from 'node:stream';
import type { Temporal } from 'temporal-polyfill';
import { csvLine } from '../../csv';
import { fromDate } from '../clock';
import { countryName } from '../countries';
import type { DbOrTrx } from '../db/index';
import { listBatchVoterCardDocuments, type BatchItemRow, type BatchRow } from '../db/queries/batches';
import type { OfficeRow } from '../db/queries/offices';
import { formatPragueDateTime } from './format';
import { createPdf, type PdfBuilder } from './pdf';
import { voterCardDataFromRow, writeVoterCard } from './voter-card';

/** Rows read per query (keyset on the batch position). */
export const CHUNK = 500;
/** Pause writing while this much of the PDF waits for the reader (backpressure). */
const HIGH_WATER = 1 << 20;
const MM = 72 / 25.4;
/** DL/C5 window envelope, left window (ČSN EN ISO 269, DIN 5008 form B): 20 mm from the left, 50 mm from the top. */
const WINDOW = { x: 20 * MM, y: 50 * MM, width: 85 * MM };

export interface PostalAddress {
	name: string;
	line: string | null;
	postalCode: string | null;
	city: string | null;
	countryCode: string | null;
}

/** The addressee's lines as a postal operator wants them: name, street, postcode and town, country (abroad). */
export function addressLines(a: PostalAddress): string[] {
	const lines = [a.name, a.line ?? '', [a.postalCode, a.city].filter((p) => p && p.trim()).join(' ')];
	if (a.countryCode && a.countryCode.toUpperCase() !== 'CZ') lines.push(countryName(a.countryCode, 'cs').toUpperCase());
	return lines.filter((l) => l.trim() !== '');
}

async function drained(stream: Readable): Promise<void> {
	while (stream.readableLength > HIGH_WATER && !stream.destroyed) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** The PDF is handed on in parts of about this size (the last one smaller). */
export const PART_BYTES = 256 * 1024;

/**
 * Cuts a stream of chunks into parts of `size` bytes (the last one smaller), handing each on
 * as soon as it is full; never holds more than one part and one chunk.
 */
export class PartCutter {
	private buffered: Buffer[] = [];
	private length = 0;
	private seq = 0;
	total = 0;
	constructor(
		private readonly size: number,
		private readonly sink: (seq: number, bytes: Buffer) => Promise<void>
	) {}
	async push(chunk: Buffer): Promise<void> {
		this.total += chunk.length;
		let rest = chunk;
		while (this.length + rest.length >= this.size) {
			const take = this.size - this.length;
			this.buffered.push(rest.subarray(0, take));
			rest = rest.subarray(take);
			await this.flush();
		}
		if (rest.length) {
			this.buffered.push(rest);
			this.length += rest.length;
		}
	}
	async end(): Promise<void> {
		if (this.length) await this.flush();
	}
	private async flush(): Promise<void> {
		const part = Buffer.concat(this.buffered);
		this.buffered = [];
		this.length = 0;
		await this.sink(this.seq++, part);
	}
}

export interface BatchCardsInput {
	officeId: string;
	batchId: string;
	/** The date the cards print as generated (the batch's end: the same content on every render). */
	generatedAt: Temporal.Instant;
}

/**
 * The batch's voter cards as one PDF, one card per page in the batch's (the postal sheet's)
 * order, the addressee placed for a window envelope on the cards going by post. Rows are read
 * CHUNK at a time after the last position written (keyset); the PDF is handed to `sink` in
 * parts of PART_BYTES as it is written, and writing waits while the sink is behind, so memory
 * stays flat however large the batch. `progress` hears the cards written so far.
 */
export async function renderBatchVoterCards(
	db: DbOrTrx,
	input: BatchCardsInput,
	sink: (seq: number, bytes: Buffer) => Promise<void>,
	progress: (done: number) => Promise<void> = async () => {},
	options: { chunk?: number; partBytes?: number } = {}
): Promise<{ cards: number; bytes: number }> {
	const chunk = options.chunk ?? CHUNK;
	const pdf = createPdf({ title: 'Voličské průkazy', lang: 'cs', createdAt: new Date(input.generatedAt.epochMilliseconds), stream: true });
	const doc = pdf.doc as unknown as Readable;
	const cutter = new PartCutter(options.partBytes ?? PART_BYTES, sink);
	let cards = 0;
	const writing = (async () => {
		let after = 0;
		for (;;) {
			const rows = await listBatchVoterCardDocuments(db, input.officeId, input.batchId, after, chunk);
			for (const row of rows) {
				if (doc.destroyed) return;
				if (cards > 0) pdf.doc.addPage();
				if (row.delivery === 'post') {
					const lines = addressLines({
						name: `${row.given_name} ${row.family_name}`,
						line: row.delivery_address_line,
						postalCode: row.delivery_postal_code,
						city: row.delivery_city,
						countryCode: row.delivery_country_code
					});
					pdf.doc.font('portal-regular').fontSize(11).text(lines.join('\n'), WINDOW.x, WINDOW.y, { width: WINDOW.width, lineGap: 1 });
					pdf.doc.x = pdf.doc.page.margins.left;
					pdf.doc.y = WINDOW.y + 40 * MM;
				}
				writeVoterCard(pdf, voterCardDataFromRow(row, input.generatedAt), 'cs');
				cards++;
				await progress(cards);
				await drained(doc);
			}
			pdf.forgetFontLayouts();
			if (rows.length < chunk) break;
			after = rows.at(-1)!.position;
		}
		if (cards === 0) pdf.paragraph('—');
		pdf.end();
	})().catch((error: unknown) => {
		doc.destroy(error instanceof Error ? error : new Error(String(error)));
		throw error;
	});
	for await (const piece of doc) await cutter.push(piece as Buffer);
	await writing;
	await cutter.end();
	return { cards, bytes: cutter.total };
}

/**
 * The batch's voter cards as a PDF stream, rendered while read and not stored (the
 * benchmark reads it so); the portal serves the stored document of the job instead.
 */
export function streamBatchVoterCards(db: DbOrTrx, input: { officeId: string; batchId: string; now: Temporal.Instant }): ReadableStream<Uint8Array> {
	const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
	const writer = writable.getWriter();
	void renderBatchVoterCards(db, { officeId: input.officeId, batchId: input.batchId, generatedAt: input.now }, async (_seq, bytes) => {
		await writer.ready;
		await writer.write(new Uint8Array(bytes));
	})
		.then(() => writer.close())
		.catch((error: unknown) => writer.abort(error));
	return readable;
}

// --- The postal submission sheet (podací arch) ---

export interface PostalSheetHead {
	office: OfficeRow;
	batch: BatchRow;
	/** How many items the sheet lists (its totals, printed before the rows). */
	count: number;
	now: Temporal.Instant;
}

/** The sheet's rows a chunk at a time, in the batch's order. */
export type SheetChunks = AsyncIterable<readonly BatchItemRow[]>;

/** The kind of item the sheet names (Czech Post's service "R" — doporučená zásilka — to own hands for a voter card). */
export function itemType(batch: Pick<BatchRow, 'action'>): string {
	return batch.action === 'dispatch-packages' ? 'Doporučená zásilka do zahraničí' : 'Doporučené psaní – do vlastních rukou';
}

export const POSTAL_SHEET_COLUMNS = [
	'poradi',
	'podaci_cislo',
	'druh_zasilky',
	'adresat',
	'ulice',
	'psc',
	'obec',
	'zeme',
	'cislo_zadosti',
	'odesilatel',
	'odesilatel_adresa'
] as const;

function sheetCsvRow(head: Pick<PostalSheetHead, 'office' | 'batch'>, index: number, item: BatchItemRow) {
	return [
		index,
		item.recorded_number,
		itemType(head.batch),
		`${item.given_name} ${item.family_name}`,
		item.address_line,
		item.postal_code,
		item.city,
		item.country_code,
		item.reference,
		head.office.name_cs,
		head.office.address
	];
}

/** The sheet as CSV (columns: README, "Postal submission sheet"), streamed: a chunk of rows is read only when the reader wants more. */
export function streamPostalSheetCsv(head: PostalSheetHead, chunks: SheetChunks): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	const iterator = chunks[Symbol.asyncIterator]();
	let index = 0;
	return new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(encoder.encode(csvLine(POSTAL_SHEET_COLUMNS)));
		},
		async pull(controller) {
			const next = await iterator.next();
			if (next.done) return controller.close();
			controller.enqueue(encoder.encode(next.value.map((item) => csvLine(sheetCsvRow(head, ++index, item))).join('')));
		},
		async cancel() {
			await iterator.return?.();
		}
	});
}

/** Writes the sheet into `pdf`: the header with the totals, the rows chunk by chunk, the footer. */
async function writePostalSheet(pdf: PdfBuilder, head: PostalSheetHead, chunks: SheetChunks, after: () => Promise<void> = async () => {}): Promise<void> {
	const type = itemType(head.batch);
	pdf.heading('Podací arch').keyValueTable([
		['Odesílatel', `${head.office.name_cs}\n${head.office.address}`],
		['Druh zásilek', type],
		['Počet zásilek', String(head.count)],
		['Datum podání', formatPragueDateTime(head.batch.finished_at ? fromDate(head.batch.finished_at) : head.now, 'cs')]
	]);
	const { doc } = pdf;
	const left = doc.page.margins.left;
	const width = doc.page.width - left - doc.page.margins.right;
	const cols = [
		{ title: 'Č.', width: 28 },
		{ title: 'Adresát', width: width - 28 - 110 - 80 },
		{ title: 'Podací číslo', width: 110 },
		{ title: 'Žádost', width: 80 }
	];
	const row = (cells: string[], bold: boolean) => {
		doc.font(bold ? 'portal-bold' : 'portal-regular').fontSize(9.5);
		const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: cols[i]!.width - 6 }))) + 6;
		if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
		const top = doc.y;
		let x = left;
		cells.forEach((c, i) => {
			doc.text(c, x, top + 3, { width: cols[i]!.width - 6 });
			x += cols[i]!.width;
		});
		doc.moveTo(left, top + height).lineTo(left + width, top + height).lineWidth(0.5).strokeColor('#b1b4b6').stroke();
		doc.x = left;
		doc.y = top + height;
	};
	row(cols.map((c) => c.title), true);
	let index = 0;
	for await (const items of chunks) {
		for (const item of items) {
			const lines = addressLines({
				name: `${item.given_name} ${item.family_name}`,
				line: item.address_line,
				postalCode: item.postal_code,
				city: item.city,
				countryCode: item.country_code
			});
			row([String(++index), lines.join(', '), item.recorded_number ?? '', item.reference], false);
		}
		pdf.forgetFontLayouts();
		await after();
	}
	doc.moveDown(1);
	pdf.paragraph(`Celkem zásilek: ${index}`, { bold: true });
	pdf.paragraph('Převzal (pošta): ……………………………     Datum a razítko: ……………………………');
}

/** The sheet to print and hand over at the post office with the letters, as a PDF stream: rows read a chunk at a time, writing paused while the reader is behind. */
export function streamPostalSheetPdf(head: PostalSheetHead, chunks: SheetChunks): ReadableStream<Uint8Array> {
	const pdf = createPdf({ title: 'Podací arch', lang: 'cs', createdAt: new Date(head.now.epochMilliseconds), stream: true });
	const doc = pdf.doc as unknown as Readable;
	void writePostalSheet(pdf, head, chunks, () => drained(doc))
		.then(() => pdf.end())
		.catch((error: unknown) => doc.destroy(error instanceof Error ? error : new Error(String(error))));
	return Readable.toWeb(doc) as unknown as ReadableStream<Uint8Array>;
}
