/**
 * The special commission's protocol of the envelopes it dealt with (§57d): the embassy, the
 * special district, the election and round, the envelopes handed over, accepted and set
 * aside by ground (§57d(2)(a)–(e)), those still unprocessed, the late ones kept apart
 * (§57c(5)), when the ballot box was opened (§57d(6)), the members who recorded the outcomes
 * and a line for each signature. Counts only: nothing here names a voter.
 */
import type { Temporal } from 'temporal-polyfill';
import { SET_ASIDE_GROUNDS } from '../../domain/envelopes';
import { recordFields, recordValue, type ResultRecord, type ResultShape } from '../../domain/results';
import { m } from '../../paraglide/messages.js';
import type { CommissionResultCounts } from '../services/commission';
import { formatPragueDateTime, formatSection } from './format';
import { electionLine, formatLocalShort, signatureLine } from './handover';
import { createPdf, type DocumentLocale } from './pdf';

export interface ProtocolData {
	embassy: { nameCs: string; nameEn: string; specialDistrictNumber: number | null; timeZone: string };
	/** `rehearsal`: the protocol of a rehearsal carries the watermark (issue 14). */
	election: { titleCs: string; titleEn: string; round: 1 | 2; roundCount: number; rehearsal?: boolean };
	/** The ballot box is open (§57d(6)): the outcomes are final. */
	final: boolean;
	counts: CommissionResultCounts;
	openedAt: Temporal.Instant | null;
	openedBy: string | null;
	/** Who recorded outcomes, with how many each. */
	recorders: { name: string; role: 'commission-member' | 'commission-chair' | string; recorded: number }[];
	generatedAt: Temporal.Instant;
	/** Issue 17: the closed record of the result in force (the last version), if any. */
	result?: { shape: ResultShape; record: ResultRecord; version: number; closedAt: Temporal.Instant; closedByName: string; correctionReason: string | null } | null;
}

const TOTAL_MESSAGES = {
	votersOnList: m.res_field_votersOnList,
	envelopesIssued: m.res_field_envelopesIssued,
	envelopesReceived: m.res_field_envelopesReceived,
	envelopesCounted: m.res_field_envelopesCounted,
	validVotes: m.res_field_validVotes,
	invalidVotes: m.res_field_invalidVotes
} as const;

/** The record of the result's rows (label, number) in form order; exported for the tests. */
export function resultRecordRows(shape: ResultShape, record: ResultRecord, lang: DocumentLocale): [string, string][] {
	return recordFields(shape).map((f): [string, string] => {
		const list = f.kind === 'total' ? undefined : shape.lists.find((l) => l.number === f.list);
		let label: string;
		if (f.kind === 'total') label = TOTAL_MESSAGES[f.field]({}, { locale: lang });
		else if (f.kind === 'list') label = `${f.list}. ${list?.name ?? ''}`;
		else label = `${f.list}. ${list?.name ?? ''} – ${f.candidate}. ${list?.candidates.find((c) => c.number === f.candidate)?.name ?? ''}`;
		return [label, String(recordValue(record, f))];
	});
}

/** The result's rows (label, count) in the order of the Act; exported for the tests and the page. */
export function protocolCountRows(counts: CommissionResultCounts, lang: DocumentLocale): [string, string][] {
	const t = { locale: lang };
	return [
		[m.com_doc_row_handed_over({ section: formatSection('§57c(4)', lang) }, t), String(counts.handedOver)],
		[m.com_doc_row_accepted({ section: formatSection('§57d(3)', lang) }, t), String(counts.accepted)],
		[m.com_doc_row_set_aside({ section: formatSection('§57d(2)', lang) }, t), String(counts.setAside)],
		...SET_ASIDE_GROUNDS.map((g): [string, string] => [
			`${m.com_doc_row_ground({ section: formatSection(g.section, lang) }, t)} ${lang === 'en' ? g.en : g.cs}`,
			String(counts.byGround[g.ground])
		]),
		[m.com_doc_row_unprocessed({ section: formatSection('§57d(6)', lang) }, t), String(counts.unprocessed)],
		[m.com_doc_row_late({ section: formatSection('§57c(5)', lang) }, t), String(counts.late)]
	];
}

function roleName(role: string, lang: DocumentLocale): string {
	return role === 'commission-chair' ? m.com_doc_role_chair({}, { locale: lang }) : m.com_doc_role_member({}, { locale: lang });
}

/** §57d: the commission's protocol as a PDF in the reader's language. */
export async function renderProtocolPdf(data: ProtocolData, lang: DocumentLocale): Promise<Buffer> {
	const t = { locale: lang };
	const pdf = createPdf({ title: m.com_doc_title({}, t), lang, createdAt: new Date(data.generatedAt.epochMilliseconds), rehearsal: data.election.rehearsal });
	pdf.heading(m.com_doc_title({}, t));
	if (!data.final) pdf.paragraph(m.com_doc_preliminary({}, t), { bold: true });
	pdf.paragraph(m.com_doc_lead({}, t), { muted: true, size: 10 });
	pdf.keyValueTable([
		[m.env_doc_label_embassy({}, t), lang === 'en' ? data.embassy.nameEn : data.embassy.nameCs],
		[m.env_doc_label_district({}, t), data.embassy.specialDistrictNumber === null ? '—' : String(data.embassy.specialDistrictNumber)],
		[m.env_doc_label_election({}, t), electionLine(data.election, data.election.roundCount, lang)],
		[
			m.com_doc_label_opened({}, t),
			data.openedAt
				? `${formatPragueDateTime(data.openedAt, lang)}${
						formatLocalShort(data.openedAt, data.embassy.timeZone, lang) !== formatLocalShort(data.openedAt, 'Europe/Prague', lang)
							? ` (${m.env_doc_time_local({ time: formatLocalShort(data.openedAt, data.embassy.timeZone, lang), zone: data.embassy.timeZone }, t)})`
							: ''
					}${data.openedBy ? `\n${data.openedBy}` : ''}`
				: m.com_doc_not_opened({}, t)
		]
	]);

	pdf.heading(m.com_doc_result_heading({}, t), 2);
	pdf.keyValueTable(protocolCountRows(data.counts, lang));

	if (data.result) {
		const r = data.result;
		pdf.heading(m.res_protocol_heading({}, t), 2);
		pdf.paragraph(m.res_version_item({ version: r.version, name: r.closedByName, time: formatPragueDateTime(r.closedAt, lang) }, t));
		if (r.correctionReason) pdf.paragraph(m.res_version_correction({ reason: r.correctionReason }, t));
		pdf.keyValueTable(resultRecordRows(r.shape, r.record, lang));
	}

	pdf.heading(m.com_doc_members_heading({}, t), 2);
	if (data.recorders.length === 0) pdf.paragraph(m.com_doc_members_none({}, t), { muted: true });
	else
		pdf.keyValueTable(
			data.recorders.map((r) => [r.name, `${roleName(r.role, lang)} · ${m.com_doc_member_recorded({ count: r.recorded }, t)}`])
		);

	pdf.heading(m.com_doc_signatures_heading({}, t), 2);
	pdf.paragraph(m.com_doc_date({ date: formatPragueDateTime(data.openedAt ?? data.generatedAt, lang) }, t));
	const signers = [...data.recorders.map((r) => ({ name: r.name, role: r.role }))];
	if (data.openedBy && !signers.some((s) => s.name === data.openedBy)) signers.push({ name: data.openedBy, role: 'commission-chair' });
	for (const s of signers) signatureLine(pdf, `${s.name} – ${roleName(s.role, lang)}`);
	// Lines for members who recorded nothing but sign the protocol too (§19: at least three members).
	for (let i = signers.length; i < 3; i++) signatureLine(pdf, m.com_doc_signature_member({}, t));
	return pdf.toBuffer();
}
