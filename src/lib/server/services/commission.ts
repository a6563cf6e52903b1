/**
 * The special commission (issue 6): opening the envelopes handed over (§57d), recording
 * each outcome, opening the ballot box (§57d(6)) and the result. Every function answers
 * with a result a page can render; expected outcomes never throw. The commission of one
 * embassy sees only its own envelopes; a clerk records no outcome.
 *
 * The ballot stays secret (§57d(4)): nothing here stores anything that could link an
 * accepted envelope to a ballot; the portal never sees a ballot at all.
 */
import type { Temporal } from 'temporal-polyfill';
import { csvDocument } from '../../csv';
import { isVotingClosed, type Round } from '../../domain';
import {
	SET_ASIDE_GROUNDS,
	allowedOutcomes,
	checkBallotBoxOpening,
	checkEnvelopeOpening,
	checkOutcome,
	envelopeHints,
	isSetAsideGround,
	parseEnvelopeCode,
	setAsideGroundRule,
	type EnvelopeHint,
	type EnvelopeOpeningState,
	type EnvelopeOutcome,
	type OutcomeRefusalReason,
	type SetAsideGround
} from '../../domain/envelopes';
import { electionNow, toDate } from '../clock';
import type { Db, DbOrTrx } from '../db/index';
import {
	countEnvelopesToDealWith,
	countOutcomes,
	findCommissionClosure,
	findEnvelopeForOpening,
	insertCommissionClosure,
	insertVotingMark,
	listEnvelopesForOpening,
	listOutcomesToNotify,
	listVotingWindowsOfRound,
	setVoterSpecialDistrict,
	updateEnvelopeOutcome
} from '../db/queries/envelopes';
import { appendAudit } from './audit';
import { isUuid } from './calendar';
import { asRound, isRound, receiptTime, votingOfRound, type ReceiptTime } from './envelopes';
import { queueVoterNotification } from './notifications';
import { m } from '../../paraglide/messages.js';
import { COMMISSION_ROLES, actingOffice, type StaffActor } from './staff-actor';

type Forbidden = { kind: 'forbidden' };
const FORBIDDEN: Forbidden = { kind: 'forbidden' };

type EnvelopeRow = NonNullable<Awaited<ReturnType<typeof findEnvelopeForOpening>>>;

function openingState(row: EnvelopeRow, votingClosed: boolean): EnvelopeOpeningState {
	return {
		late: row.late,
		handedOver: row.handover_id !== null && row.handover_confirmed,
		votingClosed,
		ballotBoxOpened: Boolean(row.ballot_box_opened),
		outcome: row.outcome,
		voterAlreadyVoted: row.voting_mark_method !== null
	};
}

// --- One envelope ---

export interface EnvelopeForOpening {
	id: string;
	code: string;
	round: Round;
	receivedAt: ReceiptTime;
	storageBatch: string | null;
	/** To compare with the ID slip (§57d(2)(a)). */
	voter: { givenName: string; familyName: string; birthDate: string };
	/** What the portal already knows (§57d(2)(d), (e), §57d(5)). */
	hints: EnvelopeHint[];
	/** What the member may record now; empty once recorded or frozen. */
	allowedOutcomes: EnvelopeOutcome[];
	outcome: EnvelopeOutcome | null;
	ground: SetAsideGround | null;
	/** §57d(6): the ballot box is open, the outcome is final. */
	frozen: boolean;
	/** Issue 14: the envelope belongs to a rehearsal (the page shows the band). */
	rehearsal: boolean;
}

export type EnvelopeForOpeningResult =
	| { kind: 'found'; envelope: EnvelopeForOpening }
	| { kind: 'invalid-code'; reason: 'length' | 'character' | 'check' }
	| { kind: 'not-found' }
	/** §57c(5): kept unopened, never counted. */
	| { kind: 'late'; section: string }
	/** §57c(4): not on a hand-over record confirmed by the head and the chair. */
	| { kind: 'not-handed-over'; section: string }
	/** §57d(1) */
	| { kind: 'voting-not-closed'; section: string }
	| { kind: 'voting-not-configured' }
	| Forbidden;

/**
 * §57d: an envelope the commission may open, scanned or picked from the list, with what
 * the portal knows about its voter — only after voting has closed in the special district
 * and only for envelopes handed over on a confirmed record.
 */
export async function getEnvelopeForOpening(
	db: DbOrTrx,
	input: { code: string } | { envelopeId: string },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<EnvelopeForOpeningResult> {
	const officeId = actingOffice(actor, COMMISSION_ROLES);
	if (!officeId) return FORBIDDEN;
	let by: { code: string } | { envelopeId: string };
	if ('code' in input) {
		const parsed = parseEnvelopeCode(input.code);
		if (!parsed.ok) return { kind: 'invalid-code', reason: parsed.reason };
		by = { code: parsed.code };
	} else {
		if (!isUuid(input.envelopeId)) return { kind: 'not-found' };
		by = { envelopeId: input.envelopeId };
	}
	const row = await findEnvelopeForOpening(db, officeId, by);
	if (!row) return { kind: 'not-found' };
	const voting = votingOfRound(row.time_zone, row.round, row.windows);
	now = electionNow(row, now);
	if (!voting) return { kind: 'voting-not-configured' };
	const state = openingState(row, isVotingClosed(now, voting));
	const check = checkEnvelopeOpening(state);
	if (!check.ok && (check.reason === 'late' || check.reason === 'not-handed-over' || check.reason === 'voting-not-closed')) {
		return { kind: check.reason, section: check.section };
	}
	return {
		kind: 'found',
		envelope: {
			id: row.id,
			code: row.envelope_code,
			round: asRound(row.round),
			receivedAt: receiptTime(row.received_at, row.time_zone),
			storageBatch: row.storage_batch,
			voter: { givenName: row.given_name, familyName: row.family_name, birthDate: row.birth_date },
			hints: envelopeHints({
				voterCardIssued: Boolean(row.voter_card_issued),
				alreadyVoted: row.voting_mark_method,
				onEmbassyList: row.special_district_office_id === officeId
			}),
			allowedOutcomes: allowedOutcomes(state),
			outcome: row.outcome,
			ground: row.set_aside_ground,
			frozen: state.ballotBoxOpened,
			rehearsal: row.rehearsal
		}
	};
}

export interface RecordOutcomeInput {
	envelopeId: string;
	outcome: string;
	ground?: string | null;
}

export type RecordOutcomeResult =
	| { kind: 'recorded'; envelopeId: string; outcome: EnvelopeOutcome; ground: SetAsideGround | null; addedToList: boolean }
	| { kind: OutcomeRefusalReason; section: string }
	| { kind: 'invalid-outcome' }
	| { kind: 'invalid-ground' }
	| { kind: 'not-found' }
	| { kind: 'voting-not-configured' }
	| Forbidden;

class Refused extends Error {
	constructor(readonly result: RecordOutcomeResult) {
		super(result.kind);
	}
}

/**
 * §57d(2)–(5): records what the commission found in one envelope. Accepted: the voter is
 * marked in the list as having voted by correspondence, after being added to the embassy's
 * list if they are not on it (§57d(5)). Set aside: with its ground a–e. Only once per
 * envelope — of two members recording it at the same moment exactly one wins — and never
 * after the ballot box is open (§57d(6)).
 */
export async function recordOutcome(
	db: Db,
	input: RecordOutcomeInput,
	actor: StaffActor,
	now: Temporal.Instant
): Promise<RecordOutcomeResult> {
	const officeId = actingOffice(actor, COMMISSION_ROLES);
	if (!officeId) return FORBIDDEN;
	if (input.outcome !== 'accepted' && input.outcome !== 'set-aside') return { kind: 'invalid-outcome' };
	const outcome: EnvelopeOutcome = input.outcome;
	const rawGround = input.ground ?? null;
	if (rawGround !== null && rawGround !== '' && !isSetAsideGround(rawGround)) return { kind: 'invalid-ground' };
	const ground: SetAsideGround | null = isSetAsideGround(rawGround) ? rawGround : null;
	if (!isUuid(input.envelopeId)) return { kind: 'not-found' };

	const row = await findEnvelopeForOpening(db, officeId, { envelopeId: input.envelopeId });
	if (!row) return { kind: 'not-found' };
	const voting = votingOfRound(row.time_zone, row.round, row.windows);
	now = electionNow(row, now);
	if (!voting) return { kind: 'voting-not-configured' };
	const check = checkOutcome(openingState(row, isVotingClosed(now, voting)), outcome, ground);
	if (!check.ok) return { kind: check.reason, section: check.section };
	const addToList = outcome === 'accepted' && row.special_district_office_id !== officeId;
	const at = toDate(now);

	try {
		return await db.transaction().execute(async (trx) => {
			const updated = await updateEnvelopeOutcome(trx, { officeId, envelopeId: row.id, outcome, ground, at, by: actor.id });
			if (!updated) {
				const again = await findEnvelopeForOpening(trx, officeId, { envelopeId: row.id });
				throw new Refused(
					again?.ballot_box_opened
						? { kind: 'ballot-box-opened', section: '§57d(6)' }
						: { kind: 'already-recorded', section: '§57d(2)' }
				);
			}
			if (outcome === 'accepted') {
				if (addToList) {
					// §57d(5): a voter not on the list is added from the embassy's data first. A rehearsal
					// never changes the real voter list (issue 14): it records what the count would do.
					if (!row.rehearsal) await setVoterSpecialDistrict(trx, row.voter_id, officeId, at);
					await appendAudit(trx, {
						actor,
						action: 'voter.add-to-special-district',
						entityType: 'voter',
						entityId: row.voter_id,
						before: { specialDistrictOfficeId: row.special_district_office_id },
						after: { specialDistrictOfficeId: officeId, section: '§57d(5)', ...(row.rehearsal ? { rehearsal: true, listUnchanged: true } : {}) },
						at: now
					});
				}
				// §57d(3): marked as having voted by correspondence; the primary key refuses a second mark.
				const marked = await insertVotingMark(trx, {
					voterId: row.voter_id,
					electionId: row.election_id,
					round: row.round,
					method: 'correspondence',
					at,
					by: actor.id
				});
				if (!marked) throw new Refused({ kind: 'voter-already-voted', section: '§57d(2)(e)' });
			}
			await appendAudit(trx, {
				actor,
				action: 'return-envelope.record-outcome',
				entityType: 'return_envelope',
				entityId: row.id,
				after: { outcome, ground },
				at: now
			});
			return { kind: 'recorded' as const, envelopeId: row.id, outcome, ground, addedToList: addToList };
		});
	} catch (error) {
		if (error instanceof Refused) return error.result;
		throw error;
	}
}

// --- Progress and the ballot box ---

export interface CommissionEnvelopeRow {
	id: string;
	code: string;
	receivedAt: ReceiptTime;
	outcome: EnvelopeOutcome | null;
	ground: SetAsideGround | null;
}

export type CommissionProgressResult =
	| {
			kind: 'progress';
			envelopes: CommissionEnvelopeRow[];
			processed: number;
			remaining: number;
			/** Envelopes received on time that the embassy has not yet handed over on a confirmed record. */
			awaitingHandover: number;
			votingClosed: boolean;
			ballotBoxOpened: boolean;
	  }
	| { kind: 'not-found' }
	| Forbidden;

/** The envelopes handed over for one round, processed and remaining. */
export async function commissionProgress(
	db: DbOrTrx,
	input: { electionId: string; round: number },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<CommissionProgressResult> {
	const officeId = actingOffice(actor, COMMISSION_ROLES);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.electionId) || !isRound(input.round)) return { kind: 'not-found' };
	const { electionId, round } = input;
	const windows = await listVotingWindowsOfRound(db, officeId, electionId, round);
	const voting = windows ? votingOfRound(windows.time_zone, round, windows.windows) : null;
	if (!windows || !voting) return { kind: 'not-found' };
	// §57d(1), §57d(6): voting has closed on the election's clock.
	now = electionNow(windows, now);
	const [rows, remaining, closure] = await Promise.all([
		listEnvelopesForOpening(db, officeId, electionId, round),
		countEnvelopesToDealWith(db, officeId, electionId, round),
		findCommissionClosure(db, officeId, electionId, round)
	]);
	const processed = rows.filter((r) => r.outcome !== null).length;
	return {
		kind: 'progress',
		envelopes: rows.map((r) => ({
			id: r.id,
			code: r.envelope_code,
			receivedAt: receiptTime(r.received_at, windows.time_zone),
			outcome: r.outcome,
			ground: r.set_aside_ground
		})),
		processed,
		remaining: rows.length - processed,
		// Handed over on a record not yet confirmed by both, or not handed over at all.
		awaitingHandover: remaining.awaiting_handover + (remaining.unprocessed - (rows.length - processed)),
		votingClosed: isVotingClosed(now, voting),
		ballotBoxOpened: closure !== undefined
	};
}

export type OpenBallotBoxResult =
	| { kind: 'opened'; openedAt: ReceiptTime; notified: number }
	| { kind: 'already-opened'; section: string }
	| { kind: 'voting-not-closed'; section: string }
	/** §57d(6): some envelope is not dealt with yet, or still held by the embassy. */
	| { kind: 'envelopes-remaining'; section: string; unprocessed: number; awaitingHandover: number }
	| { kind: 'not-found' }
	| Forbidden;

class NotOpened extends Error {
	constructor(readonly result: OpenBallotBoxResult) {
		super(result.kind);
	}
}

/**
 * §57d(6): the chair opens the ballot box once every envelope has been dealt with; the
 * outcomes are final from then on, and the voters who gave an e-mail address are told
 * whether their envelope was counted or set aside (and on which ground).
 */
export async function openBallotBox(
	db: Db,
	input: { electionId: string; round: number },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<OpenBallotBoxResult> {
	const officeId = actingOffice(actor, ['commission-chair']);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.electionId) || !isRound(input.round)) return { kind: 'not-found' };
	const { electionId, round } = input;
	const windows = await listVotingWindowsOfRound(db, officeId, electionId, round);
	const voting = windows ? votingOfRound(windows.time_zone, round, windows.windows) : null;
	if (!windows || !voting) return { kind: 'not-found' };
	// §57d(1), §57d(6): voting has closed on the election's clock.
	now = electionNow(windows, now);

	try {
		return await db.transaction().execute(async (trx) => {
			const [closure, remaining] = await Promise.all([
				findCommissionClosure(trx, officeId, electionId, round),
				countEnvelopesToDealWith(trx, officeId, electionId, round)
			]);
			const check = checkBallotBoxOpening({
				votingClosed: isVotingClosed(now, voting),
				alreadyOpened: closure !== undefined,
				unprocessed: remaining.unprocessed,
				awaitingHandover: remaining.awaiting_handover
			});
			if (!check.ok) {
				throw new NotOpened(
					check.reason === 'envelopes-remaining'
						? { kind: check.reason, section: check.section, unprocessed: remaining.unprocessed, awaitingHandover: remaining.awaiting_handover }
						: { kind: check.reason, section: check.section }
				);
			}
			const opened = await insertCommissionClosure(trx, { officeId, electionId, round, at: toDate(now), by: actor.id });
			if (!opened) throw new NotOpened({ kind: 'already-opened', section: '§57d(6)' });

			let notified = 0;
			for (const n of await listOutcomesToNotify(trx, officeId, electionId, round)) {
				const rule = n.set_aside_ground ? setAsideGroundRule(n.set_aside_ground) : null;
				const queued = await queueVoterNotification(trx, {
					voterId: n.voter_id,
					kind: n.outcome === 'accepted' ? 'envelope-counted' : 'envelope-set-aside',
					reference: n.reference,
					details: rule ? (locale) => ({ [m.mail_detail_ground({}, { locale })]: `${rule.section}: ${locale === 'en' ? rule.en : rule.cs}` }) : undefined
				});
				if (queued) notified++;
			}
			await appendAudit(trx, {
				actor,
				action: 'commission.open-ballot-box',
				entityType: 'commission_closure',
				entityId: `${officeId}/${electionId}/${round}`,
				after: { electionId, round, notified },
				at: now
			});
			return { kind: 'opened' as const, openedAt: receiptTime(now, windows.time_zone), notified };
		});
	} catch (error) {
		if (error instanceof NotOpened) return error.result;
		// Two chairs at the same moment: the primary key lets one through.
		throw error;
	}
}

// --- Result ---

export interface CommissionResultCounts {
	handedOver: number;
	accepted: number;
	setAside: number;
	byGround: Record<SetAsideGround, number>;
	unprocessed: number;
	/** §57c(5): kept unopened, never counted; shown for completeness. */
	late: number;
}

export type CommissionResultResult =
	| { kind: 'result'; round: Round; final: boolean; counts: CommissionResultCounts }
	| { kind: 'not-found' }
	| Forbidden;

/** Counts by outcome and ground (§57d(2)); final once the ballot box is open (§57d(6)). */
export async function commissionResult(
	db: DbOrTrx,
	input: { electionId: string; round: number },
	actor: StaffActor
): Promise<CommissionResultResult> {
	const officeId = actingOffice(actor, COMMISSION_ROLES);
	if (!officeId) return FORBIDDEN;
	if (!isUuid(input.electionId) || !isRound(input.round)) return { kind: 'not-found' };
	const { electionId, round } = input;
	const windows = await listVotingWindowsOfRound(db, officeId, electionId, round);
	if (!windows || windows.windows.length === 0) return { kind: 'not-found' };
	const [c, closure] = await Promise.all([
		countOutcomes(db, officeId, electionId, round),
		findCommissionClosure(db, officeId, electionId, round)
	]);
	return {
		kind: 'result',
		round,
		final: closure !== undefined,
		counts: {
			handedOver: c.handed_over,
			accepted: c.accepted,
			setAside: c.set_aside,
			byGround: { a: c.ground_a, b: c.ground_b, c: c.ground_c, d: c.ground_d, e: c.ground_e },
			unprocessed: c.unprocessed,
			late: c.late
		}
	};
}

export type ResultCsvResult = { kind: 'csv'; filename: string; body: string } | { kind: 'not-found' } | Forbidden;

/** The result as CSV (RFC 4180, UTF-8, CRLF): one row per outcome and ground, with the §. */
export async function resultCsv(
	db: DbOrTrx,
	input: { electionId: string; round: number },
	actor: StaffActor
): Promise<ResultCsvResult> {
	const result = await commissionResult(db, input, actor);
	if (result.kind !== 'result') return result;
	const { counts } = result;
	const rows: (string | number)[][] = [
		['outcome', 'ground', 'section', 'description_cs', 'description_en', 'count'],
		['handed-over', '', '§57c(4)', 'Předáno komisi', 'Handed over to the commission', counts.handedOver],
		['accepted', '', '§57d(3)', 'Úřední obálka vložena do volební schránky', 'Official envelope put in the ballot box', counts.accepted],
		...SET_ASIDE_GROUNDS.map((g) => ['set-aside', g.ground, g.section, g.cs, g.en, counts.byGround[g.ground]]),
		['set-aside', '', '§57d(2)', 'Vyřazeno celkem', 'Set aside in total', counts.setAside],
		['unprocessed', '', '§57d(6)', 'Dosud nezpracováno', 'Not yet dealt with', counts.unprocessed],
		['late', '', '§57c(5)', 'Doručeno po skončení hlasování, nezapočítává se', 'Arrived after the close of voting, never counted', counts.late]
	];
	return {
		kind: 'csv',
		filename: `vysledek-komise-${input.electionId}-kolo-${result.round}${result.final ? '' : '-predbezny'}.csv`,
		body: csvDocument(rows)
	};
}
