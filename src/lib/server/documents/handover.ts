/**
 * The record of handing return envelopes over to the special commission (§57c(4)): the
 * embassy, the special district, the election and round, the number of envelopes and their
 * list (codes and receipt times, never a voter's name), and the two confirmations — by the
 * head of the embassy and by the commission's chair — with names and times when given, and
 * a line for each signature.
 */
import { Temporal } from 'temporal-polyfill';
import { formatEnvelopeCode } from '../../domain/envelopes';
import { m } from '../../paraglide/messages.js';
import type { HandoverRecord, ReceiptTime } from '../services/envelopes';
import { formatPragueDateTime } from './format';
import { createPdf, type DocumentLocale, type PdfBuilder } from './pdf';

const intlLocale = (lang: DocumentLocale) => (lang === 'en' ? 'en-GB' : 'cs-CZ');

/** The wall-clock time of an instant in a zone: '16. 1. 2027 13:50' / '16/01/2027, 13:50'. */
export function formatLocalShort(at: Temporal.Instant, timeZone: string, lang: DocumentLocale): string {
	return new Intl.DateTimeFormat(intlLocale(lang), {
		timeZone,
		day: 'numeric',
		month: 'numeric',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	}).format(new Date(at.epochMilliseconds));
}

/** A receipt time in Prague time (§78(2)) and, where it differs, the embassy's own. */
export function formatReceiptTime(at: ReceiptTime, lang: DocumentLocale): string {
	const instant = Temporal.Instant.from(at.prague);
	const prague = m.env_doc_time_prague({ time: formatLocalShort(instant, 'Europe/Prague', lang) }, { locale: lang });
	if (at.local.slice(0, 16) === at.prague.slice(0, 16)) return prague;
	return `${prague} · ${m.env_doc_time_local({ time: formatLocalShort(instant, at.timeZone, lang), zone: at.timeZone }, { locale: lang })}`;
}

/** A line to sign on with its caption beneath, at the current position. */
export function signatureLine(pdf: PdfBuilder, caption: string, width = 240): void {
	const { doc } = pdf;
	const left = doc.page.margins.left;
	if (doc.y + 60 > doc.page.height - doc.page.margins.bottom) doc.addPage();
	const y = doc.y + 30;
	doc.save();
	doc.moveTo(left, y).lineTo(left + width, y).lineWidth(0.75).strokeColor('#0b0c0c').stroke();
	doc.restore();
	doc.x = left;
	doc.y = y + 4;
	pdf.paragraph(caption, { muted: true, size: 9 });
}

export function electionLine(election: { titleCs: string; titleEn: string; round: number }, roundCount: number | null, lang: DocumentLocale): string {
	const title = lang === 'en' ? election.titleEn : election.titleCs;
	return roundCount === 1 ? title : `${title} – ${m.doc_round({ round: election.round }, { locale: lang })}`;
}

export interface HandoverDocumentOptions {
	/** Rounds of the election: with one, the round is not named. */
	roundCount?: number;
	/** When the document was printed (its metadata; not the record's times). */
	generatedAt: Temporal.Instant;
	/** A rehearsal's record carries the watermark (issue 14). */
	rehearsal?: boolean;
}

/** The rows at the top of the record, in reading order; exported for the tests. */
export function handoverRows(record: HandoverRecord, lang: DocumentLocale, roundCount: number | null): [string, string][] {
	const t = { locale: lang };
	return [
		[m.env_doc_label_embassy({}, t), lang === 'en' ? record.office.nameEn : record.office.nameCs],
		[m.env_doc_label_district({}, t), record.office.specialDistrictNumber === null ? '—' : String(record.office.specialDistrictNumber)],
		[m.env_doc_label_election({}, t), electionLine(record.election, roundCount, lang)],
		[m.env_doc_label_count({}, t), String(record.envelopeCount)],
		[m.env_doc_label_created({}, t), `${formatReceiptTime(record.createdAt, lang)}\n${record.createdBy}`]
	];
}

function confirmation(pdf: PdfBuilder, lang: DocumentLocale, role: string, who: HandoverRecord['head']): void {
	const t = { locale: lang };
	pdf.heading(role, 2);
	if (who) {
		pdf.paragraph(m.env_doc_confirmed_by({ name: who.name, time: formatReceiptTime(who.confirmedAt, lang) }, t));
	} else {
		pdf.paragraph(m.env_doc_not_confirmed({}, t), { muted: true });
	}
	signatureLine(pdf, who ? m.env_doc_signature_of({ name: who.name }, t) : m.env_doc_signature({}, t));
}

/** §57c(4): the hand-over record as a PDF in the reader's language. */
export async function renderHandoverPdf(record: HandoverRecord, lang: DocumentLocale, options: HandoverDocumentOptions): Promise<Buffer> {
	const t = { locale: lang };
	const roundCount = options.roundCount ?? null;
	const pdf = createPdf({ title: m.env_doc_handover_title({}, t), lang, createdAt: new Date(options.generatedAt.epochMilliseconds), rehearsal: options.rehearsal })
	pdf
		.heading(m.env_doc_handover_title({}, t))
		.paragraph(m.env_doc_handover_lead({}, t), { muted: true, size: 10 })
		.keyValueTable(handoverRows(record, lang, roundCount));

	pdf.heading(m.env_doc_envelopes_heading({ count: record.envelopeCount }, t), 2);
	pdf.paragraph(m.env_doc_envelopes_note({}, t), { muted: true, size: 9.5 });
	pdf.keyValueTable(
		record.envelopes.map((e, i) => [
			`${i + 1}. ${formatEnvelopeCode(e.code)}`,
			[formatReceiptTime(e.receivedAt, lang), e.storageBatch ? m.env_doc_storage_batch({ batch: e.storageBatch }, t) : null]
				.filter(Boolean)
				.join('\n')
		])
	);

	confirmation(pdf, lang, m.env_doc_head_heading({}, t), record.head);
	confirmation(pdf, lang, m.env_doc_chair_heading({}, t), record.chair);
	pdf.paragraph(m.env_doc_printed({ time: formatPragueDateTime(options.generatedAt, lang) }, t), { muted: true, size: 9 });
	return pdf.toBuffer();
}
