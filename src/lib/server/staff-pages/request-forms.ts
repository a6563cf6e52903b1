/**
 * The one-question pages of a request of the office: refuse (with a reason from the list,
 * §77), hand the voter card over (§57(2)-(4)), report it lost or destroyed (§23(3)); and the
 * two documents, the voter card and the written notice of a refusal. Each load and action
 * checks the staff member and reads only the office's own request (404 otherwise).
 */
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { deadlineFor, formatIsoWithOffset, isOnTime, type Round } from '../../domain';
import {
	dateFromParts,
	HAND_OVER_FIELDS,
	handOverSchema,
	INVALIDATION_FIELDS,
	invalidationSchema,
	parseStaffForm,
	REFUSAL_FIELDS,
	REFUSAL_REASON_NAMES,
	refusalReasonsFor,
	refusalReasonSection,
	refusalSchema,
	type RefusalReasonName
} from '../../forms/decisions';
import { countryName } from '../countries';
import { findElectionById, toDomainElection } from '../db/queries/elections';
import { findVoterCardOfRequest } from '../db/queries/staff-requests';
import { officeRefusalNoticePdf } from '../documents/refusal-notice';
import { voterCardPdf } from '../documents/voter-card';
import { refuseRequest } from '../services/decisions';
import { invalidateVoterCard, recordVoterCardHandOver } from '../services/voter-cards';
import { staffContext, type StaffGroup } from './context';
import { actionProblem, loadOfficeRequest, requestPath } from './request-detail';

function requestSummary(row: Awaited<ReturnType<typeof loadOfficeRequest>>, locale: 'cs' | 'en') {
	return {
		id: row.id,
		reference: row.reference,
		kind: row.kind,
		state: row.state,
		electionTitle: locale === 'en' ? row.election_title_en : row.election_title_cs,
		round: row.round,
		twoRounds: (row.election_round_count ?? 1) > 1,
		voterName: `${row.voter_given_name} ${row.voter_family_name}`,
		voterBirthDate: row.voter_birth_date
	};
}

// --- Refuse (§77) ---

export async function loadRefusal(event: RequestEvent, group: StaffGroup) {
	const ctx = await staffContext(event, group);
	const row = await loadOfficeRequest(ctx, event.params.id ?? '');
	if (row.state !== 'received') redirect(303, requestPath(group, row.id));
	const reasons = refusalReasonsFor(row.kind);
	const suggested = event.url.searchParams.get('duvod');
	return {
		base: group.base,
		request: requestSummary(row, ctx.locale),
		reasons: reasons.map((reason) => ({ reason, section: refusalReasonSection(reason, row.kind, row.deadline_key) })),
		suggested: suggested && (REFUSAL_REASON_NAMES as readonly string[]).includes(suggested) ? (suggested as RefusalReasonName) : null
	};
}

export function refusalActions(group: StaffGroup) {
	return {
		default: async (event: RequestEvent) => {
			const ctx = await staffContext(event, group);
			const row = await loadOfficeRequest(ctx, event.params.id ?? '');
			const parsed = parseStaffForm(refusalSchema, await event.request.formData(), REFUSAL_FIELDS);
			if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
			const result = await refuseRequest(ctx.db, { requestId: row.id, reason: parsed.data.reason, text: parsed.data.text }, ctx.actor, ctx.now);
			if (result.kind !== 'done') return actionProblem(result);
			redirect(303, `${requestPath(group, row.id)}?hotovo=zamitnuto`);
		}
	};
}

// --- Hand-over (§57(2)-(4)) ---

export async function loadHandOver(event: RequestEvent, group: StaffGroup) {
	const ctx = await staffContext(event, group);
	const row = await loadOfficeRequest(ctx, event.params.id ?? '');
	const card = row.kind === 'voter-card' ? await findVoterCardOfRequest(ctx.db, ctx.officeId, row.id) : undefined;
	if (!card || card.invalidated_at || card.handed_over_at) redirect(303, requestPath(group, row.id));
	const electionRow = row.election_id ? await findElectionById(ctx.db, row.election_id) : undefined;
	if (!electionRow) error(404, 'Not found');
	const election = toDomainElection(electionRow);
	const round = (row.round ?? 1) as Round;
	const limit = (key: 'voter-card-post-dispatch' | 'voter-card-pickup') => {
		const d = deadlineFor(election, key, round);
		return d ? { at: formatIsoWithOffset(d.at), open: isOnTime(ctx.now, d), section: d.section } : null;
	};
	const earliest = deadlineFor(election, 'voter-card-earliest-issue', round);
	return {
		base: group.base,
		request: requestSummary(row, ctx.locale),
		serial: card.serial,
		delivery: row.delivery,
		address: row.delivery_address_line
			? [
					row.delivery_address_line,
					`${row.delivery_postal_code ?? ''} ${row.delivery_city ?? ''}`.trim(),
					row.delivery_country_code ? countryName(row.delivery_country_code, ctx.locale) : ''
				].filter(Boolean)
			: null,
		proxy: row.proxy_name ? { name: row.proxy_name, birthDate: row.proxy_birth_date, note: row.power_of_attorney_note } : null,
		limits: {
			post: limit('voter-card-post-dispatch'),
			pickup: limit('voter-card-pickup'),
			earliest: earliest ? { at: formatIsoWithOffset(earliest.at), reached: !isOnTime(ctx.now, earliest), section: earliest.section } : null
		}
	};
}

export function handOverActions(group: StaffGroup) {
	return {
		default: async (event: RequestEvent) => {
			const ctx = await staffContext(event, group);
			const row = await loadOfficeRequest(ctx, event.params.id ?? '');
			const parsed = parseStaffForm(handOverSchema, await event.request.formData(), HAND_OVER_FIELDS);
			if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
			const d = parsed.data;
			const birthDate = d.method === 'proxy' ? dateFromParts(d.proxyBirthDateDay, d.proxyBirthDateMonth, d.proxyBirthDateYear) : null;
			const result = await recordVoterCardHandOver(
				ctx.db,
				{
					requestId: row.id,
					method: d.method,
					proxyName: d.method === 'proxy' ? d.proxyName : null,
					proxyBirthDate: birthDate,
					note: d.note || null,
					// Issue 12: stored as a batch dispatch stores it (consignment), so the voter sees it.
					consignmentNumber: d.method === 'post' ? d.consignmentNumber || null : null
				},
				ctx.actor,
				ctx.now
			);
			if (result.kind === 'invalid' && result.field === 'method') {
				return fail(400, { values: parsed.values, errors: { method: 'method_post_no_address' as const } });
			}
			if (result.kind === 'invalid' && result.field === 'consignmentNumber') {
				return fail(400, { values: parsed.values, errors: { consignmentNumber: 'consignment_format' as const } });
			}
			// A number recorded for another dispatch: refused, every typed value kept.
			if (result.kind === 'number-used') return fail(400, { values: parsed.values, errors: { consignmentNumber: 'consignment_used' as const } });
			if (result.kind !== 'done') return actionProblem(result);
			redirect(303, `${requestPath(group, row.id)}?hotovo=predano`);
		}
	};
}

// --- Loss or destruction (§23(3)) ---

export async function loadInvalidation(event: RequestEvent, group: StaffGroup) {
	const ctx = await staffContext(event, group);
	const row = await loadOfficeRequest(ctx, event.params.id ?? '');
	const card = row.kind === 'voter-card' ? await findVoterCardOfRequest(ctx.db, ctx.officeId, row.id) : undefined;
	if (!card || card.invalidated_at) redirect(303, requestPath(group, row.id));
	return { base: group.base, request: requestSummary(row, ctx.locale), serial: card.serial, handedOver: card.handed_over_at !== null };
}

export function invalidationActions(group: StaffGroup) {
	return {
		default: async (event: RequestEvent) => {
			const ctx = await staffContext(event, group);
			const row = await loadOfficeRequest(ctx, event.params.id ?? '');
			const parsed = parseStaffForm(invalidationSchema, await event.request.formData(), INVALIDATION_FIELDS);
			if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
			const result = await invalidateVoterCard(ctx.db, { requestId: row.id, reason: parsed.data.reason, note: parsed.data.note || null }, ctx.actor, ctx.now);
			if (result.kind !== 'done') return actionProblem(result);
			redirect(303, `${requestPath(group, row.id)}?hotovo=zneplatneno`);
		}
	};
}

// --- Documents ---

function pdfResponse(pdf: Buffer, filename: string): Response {
	return new Response(new Uint8Array(pdf), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `inline; filename="${filename}"`,
			'Content-Length': String(pdf.length),
			// personal data: never kept by a shared browser cache or a proxy
			'Cache-Control': 'private, no-store'
		}
	});
}

/** The voter card to print (decree 353/2025 §6); an invalidated card is gone (410). */
export async function voterCardDocument(event: RequestEvent, group: StaffGroup): Promise<Response> {
	const ctx = await staffContext(event, group);
	const row = await loadOfficeRequest(ctx, event.params.id ?? '');
	const result = await voterCardPdf(ctx.db, { officeId: ctx.officeId, requestId: row.id, now: ctx.now });
	if (result.kind === 'not-found') error(404, 'Not found');
	if (result.kind === 'invalidated') error(410, 'Gone');
	return pdfResponse(result.pdf, `volicsky-prukaz-${result.serial}.pdf`);
}

/** The written notice of a refusal (§77), in Czech. */
export async function refusalNoticeDocument(event: RequestEvent, group: StaffGroup): Promise<Response> {
	const ctx = await staffContext(event, group);
	const row = await loadOfficeRequest(ctx, event.params.id ?? '');
	const pdf = await officeRefusalNoticePdf(ctx.db, { officeId: ctx.officeId, requestId: row.id, now: ctx.now });
	if (!pdf) error(404, 'Not found');
	return pdfResponse(pdf, `oznameni-${row.reference}.pdf`);
}
