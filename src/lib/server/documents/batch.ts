/**
 * The documents of a batch (issue 12): every voter card of the batch in one PDF, one card per
 * page in the batch's (the postal sheet's) order, the addressee placed for a window envelope
 * on the cards going by post, streamed a chunk of cards at a time so that memory stays flat
 * however large the batch; and the postal submission sheet (podací arch) as PDF and CSV.
 */
import { Readable } from 'node:stream';
import type { Temporal } from 'temporal-polyfill';
import { csvDocument } from '../../csv';
import { fromDate } from '../clock';
import { countryName } from '../countries';
import type { DbOrTrx } from '../db/index';
import { listBatchVoterCardDocuments, type BatchItemRow, type BatchRow } from '../db/queries/batches';
import type { OfficeRow } from '../db/queries/offices';
import { formatPragueDateTime } from './format';
import { createPdf } from './pdf';
import { voterCardDataFromRow, writeVoterCard } from './voter-card';

const CHUNK = 100;
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

/**
 * The batch's voter cards as a PDF stream. Rows are read CHUNK at a time after the last
 * position written; writing waits while the reader is behind.
 */
export function streamBatchVoterCards(db: DbOrTrx, input: { officeId: string; batchId: string; now: Temporal.Instant }): ReadableStream<Uint8Array> {
	const pdf = createPdf({ title: 'Voličské průkazy', lang: 'cs', createdAt: new Date(input.now.epochMilliseconds), stream: true });
	const doc = pdf.doc as unknown as Readable;
	void (async () => {
		try {
			let after = 0;
			let first = true;
			for (;;) {
				const rows = await listBatchVoterCardDocuments(db, input.officeId, input.batchId, after, CHUNK);
				for (const row of rows) {
					// The reader went away (a cancelled download): stop reading and rendering.
					if (doc.destroyed) return;
					if (!first) pdf.doc.addPage();
					first = false;
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
					writeVoterCard(pdf, voterCardDataFromRow(row, input.now), 'cs');
					await drained(doc);
				}
				if (rows.length < CHUNK) break;
				after = rows.at(-1)!.position;
			}
			if (first) pdf.paragraph('—');
			pdf.end();
		} catch (error) {
			doc.destroy(error instanceof Error ? error : new Error(String(error)));
		}
	})();
	return Readable.toWeb(doc) as unknown as ReadableStream<Uint8Array>;
}

// --- The postal submission sheet (podací arch) ---

export interface PostalSheet {
	office: OfficeRow;
	batch: BatchRow;
	/** The dispatched items, in the batch's order, each with its recorded number. */
	items: BatchItemRow[];
	now: Temporal.Instant;
}

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

/** The sheet as CSV (columns: README, "Postal submission sheet"). */
export function postalSheetCsv(sheet: PostalSheet): string {
	const type = itemType(sheet.batch);
	return csvDocument([
		POSTAL_SHEET_COLUMNS,
		...sheet.items.map((item, i) => [
			i + 1,
			item.recorded_number,
			type,
			`${item.given_name} ${item.family_name}`,
			item.address_line,
			item.postal_code,
			item.city,
			item.country_code,
			item.reference,
			sheet.office.name_cs,
			sheet.office.address
		])
	]);
}

/** The sheet to print and hand over at the post office with the letters. */
export async function postalSheetPdf(sheet: PostalSheet): Promise<Buffer> {
	const pdf = createPdf({ title: 'Podací arch', lang: 'cs', createdAt: new Date(sheet.now.epochMilliseconds) });
	const type = itemType(sheet.batch);
	pdf.heading('Podací arch').keyValueTable([
		['Odesílatel', `${sheet.office.name_cs}\n${sheet.office.address}`],
		['Druh zásilek', type],
		['Počet zásilek', String(sheet.items.length)],
		['Datum podání', formatPragueDateTime(sheet.batch.finished_at ? fromDate(sheet.batch.finished_at) : sheet.now, 'cs')]
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
	for (const [i, item] of sheet.items.entries()) {
		const lines = addressLines({
			name: `${item.given_name} ${item.family_name}`,
			line: item.address_line,
			postalCode: item.postal_code,
			city: item.city,
			countryCode: item.country_code
		});
		row([String(i + 1), lines.join(', '), item.recorded_number ?? '', item.reference], false);
	}
	doc.moveDown(1);
	pdf.paragraph(`Celkem zásilek: ${sheet.items.length}`, { bold: true });
	pdf.paragraph('Převzal (pošta): ……………………………     Datum a razítko: ……………………………');
	return pdf.toBuffer();
}
