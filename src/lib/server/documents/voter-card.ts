/**
 * The voter card (voličský průkaz) with the fields of the decree's form (decree 353/2025 Sb.
 * §6): the heading "VOLIČSKÝ PRŮKAZ", the election and round, the voter's name and date of
 * birth, the issuing office, the serial of the office's evidence (§23(3)), the date of issue,
 * the official, and a place for the official stamp. Printed in Czech; an English rendering
 * exists for reading only.
 */
import type { Temporal } from 'temporal-polyfill';
import { ELECTION_TYPE_RULES, type ElectionType } from '../../domain';
import { m } from '../../paraglide/messages.js';
import { fromDate } from '../clock';
import type { DbOrTrx } from '../db/index';
import { findVoterCardDocument, type VoterCardDocumentRow } from '../db/queries/staff-requests';
import { formatCalendarDate, formatPragueDateTime } from './format';
import { createPdf, type DocumentLocale, type PdfBuilder } from './pdf';
import { signatureAndStamp } from './refusal-notice';

export interface VoterCardData {
	serial: number;
	/** `rehearsal`: a rehearsal's card carries the watermark (issue 14). */
	election: { type: ElectionType; titleCs: string; titleEn: string; round: 1 | 2; roundCount: number; firstDay: string; rehearsal?: boolean };
	voter: { givenName: string; familyName: string; birthDate: string };
	office: { nameCs: string; nameEn: string; address: string };
	issuedAt: Temporal.Instant;
	officialName: string;
	generatedAt: Temporal.Instant;
}

/** §56(2): where the card lets its holder vote. */
function scopeText(type: ElectionType, locale: DocumentLocale): string {
	switch (ELECTION_TYPE_RULES[type].voterCardScope) {
		case 'senate-constituency':
			return m.card_doc_scope_senate({}, { locale });
		case 'region':
			return m.card_doc_scope_region({}, { locale });
		default:
			return m.card_doc_scope_any({}, { locale });
	}
}

/** §2(2): voting in Czechia on Friday (D) and Saturday (D+1). */
function votingDays(firstDay: string, locale: DocumentLocale): string {
	const d = new Date(`${firstDay}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + 1);
	const saturday = d.toISOString().slice(0, 10);
	return m.card_doc_voting_days({ first: formatCalendarDate(firstDay, locale), second: formatCalendarDate(saturday, locale) }, { locale });
}

/** The serial as printed: the number of the office's evidence. */
export function formatSerial(serial: number): string {
	return String(serial).padStart(6, '0');
}

/** The rows of the card, in the form's order; exported for the tests. */
export function voterCardRows(data: VoterCardData, locale: DocumentLocale): [string, string][] {
	const t = { locale };
	return [
		[m.card_doc_label_serial({}, t), formatSerial(data.serial)],
		[m.doc_label_family_name({}, t), data.voter.familyName],
		[m.doc_label_given_name({}, t), data.voter.givenName],
		[m.doc_label_birth_date({}, t), formatCalendarDate(data.voter.birthDate, locale)],
		[m.card_doc_label_office({}, t), `${locale === 'en' ? data.office.nameEn : data.office.nameCs}\n${data.office.address}`],
		[m.card_doc_label_issued_on({}, t), formatCalendarDate(data.issuedAt.toZonedDateTimeISO('Europe/Prague').toPlainDate().toString(), locale)]
	];
}

export function renderVoterCard(data: VoterCardData, locale: DocumentLocale = 'cs'): Promise<Buffer> {
	const pdf = createPdf({
		title: `${m.card_doc_title({}, { locale })} ${formatSerial(data.serial)}`,
		lang: locale,
		createdAt: new Date(data.generatedAt.epochMilliseconds),
		rehearsal: data.election.rehearsal
	});
	writeVoterCard(pdf, data, locale);
	return pdf.toBuffer();
}

/** The card's content on the current page of `pdf` (one card, or one page of a batch's PDF). */
export function writeVoterCard(pdf: PdfBuilder, data: VoterCardData, locale: DocumentLocale): void {
	const t = { locale };
	const heading = m.card_doc_title({}, t);
	const title = locale === 'en' ? data.election.titleEn : data.election.titleCs;
	pdf.heading(heading).paragraph(data.election.roundCount > 1 ? `${title}, ${m.doc_round({ round: data.election.round }, t)}` : title, {
		bold: true,
		size: 13
	});
	pdf
		.paragraph(votingDays(data.election.firstDay, locale))
		.keyValueTable(voterCardRows(data, locale))
		.paragraph(scopeText(data.election.type, locale))
		.paragraph(m.card_doc_once({}, t), { muted: true, size: 9.5 });
	signatureAndStamp(pdf, {
		official: m.card_doc_official({ name: data.officialName }, t),
		signature: m.card_doc_signature({}, t),
		stamp: m.card_doc_stamp({}, t)
	});
	pdf.paragraph(m.card_doc_generated({ datetime: formatPragueDateTime(data.generatedAt, locale) }, t), { muted: true, size: 9 });
}

export function voterCardDataFromRow(row: VoterCardDocumentRow, generatedAt: Temporal.Instant): VoterCardData {
	return {
		serial: row.serial,
		election: {
			type: row.election_type,
			titleCs: row.election_title_cs,
			titleEn: row.election_title_en,
			round: row.round === 2 ? 2 : 1,
			roundCount: row.election_round_count,
			firstDay: row.round_first_day,
			rehearsal: row.rehearsal
		},
		voter: { givenName: row.given_name, familyName: row.family_name, birthDate: row.birth_date },
		office: { nameCs: row.office_name_cs, nameEn: row.office_name_en, address: row.office_address },
		issuedAt: fromDate(row.issued_at),
		officialName: row.official_name,
		generatedAt
	};
}

export type VoterCardPdfResult = { kind: 'pdf'; pdf: Buffer; serial: number } | { kind: 'invalidated' } | { kind: 'not-found' };

/**
 * The card issued on a request of the staff member's office, to print. A card invalidated
 * as lost or destroyed is never printed again (§23(3)).
 */
export async function voterCardPdf(
	db: DbOrTrx,
	input: { officeId: string; requestId: string; now: Temporal.Instant; locale?: DocumentLocale }
): Promise<VoterCardPdfResult> {
	const row = await findVoterCardDocument(db, input.officeId, input.requestId);
	if (!row) return { kind: 'not-found' };
	if (row.invalidated_at) return { kind: 'invalidated' };
	return { kind: 'pdf', pdf: await renderVoterCard(voterCardDataFromRow(row, input.now), input.locale ?? 'cs'), serial: row.serial };
}
