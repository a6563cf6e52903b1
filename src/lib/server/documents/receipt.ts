import { Temporal } from 'temporal-polyfill';
import { DAY_COUNTED_RULES, PRAGUE, decisionDeadline, type DeadlineKey } from '../../domain';
import { m } from '../../paraglide/messages.js';
import type { Delivery as RequestDelivery, RequestChannel, RequestKind } from '../db/schema';
import { formatCalendarDate, formatPragueDateTime, formatSection } from './format';
import { createPdf, type DocumentLocale } from './pdf';
import { channelText, deadlineLabel, kindTitle } from './request-texts';

/** What a receipt shows: the request as filed, never anything the office decided later. */
export interface RequestReceiptData {
	reference: string;
	kind: RequestKind;
	/** Absent for a special-district registration, which is not tied to an election (§56(4)). */
	election: { titleCs: string; titleEn: string; round: 1 | 2; roundCount: number } | null;
	office: { nameCs: string; nameEn: string; address: string };
	channel: RequestChannel;
	delivery: { method: RequestDelivery; address: string | null; proxyName: string | null } | null;
	receivedAt: Temporal.Instant;
	/** The deadline the filing was judged against (§78). */
	deadline: { key: DeadlineKey; at: Temporal.Instant } | null;
	voter: { givenName: string; familyName: string; birthDate: string };
	generatedAt: Temporal.Instant;
}

function deliveryText(delivery: NonNullable<RequestReceiptData['delivery']>, locale: DocumentLocale): string {
	switch (delivery.method) {
		case 'post':
			return m.doc_delivery_post({ address: delivery.address ?? '' }, { locale });
		case 'in-person':
			return m.doc_delivery_in_person({}, { locale });
		case 'proxy':
			return delivery.proxyName
				? m.doc_delivery_proxy({ name: delivery.proxyName }, { locale })
				: m.doc_delivery_proxy_unnamed({}, { locale });
	}
}

/** The section that sets a filing deadline, from the domain's table of rules. */
function deadlineSection(key: DeadlineKey): string {
	return DAY_COUNTED_RULES.find((rule) => rule.key === key)?.section ?? '§78';
}

/** The rows of the receipt, in reading order; exported for the tests. */
export function receiptRows(data: RequestReceiptData, locale: DocumentLocale): { request: [string, string][]; voter: [string, string][] } {
	const t = { locale };
	const request: [string, string][] = [
		[m.doc_label_reference({}, t), data.reference],
		[m.doc_label_kind({}, t), kindTitle(data.kind, locale)]
	];
	if (data.election) {
		request.push([m.doc_label_election({}, t), locale === 'en' ? data.election.titleEn : data.election.titleCs]);
		if (data.election.roundCount > 1) request.push([m.doc_label_round({}, t), m.doc_round({ round: data.election.round }, t)]);
	}
	request.push([
		m.doc_label_office({}, t),
		`${locale === 'en' ? data.office.nameEn : data.office.nameCs}\n${data.office.address}`
	]);
	request.push([m.doc_label_channel({}, t), channelText(data.channel, locale)]);
	if (data.delivery) request.push([m.doc_label_delivery({}, t), deliveryText(data.delivery, locale)]);
	request.push([m.doc_label_received_at({}, t), m.doc_time_prague({ datetime: formatPragueDateTime(data.receivedAt, locale) }, t)]);
	if (data.deadline) {
		request.push([
			m.doc_label_deadline({}, t),
			m.doc_deadline_value(
				{
					label: deadlineLabel(data.deadline.key, locale),
					datetime: formatPragueDateTime(data.deadline.at, locale),
					section: formatSection(deadlineSection(data.deadline.key), locale)
				},
				t
			)
		]);
	}
	const voter: [string, string][] = [
		[m.doc_label_given_name({}, t), data.voter.givenName],
		[m.doc_label_family_name({}, t), data.voter.familyName],
		[m.doc_label_birth_date({}, t), formatCalendarDate(data.voter.birthDate, locale)]
	];
	return { request, voter };
}

/** §77: the last Prague calendar day on which a refusal must be notified. */
function lastDayForRefusal(receivedAt: Temporal.Instant): Temporal.PlainDate {
	return decisionDeadline(receivedAt).toZonedDateTimeISO(PRAGUE).subtract({ days: 1 }).toPlainDate();
}

/** The receipt every request gets, in the voter's language (Czech unless they chose English). */
export function renderRequestReceipt(data: RequestReceiptData, locale: DocumentLocale = 'cs'): Promise<Buffer> {
	const t = { locale };
	const title = `${m.doc_receipt_title({}, t)}: ${kindTitle(data.kind, locale)}`;
	const pdf = createPdf({ title, lang: locale, createdAt: new Date(data.generatedAt.epochMilliseconds) });
	const rows = receiptRows(data, locale);
	pdf
		.heading(kindTitle(data.kind, locale))
		.paragraph(m.doc_receipt_title({}, t), { bold: true, size: 13 })
		.paragraph(m.doc_receipt_lead({}, t))
		.heading(m.doc_section_request({}, t), 2)
		.keyValueTable(rows.request)
		.heading(m.doc_section_voter({}, t), 2)
		.keyValueTable(rows.voter)
		.paragraph(m.doc_decision_notice({ date: formatCalendarDate(lastDayForRefusal(data.receivedAt).toString(), locale) }, t))
		.paragraph(m.doc_status_notice({}, t))
		.paragraph(m.doc_generated_at({ datetime: formatPragueDateTime(data.generatedAt, locale) }, t), { muted: true, size: 9 });
	return pdf.toBuffer();
}
