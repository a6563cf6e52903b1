/**
 * What the envelope pages of issue 6 share: the election rounds an embassy receives return
 * envelopes for (§57a(1), §2(3)), the one the page works on (chosen, or the nearest), and the
 * reads the services leave to the pages (late envelopes, the protocol's names). The embassy's
 * pages (/urad/zastupitelsky-urad/{obalky,predani,kontrola}) and the commission's
 * (/urad/komise) start here.
 */
import { error } from '@sveltejs/kit';
import { Temporal } from 'temporal-polyfill';
import { allowsCorrespondence, returnEnvelopeDeadline, type Round } from '../../domain';
import { SET_ASIDE_GROUNDS } from '../../domain/envelopes';
import { renderHandoverPdf } from '../documents/handover';
import { electionNow } from '../clock';
import type { DbOrTrx } from '../db/index';
import { findCommissionClosureWithName, listLateEnvelopes, listOutcomeRecorders } from '../db/queries/envelope-lists';
import { findElectionById, findEmbassyById, listElections, listEmbassyVotingWindows, toDomainElection } from '../db/queries/elections';
import { findHandover } from '../db/queries/envelopes';
import type { StaffRole } from '../db/schema';
import { commissionResult, type CommissionResultCounts } from '../services/commission';
import {
	confirmHandoverAsChair,
	confirmHandoverAsHead,
	getHandoverRecord,
	receiptTime,
	votingOfRound,
	type ReceiptTime
} from '../services/envelopes';
import { COMMISSION_ROLES, EMBASSY_ROLES, actingOffice, type StaffActor } from '../services/staff-actor';
import { EMBASSY_GROUP, staffContext, type StaffContext, type StaffGroup } from './context';

export const COMMISSION_GROUP: StaffGroup = { base: '/urad/komise', roles: COMMISSION_ROLES, officeKind: 'embassy' };
export { EMBASSY_GROUP };

/** One election round in which the embassy votes and receives return envelopes. */
export interface EnvelopeRound {
	/** `${electionId}-${round}`: the value of the page's `volby` parameter. */
	key: string;
	electionId: string;
	round: Round;
	roundCount: number;
	titleCs: string;
	titleEn: string;
	/** §57c(4): the close of voting in the special district, as ReceiptTime (Prague and local). */
	closesAt: ReceiptTime;
	/** §57d(1) */
	votingClosed: boolean;
	/** A rehearsal (issue 14): the pages show the band and the election's own clock. */
	rehearsal: boolean;
	/** The election's clock offset from the portal clock, in seconds (0 for a real election). */
	clockOffsetSeconds: number;
}

export function roundKey(electionId: string, round: number): string {
	return `${electionId}-${round}`;
}

const KEY = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-([12])$/i;

export function parseRoundKey(value: string): { electionId: string; round: Round } | null {
	const match = KEY.exec(value);
	if (!match) return null;
	return { electionId: match[1]!.toLowerCase(), round: match[2] === '2' ? 2 : 1 };
}

/**
 * The rounds of elections with correspondence voting (§57a(1)) for which the embassy has
 * voting windows (§2(3)), in order of their first day.
 */
export async function listEnvelopeRounds(db: DbOrTrx, officeId: string, now: Temporal.Instant): Promise<EnvelopeRound[]> {
	const [elections, embassy] = await Promise.all([listElections(db, { officeId }), findEmbassyById(db, officeId)]);
	if (!embassy) return [];
	const out: EnvelopeRound[] = [];
	for (const election of elections) {
		if (!allowsCorrespondence(toDomainElection(election))) continue;
		const windows = await listEmbassyVotingWindows(db, election.id, officeId);
		for (const { round } of election.rounds) {
			const voting = votingOfRound(
				embassy.time_zone,
				round,
				windows.filter((w) => w.round === round)
			);
			if (!voting) continue;
			const closes = returnEnvelopeDeadline(voting);
			out.push({
				key: roundKey(election.id, round),
				electionId: election.id,
				round,
				roundCount: election.rounds.length,
				titleCs: election.title_cs,
				titleEn: election.title_en,
				closesAt: receiptTime(closes.toInstant(), embassy.time_zone),
				votingClosed: Temporal.Instant.compare(electionNow(election, now), closes.toInstant()) >= 0,
				rehearsal: election.rehearsal,
				clockOffsetSeconds: election.rehearsal ? election.clock_offset_seconds : 0
			});
		}
	}
	return out;
}

/** The round whose close of voting is nearest to now, before or after it. */
export function nearestRound(rounds: readonly EnvelopeRound[], now: Temporal.Instant): EnvelopeRound | null {
	let best: EnvelopeRound | null = null;
	let bestDistance = Infinity;
	for (const r of rounds) {
		// Each round on its election's clock: a rehearsal standing at its close of voting is nearest.
		const distance = Math.abs(Temporal.Instant.from(r.closesAt.prague).epochMilliseconds - (now.epochMilliseconds + r.clockOffsetSeconds * 1000));
		if (distance < bestDistance) {
			best = r;
			bestDistance = distance;
		}
	}
	return best;
}

export interface EnvelopePageContext extends StaffContext {
	rounds: EnvelopeRound[];
	/** Null only when the embassy votes in no round with correspondence voting. */
	selected: EnvelopeRound | null;
	timeZone: string;
}

interface PageEvent {
	locals: App.Locals;
	url: URL;
}

/**
 * The staff member (requireStaff, via staffContext), the rounds and the one chosen with
 * `?volby=`, else the nearest. A `volby` that is not one of the office's rounds is a 404,
 * like any unknown id.
 */
export async function envelopePageContext(event: PageEvent, group: StaffGroup): Promise<EnvelopePageContext> {
	const ctx = await staffContext(event, group);
	const [rounds, embassy] = await Promise.all([listEnvelopeRounds(ctx.db, ctx.officeId, ctx.now), findEmbassyById(ctx.db, ctx.officeId)]);
	if (!embassy) error(403, 'Forbidden');
	const wanted = event.url.searchParams.get('volby');
	let selected: EnvelopeRound | null;
	if (wanted !== null && wanted !== '') {
		selected = rounds.find((r) => r.key === wanted.toLowerCase()) ?? null;
		if (!selected) error(404, 'Not found');
	} else {
		// A real round by default; a rehearsal's only when chosen or when there is no real one (issue 14).
		selected = nearestRound(rounds.filter((r) => !r.rehearsal), ctx.now) ?? nearestRound(rounds, ctx.now);
	}
	return { ...ctx, rounds, selected, timeZone: embassy.time_zone };
}

/** The rounds as the select shows them, in the page's language. */
export function roundOptions(rounds: readonly EnvelopeRound[], locale: 'cs' | 'en', roundLabel: (round: number) => string) {
	return rounds.map((r) => ({
		value: r.key,
		label: `${locale === 'en' ? r.titleEn : r.titleCs}${r.roundCount > 1 ? ` – ${roundLabel(r.round)}` : ''}`
	}));
}

export function roundTitle(r: EnvelopeRound, locale: 'cs' | 'en', roundLabel: (round: number) => string): string {
	return `${locale === 'en' ? r.titleEn : r.titleCs}${r.roundCount > 1 ? ` – ${roundLabel(r.round)}` : ''}`;
}

// --- Reads for the pages ---

export interface LateEnvelope {
	id: string;
	code: string;
	receivedAt: ReceiptTime;
	storageBatch: string | null;
}

export type LateEnvelopesResult = { kind: 'late'; envelopes: LateEnvelope[] } | { kind: 'forbidden' };

/** §57c(5): the late envelopes of the actor's embassy for a round, kept apart and never counted. */
export async function lateEnvelopes(
	db: DbOrTrx,
	input: { electionId: string; round: number },
	actor: StaffActor,
	timeZone: string
): Promise<LateEnvelopesResult> {
	const officeId = actingOffice(actor, [...EMBASSY_ROLES, ...COMMISSION_ROLES]);
	if (!officeId) return { kind: 'forbidden' };
	const rows = await listLateEnvelopes(db, officeId, input.electionId, input.round);
	return {
		kind: 'late',
		envelopes: rows.map((r) => ({ id: r.id, code: r.envelope_code, receivedAt: receiptTime(r.received_at, timeZone), storageBatch: r.storage_batch }))
	};
}

export interface CommissionProtocolFacts {
	final: boolean;
	counts: CommissionResultCounts;
	openedAt: Temporal.Instant | null;
	openedBy: string | null;
	recorders: { name: string; role: StaffRole; recorded: number }[];
}

export type CommissionProtocolResult = { kind: 'protocol'; facts: CommissionProtocolFacts } | { kind: 'not-found' } | { kind: 'forbidden' };

/** What the commission's protocol states (§57d): the result, who recorded it, when the box was opened. */
export async function commissionProtocolFacts(
	db: DbOrTrx,
	input: { electionId: string; round: number },
	actor: StaffActor
): Promise<CommissionProtocolResult> {
	const result = await commissionResult(db, input, actor);
	if (result.kind !== 'result') return result;
	const officeId = actor.officeId!;
	const [recorders, closure] = await Promise.all([
		listOutcomeRecorders(db, officeId, input.electionId, input.round),
		findCommissionClosureWithName(db, officeId, input.electionId, input.round)
	]);
	return {
		kind: 'protocol',
		facts: {
			final: result.final,
			counts: result.counts,
			openedAt: closure ? Temporal.Instant.fromEpochMilliseconds(closure.ballot_box_opened_at.getTime()) : null,
			openedBy: closure?.opened_by_name ?? null,
			recorders: recorders.map((r) => ({ name: r.display_name, role: r.role, recorded: r.recorded }))
		}
	};
}

// --- Hand-over records (§57c(4)): the embassy's head and the commission's chair each confirm ---

export type HandoverSide = 'head' | 'chair';

/** The grounds of §57d(2) in the page's language, with the domain's wording. */
export function groundOptions(locale: 'cs' | 'en') {
	return SET_ASIDE_GROUNDS.map((g) => ({ ground: g.ground, section: g.section, text: locale === 'en' ? g.en : g.cs }));
}

interface RecordEvent extends PageEvent {
	params: { id: string };
}

/**
 * A hand-over record of the staff member's office, for its page or PDF: the record, the
 * number of rounds of its election and its round's key. Another office's id is a 404.
 */
export async function loadHandover(event: RecordEvent, group: StaffGroup) {
	const ctx = await staffContext(event, group);
	const result = await getHandoverRecord(ctx.db, { handoverId: event.params.id }, ctx.actor);
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	if (result.kind === 'not-found') error(404, 'Not found');
	const row = await findHandover(ctx.db, ctx.officeId, result.record.id);
	const election = row ? await findElectionById(ctx.db, row.election_id) : undefined;
	if (!row || !election) error(404, 'Not found');
	return { ctx, record: result.record, roundCount: election.rounds.length, key: roundKey(row.election_id, row.round), rehearsal: election.rehearsal };
}

/** §57c(4): one side confirms; the answer as the page shows it. */
export async function confirmHandoverSide(event: RecordEvent, group: StaffGroup, side: HandoverSide) {
	const ctx = await staffContext(event, group);
	const input = { handoverId: event.params.id };
	const result =
		side === 'head'
			? await confirmHandoverAsHead(ctx.db, input, ctx.actor, ctx.now)
			: await confirmHandoverAsChair(ctx.db, input, ctx.actor, ctx.now);
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	if (result.kind === 'not-found') error(404, 'Not found');
	return result;
}

/** The record as a PDF response (§57c(4)), in the page's language. */
export async function handoverPdfResponse(event: RecordEvent, group: StaffGroup): Promise<Response> {
	const { ctx, record, roundCount, rehearsal } = await loadHandover(event, group);
	const pdf = await renderHandoverPdf(record, ctx.locale, { roundCount, generatedAt: ctx.now, rehearsal });
	return new Response(new Uint8Array(pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `inline; filename="predani-obalek-${record.id}.pdf"`,
			'cache-control': 'no-store'
		}
	});
}
