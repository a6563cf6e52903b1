/**
 * Voter cards (issue 5): issue with the next serial of the office's evidence (§23(3)), record
 * the hand-over (§57(3), §57(4)), invalidate a card reported lost or destroyed. One function
 * per use-case; each checks the law through src/lib/domain, changes the rows, writes the
 * audit entry and, where the voter has something to learn, the e-mail in ONE transaction.
 *
 * The request moves accepted → issued (card issued) → completed (handed over). Every change
 * is a conditional update, so of two clerks acting at the same moment exactly one succeeds
 * and the other gets `already-decided`.
 */
import type { Temporal } from 'temporal-polyfill';
import { checkConsignmentNumber, checkVoterCardHandOver, undoAllowed, checkVoterCardRequest, voterListFor, type Election, type Round, type VoterCardDelivery } from '../../domain';
import { NOTE_MAX } from '../../forms/decisions';
import type { RefusalView } from '../../forms/refusal';
import { electionNow, fromDate, toDate } from '../clock';
import { isUniqueViolation } from '../db/errors';
import type { Db, Trx } from '../db/index';
import { deleteConsignmentOfRequest, updateVoterCardHandOverUndone } from '../db/queries/batches';
import { findElectionById, toDomainElection, type ElectionWithRounds } from '../db/queries/elections';
import { listCorrespondencePackagesIssuedToVoter, listVoterCardsIssuedToVoter } from '../db/queries/requests';
import {
	drawOfficeSerial,
	findOfficeRequest,
	findOfficeRequestState,
	findVoterCardOfRequest,
	insertVoterCard,
	lockVoter,
	updateRequestStateFrom,
	updateVoterCardHandedOver,
	updateVoterCardInvalidated,
	type OfficeRequestRow
} from '../db/queries/staff-requests';
import type { RequestState } from '../db/schema';
import { appendAudit } from './audit';
import { batchAudit, markBatchItemDone, type BatchItemOptions } from './batches/mark';
import { consignmentDetails, recordConsignment } from './consignments';
import { DECIDING_ROLES } from './decisions';
import { queueVoterNotification } from './notifications';
import { isUuid, refusalView } from './requests';
import { findVoterCardIssuer } from '../db/queries/staff-requests';
import { actingOffice, type StaffActor } from './staff-actor';

/** §23(3): the office's evidence of voter cards is one counter per office. */
export const VOTER_CARD_COUNTER = 'voter-card';

/**
 * A rehearsal numbers its cards with a counter of its own, so that a real card's serial never
 * jumps (§23(3)) and a reset rehearsal starts again from 1.
 */
export function voterCardCounterOf(election: { id: string; rehearsal: boolean }): string {
	return election.rehearsal ? `voter-card:rehearsal:${election.id}` : VOTER_CARD_COUNTER;
}

export type VoterCardResult =
	| { kind: 'done'; requestId: string; reference: string; cardId: string; serial: number }
	/** Unknown id, another office's request, or a request that is not for a voter card: the same answer. */
	| { kind: 'not-found' }
	| { kind: 'forbidden' }
	/** Someone acted first: the request is in `state` now (and the card, if any, as `card` says). */
	| { kind: 'already-decided'; reference: string; state: RequestState; card?: 'handed-over' | 'invalidated'; issuedBy?: string }
	/** The request is not in the state this step needs (e.g. not yet accepted). */
	| { kind: 'wrong-state'; reference: string; state: RequestState }
	/** The card was invalidated as lost or destroyed: it is never handed over, and never re-issued. */
	| { kind: 'invalidated'; reference: string }
	/** A rule of the law refuses the step, naming the section and the deadline (§78(3)). */
	| { kind: 'rule'; refusal: RefusalView }
	/** The consignment number was recorded for another dispatch (issue 12). */
	| { kind: 'number-used'; reference: string; number: string }
	/** The dispatch is not this office's to undo, or not on the day it was recorded (issue 12). */
	| { kind: 'undo-too-late'; reference: string }
	| { kind: 'invalid'; field: 'method' | 'proxyName' | 'proxyBirthDate' | 'note' | 'reason' | 'consignmentNumber' };

/** Thrown inside a transaction to roll it back and answer with a result. */
class Abort extends Error {
	constructor(readonly result: VoterCardResult) {
		super(result.kind);
	}
}

async function loadElection(trx: Trx, electionId: string | null): Promise<{ election: Election; row: ElectionWithRounds }> {
	const row = electionId ? await findElectionById(trx, electionId) : undefined;
	if (!row) throw new Error(`Voter card request refers to no election (${electionId})`);
	return { election: toDomainElection(row), row };
}

async function voterCardRequest(trx: Trx, officeId: string, requestId: string): Promise<OfficeRequestRow> {
	const row = await findOfficeRequest(trx, officeId, requestId);
	if (!row || row.kind !== 'voter-card') throw new Abort({ kind: 'not-found' });
	return row;
}

async function changedMeanwhile(trx: Trx, officeId: string, requestId: string, card?: 'handed-over' | 'invalidated'): Promise<never> {
	const now = await findOfficeRequestState(trx, officeId, requestId);
	throw new Abort(
		now ? { kind: 'already-decided', reference: now.reference, state: now.state, ...(card ? { card } : {}) } : { kind: 'not-found' }
	);
}

/** Who issued the request's card, for "already issued by …" (nothing when no card exists). */
async function issuerOf(trx: Trx, requestId: string): Promise<{ issuedBy?: string }> {
	const by = await findVoterCardIssuer(trx, requestId);
	return by ? { issuedBy: by } : {};
}

async function run(db: Db, actor: StaffActor, requestId: string, work: (trx: Trx, officeId: string) => Promise<VoterCardResult>): Promise<VoterCardResult> {
	const officeId = actingOffice(actor, DECIDING_ROLES);
	if (!officeId) return { kind: 'forbidden' };
	if (!isUuid(requestId)) return { kind: 'not-found' };
	try {
		return await db.transaction().execute((trx) => work(trx, officeId));
	} catch (error) {
		if (error instanceof Abort) return error.result;
		throw error;
	}
}

// --- Issue ---

/**
 * Issues the voter card of an accepted request: the next serial of the office's evidence
 * (§23(3)), one card per voter, election and round (§57(1), §57(5); UNIQUE in the database),
 * and none once a correspondence package was issued for the election (§57(1) as amended).
 */
export async function issueVoterCard(
	db: Db,
	input: { requestId: string },
	actor: StaffActor,
	now: Temporal.Instant,
	batch?: BatchItemOptions
): Promise<VoterCardResult> {
	return run(db, actor, input.requestId, async (trx, officeId) => {
		const row = await voterCardRequest(trx, officeId, input.requestId);
		if (row.state !== 'accepted') {
			const existing = row.state === 'issued' || row.state === 'completed';
			if (!existing) return { kind: 'wrong-state', reference: row.reference, state: row.state };
			return { kind: 'already-decided', reference: row.reference, state: row.state, ...(await issuerOf(trx, row.id)) };
		}
		await lockVoter(trx, row.voter_id);
		// A clerk who held the voter's lock before us may have issued this very card: "already issued by …" (issue 16).
		const current = await findOfficeRequestState(trx, officeId, row.id);
		if (current?.state !== 'accepted') {
			if (!current) return { kind: 'not-found' };
			return { kind: 'already-decided', reference: current.reference, state: current.state, ...(await issuerOf(trx, row.id)) };
		}

		// The rules that can have changed since the acceptance, judged as of the filing (§78(1)(c)).
		const { election, row: electionRow } = await loadElection(trx, row.election_id);
		// Issued on the election's clock (a rehearsal runs on its own).
		now = electionNow(electionRow, now);
		const round = (row.round ?? 1) as Round;
		const [cards, packages] = await Promise.all([
			listVoterCardsIssuedToVoter(trx, row.voter_id),
			listCorrespondencePackagesIssuedToVoter(trx, row.voter_id)
		]);
		const eligibility = checkVoterCardRequest({
			election,
			rounds: [round],
			delivery: row.delivery ?? 'in-person',
			voter: {
				voterList: voterListFor(election, {
					municipalOfficeId: row.voter_municipal_office_id,
					specialDistrictOfficeId: row.voter_special_district_office_id
				}),
				birthDate: row.voter_birth_date,
				voterCardsIssued: cards.map((c) => ({ electionId: c.election_id, round: c.round as Round })),
				correspondencePackagesIssued: packages.map((p) => ({ electionId: p.election_id, round: p.round as Round }))
			},
			filedWith: { kind: row.office_kind, officeId },
			now: fromDate(row.received_at)
		});
		if (!eligibility.ok) return { kind: 'rule', refusal: refusalView(eligibility) };

		const at = toDate(now);
		if (!(await updateRequestStateFrom(trx, { id: row.id, officeId, from: 'accepted', to: 'issued', at }))) {
			return changedMeanwhile(trx, officeId, row.id);
		}
		const serial = await drawOfficeSerial(trx, officeId, voterCardCounterOf(electionRow));
		let card: { id: string };
		try {
			card = await insertVoterCard(trx, {
				officeId,
				serial,
				requestId: row.id,
				voterId: row.voter_id,
				electionId: election.id,
				round,
				at,
				by: actor.id,
				rehearsal: electionRow.rehearsal
			});
		} catch (error) {
			// §57(1), §57(5): another office issued this voter a card for the round meanwhile.
			if (isUniqueViolation(error, 'voter_card_voter_id_election_id_round_key')) {
				throw new Abort({ kind: 'rule', refusal: { code: 'card-already-issued', section: '§57(1)', round } });
			}
			throw error;
		}
		await appendAudit(trx, {
			actor,
			action: 'voter-card.issue',
			entityType: 'voter_card',
			entityId: card.id,
			officeId,
			before: { requestId: row.id, requestState: 'accepted' },
			after: { requestId: row.id, requestState: 'issued', serial, electionId: election.id, round, ...batchAudit(batch) },
			at: now
		});
		await queueVoterNotification(trx, {
			voterId: row.voter_id,
			// A card to be collected is ready at the office; a mailed one goes to the post next.
			kind: row.delivery === 'post' ? 'voter-card-issued' : 'voter-card-ready',
			reference: row.reference
		});
		await markBatchItemDone(trx, batch, row.id, { serial }, at);
		return { kind: 'done', requestId: row.id, reference: row.reference, cardId: card.id, serial };
	});
}

// --- Hand-over ---

export interface HandOverInput {
	requestId: string;
	method: VoterCardDelivery;
	/** 'proxy': the proxy's name; the request's proxy when absent. */
	proxyName?: string | null;
	/** 'proxy': YYYY-MM-DD, from the power of attorney. */
	proxyBirthDate?: string | null;
	/** 'proxy': the power of attorney with a verified signature, as checked (§57(2)). */
	note?: string | null;
	/** 'post': the registered letter's consignment number (UPU S10, issue 12), where recorded. */
	consignmentNumber?: string | null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function postalAddress(row: OfficeRequestRow): string | null {
	if (!row.delivery_address_line) return null;
	const city = [row.delivery_postal_code, row.delivery_city].filter((p) => p && p.trim()).join(' ');
	return [row.delivery_address_line, city, row.delivery_country_code].filter((p) => p && p.trim()).join(', ');
}

/**
 * Records how the card left the office: by registered post to the address the voter gave
 * (handed to the post by D−7), or collected in person or by a proxy with a power of attorney
 * with a verified signature (by D−2) (§57(2), §57(3)); never before the earliest issue day
 * where the election has one (§57(4)). The request is then 'completed'.
 */
export async function recordVoterCardHandOver(
	db: Db,
	input: HandOverInput,
	actor: StaffActor,
	now: Temporal.Instant,
	batch?: BatchItemOptions
): Promise<VoterCardResult> {
	if (!['post', 'in-person', 'proxy'].includes(input.method)) return { kind: 'invalid', field: 'method' };
	let consignment: string | null = null;
	if (input.consignmentNumber?.trim()) {
		const checked = checkConsignmentNumber(input.consignmentNumber);
		if (input.method !== 'post' || !checked.ok) return { kind: 'invalid', field: 'consignmentNumber' };
		consignment = checked.number;
	}
	const note = input.note?.trim() || null;
	if (note && note.length > NOTE_MAX) return { kind: 'invalid', field: 'note' };
	const proxyBirthDate = input.proxyBirthDate?.trim() || null;
	if (proxyBirthDate && !ISO_DATE.test(proxyBirthDate)) return { kind: 'invalid', field: 'proxyBirthDate' };

	return run(db, actor, input.requestId, async (trx, officeId) => {
		const row = await voterCardRequest(trx, officeId, input.requestId);
		const card = await findVoterCardOfRequest(trx, officeId, row.id);
		if (!card) return { kind: 'wrong-state', reference: row.reference, state: row.state };
		if (card.invalidated_at) return { kind: 'invalidated', reference: row.reference };
		// The request row was read before the card: a colleague's hand-over may have committed in
		// between, so say the request's state as it is now, not as first read.
		if (card.handed_over_at) return changedMeanwhile(trx, officeId, row.id, 'handed-over');

		let to: string;
		if (input.method === 'post') {
			// §57(2): by post only to the address the voter asked for.
			const address = postalAddress(row);
			if (!address) return { kind: 'invalid', field: 'method' };
			to = address;
		} else if (input.method === 'proxy') {
			const name = input.proxyName?.trim() || row.proxy_name?.trim() || '';
			if (!name || name.length > 200) return { kind: 'invalid', field: 'proxyName' };
			to = name;
		} else {
			to = `${row.voter_given_name} ${row.voter_family_name}`;
		}

		const { election, row: electionRow } = await loadElection(trx, row.election_id);
		now = electionNow(electionRow, now);
		const eligibility = checkVoterCardHandOver({ election, round: card.round as Round, method: input.method, now });
		if (!eligibility.ok) return { kind: 'rule', refusal: refusalView(eligibility) };

		const at = toDate(now);
		const proxy = input.method === 'proxy';
		const handOverNote = note ?? (proxy ? row.power_of_attorney_note : null);
		const handOverBirthDate = proxy ? (proxyBirthDate ?? row.proxy_birth_date) : null;
		// §57(2): a proxy collects with a power of attorney with a verified signature, as checked and noted.
		if (proxy && !handOverNote) return { kind: 'invalid', field: 'note' };
		if (!(await updateVoterCardHandedOver(trx, {
				id: card.id,
				officeId,
				method: input.method,
				at,
				by: actor.id,
				to,
				note: handOverNote,
				proxyBirthDate: handOverBirthDate
			}))) {
			const again = await findVoterCardOfRequest(trx, officeId, row.id);
			return changedMeanwhile(trx, officeId, row.id, again?.invalidated_at ? 'invalidated' : 'handed-over');
		}
		if (!(await updateRequestStateFrom(trx, { id: row.id, officeId, from: 'issued', to: 'completed', at }))) {
			return changedMeanwhile(trx, officeId, row.id, 'handed-over');
		}
		if (consignment && !(await recordConsignment(trx, { number: consignment, officeId, requestId: row.id, reference: row.reference, batch, at, by: actor.id }))) {
			throw new Abort({ kind: 'number-used', reference: row.reference, number: consignment });
		}
		await appendAudit(trx, {
			actor,
			action: 'voter-card.hand-over',
			entityType: 'voter_card',
			entityId: card.id,
			officeId,
			before: { requestId: row.id, requestState: 'issued', handoverMethod: null },
			// Who received it (a name or an address) stays in the card's row, not in the log.
			after: {
				requestId: row.id,
				requestState: 'completed',
				handoverMethod: input.method,
				serial: card.serial,
				...(consignment ? { consignmentNumber: consignment } : {}),
				...batchAudit(batch)
			},
			at: now
		});
		if (input.method === 'post') {
			await queueVoterNotification(trx, {
				voterId: row.voter_id,
				kind: 'voter-card-sent',
				reference: row.reference,
				...(consignment ? { details: consignmentDetails(consignment) } : {})
			});
		}
		await markBatchItemDone(trx, batch, row.id, { serial: card.serial, ...(consignment ? { number: consignment } : {}) }, at);
		return { kind: 'done', requestId: row.id, reference: row.reference, cardId: card.id, serial: card.serial };
	});
}

// --- Loss or destruction ---

/**
 * §23(3): the office records a card reported lost or destroyed and invalidates it. A new
 * card is NOT issued: one card per voter, election and round (§57(1), §57(5)) stays.
 */
export async function invalidateVoterCard(
	db: Db,
	input: { requestId: string; reason: string; note?: string | null },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<VoterCardResult> {
	if (input.reason !== 'lost' && input.reason !== 'destroyed') return { kind: 'invalid', field: 'reason' };
	const reason = input.reason;
	const note = input.note?.trim() || null;
	if (note && note.length > NOTE_MAX) return { kind: 'invalid', field: 'note' };

	return run(db, actor, input.requestId, async (trx, officeId) => {
		const row = await voterCardRequest(trx, officeId, input.requestId);
		const card = await findVoterCardOfRequest(trx, officeId, row.id);
		if (!card) return { kind: 'wrong-state', reference: row.reference, state: row.state };
		if (card.invalidated_at) return changedMeanwhile(trx, officeId, row.id, 'invalidated');

		if (!(await updateVoterCardInvalidated(trx, { id: card.id, officeId, reason, note, at: toDate(now), by: actor.id }))) {
			return changedMeanwhile(trx, officeId, row.id, 'invalidated');
		}
		await appendAudit(trx, {
			actor,
			action: 'voter-card.invalidate',
			entityType: 'voter_card',
			entityId: card.id,
			officeId,
			before: { serial: card.serial, invalidationReason: null },
			after: { serial: card.serial, invalidationReason: reason },
			at: now
		});
		return { kind: 'done', requestId: row.id, reference: row.reference, cardId: card.id, serial: card.serial };
	});
}

// --- Undoing a hand-over recorded by mistake (issue 12) ---

export const UNDO_REASON_MAX = 500;

/**
 * A hand-over or dispatch recorded by mistake is undone by the same office on the same Prague
 * day (the election's clock), with the reason, audited: the card is again issued and waiting,
 * the request 'issued', and a consignment number recorded with it is free again.
 */
export async function undoVoterCardHandOver(
	db: Db,
	input: { requestId: string; reason: string },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<VoterCardResult> {
	const reason = input.reason.trim();
	// Control characters (a NUL above all) are refused, never stored in the audit log.
	if (!reason || reason.length > UNDO_REASON_MAX || /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(reason)) {
		return { kind: 'invalid', field: 'reason' };
	}
	return run(db, actor, input.requestId, async (trx, officeId) => {
		const row = await voterCardRequest(trx, officeId, input.requestId);
		const card = await findVoterCardOfRequest(trx, officeId, row.id);
		if (!card?.handed_over_at || !card.handover_method) return { kind: 'wrong-state', reference: row.reference, state: row.state };
		const { row: electionRow } = await loadElection(trx, row.election_id);
		now = electionNow(electionRow, now);
		if (!undoAllowed(fromDate(card.handed_over_at), now)) return { kind: 'undo-too-late', reference: row.reference };
		if (!(await updateVoterCardHandOverUndone(trx, { id: card.id, officeId, at: card.handed_over_at }))) {
			return changedMeanwhile(trx, officeId, row.id);
		}
		if (!(await updateRequestStateFrom(trx, { id: row.id, officeId, from: 'completed', to: 'issued', at: toDate(now) }))) {
			return changedMeanwhile(trx, officeId, row.id);
		}
		const number = await deleteConsignmentOfRequest(trx, officeId, row.id);
		await appendAudit(trx, {
			actor,
			action: 'voter-card.hand-over-undo',
			entityType: 'voter_card',
			entityId: card.id,
			officeId,
			before: { requestId: row.id, requestState: 'completed', handoverMethod: card.handover_method, ...(number ? { consignmentNumber: number } : {}) },
			after: { requestId: row.id, requestState: 'issued', handoverMethod: null, reason },
			at: now
		});
		return { kind: 'done', requestId: row.id, reference: row.reference, cardId: card.id, serial: card.serial };
	});
}
