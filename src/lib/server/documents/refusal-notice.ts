/**
 * The written notice of a refusal (§77: "within 3 days of the request"): the office, the
 * voter, the request's reference and date, the decision and its reason in words with the
 * section it rests on, the date, the official's name and a place for signature and stamp.
 * Official correspondence is Czech; an English rendering exists for the voter's reading.
 */
import type { Temporal } from 'temporal-polyfill';
import { DEADLINE_KEYS, type DeadlineKey } from '../../domain';
import { refusalReasonSection, type RefusalReasonName } from '../../forms/decisions';
import { m } from '../../paraglide/messages.js';
import { formatLongDay } from '../../components/format';
import { fromDate } from '../clock';
import { courtPathOf } from '../court-path';
import { countryName } from '../countries';
import type { DbOrTrx } from '../db/index';
import { findRefusalNoticeOfOffice, findRefusalNoticeOfVoter, type RefusalNoticeRow } from '../db/queries/refusal-notices';
import type { RequestChannel, RequestKind } from '../db/schema';
import { formatCalendarDate, formatPragueDateTime, formatSection } from './format';
import { createPdf, type DocumentLocale, type PdfBuilder } from './pdf';
import { channelText, deadlineLabel, kindTitle } from './request-texts';

export interface RefusalNoticeData {
	office: { kind: 'municipal' | 'embassy'; nameCs: string; nameEn: string; address: string; regionCode: string | null };
	voter: { givenName: string; familyName: string; birthDate: string; address: string[] };
	request: {
		reference: string;
		kind: RequestKind;
		election: { titleCs: string; titleEn: string; round: 1 | 2; roundCount: number } | null;
		channel: RequestChannel;
		receivedAt: Temporal.Instant;
		/** The filing deadline it was judged against (§78), for a refusal as late. */
		deadline: { key: DeadlineKey; at: Temporal.Instant } | null;
	};
	decision: { reason: RefusalReasonName; text: string | null; decidedAt: Temporal.Instant; officialName: string };
	generatedAt: Temporal.Instant;
}

/** The reason in words, with the section it rests on (§78(3) for a missed deadline). */
export function refusalGround(data: RefusalNoticeData, locale: DocumentLocale): string {
	const t = { locale };
	const { reason } = data.decision;
	const kind = data.request.kind;
	const sectionRaw = refusalReasonSection(reason, kind, data.request.deadline?.key ?? null);
	const section = sectionRaw ? formatSection(sectionRaw, locale) : '';
	switch (reason) {
		case 'not-on-voter-list':
			return m.dec_notice_why_not_on_voter_list({ section }, t);
		case 'deadline-passed': {
			const deadline = data.request.deadline;
			if (!deadline) return m.dec_notice_why_deadline_passed_generic({ received: formatPragueDateTime(data.request.receivedAt, locale) }, t);
			return m.dec_notice_why_deadline_passed(
				{
					received: formatPragueDateTime(data.request.receivedAt, locale),
					deadline: deadlineLabel(deadline.key, locale),
					deadlineAt: formatPragueDateTime(deadline.at, locale),
					section
				},
				t
			);
		}
		case 'card-already-issued':
			return m.dec_notice_why_card_already_issued({ section }, t);
		case 'correspondence-package-already-issued':
			return kind === 'voter-card' ? m.dec_notice_why_package_issued_no_card({ section }, t) : m.dec_notice_why_package_already_issued({ section }, t);
		case 'wrong-office':
			return m.dec_notice_why_wrong_office({ section }, t);
		case 'address-outside-jurisdiction':
			return m.dec_notice_why_address_outside({ section }, t);
		case 'excluded-country':
			return m.dec_notice_why_excluded_country({ section }, t);
		case 'proxy-limit':
			return m.dec_notice_why_proxy_limit({ section }, t);
		case 'other':
			return m.dec_notice_why_other({}, t);
	}
}

/** The rows of the notice, in reading order; exported for the tests. */
export function refusalNoticeRows(data: RefusalNoticeData, locale: DocumentLocale): { voter: [string, string][]; request: [string, string][] } {
	const t = { locale };
	const voter: [string, string][] = [
		[m.dec_notice_label_name({}, t), `${data.voter.givenName} ${data.voter.familyName}`],
		[m.doc_label_birth_date({}, t), formatCalendarDate(data.voter.birthDate, locale)],
		[m.dec_notice_label_address({}, t), data.voter.address.filter(Boolean).join(', ')]
	];
	const request: [string, string][] = [
		[m.doc_label_reference({}, t), data.request.reference],
		[m.doc_label_kind({}, t), kindTitle(data.request.kind, locale)]
	];
	const election = data.request.election;
	if (election) {
		const title = locale === 'en' ? election.titleEn : election.titleCs;
		request.push([m.doc_label_election({}, t), election.roundCount > 1 ? `${title}, ${m.doc_round({ round: election.round }, t)}` : title]);
	}
	request.push([m.doc_label_channel({}, t), channelText(data.request.channel, locale)]);
	request.push([m.doc_label_received_at({}, t), m.doc_time_prague({ datetime: formatPragueDateTime(data.request.receivedAt, locale) }, t)]);
	return { voter, request };
}

/** A line to sign on and a framed place for the office's stamp, side by side. */
export function signatureAndStamp(pdf: PdfBuilder, labels: { official: string; signature: string; stamp: string }): void {
	const { doc } = pdf;
	const left = doc.page.margins.left;
	const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
	const boxWidth = 170;
	const boxHeight = 95;
	if (doc.y + boxHeight + 30 > doc.page.height - doc.page.margins.bottom) doc.addPage();
	const top = doc.y + 10;
	doc.save();
	doc.fontSize(10.5).fillColor('#0b0c0c').text(labels.official, left, top, { width: width - boxWidth - 24 });
	const lineY = top + 62;
	doc.moveTo(left, lineY).lineTo(left + width - boxWidth - 40, lineY).lineWidth(0.7).strokeColor('#0b0c0c').stroke();
	doc.fontSize(9).fillColor('#505a5f').text(labels.signature, left, lineY + 4, { width: width - boxWidth - 40 });
	const boxLeft = left + width - boxWidth;
	doc.rect(boxLeft, top, boxWidth, boxHeight).dash(3, { space: 3 }).lineWidth(0.7).strokeColor('#505a5f').stroke().undash();
	doc.fontSize(9).fillColor('#505a5f').text(labels.stamp, boxLeft, top + boxHeight - 16, { width: boxWidth, align: 'center' });
	doc.restore();
	doc.x = left;
	doc.y = top + boxHeight + 16;
	doc.fontSize(11).fillColor('#0b0c0c');
}

/** The notice as a PDF; Czech unless English is asked for. */
export function renderRefusalNotice(data: RefusalNoticeData, locale: DocumentLocale = 'cs'): Promise<Buffer> {
	const t = { locale };
	const title = m.dec_notice_title({}, t);
	const pdf = createPdf({ title, lang: locale, createdAt: new Date(data.generatedAt.epochMilliseconds) });
	const officeName = locale === 'en' ? data.office.nameEn : data.office.nameCs;
	const rows = refusalNoticeRows(data, locale);
	pdf
		.paragraph(officeName, { bold: true })
		.paragraph(data.office.address, { muted: true })
		.paragraph(m.dec_notice_dated({ date: formatCalendarDate(data.decision.decidedAt.toZonedDateTimeISO('Europe/Prague').toPlainDate().toString(), locale) }, t))
		.heading(title)
		.paragraph(m.dec_notice_subtitle({}, t), { muted: true })
		.heading(m.dec_notice_section_voter({}, t), 2)
		.keyValueTable(rows.voter)
		.heading(m.dec_notice_section_request({}, t), 2)
		.keyValueTable(rows.request)
		.heading(m.dec_notice_section_decision({}, t), 2)
		.paragraph(m.dec_notice_decision({ office: officeName, reference: data.request.reference }, t), { bold: true })
		.heading(m.dec_notice_section_grounds({}, t), 2)
		.paragraph(refusalGround(data, locale));
	if (data.decision.text) pdf.paragraph(data.decision.reason === 'other' ? data.decision.text : m.dec_notice_office_adds({ text: data.decision.text }, t));
	if (data.decision.reason === 'deadline-passed') pdf.paragraph(m.dec_notice_no_excuse({}, t));
	// §80(1), §81(1): the court, and the last day to turn to it, counted from this notice.
	const court = courtPathOf(data.office, data.decision.decidedAt, locale);
	pdf
		.heading(m.court_path_heading({}, t), 2)
		.paragraph(m.court_path_text({ court: court.court, date: formatLongDay(court.lastDay, locale) }, t), { bold: true });
	pdf.paragraph(m.dec_notice_section_77({}, t), { muted: true, size: 9.5 });
	signatureAndStamp(pdf, {
		official: m.dec_notice_official({ name: data.decision.officialName }, t),
		signature: m.dec_notice_signature({}, t),
		stamp: m.dec_notice_stamp({}, t)
	});
	pdf.paragraph(m.dec_notice_generated({ datetime: formatPragueDateTime(data.generatedAt, locale) }, t), { muted: true, size: 9 });
	return pdf.toBuffer();
}

function isDeadlineKey(value: string | null): value is DeadlineKey {
	return value !== null && (DEADLINE_KEYS as readonly string[]).includes(value);
}

export function refusalNoticeDataFromRow(row: RefusalNoticeRow, generatedAt: Temporal.Instant, locale: DocumentLocale): RefusalNoticeData {
	return {
		office: { kind: row.office_kind, nameCs: row.office_name_cs, nameEn: row.office_name_en, address: row.office_address, regionCode: row.office_region_code },
		voter: {
			givenName: row.given_name,
			familyName: row.family_name,
			birthDate: row.birth_date,
			address: [row.address_line, `${row.postal_code} ${row.city}`.trim(), countryName(row.country_code, locale)]
		},
		request: {
			reference: row.reference,
			kind: row.kind,
			election:
				row.election_title_cs !== null && row.election_title_en !== null && row.round !== null
					? { titleCs: row.election_title_cs, titleEn: row.election_title_en, round: row.round === 2 ? 2 : 1, roundCount: row.election_round_count ?? 1 }
					: null,
			channel: row.channel,
			receivedAt: fromDate(row.received_at),
			deadline: isDeadlineKey(row.deadline_key) && row.deadline_at ? { key: row.deadline_key, at: fromDate(row.deadline_at) } : null
		},
		decision: {
			reason: row.refusal_reason ?? 'other',
			text: row.refusal_text,
			decidedAt: fromDate(row.decided_at ?? row.received_at),
			officialName: row.official_name ?? ''
		},
		generatedAt
	};
}

/** The notice of a refused request of the staff member's office; undefined for anything else. */
export async function officeRefusalNoticePdf(
	db: DbOrTrx,
	input: { officeId: string; requestId: string; now: Temporal.Instant; locale?: DocumentLocale }
): Promise<Buffer | undefined> {
	const row = await findRefusalNoticeOfOffice(db, input.officeId, input.requestId);
	if (!row) return undefined;
	const locale = input.locale ?? 'cs';
	return renderRefusalNotice(refusalNoticeDataFromRow(row, input.now, locale), locale);
}

/** The notice of the voter's own refused request; undefined for anything else. */
export async function voterRefusalNoticePdf(
	db: DbOrTrx,
	input: { voterId: string; reference: string; now: Temporal.Instant; locale?: DocumentLocale }
): Promise<Buffer | undefined> {
	const row = await findRefusalNoticeOfVoter(db, input.voterId, input.reference);
	if (!row) return undefined;
	const locale = input.locale ?? 'cs';
	return renderRefusalNotice(refusalNoticeDataFromRow(row, input.now, locale), locale);
}
