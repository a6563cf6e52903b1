/**
 * The printed part of a correspondence package (§57b): the ID slip (§57b(3)), the label of
 * the return envelope with its barcode (§57b(4)) and the instruction sheet (§57c(1)). One
 * package is three A4 pages; a batch is the packages one after another, in ID-slip order.
 *
 * The envelope code is opaque (src/lib/domain/envelopes.ts): the label says nothing about the
 * voter; only the ID slip inside the envelope does.
 */
import type { Temporal } from 'temporal-polyfill';
import { PRAGUE } from '../../domain';
import { formatEnvelopeCode } from '../../domain/envelopes';
import { m } from '../../paraglide/messages.js';
import { barcodePng } from './barcode';
import { formatCalendarDate, formatPragueDateTime } from './format';
import { createPdf, type DocumentLocale, type PdfBuilder } from './pdf';

export interface PackageDocumentData {
	idSlipNumber: number;
	/** Canonical envelope code, 12 symbols (printed in groups of four). */
	envelopeCode: string;
	embassy: { nameCs: string; nameEn: string; address: string; specialDistrictNumber: number };
	election: {
		titleCs: string;
		titleEn: string;
		round: 1 | 2;
		roundCount: number;
		/** D and the last day of voting in Czechia, YYYY-MM-DD (§2(2)). */
		firstDay: string;
		lastDay: string;
		/** A rehearsal's package carries the watermark on every page (issue 14). */
		rehearsal?: boolean;
	};
	voter: { givenName: string; familyName: string; birthDate: string; addressAbroad: string };
	/** The official who issued the package (§57b(3)). */
	issuedBy: string;
	issuedAt: Temporal.Instant;
	/** §57c(4): the close of voting in the special district, in the embassy's zone; null when not configured. */
	returnBy: Temporal.ZonedDateTime | null;
	/** Where the voter prints the ballot from (§57c(1)). */
	ballotsUrl: string;
	/**
	 * The language the voter filed the request in (request.locale): the instructions sheet is
	 * for the voter to read, so it is printed in their language, whatever the language of the
	 * rest (the ID slip and the label are the embassy's and the commission's). Czech when absent.
	 */
	instructionsLocale?: DocumentLocale;
}

/** The ID slip's rows (§57b(3)), in reading order; exported for the tests. */
export function idSlipRows(data: PackageDocumentData, locale: DocumentLocale): [string, string][] {
	const t = { locale };
	const rows: [string, string][] = [
		[m.pkg_doc_label_slip_number({}, t), String(data.idSlipNumber)],
		[m.pkg_doc_label_embassy({}, t), `${locale === 'en' ? data.embassy.nameEn : data.embassy.nameCs}\n${data.embassy.address}`],
		[m.pkg_doc_label_district({}, t), String(data.embassy.specialDistrictNumber)],
		[m.pkg_doc_label_election({}, t), locale === 'en' ? data.election.titleEn : data.election.titleCs]
	];
	if (data.election.roundCount > 1) rows.push([m.doc_label_round({}, t), m.doc_round({ round: data.election.round }, t)]);
	rows.push([m.pkg_doc_label_election_days({}, t), electionDays(data, locale)]);
	rows.push([m.pkg_doc_label_voter_name({}, t), `${data.voter.givenName} ${data.voter.familyName}`]);
	rows.push([m.doc_label_birth_date({}, t), formatCalendarDate(data.voter.birthDate, locale)]);
	rows.push([m.pkg_doc_label_address_abroad({}, t), data.voter.addressAbroad]);
	return rows;
}

function electionDays(data: PackageDocumentData, locale: DocumentLocale): string {
	return m.pkg_doc_election_days(
		{ first: formatCalendarDate(data.election.firstDay, locale), last: formatCalendarDate(data.election.lastDay, locale) },
		{ locale }
	);
}

function electionLine(data: PackageDocumentData, locale: DocumentLocale): string {
	const title = locale === 'en' ? data.election.titleEn : data.election.titleCs;
	return data.election.roundCount > 1 ? `${title} – ${m.doc_round({ round: data.election.round }, { locale })}` : title;
}

/** A line to sign or write on, with its caption beneath, at the current position. */
function signatureLine(pdf: PdfBuilder, caption: string, width = 220): void {
	const { doc } = pdf;
	const left = doc.page.margins.left;
	const y = doc.y + 28;
	doc.save();
	doc.moveTo(left, y).lineTo(left + width, y).lineWidth(0.75).strokeColor('#0b0c0c').stroke();
	doc.restore();
	doc.x = left;
	doc.y = y + 4;
	pdf.paragraph(caption, { muted: true, size: 9 });
}

/** A framed area for the voter's signed declaration (§57b(3)). */
function declarationBox(pdf: PdfBuilder, locale: DocumentLocale): void {
	const { doc } = pdf;
	const left = doc.page.margins.left;
	const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
	const top = doc.y;
	doc.y += 10;
	pdf.heading(m.pkg_doc_declaration_heading({}, { locale }), 2);
	pdf.paragraph(m.pkg_doc_declaration_text({}, { locale }), { bold: true, size: 13 });
	signatureLine(pdf, m.pkg_doc_declaration_date({}, { locale }), 160);
	signatureLine(pdf, m.pkg_doc_declaration_signature({}, { locale }));
	const bottom = doc.y + 4;
	doc.save();
	doc.rect(left - 8, top, width + 16, bottom - top).lineWidth(1).strokeColor('#0b0c0c').stroke();
	doc.restore();
	doc.y = bottom + 12;
}

/** Page 1: the ID slip (§57b(3)). */
function writeIdSlip(pdf: PdfBuilder, data: PackageDocumentData, locale: DocumentLocale): void {
	const t = { locale };
	pdf
		.heading(m.pkg_doc_slip_title({}, t))
		.paragraph(m.pkg_doc_slip_lead({}, t), { muted: true, size: 10 })
		.keyValueTable(idSlipRows(data, locale))
		.paragraph(
			m.pkg_doc_issued_by({ name: data.issuedBy, date: formatCalendarDate(issuedDay(data.issuedAt), locale) }, t),
			{ size: 10 }
		);
	signatureLine(pdf, m.pkg_doc_official_signature({}, t));
	declarationBox(pdf, locale);
	pdf.paragraph(m.pkg_doc_slip_footer({}, t), { muted: true, size: 9 });
}

function issuedDay(at: Temporal.Instant): string {
	return at.toZonedDateTimeISO(PRAGUE).toPlainDate().toString();
}

/** Page 2: the label of the return envelope (§57b(4)), addressed to the embassy, with the opaque code. */
async function writeReturnEnvelopeLabel(pdf: PdfBuilder, data: PackageDocumentData, locale: DocumentLocale): Promise<void> {
	const t = { locale };
	pdf
		.heading(m.pkg_doc_label_title({}, t))
		.paragraph(m.pkg_doc_label_lead({}, t), { muted: true, size: 10 })
		.paragraph(m.pkg_doc_label_addressee({}, t), { muted: true, size: 10 })
		.paragraph(`${locale === 'en' ? data.embassy.nameEn : data.embassy.nameCs}\n${data.embassy.address}`, { bold: true, size: 16 })
		.keyValueTable([
			[m.pkg_doc_label_district({}, t), String(data.embassy.specialDistrictNumber)],
			[m.pkg_doc_label_election({}, t), electionLine(data, locale)]
		]);
	pdf.image(await barcodePng(data.envelopeCode, { scale: 3, heightMm: 14 }), 260);
	pdf.paragraph(m.pkg_doc_envelope_code({ code: formatEnvelopeCode(data.envelopeCode) }, t), { bold: true, size: 14 });
	pdf.paragraph(m.pkg_doc_label_code_note({}, t), { muted: true, size: 9 });
}

/** Page 3: what goes where (§57c(1)), in the language the voter filed in. */
function writeInstructions(pdf: PdfBuilder, data: PackageDocumentData): void {
	const lang = data.instructionsLocale ?? 'cs';
	const t = { locale: lang };
	pdf.heading(m.pkg_doc_instructions_title({}, t), 1);
	pdf.paragraph(electionLine(data, lang), { bold: true });
	const returnBy = data.returnBy
		? m.pkg_doc_step_return_by(
				{
					local: formatLocalDateTime(data.returnBy, lang),
					zone: data.returnBy.timeZoneId,
					prague: formatPragueDateTime(data.returnBy.toInstant(), lang)
				},
				t
			)
		: m.pkg_doc_step_return_by_unknown({}, t);
	const steps = [
		m.pkg_doc_step_ballot({ url: data.ballotsUrl }, t),
		m.pkg_doc_step_official_envelope({}, t),
		m.pkg_doc_step_declaration({}, t),
		m.pkg_doc_step_return_envelope({}, t),
		m.pkg_doc_step_voter_card({}, t),
		returnBy
	];
	steps.forEach((step, n) => pdf.paragraph(`${n + 1}. ${step}`, { size: 10.5 }));
	pdf.paragraph(m.pkg_doc_step_secret({}, t), { muted: true, size: 9.5 });
}

function formatLocalDateTime(at: Temporal.ZonedDateTime, lang: DocumentLocale): string {
	return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'cs-CZ', {
		timeZone: at.timeZoneId,
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		hour: 'numeric',
		minute: '2-digit'
	}).format(new Date(at.epochMilliseconds));
}

async function writePackage(pdf: PdfBuilder, data: PackageDocumentData, locale: DocumentLocale, first: boolean): Promise<void> {
	if (!first) pdf.doc.addPage();
	writeIdSlip(pdf, data, locale);
	pdf.doc.addPage();
	await writeReturnEnvelopeLabel(pdf, data, locale);
	pdf.doc.addPage();
	writeInstructions(pdf, data);
}

/** The three pages of one package, e.g. to reprint a spoilt one. */
export async function renderPackagePdf(data: PackageDocumentData, locale: DocumentLocale = 'cs'): Promise<Buffer> {
	const pdf = createPdf({
		title: m.pkg_doc_package_title({ number: data.idSlipNumber }, { locale }),
		lang: locale,
		createdAt: new Date(data.issuedAt.epochMilliseconds),
		rehearsal: data.election.rehearsal
	});
	await writePackage(pdf, data, locale, true);
	return pdf.toBuffer();
}

export interface BatchRenderOptions {
	locale?: DocumentLocale;
	title: string;
	createdAt: Temporal.Instant;
	/** Called after each package with the number done; awaited, so it may write progress. */
	onProgress?: (done: number) => Promise<void> | void;
}

/** Every package of a batch in one PDF, yielding to the event loop between packages. */
export async function renderPackageBatchPdf(packages: readonly PackageDocumentData[], options: BatchRenderOptions): Promise<Buffer> {
	const locale = options.locale ?? 'cs';
	if (packages.length === 0) throw new RangeError('A batch has at least one package');
	const pdf = createPdf({
		title: options.title,
		lang: locale,
		createdAt: new Date(options.createdAt.epochMilliseconds),
		rehearsal: packages.some((p) => p.election.rehearsal)
	});
	for (const [i, data] of packages.entries()) {
		await writePackage(pdf, data, locale, i === 0);
		await options.onProgress?.(i + 1);
		await new Promise<void>((resolve) => setImmediate(resolve));
	}
	return pdf.toBuffer();
}
