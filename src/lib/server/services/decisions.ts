/**
 * An office decides a request (issue 5): accept or refuse. One function per decision; each
 * checks the law through src/lib/domain, changes the rows, writes the audit entry (who,
 * when, what, before/after) and the voter's e-mail in ONE transaction.
 *
 * Integrity: a decision is a conditional update of a request that is still 'received', so of
 * two clerks deciding the same request at the same moment exactly one succeeds; the other
 * gets `already-decided` with the state the request is now in.
 */
import type { Temporal } from 'temporal-polyfill';
import {
	checkCorrespondenceRequest,
	checkProxyLimit,
	checkSpecialDistrictRegistration,
	checkVoterCardRequest,
	voterListFor,
	type CorrespondenceChannel,
	type Eligibility,
	type Election,
	type OfficeRef,
	type Round,
	type VoterFacts
} from '../../domain';
import type { RefusalView } from '../../forms/refusal';
import { REFUSAL_REASON_NAMES, REFUSAL_TEXT_MAX } from '../../forms/decisions';
import { refusalReasonName } from '../../forms/decision-text';
import { formatLongDay } from '../../components/format';
import { m } from '../../paraglide/messages.js';
import { fromDate, toDate } from '../clock';
import { courtPathOf } from '../court-path';
import type { Db, Trx } from '../db/index';
import { findElectionById, toDomainElection } from '../db/queries/elections';
import { listCorrespondencePackagesIssuedToVoter, listVoterCardsIssuedToVoter } from '../db/queries/requests';
import {
	countVotersOfProxy,
	findOfficeRequest,
	findOfficeRequestState,
	lockVoter,
	updateRequestDecided,
	updateVoterSpecialDistrict,
	type OfficeRequestRow
} from '../db/queries/staff-requests';
import type { RefusalReasonColumn, RequestState, StaffRole } from '../db/schema';
import { electionNowById } from './election-clock';
import { appendAudit } from './audit';
import { batchAudit, markBatchItemDone, type BatchItemOptions } from './batches/mark';
import { queueVoterNotification } from './notifications';
import { isUuid, refusalView } from './requests';
import { actingOffice, type StaffActor } from './staff-actor';

/** Who decides requests: a municipal office's clerks, an embassy's clerks and its head (§57(1)). */
export const DECIDING_ROLES: readonly StaffRole[] = ['municipal-clerk', 'embassy-clerk', 'embassy-head'];

export type DecisionResult =
	| { kind: 'done'; requestId: string; reference: string; state: RequestState }
	/** Unknown id, or a request of another office: the same answer. */
	| { kind: 'not-found' }
	/** The actor's role may not decide requests. */
	| { kind: 'forbidden' }
	/** Someone decided (or the voter cancelled) the request first; it is now in `state`. */
	| { kind: 'already-decided'; reference: string; state: RequestState }
	/** Accepting: a rule that can have changed since the filing now refuses the request. */
	| { kind: 'rule'; refusal: RefusalView }
	/** Refusing: no reason from the list, or 'other' without its text, or a text too long. */
	| { kind: 'invalid'; field: 'reason' | 'text' };

export interface RefuseInput {
	requestId: string;
	reason: string;
	/** Required with 'other'; an optional explanation with any other reason. */
	text?: string | null;
}

function isRefusalReason(value: string): value is RefusalReasonColumn {
	return (REFUSAL_REASON_NAMES as readonly string[]).includes(value);
}

function officeRef(row: OfficeRequestRow): OfficeRef {
	return { kind: row.office_kind, officeId: row.office_id };
}

async function loadElection(trx: Trx, electionId: string | null): Promise<Election | undefined> {
	if (!electionId) return undefined;
	const row = await findElectionById(trx, electionId);
	return row ? toDomainElection(row) : undefined;
}

/** The facts the domain needs about the voter, read inside the deciding transaction. */
async function loadVoterFacts(trx: Trx, row: OfficeRequestRow, election: Pick<Election, 'votingAbroad'>): Promise<VoterFacts> {
	const [cards, packages] = await Promise.all([
		listVoterCardsIssuedToVoter(trx, row.voter_id),
		listCorrespondencePackagesIssuedToVoter(trx, row.voter_id)
	]);
	return {
		// §56(4), §57(1): the list that keeps the voter for this election, as it is now.
		voterList: voterListFor(election, {
			municipalOfficeId: row.voter_municipal_office_id,
			specialDistrictOfficeId: row.voter_special_district_office_id
		}),
		birthDate: row.voter_birth_date,
		voterCardsIssued: cards.map((c) => ({ electionId: c.election_id, round: c.round as Round })),
		correspondencePackagesIssued: packages.map((p) => ({ electionId: p.election_id, round: p.round as Round }))
	};
}

/**
 * Accepting re-checks the rules that can have changed since the filing: the voter list, a
 * card or package issued meanwhile, the proxy's seven voters. Deadlines are judged at the
 * moment the filing reached the office (§78(1)(c)), so the domain is asked "as of" receipt.
 */
async function recheckForAcceptance(trx: Trx, row: OfficeRequestRow): Promise<Eligibility> {
	const receivedAt = fromDate(row.received_at);
	const round = (row.round ?? 1) as Round;

	if (row.kind === 'special-district-registration') {
		// §57(6): the address abroad lies in the embassy's area.
		return checkSpecialDistrictRegistration({
			embassy: { officeId: row.office_id, countries: row.office_countries },
			addressCountry: row.delivery_country_code ?? '',
			election: null,
			now: receivedAt
		});
	}

	const election = await loadElection(trx, row.election_id);
	if (!election) throw new Error(`Request ${row.id} refers to no election`);
	const voter = await loadVoterFacts(trx, row, election);

	if (row.kind === 'voter-card') {
		return checkVoterCardRequest({
			election,
			rounds: [round],
			delivery: row.delivery ?? 'in-person',
			voter,
			filedWith: officeRef(row),
			now: receivedAt
		});
	}

	const channel: CorrespondenceChannel = row.channel;
	const eligibility = checkCorrespondenceRequest({
		election,
		rounds: [round],
		embassy: { officeId: row.office_id, countries: row.office_kind === 'embassy' ? row.office_countries : [] },
		voter,
		delivery: row.delivery === 'post' ? 'post' : 'collect-at-embassy',
		mailingAddressCountry: row.delivery_country_code,
		channel,
		now: receivedAt
	});
	if (!eligibility.ok || row.delivery !== 'proxy' || !row.proxy_name || !row.election_id) return eligibility;
	// §57b(1): a proxy collects packages for at most 7 voters per embassy and election.
	const represented = await countVotersOfProxy(trx, {
		officeId: row.office_id,
		electionId: row.election_id,
		proxyName: row.proxy_name,
		exceptVoterId: row.voter_id
	});
	return checkProxyLimit(represented);
}

/** What accepting leads to: a registration is complete at once (§56(4)); a card or package waits to be issued. */
function acceptedState(row: OfficeRequestRow): 'accepted' | 'completed' {
	return row.kind === 'special-district-registration' ? 'completed' : 'accepted';
}

async function alreadyDecided(trx: Trx, officeId: string, requestId: string): Promise<DecisionResult> {
	const now = await findOfficeRequestState(trx, officeId, requestId);
	return now ? { kind: 'already-decided', reference: now.reference, state: now.state } : { kind: 'not-found' };
}

/**
 * Accepts a request of the actor's office that is still 'received'. A voter card or
 * correspondence request becomes 'accepted' (the card or package is issued next); a
 * special-district registration puts the voter on the embassy's list (§56(4)) and is done.
 */
export async function acceptRequest(
	db: Db,
	input: { requestId: string },
	actor: StaffActor,
	now: Temporal.Instant,
	batch?: BatchItemOptions
): Promise<DecisionResult> {
	const officeId = actingOffice(actor, DECIDING_ROLES);
	if (!officeId) return { kind: 'forbidden' };
	if (!isUuid(input.requestId)) return { kind: 'not-found' };

	return db.transaction().execute(async (trx): Promise<DecisionResult> => {
		const row = await findOfficeRequest(trx, officeId, input.requestId);
		if (!row) return { kind: 'not-found' };
		// A correction of the voter list is granted by correcting it (services/corrections.ts), never by a bare accept.
		if (row.kind === 'voter-list-correction') return { kind: 'forbidden' };
		if (row.state !== 'received') return { kind: 'already-decided', reference: row.reference, state: row.state };
		// The decision's time is the election's (a rehearsal runs on its own clock, §77's 3 days included).
		if (row.election_id) now = await electionNowById(trx, row.election_id, now);

		await lockVoter(trx, row.voter_id);
		// A clerk who held the voter's lock before us may have decided this very request.
		const current = await findOfficeRequestState(trx, officeId, row.id);
		if (current?.state !== 'received') return alreadyDecided(trx, officeId, row.id);
		const eligibility = await recheckForAcceptance(trx, row);
		if (!eligibility.ok) return { kind: 'rule', refusal: refusalView(eligibility) };

		const state = acceptedState(row);
		const at = toDate(now);
		const updated = await updateRequestDecided(trx, { id: row.id, officeId, state, at, by: actor.id });
		if (!updated) return alreadyDecided(trx, officeId, row.id);

		if (row.kind === 'special-district-registration') {
			// §56(4): from now on the embassy keeps the voter for elections held abroad.
			await updateVoterSpecialDistrict(trx, row.voter_id, officeId, at);
		}
		await appendAudit(trx, {
			actor,
			action: 'request.accept',
			entityType: 'request',
			entityId: row.id,
			officeId,
			before: { state: row.state },
			after: {
				state,
				decidedBy: actor.id,
				...batchAudit(batch),
				...(row.kind === 'special-district-registration'
					? { voterSpecialDistrictOfficeId: { before: row.voter_special_district_office_id, after: officeId } }
					: {})
			},
			at: now
		});
		await queueVoterNotification(trx, {
			voterId: row.voter_id,
			kind: row.kind === 'special-district-registration' ? 'registration-accepted' : 'request-accepted',
			reference: row.reference
		});
		await markBatchItemDone(trx, batch, row.id, { state }, at);
		return { kind: 'done', requestId: row.id, reference: row.reference, state };
	});
}

/**
 * Refuses a request of the actor's office that is still 'received', with a reason from the
 * list (and the text for 'other'). The written notice of §77 is the PDF of
 * documents/refusal-notice.ts, rendered from the row this writes; the voter sees the refusal
 * on their timeline and gets an e-mail.
 */
export async function refuseRequest(db: Db, input: RefuseInput, actor: StaffActor, now: Temporal.Instant): Promise<DecisionResult> {
	const officeId = actingOffice(actor, DECIDING_ROLES);
	if (!officeId) return { kind: 'forbidden' };
	if (!isRefusalReason(input.reason)) return { kind: 'invalid', field: 'reason' };
	const reason = input.reason;
	const text = input.text?.trim() || null;
	if (reason === 'other' && !text) return { kind: 'invalid', field: 'text' };
	if (text && text.length > REFUSAL_TEXT_MAX) return { kind: 'invalid', field: 'text' };
	if (!isUuid(input.requestId)) return { kind: 'not-found' };

	return db.transaction().execute(async (trx): Promise<DecisionResult> => {
		const row = await findOfficeRequest(trx, officeId, input.requestId);
		if (!row) return { kind: 'not-found' };
		if (row.state !== 'received') return { kind: 'already-decided', reference: row.reference, state: row.state };
		// The decision's time is the election's (a rehearsal runs on its own clock, §77's 3 days included).
		if (row.election_id) now = await electionNowById(trx, row.election_id, now);

		const updated = await updateRequestDecided(trx, {
			id: row.id,
			officeId,
			state: 'refused',
			at: toDate(now),
			by: actor.id,
			refusalReason: reason,
			refusalText: text
		});
		if (!updated) return alreadyDecided(trx, officeId, row.id);

		await appendAudit(trx, {
			actor,
			action: 'request.refuse',
			entityType: 'request',
			entityId: row.id,
			officeId,
			before: { state: row.state },
			// The free text may name the voter: only whether there is one goes in.
			after: { state: 'refused', decidedBy: actor.id, refusalReason: reason, refusalText: text !== null },
			at: now
		});
		// §80(1), §81(1): the court and the last day to turn to it, as a person writes a date.
		const court = (locale: 'cs' | 'en') => {
			const path = courtPathOf({ kind: row.office_kind, regionCode: row.office_region_code }, now, locale);
			return `${path.court}, ${formatLongDay(path.lastDay, locale)}`;
		};
		await queueVoterNotification(trx, {
			voterId: row.voter_id,
			kind: 'request-refused',
			reference: row.reference,
			details: (locale) => ({
				[m.mail_detail_reason({}, { locale })]: refusalReasonName(reason, locale),
				[m.mail_detail_court({}, { locale })]: court(locale)
			})
		});
		return { kind: 'done', requestId: row.id, reference: row.reference, state: 'refused' };
	});
}
