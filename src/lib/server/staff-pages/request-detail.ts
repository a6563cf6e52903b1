/**
 * The request detail page of a municipal office or an embassy, and its actions: accept,
 * issue the voter card. Refusal, hand-over and loss have their own one-question pages
 * (refusal-pages.ts). Every load and action checks the staff member (staffContext) and reads
 * only the office's own request: another office's id is the same 404 as an unknown one.
 */
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { DAY_COUNTED_RULES, deadlineFor, decisionDeadline, formatIsoWithOffset, isOnTime, parseIsoDate, PRAGUE, type DeadlineKey, type Round } from '../../domain';
import type { RefusalReasonName } from '../../forms/decisions';
import type { RefusalView } from '../../forms/refusal';
import { electionNow, fromDate } from '../clock';
import { countryName } from '../countries';
import { findElectionById, toDomainElection } from '../db/queries/elections';
import {
	findOfficeRequest,
	findVoterCardOfRequest,
	listRequestAuditTrail,
	type OfficeRequestRow,
	type VoterCardRow
} from '../db/queries/staff-requests';
import { cleanFreeText } from '../../forms/free-text';
import { findCorrectionOfRequest } from '../db/queries/corrections';
import { correctVoterList } from '../services/corrections';
import { acceptRequest, type DecisionResult } from '../services/decisions';
import { isUuid } from '../services/requests';
import { issueVoterCard, type VoterCardResult } from '../services/voter-cards';
import { staffContext, type StaffContext, type StaffGroup } from './context';

/** The outcome flashed on the detail page after an action (?hotovo=…). */
export const DONE_FLASHES = ['prijato', 'zamitnuto', 'vydano', 'predano', 'zneplatneno', 'podano', 'opraveno', 'vraceno'] as const;
export type DoneFlash = (typeof DONE_FLASHES)[number];

/** The detail page of a request: `${base}/zadosti/${id}`. */
export function requestPath(group: StaffGroup, requestId: string): string {
	return `${group.base}/zadosti/${requestId}`;
}

/** The office's own request, or a 404 for anything else (unknown, another office's, not an id). */
export async function loadOfficeRequest(ctx: StaffContext, requestId: string): Promise<OfficeRequestRow> {
	const row = isUuid(requestId) ? await findOfficeRequest(ctx.db, ctx.officeId, requestId) : undefined;
	if (!row) error(404, 'Not found');
	return row;
}

function iso(date: Date | null): string | null {
	return date ? date.toISOString() : null;
}

function pragueIso(date: Date): string {
	return formatIsoWithOffset(fromDate(date).toZonedDateTimeISO(PRAGUE));
}

function deadlineSection(key: string | null): string | null {
	return DAY_COUNTED_RULES.find((rule) => rule.key === key)?.section ?? null;
}

export interface HandOverDeadlinesView {
	post: { at: string; open: boolean; section: string } | null;
	pickup: { at: string; open: boolean; section: string } | null;
	/** §57(4): the earliest hand-over, where the election has one. */
	earliest: { at: string; reached: boolean; section: string } | null;
}

/** The instant as the request's election's clock reads it (issue 14: a rehearsal runs on its own). */
function requestNow(ctx: StaffContext, row: OfficeRequestRow) {
	return electionNow({ rehearsal: row.election_rehearsal === true, clock_offset_seconds: row.election_clock_offset_seconds ?? 0 }, ctx.now);
}

/** The hand-over limits of the card's election and round (§57(3), §57(4)), for the page to show. */
async function handOverDeadlines(ctx: StaffContext, row: OfficeRequestRow): Promise<HandOverDeadlinesView | null> {
	if (row.kind !== 'voter-card' || !row.election_id) return null;
	const electionRow = await findElectionById(ctx.db, row.election_id);
	if (!electionRow) return null;
	const election = toDomainElection(electionRow);
	const round = (row.round ?? 1) as Round;
	const now = requestNow(ctx, row);
	const view = (key: DeadlineKey) => {
		const d = deadlineFor(election, key, round);
		return d ? { at: formatIsoWithOffset(d.at), open: isOnTime(now, d), section: d.section } : null;
	};
	const earliest = deadlineFor(election, 'voter-card-earliest-issue', round);
	return {
		post: view('voter-card-post-dispatch'),
		pickup: view('voter-card-pickup'),
		earliest: earliest ? { at: formatIsoWithOffset(earliest.at), reached: !isOnTime(now, earliest), section: earliest.section } : null
	};
}

function cardView(card: VoterCardRow | undefined) {
	if (!card) return null;
	return {
		serial: card.serial,
		issuedAt: card.issued_at.toISOString(),
		issuedBy: card.issued_by_name,
		handoverMethod: card.handover_method,
		handedOverAt: iso(card.handed_over_at),
		handedOverBy: card.handed_over_by_name,
		handedOverTo: card.handed_over_to,
		handedOverNote: card.handed_over_note,
		handedOverProxyBirthDate: card.handed_over_proxy_birth_date,
		invalidatedAt: iso(card.invalidated_at),
		invalidationReason: card.invalidation_reason,
		invalidationNote: card.invalidation_note,
		invalidatedBy: card.invalidated_by_name
	};
}

export type RequestCardView = NonNullable<ReturnType<typeof cardView>>;

/** Everything the detail page shows, as plain data. */
export async function loadRequestDetail(event: RequestEvent, group: StaffGroup) {
	const ctx = await staffContext(event, group);
	const row = await loadOfficeRequest(ctx, event.params.id ?? '');
	const card = await findVoterCardOfRequest(ctx.db, ctx.officeId, row.id);
	const trail = await listRequestAuditTrail(ctx.db, ctx.officeId, { id: row.id, cardId: card?.id ?? null });
	// §23(5): what the voter asks to have corrected (the request is the office's own, read above).
	const correction = row.kind === 'voter-list-correction' ? await findCorrectionOfRequest(ctx.db, row.id) : undefined;
	const receivedAt = fromDate(row.received_at);
	// §77: a refusal is notified in writing within 3 days of the request.
	const decisionDue = decisionDeadline(receivedAt);
	const flash = event.url.searchParams.get('hotovo');
	const validCard = card && !card.invalidated_at ? card : undefined;

	return {
		base: group.base,
		officeKind: group.officeKind,
		rehearsal: row.election_rehearsal === true,
		flash: (DONE_FLASHES as readonly string[]).includes(flash ?? '') ? (flash as DoneFlash) : null,
		request: {
			id: row.id,
			reference: row.reference,
			kind: row.kind,
			state: row.state,
			electionTitle: ctx.locale === 'en' ? row.election_title_en : row.election_title_cs,
			round: row.round,
			twoRounds: (row.election_round_count ?? 1) > 1,
			channel: row.channel,
			delivery: row.delivery,
			address: row.delivery_address_line
				? [
						row.delivery_address_line,
						`${row.delivery_postal_code ?? ''} ${row.delivery_city ?? ''}`.trim(),
						row.delivery_country_code ? countryName(row.delivery_country_code, ctx.locale) : ''
					].filter(Boolean)
				: null,
			proxy: row.proxy_name
				? { name: row.proxy_name, birthDate: row.proxy_birth_date, note: row.power_of_attorney_note }
				: null,
			receivedAt: row.received_at.toISOString(),
			enteredBy: row.entered_by_name,
			deadline: row.deadline_at ? { key: row.deadline_key, at: pragueIso(row.deadline_at), section: deadlineSection(row.deadline_key) } : null,
			// §77: the last Prague day of the 3-day period; `passed` once that day is over.
			decisionDue: {
				lastDay: decisionDue.toZonedDateTimeISO(PRAGUE).subtract({ days: 1 }).toPlainDate().toString(),
				passed: !isOnTime(requestNow(ctx, row), { at: decisionDue.toZonedDateTimeISO(PRAGUE) })
			},
			decidedAt: iso(row.decided_at),
			decidedBy: row.decided_by_name,
			refusalReason: row.refusal_reason,
			refusalText: row.refusal_text
		},
		voter: {
			name: `${row.voter_given_name} ${row.voter_family_name}`,
			birthDate: row.voter_birth_date,
			address: [row.voter_address_line, `${row.voter_postal_code} ${row.voter_city}`.trim(), countryName(row.voter_country_code, ctx.locale)],
			onOfficeList: group.officeKind === 'embassy' ? row.voter_special_district_office_id === ctx.officeId : row.voter_municipal_office_id === ctx.officeId
		},
		correction: correction
			? { field: correction.field, statement: correction.statement, requested: correction.requested, before: correction.before_values, after: correction.after_values }
			: null,
		card: cardView(card),
		handOver: await handOverDeadlines(ctx, row),
		trail: trail.map((entry) => ({
			id: entry.id,
			at: entry.at.toISOString(),
			action: entry.action,
			actorKind: entry.actor_kind,
			actorName: entry.actor_name,
			after: (entry.after ?? null) as Record<string, unknown> | null
		})),
		actions: {
			decide: row.state === 'received',
			issue: row.kind === 'voter-card' && row.state === 'accepted',
			printCard: !!validCard,
			handOver: !!validCard && !validCard.handed_over_at,
			invalidate: !!validCard,
			notice: row.state === 'refused'
		}
	};
}

/** A refusal of the domain names a reason the office can record, where there is one. */
function refusalReasonFor(refusal: RefusalView): RefusalReasonName | null {
	switch (refusal.code) {
		case 'not-on-voter-list':
		case 'deadline-passed':
		case 'card-already-issued':
		case 'correspondence-package-already-issued':
		case 'wrong-office':
		case 'address-outside-jurisdiction':
		case 'excluded-country':
		case 'proxy-limit':
			return refusal.code;
		case 'not-registered-at-embassy':
			return 'not-on-voter-list';
		default:
			return null;
	}
}

/** A service's answer that is not a success, as what the page shows (409: the state is the reason). */
export function actionProblem(result: Exclude<DecisionResult | VoterCardResult, { kind: 'done' }>) {
	switch (result.kind) {
		case 'not-found':
			error(404, 'Not found');
		case 'forbidden':
			error(403, 'Forbidden');
		case 'already-decided':
			return fail(409, {
				problem: { kind: 'already-decided' as const, state: result.state, card: 'card' in result ? (result.card ?? null) : null, by: 'issuedBy' in result ? (result.issuedBy ?? null) : null }
			});
		case 'wrong-state':
			return fail(409, { problem: { kind: 'wrong-state' as const, state: result.state, card: null } });
		case 'invalidated':
			return fail(409, { problem: { kind: 'invalidated' as const, state: null, card: null } });
		case 'rule':
			return fail(409, { problem: { kind: 'rule' as const, refusal: result.refusal, suggestedReason: refusalReasonFor(result.refusal) } });
		case 'invalid':
			return fail(400, { problem: { kind: 'invalid' as const, field: result.field } });
		case 'number-used':
			return fail(400, { problem: { kind: 'invalid' as const, field: 'consignmentNumber' as const } });
		case 'undo-too-late':
			return fail(409, { problem: { kind: 'wrong-state' as const, state: 'completed' as const, card: null } });
	}
}

const CORRECTION_INPUTS = ['givenName', 'familyName', 'birthDate', 'line', 'city', 'postalCode', 'country'] as const;

/** The clerk's corrected values as typed (only the fields sent), or null when one cannot be stored. */
function correctionValues(form: FormData): Record<string, string> | null {
	const values: Record<string, string> = {};
	for (const name of CORRECTION_INPUTS) {
		const raw = form.get(name);
		if (typeof raw !== 'string') continue;
		const text = cleanFreeText(raw);
		if (text === null || text.length > 200) return null;
		if (name === 'birthDate' && !parseIsoDate(text)) return null;
		if (name === 'country' && !/^[A-Z]{2}$/.test(text.toUpperCase())) return null;
		values[name] = name === 'country' ? text.toUpperCase() : text;
	}
	return values;
}

export function requestDetailActions(group: StaffGroup) {
	return {
		/** Accept: the rules are checked again inside the service (decisions.ts). */
		prijmout: async (event: RequestEvent) => {
			const ctx = await staffContext(event, group);
			const row = await loadOfficeRequest(ctx, event.params.id ?? '');
			const result = await acceptRequest(ctx.db, { requestId: row.id }, ctx.actor, ctx.now);
			if (result.kind !== 'done') return actionProblem(result);
			redirect(303, `${requestPath(group, row.id)}?hotovo=prijato`);
		},
		/**
		 * Correct the voter list as the voter asked (§23(5)), or with the clerk's reading of it:
		 * the record and the decision change in one transaction (services/corrections.ts).
		 */
		opravit: async (event: RequestEvent) => {
			const ctx = await staffContext(event, group);
			const row = await loadOfficeRequest(ctx, event.params.id ?? '');
			const form = await event.request.formData();
			const values = correctionValues(form);
			if (!values) return fail(400, { problem: { kind: 'invalid' as const, field: 'text' } });
			const result = await correctVoterList(ctx.db, { requestId: row.id, values }, ctx.actor, ctx.now);
			if (result.kind !== 'done') return actionProblem(result);
			redirect(303, `${requestPath(group, row.id)}?hotovo=opraveno`);
		},
		/** Issue the voter card: the next serial of the office's evidence (§23(3)). */
		vydat: async (event: RequestEvent) => {
			const ctx = await staffContext(event, group);
			const row = await loadOfficeRequest(ctx, event.params.id ?? '');
			const result = await issueVoterCard(ctx.db, { requestId: row.id }, ctx.actor, ctx.now);
			if (result.kind !== 'done') return actionProblem(result);
			redirect(303, `${requestPath(group, row.id)}?hotovo=vydano`);
		}
	};
}
