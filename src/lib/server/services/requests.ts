/**
 * The voter's three requests and their cancellation (issue 4): one function per use-case.
 * Each checks the law through src/lib/domain with facts loaded inside its transaction, writes
 * the request row(s), an audit entry and the voter's e-mail notification in ONE transaction.
 *
 * The same functions serve the portal (channel 'portal', actor = the voter) and, later,
 * clerks entering a request received at the counter, by data box or by verified letter
 * (§57(1)(a),(b)): same rules, same deadlines; only the channel, the actor and the optional
 * proxy differ.
 */
import type { Temporal } from 'temporal-polyfill';
import {
	checkCorrespondenceRequest,
	checkSpecialDistrictRegistration,
	checkVoterCardRequest,
	correspondenceRequestDeadlineKey,
	deadlineFor,
	formatIsoWithOffset,
	isOnTime,
	voterListFor,
	type CorrespondenceChannel,
	type CorrespondenceDelivery,
	type Deadline,
	type DeadlineKey,
	type Election,
	type EmbassyArea,
	type OfficeRef,
	type Refusal,
	type Round,
	type VoterCardDelivery,
	type VoterFacts
} from '../../domain';
import type { RefusalView } from '../../forms/refusal';
import { formatLongInstant } from '../../components/format';
import { electionNow, toDate } from '../clock';
import { electionNowById } from './election-clock';
import { isUniqueViolation } from '../db/errors';
import type { Db, DbOrTrx, Trx } from '../db/index';
import { findElectionById, listElections, toDomainElection } from '../db/queries/elections';
import { m } from '../../paraglide/messages.js';
import { findOfficeById, type OfficeRow } from '../db/queries/offices';
import {
	findLiveRequests,
	findPendingRegistration,
	findRequestsByIdempotencyKey,
	insertRequest,
	insertRequestsWithAudit,
	readVoterCardFiling,
	listDocumentsIssuedToVoter,
	lockRequestOfVoter,
	updateRequestCancelled,
	type NewRequestRow,
	type RequestSummaryRow
} from '../db/queries/requests';
import { findVoterById } from '../db/queries/voters';
import type { Delivery, RequestChannel, RequestKind, RequestLocale, Voter } from '../db/schema';
import { getLocale } from '../../paraglide/runtime';
import { newReference } from '../reference';
import { appendAudit, type Actor } from './audit';
import { coalescing, composeNotification, mailLocale, queueVoterNotification, type VoterNotification } from './notifications';
import { metrics } from '../metrics';
import { queueOutboxEmail, type QueuedEmail } from '../db/queries/email-outbox';

// --- Inputs and results ---

export interface AddressInput {
	line: string;
	city: string;
	/** May be empty where the country has no postal codes. */
	postalCode: string;
	/** ISO 3166-1 alpha-2 */
	country: string;
}

/**
 * A proxy acting for the voter with a power of attorney with a verified signature: filing
 * the request (§57(1)(a),(b)) and/or collecting the voter card (§57(2)) or package (§57b(1)).
 */
export interface ProxyInput {
	name: string;
	/** What the clerk noted about the power of attorney (clerk entry only). */
	powerOfAttorneyNote?: string | null;
	/** The proxy's date of birth, YYYY-MM-DD, from the power of attorney (clerk entry only). */
	birthDate?: string | null;
}

interface FilingInput {
	voterId: string;
	/** 'portal' for voters; clerks enter 'in-person', 'data-box' or 'verified-letter'. */
	channel: RequestChannel;
	/**
	 * Drawn when the check-answers page was rendered: the same key again (double click,
	 * reload, network retry) returns the request(s) it created instead of filing again.
	 */
	idempotencyKey?: string | null;
	proxy?: ProxyInput | null;
	/**
	 * The language the voter files in, kept with the request: what is printed for the voter
	 * follows it (the package's instructions sheet, §57c(1)). When absent: for the portal, the
	 * language of the page the voter filed from; Czech for what a clerk enters.
	 */
	locale?: RequestLocale;
}

export interface VoterCardRequestInput extends FilingInput {
	electionId: string;
	/** §57(5): round 1, round 2 or both of a two-round election; [1] otherwise. */
	rounds: Round[];
	/** §57(2): registered mail to an address of the voter's choice, or collection in person or by a proxy. */
	delivery: VoterCardDelivery;
	/** Required for 'post'. */
	address?: AddressInput | null;
}

export interface SpecialDistrictRegistrationInput extends FilingInput {
	embassyOfficeId: string;
	/** §57(6): the voter's address abroad, inside the embassy's area. */
	address: AddressInput;
	/**
	 * The election the registration must be in time for (§57(6): D−3). When absent, the
	 * registration is judged against the first election held abroad whose D−3 is still
	 * ahead, i.e. the first it can apply to; null = against no election.
	 */
	electionId?: string | null;
}

export interface CorrespondenceRequestInput extends FilingInput {
	electionId: string;
	/** §57b(2): all rounds when absent; a presidential voter may ask for one. */
	rounds?: Round[] | null;
	/** §57a(4): mailed to an address inside the embassy's area, or collected at the embassy. */
	delivery: CorrespondenceDelivery;
	/** Required for 'post'. */
	address?: AddressInput | null;
}

export interface FiledRequest {
	id: string;
	reference: string;
	round: Round | null;
}

export type SubmitResult =
	| { ok: true; requests: FiledRequest[]; /** true when the idempotency key found an earlier submission */ replayed: boolean }
	| { ok: false; refusal: RefusalView };

export type CancelResult = { ok: true; reference: string } | { ok: false; refusal: RefusalView };

// --- Helpers ---

/** The language a request is filed in (FilingInput.locale). */
function filingLocale(input: FilingInput): RequestLocale {
	if (input.locale) return input.locale;
	// The portal's request language (paraglide's, from the voter's cookie); Czech outside a request.
	return input.channel === 'portal' && getLocale() === 'en' ? 'en' : 'cs';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
	return UUID.test(value);
}

/** Thrown inside a transaction to roll it back and answer with a refusal. */
class Refused extends Error {
	constructor(readonly refusal: RefusalView) {
		super(refusal.code);
	}
}

function deadlineView(deadline: Deadline): NonNullable<RefusalView['deadline']> {
	return { key: deadline.key, round: deadline.round, at: formatIsoWithOffset(deadline.at), section: deadline.section };
}

/** The domain's refusal as plain data that names the section and, where missed, the deadline (§78(3)). */
export function refusalView(refusal: Refusal): RefusalView {
	return {
		code: refusal.reason,
		section: refusal.section,
		...(refusal.round !== undefined ? { round: refusal.round } : {}),
		...(refusal.deadline ? { deadline: deadlineView(refusal.deadline) } : {}),
		...(refusal.opensAt ? { opensAt: formatIsoWithOffset(refusal.opensAt) } : {})
	};
}

function refused(code: RefusalView['code'], section: string | null = null, extra: Partial<RefusalView> = {}): { ok: false; refusal: RefusalView } {
	return { ok: false, refusal: { code, section, ...extra } };
}

/** Committed filings (not replays), counted for the metrics by election and kind (issue 16). */
function countFiled<R extends Pick<RequestSummaryRow, 'election_id' | 'kind'>>(rows: R[]): R[] {
	for (const row of rows) metrics().filings.inc({ election: row.election_id ?? 'none', kind: row.kind });
	return rows;
}

function filed(rows: readonly Pick<RequestSummaryRow, 'id' | 'reference' | 'round'>[], replayed: boolean): SubmitResult {
	return { ok: true, replayed, requests: rows.map((r) => ({ id: r.id, reference: r.reference, round: (r.round as Round | null) ?? null })) };
}

function sortedRounds(rounds: readonly Round[]): Round[] {
	return [...new Set(rounds)].sort((a, b) => a - b);
}

function voterRegistrations(voter: Pick<Voter, 'municipal_office_id' | 'special_district_office_id'>) {
	return { municipalOfficeId: voter.municipal_office_id, specialDistrictOfficeId: voter.special_district_office_id };
}

/** The facts the domain needs about a voter, read inside the deciding transaction. */
async function loadVoterFacts(trx: Trx, voter: Voter, election: Pick<Election, 'votingAbroad'>): Promise<VoterFacts> {
	return voterFacts(voter, election, await listDocumentsIssuedToVoter(trx, voter.id));
}

function voterFacts(
	voter: Voter,
	election: Pick<Election, 'votingAbroad'>,
	issued: readonly { kind: 'voter-card' | 'correspondence-package'; election_id: string; round: number }[]
): VoterFacts {
	const cards = issued.filter((d) => d.kind === 'voter-card');
	const packages = issued.filter((d) => d.kind === 'correspondence-package');
	return {
		// §56(4), §57(1): the list that keeps the voter for this election.
		voterList: voterListFor(election, voterRegistrations(voter)),
		birthDate: voter.birth_date,
		voterCardsIssued: cards.map((c) => ({ electionId: c.election_id, round: c.round as Round })),
		correspondencePackagesIssued: packages.map((p) => ({ electionId: p.election_id, round: p.round as Round }))
	};
}

async function loadElection(db: DbOrTrx, electionId: string): Promise<Election | undefined> {
	if (!isUuid(electionId)) return undefined;
	const row = await findElectionById(db, electionId);
	return row ? toDomainElection(row) : undefined;
}

/** A clerk files at their own office; the portal routes to the competent office instead. */
async function filedWithOffice(trx: Trx, actor: Actor): Promise<OfficeRow | undefined> {
	if (actor.kind !== 'staff' || !actor.officeId) return undefined;
	return findOfficeById(trx, actor.officeId);
}

function officeRef(office: OfficeRow): OfficeRef {
	return { kind: office.kind, officeId: office.id };
}

function embassyArea(office: OfficeRow): EmbassyArea {
	return { officeId: office.id, countries: office.countries };
}

function cleanAddress(address: AddressInput): AddressInput {
	return {
		line: address.line.trim(),
		city: address.city.trim(),
		postalCode: address.postalCode.trim(),
		country: address.country.trim().toUpperCase()
	};
}

function isCompleteAddress(address: AddressInput | null | undefined): address is AddressInput {
	return !!address && address.line.trim() !== '' && address.city.trim() !== '' && /^[A-Za-z]{2}$/.test(address.country.trim());
}

function enteredBy(actor: Actor): string | null {
	return actor.kind === 'staff' ? actor.id : null;
}

/** §56(3)-§57: the audit entry of a filing carries ids and states, never the address. */
function auditAfter(row: NewRequestRow) {
	return {
		reference: row.reference,
		kind: row.kind,
		electionId: row.election_id,
		round: row.round,
		officeId: row.office_id,
		channel: row.channel,
		delivery: row.delivery,
		state: 'received',
		deadlineKey: row.deadline_key,
		deadlineAt: row.deadline_at?.toISOString() ?? null
	};
}

/** Inserts the row under a fresh reference, drawing again on the (rare) collision. */
async function insertWithReference(trx: Trx, row: Omit<NewRequestRow, 'reference'>): Promise<RequestSummaryRow> {
	for (let attempt = 0; attempt < 5; attempt++) {
		const full: NewRequestRow = { ...row, reference: newReference(row.kind) };
		const inserted = await insertRequest(trx, full);
		if (inserted) {
			return {
				id: inserted.id,
				reference: full.reference,
				kind: full.kind,
				election_id: full.election_id,
				round: full.round,
				state: 'received',
				received_at: full.received_at,
				delivery: full.delivery,
				office_id: full.office_id
			};
		}
	}
	throw new Error('Could not draw a free request reference');
}

async function recordFiling(
	trx: Trx,
	actor: Actor,
	voter: Pick<Voter, 'email' | 'email_confirmed_at' | 'locale'>,
	rows: { row: NewRequestRow; id: string }[],
	now: Temporal.Instant
): Promise<void> {
	for (const { row, id } of rows) {
		await appendAudit(trx, {
			actor,
			action: 'request.file',
			entityType: 'request',
			entityId: id,
			officeId: row.office_id,
			after: auditAfter(row),
			at: now
		});
	}
	const electionId = rows[0]?.row.election_id;
	const election = electionId ? await findElectionById(trx, electionId) : undefined;
	const email = filingEmail(voter, rows.map((r) => r.row), election ?? null);
	if (email) await queueOutboxEmail(trx, email);
}

/**
 * The voter's "request received" e-mail of a filing, if they have a confirmed address (the
 * voter row read for the filing says so: no second look-up); as queueVoterNotification writes
 * it: in the voter's language, coalesced with the request's next changes when it names one.
 */
function filingEmail(
	voter: Pick<Voter, 'email' | 'email_confirmed_at' | 'locale'>,
	rows: readonly NewRequestRow[],
	election: { title_cs: string; title_en: string; rehearsal: boolean } | null
): QueuedEmail | null {
	const first = rows[0];
	if (!first || !voter.email || !voter.email_confirmed_at) return null;
	const deadline = first.deadline_at;
	const reference = rows.map((r) => r.reference).join(', ');
	const notification: VoterNotification = {
		voterId: first.voter_id,
		kind: 'request-received',
		reference,
		// A time as a person writes it, never an ISO string (issue 15).
		details: (locale) => (deadline ? { [m.mail_detail_deadline({}, { locale })]: formatLongInstant(deadline, locale) } : {})
	};
	const mail = composeNotification(notification, mailLocale(voter.locale), {
		kind: first.kind,
		round: rows.length === 1 ? first.round : null,
		election
	});
	return { voterId: first.voter_id, to: voter.email, subject: mail.subject, body: mail.text, html: mail.html, ...coalescing(reference) };
}

/**
 * Runs a filing: first the idempotency key (an earlier submission with it is returned as
 * it is), then the transaction; a unique violation raised by a concurrent submission is
 * turned into the same answers: the earlier submission if it had this key, otherwise
 * "already filed" naming the live request(s) (§57(1), §57(5)).
 */
async function fileIdempotently(
	db: Db,
	input: FilingInput,
	kind: RequestKind,
	liveLookup: (db: DbOrTrx) => Promise<RequestSummaryRow[]>,
	work: (trx: Trx) => Promise<RequestSummaryRow[]>
): Promise<SubmitResult> {
	const key = input.idempotencyKey?.trim() || null;
	if (key) {
		const earlier = await findRequestsByIdempotencyKey(db, input.voterId, kind, key);
		if (earlier.length) return filed(earlier, true);
	}
	try {
		return filed(countFiled(await db.transaction().execute(work)), false);
	} catch (error) {
		if (error instanceof Refused) {
			// A concurrent twin with the same key committed first: answer as it was answered.
			if (key && (error.refusal.code === 'already-filed' || error.refusal.code === 'registration-pending')) {
				const earlier = await findRequestsByIdempotencyKey(db, input.voterId, kind, key);
				if (earlier.length) return filed(earlier, true);
			}
			return { ok: false, refusal: error.refusal };
		}
		return recoverFromConflict(db, error, input.voterId, key, kind, liveLookup);
	}
}

/**
 * A unique violation raised by a concurrent submission, turned into the answers it would have
 * had: the earlier submission if it had this key, otherwise "already filed" naming the live
 * request(s) (§57(1), §57(5)). Any other error is raised.
 */
async function recoverFromConflict(
	db: Db,
	error: unknown,
	voterId: string,
	key: string | null,
	kind: RequestKind,
	liveLookup: (db: DbOrTrx) => Promise<RequestSummaryRow[]>
): Promise<SubmitResult> {
	if (
		isUniqueViolation(error, 'request_live_per_round_idx') ||
		isUniqueViolation(error, 'request_idempotency_idx') ||
		isUniqueViolation(error, 'request_live_registration_idx')
	) {
		if (key) {
			const earlier = await findRequestsByIdempotencyKey(db, voterId, kind, key);
			if (earlier.length) return filed(earlier, true);
		}
		const live = await liveLookup(db);
		if (live.length) {
			return refused(kind === 'special-district-registration' ? 'registration-pending' : 'already-filed', null, {
				references: live.map((r) => r.reference),
				...(live[0]?.round ? { round: live[0].round as Round } : {})
			});
		}
	}
	throw error;
}

async function requireVoter(trx: Trx, voterId: string): Promise<Voter> {
	const voter = isUuid(voterId) ? await findVoterById(trx, voterId) : undefined;
	if (!voter) throw new Refused({ code: 'voter-not-found', section: null });
	return voter;
}

async function requireElection(trx: Trx, electionId: string): Promise<Election> {
	const election = await loadElection(trx, electionId);
	if (!election) throw new Refused({ code: 'election-not-found', section: null });
	return election;
}

async function refuseIfLive(trx: Trx, voterId: string, kind: RequestKind, electionId: string, rounds: readonly Round[]): Promise<void> {
	refuseLive(await findLiveRequests(trx, voterId, kind, electionId, rounds));
}

function refuseLive(live: readonly { reference: string; round: number | null }[]): void {
	const refusal = liveRefusalOf(live);
	if (refusal) throw new Refused(refusal);
}

/** §57(1), §57(5): one live request of a kind per election and round; the refusal naming them, if any. */
function liveRefusalOf(live: readonly { reference: string; round: number | null }[]): RefusalView | undefined {
	const first = live[0];
	if (!first) return undefined;
	return {
		code: 'already-filed',
		section: '§57(5)',
		references: live.map((r) => r.reference),
		...(first.round ? { round: first.round as Round } : {})
	};
}

// --- Voter card (§56, §57) ---

/**
 * A voter card for one or both rounds (§57(5)), filed with the office that keeps the voter
 * on its list for that election (§57(1): the municipal office, or the embassy where the
 * voter is in its special district and the election is held abroad). A two-round "both"
 * files one request per round, sharing the submission's idempotency key.
 */
export async function submitVoterCardRequest(
	db: Db,
	input: VoterCardRequestInput,
	actor: Actor,
	now: Temporal.Instant
): Promise<SubmitResult> {
	const rounds = sortedRounds(input.rounds);
	if (input.delivery === 'post' && !isCompleteAddress(input.address)) return refused('invalid-input');
	if (input.delivery === 'proxy' && !input.proxy?.name.trim()) return refused('invalid-input');
	const address = input.delivery === 'post' && input.address ? cleanAddress(input.address) : null;

	const key = input.idempotencyKey?.trim() || null;
	const liveLookup = (d: DbOrTrx) =>
		isUuid(input.electionId) ? findLiveRequests(d, input.voterId, 'voter-card', input.electionId, rounds) : Promise.resolve([]);
	try {
		// One statement reads all the facts (the earlier submission with this key, the voter,
		// the documents issued to them, their live requests, the election); one statement files
		// the request(s), the audit entries and the e-mail. No BEGIN/COMMIT: under READ COMMITTED
		// a transaction around them would see no more than this (no row is locked), and the
		// filing statement is atomic by itself; a concurrent twin is stopped by the unique
		// indexes (§57(5)) and answered below as before.
		const facts = await readVoterCardFiling(
			db,
			isUuid(input.voterId) ? input.voterId : NIL_UUID,
			isUuid(input.electionId) ? input.electionId : null,
			rounds,
			key
		);
		if (key && facts.earlier.length) return filed(facts.earlier, true);
		const found = isUuid(input.voterId) ? facts.found : undefined;
		if (!found) return refused('voter-not-found');
		const { voter } = found;
		if (!facts.election) return refused('election-not-found');
		// Every rule below asks the election's clock (a rehearsal runs on its own).
		now = electionNow(facts.election, now);
		const election = toDomainElection(facts.election);
		const voterCardFacts = voterFacts(voter, election, found.issued);
		const filedWith = actor.kind === 'staff' && actor.officeId ? await findOfficeById(db, actor.officeId) : undefined;

		const eligibility = checkVoterCardRequest({
			election,
			rounds,
			delivery: input.delivery,
			voter: voterCardFacts,
			filedWith: filedWith ? officeRef(filedWith) : undefined,
			now
		});
		if (!eligibility.ok) return { ok: false, refusal: refusalView(eligibility) };
		const liveRefusal = liveRefusalOf(found.live);
		if (liveRefusal) return { ok: false, refusal: liveRefusal };

		// checkVoterCardRequest refuses a voter on no list, so the list is known here.
		const office = voterCardFacts.voterList!;
		// §57(3): mailed cards by D−10, collected ones by D−2 — the deadline each round was judged against.
		const deadlineKey: DeadlineKey = input.delivery === 'post' ? 'voter-card-mail-request' : 'voter-card-pickup-request';
		const bases: Omit<NewRequestRow, 'reference'>[] = rounds.map((round) => {
			const deadline = deadlineFor(election, deadlineKey, round);
			return {
				kind: 'voter-card',
				voter_id: voter.id,
				election_id: election.id,
				round,
				office_id: office.officeId,
				channel: input.channel,
				delivery: input.delivery satisfies Delivery,
				delivery_address_line: address?.line ?? null,
				delivery_city: address?.city ?? null,
				delivery_postal_code: address?.postalCode ?? null,
				delivery_country_code: address?.country ?? null,
				proxy_name: input.proxy?.name.trim() || null,
				power_of_attorney_note: input.proxy?.powerOfAttorneyNote?.trim() || null,
				proxy_birth_date: input.proxy?.birthDate || null,
				received_at: toDate(now),
				deadline_key: deadlineKey,
				deadline_at: deadline ? toDate(deadline.at.toInstant()) : null,
				entered_by: enteredBy(actor),
				idempotency_key: key,
				locale: filingLocale(input)
			};
		});
		return filed(countFiled(await fileInOneStatement(db, actor, voter, bases, now, facts.election)), false);
	} catch (error) {
		return recoverFromConflict(db, error, input.voterId, key, 'voter-card', liveLookup);
	}
}

/** The NIL UUID: matches no voter (the key look-up of an invalid voter id finds nothing, as before). */
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Inserts the rows, their audit entries and the voter's e-mail in one statement, under fresh
 * references, drawing again on the (rare) collision of a reference.
 */
async function fileInOneStatement(
	db: Db,
	actor: Actor,
	voter: Pick<Voter, 'id' | 'email' | 'email_confirmed_at' | 'locale'>,
	bases: Omit<NewRequestRow, 'reference'>[],
	now: Temporal.Instant,
	election: { title_cs: string; title_en: string; rehearsal: boolean }
): Promise<RequestSummaryRow[]> {
	for (let attempt = 0; attempt < 5; attempt++) {
		const rows: NewRequestRow[] = bases.map((base) => ({ ...base, reference: newReference(base.kind) }));
		const email = filingEmail(voter, rows, election);
		try {
			const inserted = await insertRequestsWithAudit(
				db,
				rows,
				{
					at: toDate(now),
					actorKind: actor.kind,
					actorId: actor.id ?? null,
					entries: rows.map((row) => ({ reference: row.reference, officeId: row.office_id, after: auditAfter(row) }))
				},
				email
			);
			return rows.map((row) => {
				const id = inserted.find((r) => r.reference === row.reference)?.id;
				if (!id) throw new Error('A filed request was not returned');
				return {
					id,
					reference: row.reference,
					kind: row.kind,
					election_id: row.election_id,
					round: row.round,
					state: 'received' as const,
					received_at: row.received_at,
					delivery: row.delivery,
					office_id: row.office_id
				};
			});
		} catch (error) {
			// Two references drawn alike: nothing was written (one statement); draw again.
			if (isUniqueViolation(error, 'request_reference_key')) continue;
			throw error;
		}
	}
	throw new Error('Could not draw a free request reference');
}

/**
 * The same check as `submitVoterCardRequest`, without filing: lets a question page tell the
 * voter at once that a chosen delivery is already too late (§57(3), §78(3)). Writes nothing.
 */
export async function previewVoterCardRequest(
	db: Db,
	input: Pick<VoterCardRequestInput, 'voterId' | 'electionId' | 'rounds' | 'delivery'>,
	now: Temporal.Instant
): Promise<{ ok: true } | { ok: false; refusal: RefusalView }> {
	return db.transaction().execute(async (trx) => {
		const voter = isUuid(input.voterId) ? await findVoterById(trx, input.voterId) : undefined;
		if (!voter) return refused('voter-not-found');
		const election = await loadElection(trx, input.electionId);
		if (!election) return refused('election-not-found');
		now = await electionNowById(trx, election.id, now);
		const facts = await loadVoterFacts(trx, voter, election);
		const eligibility = checkVoterCardRequest({ election, rounds: sortedRounds(input.rounds), delivery: input.delivery, voter: facts, now });
		return eligibility.ok ? { ok: true as const } : { ok: false as const, refusal: refusalView(eligibility) };
	});
}

// --- Special-district registration (§56(4), §57(6)) ---

/**
 * The first election held abroad, and round, whose registration deadline (D−3, §57(6)) is
 * still ahead at `now`: the first one a registration filed now can apply to.
 */
export async function findFirstElectionForRegistration(
	db: DbOrTrx,
	now: Temporal.Instant
): Promise<{ election: Election; round: Round; titleCs: string; titleEn: string; deadline: Deadline } | undefined> {
	const candidates: { election: Election; round: Round; titleCs: string; titleEn: string; deadline: Deadline }[] = [];
	for (const row of await listElections(db)) {
		// A registration is permanent and real (§56(4)): it never waits for a rehearsal.
		if (row.rehearsal) continue;
		const election = toDomainElection(row);
		if (!election.votingAbroad) continue;
		for (const { round } of election.rounds) {
			const deadline = deadlineFor(election, 'special-district-registration', round);
			if (deadline && isOnTime(electionNow(row, now), deadline)) {
				candidates.push({ election, round, titleCs: row.title_cs, titleEn: row.title_en, deadline });
			}
		}
	}
	candidates.sort((a, b) => a.deadline.at.epochMilliseconds - b.deadline.at.epochMilliseconds);
	return candidates[0];
}

/**
 * Registration in an embassy's special district (§56(4), §57(6)): permanent until the voter
 * asks for removal; from then on the voter is on the embassy's list, not the municipal one,
 * for elections held abroad. One pending registration at a time; none for the embassy whose
 * list already keeps the voter.
 */
export async function submitSpecialDistrictRegistration(
	db: Db,
	input: SpecialDistrictRegistrationInput,
	actor: Actor,
	now: Temporal.Instant
): Promise<SubmitResult> {
	if (!isCompleteAddress(input.address)) return refused('invalid-input');
	const address = cleanAddress(input.address);

	return fileIdempotently(
		db,
		input,
		'special-district-registration',
		async (d) => {
			const pending = await findPendingRegistration(d, input.voterId);
			return pending ? [pending] : [];
		},
		async (trx) => {
			const voter = await requireVoter(trx, input.voterId);
			const embassy = isUuid(input.embassyOfficeId) ? await findOfficeById(trx, input.embassyOfficeId) : undefined;
			if (!embassy || embassy.kind !== 'embassy') throw new Refused({ code: 'embassy-not-found', section: null });

			// §56(4): the voter is on this embassy's list already.
			if (voter.special_district_office_id === embassy.id) {
				throw new Refused({ code: 'already-registered', section: '§56(4)' });
			}
			const pending = await findPendingRegistration(trx, voter.id);
			if (pending) throw new Refused({ code: 'registration-pending', section: null, references: [pending.reference] });

			let election: Election | null = null;
			let round: Round = 1;
			if (input.electionId) {
				election = await requireElection(trx, input.electionId);
				now = await electionNowById(trx, election.id, now);
			} else if (input.electionId === undefined) {
				const first = await findFirstElectionForRegistration(trx, now);
				if (first) {
					election = first.election;
					round = first.round;
				}
			}
			const eligibility = checkSpecialDistrictRegistration({
				embassy: embassyArea(embassy),
				addressCountry: address.country,
				election,
				round,
				now
			});
			if (!eligibility.ok) throw new Refused(refusalView(eligibility));

			const deadline = election ? deadlineFor(election, 'special-district-registration', round) : undefined;
			const base: Omit<NewRequestRow, 'reference'> = {
				kind: 'special-district-registration',
				voter_id: voter.id,
				election_id: null,
				round: null,
				// §57(6): the embassy keeps the special district's list.
				office_id: embassy.id,
				channel: input.channel,
				delivery: null,
				delivery_address_line: address.line,
				delivery_city: address.city,
				delivery_postal_code: address.postalCode,
				delivery_country_code: address.country,
				proxy_name: input.proxy?.name.trim() || null,
				power_of_attorney_note: input.proxy?.powerOfAttorneyNote?.trim() || null,
				proxy_birth_date: input.proxy?.birthDate || null,
				received_at: toDate(now),
				deadline_key: deadline ? 'special-district-registration' : null,
				deadline_at: deadline ? toDate(deadline.at.toInstant()) : null,
				entered_by: enteredBy(actor),
				idempotency_key: input.idempotencyKey?.trim() || null,
				locale: filingLocale(input)
			};
			const row = await insertWithReference(trx, base);
			await recordFiling(trx, actor, voter, [{ row: { ...base, reference: row.reference }, id: row.id }], now);
			return [row];
		}
	);
}

// --- Correspondence package (§57a, §57b) ---

/**
 * A correspondence package for one or both rounds (§57b(2)), filed with the embassy whose
 * special district keeps the voter (§57a(1)); mailed to an address inside its area, never
 * to an excluded country (§58(3)), or collected at the embassy (§57a(4)).
 */
export async function submitCorrespondenceRequest(
	db: Db,
	input: CorrespondenceRequestInput,
	actor: Actor,
	now: Temporal.Instant
): Promise<SubmitResult> {
	if (input.delivery === 'post' && !isCompleteAddress(input.address)) return refused('invalid-input');
	const address = input.delivery === 'post' && input.address ? cleanAddress(input.address) : null;
	const requestedRounds = input.rounds?.length ? sortedRounds(input.rounds) : null;

	return fileIdempotently(
		db,
		input,
		'correspondence-package',
		(d) =>
			isUuid(input.electionId)
				? findLiveRequests(d, input.voterId, 'correspondence-package', input.electionId, requestedRounds ?? [1, 2])
				: Promise.resolve([]),
		async (trx) => {
			const voter = await requireVoter(trx, input.voterId);
			const election = await requireElection(trx, input.electionId);
			now = await electionNowById(trx, election.id, now);
			const facts = await loadVoterFacts(trx, voter, election);
			// A clerk's embassy, else the embassy whose special district keeps the voter (§57a(1)).
			const staffOffice = await filedWithOffice(trx, actor);
			const embassyId = staffOffice?.id ?? voter.special_district_office_id;
			const embassy = embassyId ? await findOfficeById(trx, embassyId) : undefined;
			// §57a(3): the portal, a data box and a verified letter are written; 'in-person' is the counter.
			const channel: CorrespondenceChannel = input.channel;

			const eligibility = checkCorrespondenceRequest({
				election,
				rounds: requestedRounds ?? undefined,
				// With no embassy at all, an empty area makes the domain refuse 'not-registered-at-embassy'.
				embassy: embassy?.kind === 'embassy' ? embassyArea(embassy) : { officeId: '', countries: [] },
				voter: facts,
				delivery: input.delivery,
				mailingAddressCountry: address?.country ?? null,
				channel,
				now
			});
			if (!eligibility.ok) throw new Refused(refusalView(eligibility));
			// The domain accepted it, so the embassy is the voter's own.
			const office = embassy!;
			const rounds = requestedRounds ?? election.rounds.map((r) => r.round);
			await refuseIfLive(trx, voter.id, 'correspondence-package', election.id, rounds);

			// §57a(3): judged against the deadline of the first round asked for.
			const deadlineKey = correspondenceRequestDeadlineKey(channel);
			const deadline = deadlineFor(election, deadlineKey, rounds[0] ?? 1);
			const delivery: Delivery = input.delivery === 'post' ? 'post' : input.proxy?.name.trim() ? 'proxy' : 'in-person';
			const inserted: { row: NewRequestRow; id: string }[] = [];
			const out: RequestSummaryRow[] = [];
			for (const round of rounds) {
				const base: Omit<NewRequestRow, 'reference'> = {
					kind: 'correspondence-package',
					voter_id: voter.id,
					election_id: election.id,
					round,
					office_id: office.id,
					channel: input.channel,
					delivery,
					delivery_address_line: address?.line ?? null,
					delivery_city: address?.city ?? null,
					delivery_postal_code: address?.postalCode ?? null,
					delivery_country_code: address?.country ?? null,
					proxy_name: input.proxy?.name.trim() || null,
					power_of_attorney_note: input.proxy?.powerOfAttorneyNote?.trim() || null,
					proxy_birth_date: input.proxy?.birthDate || null,
					received_at: toDate(now),
					deadline_key: deadlineKey,
					deadline_at: deadline ? toDate(deadline.at.toInstant()) : null,
					entered_by: enteredBy(actor),
					idempotency_key: input.idempotencyKey?.trim() || null,
					locale: filingLocale(input)
				};
				const row = await insertWithReference(trx, base);
				inserted.push({ row: { ...base, reference: row.reference }, id: row.id });
				out.push(row);
			}
			await recordFiling(trx, actor, voter, inserted, now);
			return out;
		}
	);
}

/**
 * The same check as `submitCorrespondenceRequest` through the portal, without filing: lets the
 * address page refuse an excluded country (§58(3)) or one outside the embassy's area (§57a(4))
 * at once. Writes nothing.
 */
export async function previewCorrespondenceRequest(
	db: Db,
	input: Pick<CorrespondenceRequestInput, 'voterId' | 'electionId' | 'rounds' | 'delivery'> & { country: string | null },
	now: Temporal.Instant
): Promise<{ ok: true } | { ok: false; refusal: RefusalView }> {
	return db.transaction().execute(async (trx) => {
		const voter = isUuid(input.voterId) ? await findVoterById(trx, input.voterId) : undefined;
		if (!voter) return refused('voter-not-found');
		const election = await loadElection(trx, input.electionId);
		if (!election) return refused('election-not-found');
		now = await electionNowById(trx, election.id, now);
		const facts = await loadVoterFacts(trx, voter, election);
		const embassy = voter.special_district_office_id ? await findOfficeById(trx, voter.special_district_office_id) : undefined;
		const eligibility = checkCorrespondenceRequest({
			election,
			rounds: input.rounds?.length ? sortedRounds(input.rounds) : undefined,
			embassy: embassy?.kind === 'embassy' ? embassyArea(embassy) : { officeId: '', countries: [] },
			voter: facts,
			delivery: input.delivery,
			mailingAddressCountry: input.country,
			channel: 'portal',
			now
		});
		return eligibility.ok ? { ok: true as const } : { ok: false as const, refusal: refusalView(eligibility) };
	});
}

// --- Cancellation (§56(3)) ---

/**
 * §56(3): the voter withdraws a request that is still pending ('received'); once an office
 * has decided it, it can no longer be cancelled. Another voter's reference is not found.
 */
export async function cancelRequest(
	db: Db,
	input: { voterId: string; reference: string },
	actor: Actor,
	now: Temporal.Instant
): Promise<CancelResult> {
	if (!isUuid(input.voterId)) return refused('request-not-found');
	try {
		return await db.transaction().execute(async (trx) => {
			const request = await lockRequestOfVoter(trx, input.voterId, input.reference);
			if (!request) throw new Refused({ code: 'request-not-found', section: null });
			if (request.state !== 'received' || !(await updateRequestCancelled(trx, request.id, toDate(now)))) {
				throw new Refused({ code: 'not-cancellable', section: '§56(3)' });
			}
			await appendAudit(trx, {
				actor,
				action: 'request.cancel',
				entityType: 'request',
				entityId: request.id,
				officeId: request.office_id,
				before: { state: request.state },
				after: { state: 'cancelled' },
				at: now
			});
			await queueVoterNotification(trx, { voterId: input.voterId, kind: 'request-cancelled', reference: request.reference });
			return { ok: true as const, reference: request.reference };
		});
	} catch (error) {
		if (error instanceof Refused) return { ok: false, refusal: error.refusal };
		throw error;
	}
}
