/**
 * Return envelopes and the special commission (§57c, §57d).
 *
 * DOMAIN.md "Envelopes". Pure: the caller passes `now` and the facts it has read; nothing
 * here reads the clock or a database.
 */
import type { Temporal } from 'temporal-polyfill';
import { isVotingClosed, type EmbassyVoting } from './deadlines';

// --- Envelope codes ---

/**
 * The opaque code printed on a return envelope (§57b(4)): it reveals nothing about the voter.
 * 11 random symbols of Crockford's base32 (55 bits) and one check symbol, 12 in all. The
 * check symbol is Luhn mod 32, which catches every single mistyped symbol and every swap of
 * two neighbours except 0↔Z, so a typo is refused before any database look-up.
 */
export const ENVELOPE_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ENVELOPE_CODE_LENGTH = 12;
const PAYLOAD_LENGTH = ENVELOPE_CODE_LENGTH - 1;
/** Bytes of randomness `generateEnvelopeCode` needs: 11 symbols × 5 bits = 55 bits. */
export const ENVELOPE_CODE_RANDOM_BYTES = 7;

const BASE = ENVELOPE_CODE_ALPHABET.length;

/** Crockford's decoding: case-insensitive, I and L read as 1, O as 0; hyphens and spaces are ignored. */
function symbolValue(ch: string): number {
	const upper = ch.toUpperCase();
	const mapped = upper === 'I' || upper === 'L' ? '1' : upper === 'O' ? '0' : upper;
	return ENVELOPE_CODE_ALPHABET.indexOf(mapped);
}

function luhnCheckValue(payload: readonly number[]): number {
	let sum = 0;
	let double = true;
	for (let i = payload.length - 1; i >= 0; i--) {
		let addend = payload[i]! * (double ? 2 : 1);
		addend = Math.floor(addend / BASE) + (addend % BASE);
		sum += addend;
		double = !double;
	}
	return (BASE - (sum % BASE)) % BASE;
}

/**
 * A new envelope code from at least 7 bytes of randomness (the caller passes them, e.g.
 * `crypto.getRandomValues(new Uint8Array(7))`). Uniqueness is the database's job.
 */
export function generateEnvelopeCode(randomBytes: Uint8Array): string {
	if (randomBytes.length < ENVELOPE_CODE_RANDOM_BYTES) {
		throw new RangeError(`An envelope code needs ${ENVELOPE_CODE_RANDOM_BYTES} random bytes`);
	}
	const payload: number[] = [];
	let buffer = 0;
	let bits = 0;
	for (const byte of randomBytes) {
		buffer = (buffer << 8) | byte;
		bits += 8;
		while (bits >= 5 && payload.length < PAYLOAD_LENGTH) {
			bits -= 5;
			payload.push((buffer >> bits) & 31);
		}
		buffer &= (1 << bits) - 1;
		if (payload.length === PAYLOAD_LENGTH) break;
	}
	payload.push(luhnCheckValue(payload));
	return payload.map((v) => ENVELOPE_CODE_ALPHABET[v]).join('');
}

export type EnvelopeCodeParse =
	| { ok: true; code: string }
	| { ok: false; reason: 'length' | 'character' | 'check' };

/** Reads what was typed or scanned into the canonical 12-symbol form, or says why it cannot be a code. */
export function parseEnvelopeCode(input: string): EnvelopeCodeParse {
	const compact = input.replace(/[\s-]/g, '');
	const values: number[] = [];
	for (const ch of compact) {
		const value = symbolValue(ch);
		if (value < 0) return { ok: false, reason: 'character' };
		values.push(value);
	}
	if (values.length !== ENVELOPE_CODE_LENGTH) return { ok: false, reason: 'length' };
	if (luhnCheckValue(values.slice(0, PAYLOAD_LENGTH)) !== values[PAYLOAD_LENGTH]) return { ok: false, reason: 'check' };
	return { ok: true, code: values.map((v) => ENVELOPE_CODE_ALPHABET[v]).join('') };
}

export function isValidEnvelopeCode(input: string): boolean {
	return parseEnvelopeCode(input).ok;
}

/** The printed form, in three groups of four: 'ABCD-EFGH-JKMN'. */
export function formatEnvelopeCode(code: string): string {
	return code.match(/.{1,4}/g)?.join('-') ?? code;
}

// --- Arrival (§57c) ---

/**
 * §57c(4), §57c(5): a return envelope received at or after the close of the embassy's last
 * voting window of its round is late: kept unopened, apart, and never counted.
 */
export function isLateArrival(receivedAt: Temporal.Instant, voting: EmbassyVoting): boolean {
	return isVotingClosed(receivedAt, voting);
}

/** How an arrival stands against the close of voting (issue 13). */
export type ArrivalTiming = 'on-time' | 'late' | 'scanned-before-close';

/**
 * §57c(3): the time of receipt is when the portal records the envelope; §57c(4),(5): at or after
 * the close of voting it is late. A scan the clerk made before the close that reached the portal
 * only after it (the station was offline) is neither refused nor silently counted: it is
 * 'scanned-before-close', recorded late, and the head of the embassy decides.
 */
export function arrivalTiming(receivedAt: Temporal.Instant, scannedAt: Temporal.Instant | null, voting: EmbassyVoting): ArrivalTiming {
	if (!isLateArrival(receivedAt, voting)) return 'on-time';
	if (scannedAt && !isLateArrival(scannedAt, voting)) return 'scanned-before-close';
	return 'late';
}

// --- Grounds for setting an envelope aside (§57d(2)) ---

export type SetAsideGround = 'a' | 'b' | 'c' | 'd' | 'e';

export interface SetAsideGroundRule {
	ground: SetAsideGround;
	section: string;
	cs: string;
	en: string;
}

/** §57d(2)(a)–(e), in the order of the Act, worded for the commission's screens and protocol. */
export const SET_ASIDE_GROUNDS: readonly SetAsideGroundRule[] = [
	{
		ground: 'a',
		section: '§57d(2)(a)',
		cs: 'Chybí identifikační lístek vydaný tímto zastupitelským úřadem nebo úřední obálka.',
		en: 'There is no ID slip issued by this embassy, or no official envelope.'
	},
	{
		ground: 'b',
		section: '§57d(2)(b)',
		cs: 'Identifikační lístek není podepsán.',
		en: 'The ID slip is not signed.'
	},
	{
		ground: 'c',
		section: '§57d(2)(c)',
		cs: 'Obálka obsahuje více než jednu úřední obálku nebo více než jeden identifikační lístek.',
		en: 'The envelope holds more than one official envelope or ID slip.'
	},
	{
		ground: 'd',
		section: '§57d(2)(d)',
		cs: 'Voliči byl vydán voličský průkaz a ten není přiložen.',
		en: 'The voter was issued a voter card and the card is not enclosed.'
	},
	{
		ground: 'e',
		section: '§57d(2)(e)',
		cs: 'Seznam voličů již obsahuje záznam, že volič hlasoval.',
		en: 'The voter list already records that the voter voted.'
	}
];

export const SET_ASIDE_GROUND_CODES: readonly SetAsideGround[] = SET_ASIDE_GROUNDS.map((g) => g.ground);

export function isSetAsideGround(value: unknown): value is SetAsideGround {
	return typeof value === 'string' && (SET_ASIDE_GROUND_CODES as readonly string[]).includes(value);
}

export function setAsideGroundRule(ground: SetAsideGround): SetAsideGroundRule {
	const rule = SET_ASIDE_GROUNDS.find((g) => g.ground === ground);
	if (!rule) throw new RangeError(`Unknown ground ${ground}`);
	return rule;
}

// --- What the system already knows about an envelope's voter (§57d(2)(d), (e), §57d(5)) ---

export interface EnvelopeFacts {
	/** A voter card was issued to the voter for this election round (§23(3) evidence). */
	voterCardIssued: boolean;
	/** How the voter list already records the voter as having voted in this round, if it does. */
	alreadyVoted: 'in-person' | 'correspondence' | null;
	/** The voter is on this embassy's special-district list. */
	onEmbassyList: boolean;
}

export type EnvelopeHintCode =
	| 'voter-card-issued'
	| 'already-voted-in-person'
	| 'already-accepted-by-correspondence'
	| 'not-on-embassy-list';

export interface EnvelopeHint {
	code: EnvelopeHintCode;
	/** The ground the commission will likely record, unless what it finds in the envelope says otherwise. */
	suggestedGround: SetAsideGround | null;
	section: string;
}

/**
 * What the portal already knows, shown to the commission member before they look inside.
 * The member decides; a hint is never an outcome.
 */
export function envelopeHints(facts: EnvelopeFacts): EnvelopeHint[] {
	const hints: EnvelopeHint[] = [];
	// §57d(2)(d): set aside unless the voter card is enclosed.
	if (facts.voterCardIssued) hints.push({ code: 'voter-card-issued', suggestedGround: 'd', section: '§57d(2)(d)' });
	// §57d(2)(e): the list already records that the voter voted, in person or by an accepted envelope.
	if (facts.alreadyVoted === 'in-person') {
		hints.push({ code: 'already-voted-in-person', suggestedGround: 'e', section: '§57d(2)(e)' });
	} else if (facts.alreadyVoted === 'correspondence') {
		hints.push({ code: 'already-accepted-by-correspondence', suggestedGround: 'e', section: '§57d(2)(e)' });
	}
	// §57d(5): accepting will first add the voter to the list from the embassy's data.
	if (!facts.onEmbassyList) hints.push({ code: 'not-on-embassy-list', suggestedGround: null, section: '§57d(5)' });
	return hints;
}

// --- Which outcome may be recorded when (§57c(4), §57c(5), §57d) ---

export type EnvelopeOutcome = 'accepted' | 'set-aside';

export interface EnvelopeOpeningState {
	/** §57c(5) */
	late: boolean;
	/** §57c(4): in a hand-over record confirmed by the head of the embassy and the commission's chair. */
	handedOver: boolean;
	/** §57d(1): voting in the special district has closed. */
	votingClosed: boolean;
	/** §57d(6): the ballot box has been opened; every outcome is final. */
	ballotBoxOpened: boolean;
	/** An outcome was already recorded for this envelope. */
	outcome: EnvelopeOutcome | null;
	/** The voter list already records the voter as having voted in this round (§57d(2)(e)). */
	voterAlreadyVoted: boolean;
}

export type OpeningRefusalReason =
	| 'late'
	| 'not-handed-over'
	| 'voting-not-closed'
	| 'ballot-box-opened'
	| 'already-recorded';

export type OpeningCheck = { ok: true } | { ok: false; reason: OpeningRefusalReason; section: string };

/** Whether the commission may open this envelope and record an outcome now; the first reason not to. */
export function checkEnvelopeOpening(state: Omit<EnvelopeOpeningState, 'voterAlreadyVoted'>): OpeningCheck {
	// §57c(5): a late envelope is kept unopened and never counted.
	if (state.late) return { ok: false, reason: 'late', section: '§57c(5)' };
	// §57c(4): the commission deals only with envelopes the embassy handed over on a confirmed record.
	if (!state.handedOver) return { ok: false, reason: 'not-handed-over', section: '§57c(4)' };
	// §57d(1): envelopes are opened after voting has closed in the special district.
	if (!state.votingClosed) return { ok: false, reason: 'voting-not-closed', section: '§57d(1)' };
	// §57d(6): once the ballot box is opened the outcomes are final.
	if (state.ballotBoxOpened) return { ok: false, reason: 'ballot-box-opened', section: '§57d(6)' };
	if (state.outcome !== null) return { ok: false, reason: 'already-recorded', section: '§57d(2)' };
	return { ok: true };
}

export type OutcomeRefusalReason =
	| OpeningRefusalReason
	| 'ground-required'
	| 'ground-not-allowed'
	| 'voter-already-voted';

export type OutcomeCheck = { ok: true } | { ok: false; reason: OutcomeRefusalReason; section: string };

/** Whether this outcome (with this ground) may be recorded for the envelope now. */
export function checkOutcome(
	state: EnvelopeOpeningState,
	outcome: EnvelopeOutcome,
	ground: SetAsideGround | null
): OutcomeCheck {
	const opening = checkEnvelopeOpening(state);
	if (!opening.ok) return opening;
	// §57d(2): an envelope set aside names its ground; an accepted one has none.
	if (outcome === 'set-aside' && ground === null) return { ok: false, reason: 'ground-required', section: '§57d(2)' };
	if (outcome === 'accepted' && ground !== null) return { ok: false, reason: 'ground-not-allowed', section: '§57d(3)' };
	// §57d(2)(e): a voter the list already records as having voted cannot be marked again.
	if (outcome === 'accepted' && state.voterAlreadyVoted) {
		return { ok: false, reason: 'voter-already-voted', section: '§57d(2)(e)' };
	}
	return { ok: true };
}

/** The outcomes a page should offer for the envelope now (none when it may not be opened). */
export function allowedOutcomes(state: EnvelopeOpeningState): EnvelopeOutcome[] {
	if (!checkEnvelopeOpening(state).ok) return [];
	return state.voterAlreadyVoted ? ['set-aside'] : ['accepted', 'set-aside'];
}

// --- Opening the ballot box (§57d(6)) ---

export interface BallotBoxState {
	votingClosed: boolean;
	alreadyOpened: boolean;
	/** Envelopes handed over (confirmed or not) with no outcome yet. */
	unprocessed: number;
	/** Envelopes received on time that the embassy has not yet put on a hand-over record. */
	awaitingHandover: number;
}

export type BallotBoxCheck =
	| { ok: true }
	| { ok: false; reason: 'voting-not-closed' | 'already-opened' | 'envelopes-remaining'; section: string };

/**
 * §57d(6): the ballot box may be opened only after voting has closed and every envelope
 * received on time has been dealt with — including any the embassy still holds (§57c(4)).
 */
export function checkBallotBoxOpening(state: BallotBoxState): BallotBoxCheck {
	if (state.alreadyOpened) return { ok: false, reason: 'already-opened', section: '§57d(6)' };
	if (!state.votingClosed) return { ok: false, reason: 'voting-not-closed', section: '§57d(1)' };
	if (state.unprocessed > 0 || state.awaitingHandover > 0) {
		return { ok: false, reason: 'envelopes-remaining', section: '§57d(6)' };
	}
	return { ok: true };
}

// --- What the voter is told (§57c, §57d) ---

export type VoterEnvelopeStatus =
	| { status: 'received' }
	| { status: 'late' }
	| { status: 'counted' }
	| { status: 'set-aside'; ground: SetAsideGround };

/**
 * The return envelope as the voter's timeline shows it. The commission's outcome is shown
 * only once it has finished, i.e. the ballot box is open (§57d(6)); until then, 'received'.
 */
export function voterEnvelopeStatus(envelope: {
	late: boolean;
	outcome: EnvelopeOutcome | null;
	ground: SetAsideGround | null;
	ballotBoxOpened: boolean;
}): VoterEnvelopeStatus {
	if (envelope.late) return { status: 'late' };
	if (!envelope.ballotBoxOpened || envelope.outcome === null) return { status: 'received' };
	if (envelope.outcome === 'accepted') return { status: 'counted' };
	if (envelope.ground === null) throw new RangeError('An envelope set aside has a ground (§57d(2))');
	return { status: 'set-aside', ground: envelope.ground };
}

// --- Reconciliation ---

export interface ReconciliationCounts {
	/** Correspondence packages issued (§57b). */
	packagesIssued: number;
	packagesDispatched: number;
	packagesNotDispatched: number;
	/** Packages for which no return envelope was received. */
	packagesWithoutEnvelope: number;
	/** Return envelopes received (§57c(3)). */
	received: number;
	receivedOnTime: number;
	/** §57c(5) */
	receivedLate: number;
	/** On time and on a hand-over record (§57c(4)). */
	handedOver: number;
	/** On time and still held by the embassy. */
	held: number;
	accepted: number;
	/** Envelopes set aside, counted on their own … */
	setAsideTotal: number;
	/** … and by ground of §57d(2). */
	setAside: Readonly<Record<SetAsideGround, number>>;
	/** Handed over and not yet dealt with. */
	unprocessed: number;
	/** Voters marked in the list as having voted by correspondence (§57d(3)). */
	markedByCorrespondence: number;
}

export type ReconciliationTerm = Exclude<keyof ReconciliationCounts, 'setAside'> | `setAside.${SetAsideGround}`;

export interface ReconciliationIdentity {
	key:
		| 'issued-dispatched'
		| 'issued-returned'
		| 'received-on-time-late'
		| 'on-time-handed-over-held'
		| 'handed-over-dealt-with'
		| 'set-aside-by-ground'
		| 'accepted-marked';
	section: string;
	total: { term: ReconciliationTerm; value: number };
	parts: { term: ReconciliationTerm; value: number }[];
	/** total − Σ parts; 0 when the identity holds. */
	difference: number;
}

export interface Reconciliation {
	identities: ReconciliationIdentity[];
	/** Every identity holds. */
	balanced: boolean;
}

/**
 * The identities an embassy's figures for one election round must satisfy, each with the
 * difference, so the page can say they add up or show where they do not.
 */
export function reconcile(c: ReconciliationCounts): Reconciliation {
	const identity = (
		key: ReconciliationIdentity['key'],
		section: string,
		total: ReconciliationIdentity['total'],
		parts: ReconciliationIdentity['parts']
	): ReconciliationIdentity => ({
		key,
		section,
		total,
		parts,
		difference: total.value - parts.reduce((sum, p) => sum + p.value, 0)
	});
	const identities = [
		// §57b(1): every package issued is either sent (or handed over) or still waiting.
		identity('issued-dispatched', '§57b(1)', { term: 'packagesIssued', value: c.packagesIssued }, [
			{ term: 'packagesDispatched', value: c.packagesDispatched },
			{ term: 'packagesNotDispatched', value: c.packagesNotDispatched }
		]),
		// §57c(3): each package has one return envelope at most.
		identity('issued-returned', '§57c(3)', { term: 'packagesIssued', value: c.packagesIssued }, [
			{ term: 'received', value: c.received },
			{ term: 'packagesWithoutEnvelope', value: c.packagesWithoutEnvelope }
		]),
		// §57c(5): an envelope arrives either before the close of voting or after it.
		identity('received-on-time-late', '§57c(5)', { term: 'received', value: c.received }, [
			{ term: 'receivedOnTime', value: c.receivedOnTime },
			{ term: 'receivedLate', value: c.receivedLate }
		]),
		// §57c(4): an envelope received on time is either handed to the commission or still held.
		identity('on-time-handed-over-held', '§57c(4)', { term: 'receivedOnTime', value: c.receivedOnTime }, [
			{ term: 'handedOver', value: c.handedOver },
			{ term: 'held', value: c.held }
		]),
		// §57d(2)–(4): each envelope handed over is accepted, set aside, or still to be dealt with.
		identity('handed-over-dealt-with', '§57d', { term: 'handedOver', value: c.handedOver }, [
			{ term: 'accepted', value: c.accepted },
			{ term: 'setAsideTotal', value: c.setAsideTotal },
			{ term: 'unprocessed', value: c.unprocessed }
		]),
		// §57d(2): every envelope set aside names exactly one ground.
		identity(
			'set-aside-by-ground',
			'§57d(2)',
			{ term: 'setAsideTotal', value: c.setAsideTotal },
			SET_ASIDE_GROUND_CODES.map((g) => ({ term: `setAside.${g}` as const, value: c.setAside[g] }))
		),
		// §57d(3): each accepted envelope marks its voter in the list, and nothing else does.
		identity('accepted-marked', '§57d(3)', { term: 'accepted', value: c.accepted }, [
			{ term: 'markedByCorrespondence', value: c.markedByCorrespondence }
		])
	];
	return { identities, balanced: identities.every((i) => i.difference === 0) };
}
