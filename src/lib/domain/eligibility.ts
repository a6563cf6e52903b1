/**
 * Who may ask for what, and until when.
 *
 * DOMAIN.md "Who may ask for what". Each check takes plain data and `now`, and returns
 * either `{ ok: true }` or the first reason to refuse, with the section that sets it and,
 * for a missed deadline, the deadline itself, so the refusal can name it (§78(3)).
 */
import { Temporal } from 'temporal-polyfill';
import {
	allowsCorrespondence,
	firstDayOf,
	hasVoterCards,
	lastDayOfVoting,
	parseIsoDate,
	type Election,
	type Round
} from './elections';
import {
	areRequestsOpen,
	deadlineFor,
	isOnTime,
	requestsOpenAt,
	startOfDayBeforePrague,
	type Deadline,
	type DeadlineKey
} from './deadlines';

export type RefusalReason =
	| 'not-on-voter-list'
	| 'deadline-passed'
	| 'card-already-issued'
	| 'correspondence-package-already-issued'
	| 'wrong-office'
	| 'address-outside-jurisdiction'
	| 'excluded-country'
	| 'proxy-limit'
	| 'election-has-no-voter-cards'
	| 'not-voting-abroad'
	| 'correspondence-not-allowed'
	| 'not-registered-at-embassy'
	| 'not-yet-open'
	| 'too-early'
	| 'under-age'
	| 'round-not-in-election';

export const REFUSAL_REASONS: readonly RefusalReason[] = [
	'not-on-voter-list',
	'deadline-passed',
	'card-already-issued',
	'correspondence-package-already-issued',
	'wrong-office',
	'address-outside-jurisdiction',
	'excluded-country',
	'proxy-limit',
	'election-has-no-voter-cards',
	'not-voting-abroad',
	'correspondence-not-allowed',
	'not-registered-at-embassy',
	'not-yet-open',
	'too-early',
	'under-age',
	'round-not-in-election'
];

export type Refusal = {
	ok: false;
	reason: RefusalReason;
	/** The section that sets the rule, e.g. '§57(3)'. */
	section: string;
	/** For 'deadline-passed' and 'too-early': the limit that was missed, so the refusal can name it (§78(3)). */
	deadline?: Deadline;
	/** For 'not-yet-open': when requests open (00:00 Prague on the announcement day, §57(1)). */
	opensAt?: Temporal.ZonedDateTime;
	/** The round concerned, where the refusal is about one round. */
	round?: Round;
};

export type Eligibility = { ok: true } | Refusal;

const OK: Eligibility = { ok: true };

function refuse(reason: RefusalReason, section: string, extra: Pick<Refusal, 'deadline' | 'round' | 'opensAt'> = {}): Refusal {
	return { ok: false, reason, section, ...extra };
}

/** An office that keeps a voter list: a municipal office, or an embassy for its special district. */
export type OfficeRef = { kind: 'municipal'; officeId: string } | { kind: 'embassy'; officeId: string };

/** What the portal knows about a voter, as plain data. */
export interface VoterFacts {
	/** The voter list that keeps the voter for the election in question (see `voterListFor`), or null. */
	voterList: OfficeRef | null;
	/** YYYY-MM-DD */
	birthDate: string;
	voterCardsIssued: readonly { electionId: string; round: Round }[];
	correspondencePackagesIssued: readonly { electionId: string; round: Round }[];
}

/**
 * §56(4): a voter registered in a special district leaves the municipal list for elections
 * held abroad and is kept on the embassy's list; for other elections the municipal list
 * (if any) keeps them.
 */
export function voterListFor(
	election: Pick<Election, 'votingAbroad'>,
	registrations: { municipalOfficeId: string | null; specialDistrictOfficeId: string | null }
): OfficeRef | null {
	if (election.votingAbroad && registrations.specialDistrictOfficeId !== null) {
		return { kind: 'embassy', officeId: registrations.specialDistrictOfficeId };
	}
	if (registrations.municipalOfficeId !== null) {
		return { kind: 'municipal', officeId: registrations.municipalOfficeId };
	}
	return null;
}

/**
 * Voter list condition: a voter is 18 at the latest on the last day of voting of the round
 * (Saturday, D+1, §2(2)). Someone born on 29 February turns 18 on 28 February in a
 * non-leap year (a period ending in a month without that day ends on its last day).
 */
export function isOfVotingAge(birthDate: string, election: Pick<Election, 'rounds'>, round: Round): boolean {
	const born = parseIsoDate(birthDate);
	if (!born) throw new RangeError(`Invalid birth date: ${birthDate}`);
	const eighteenth = born.add({ years: 18 }, { overflow: 'constrain' });
	return Temporal.PlainDate.compare(eighteenth, lastDayOfVoting(election, round)) <= 0;
}

function sameOffice(a: OfficeRef, b: OfficeRef): boolean {
	return a.kind === b.kind && a.officeId === b.officeId;
}

/** The requested rounds must be at least one, and each a round of the election. */
function checkRounds(election: Election, rounds: readonly Round[], section: string): Refusal | null {
	if (rounds.length === 0) return refuse('round-not-in-election', section);
	const absent = rounds.find((round) => !election.rounds.some((r) => r.round === round));
	return absent === undefined ? null : refuse('round-not-in-election', section, { round: absent });
}

/** §57(1): requests are accepted from 00:00 Prague on the announcement day. */
function checkRequestsOpen(election: Election, now: Temporal.Instant): Refusal | null {
	if (areRequestsOpen(now, election)) return null;
	return refuse('not-yet-open', '§57(1)', { opensAt: requestsOpenAt(election) });
}

/** §78(1)(c), §78(3): a filing at or after the deadline is refused and cannot be excused. */
function checkDeadline(election: Election, key: DeadlineKey, round: Round, now: Temporal.Instant): Refusal | null {
	const deadline = deadlineFor(election, key, round);
	if (!deadline) throw new RangeError(`Deadline ${key} does not apply to election ${election.id}`);
	return isOnTime(now, deadline) ? null : refuse('deadline-passed', deadline.section, { deadline, round });
}

function sortedRounds(rounds: readonly Round[]): Round[] {
	return [...new Set(rounds)].sort((a, b) => a - b);
}

// --- Voter card ---

export type VoterCardDelivery = 'post' | 'in-person' | 'proxy';

/**
 * A voter's request for a voter card, for round 1, round 2 or both of a two-round
 * election (§57(5)); one-round elections ask for round 1.
 */
export function checkVoterCardRequest(input: {
	election: Election;
	rounds: readonly Round[];
	delivery: VoterCardDelivery;
	voter: VoterFacts;
	/** The office the request was filed with; when absent, the portal routes it to the competent one. */
	filedWith?: OfficeRef;
	now: Temporal.Instant;
}): Eligibility {
	const { election, delivery, voter, filedWith, now } = input;

	// §56(2): municipal elections have no voter cards.
	if (!hasVoterCards(election)) return refuse('election-has-no-voter-cards', '§56(2)');

	// §57(5): the voter asks for round 1, round 2 or both.
	const wrongRound = checkRounds(election, input.rounds, '§57(5)');
	if (wrongRound) return wrongRound;
	const rounds = sortedRounds(input.rounds);

	// §57(1): requests are accepted from the announcement.
	const notOpen = checkRequestsOpen(election, now);
	if (notOpen) return notOpen;

	// §57(1): only a voter on a voter list, and only at the office that keeps that list.
	if (voter.voterList === null) return refuse('not-on-voter-list', '§57(1)');
	if (filedWith && !sameOffice(filedWith, voter.voterList)) return refuse('wrong-office', '§57(1)');

	for (const round of rounds) {
		// Voter list condition: 18 at the latest on the last day of voting.
		if (!isOfVotingAge(voter.birthDate, election, round)) {
			return refuse('under-age', 'voter list condition', { round });
		}
	}

	// §57(1) as amended: no voter card once a correspondence package was issued for the election.
	if (voter.correspondencePackagesIssued.some((p) => p.electionId === election.id)) {
		return refuse('correspondence-package-already-issued', '§57(1)');
	}

	for (const round of rounds) {
		// §57(1), §57(5): one voter card per election and round.
		if (voter.voterCardsIssued.some((c) => c.electionId === election.id && c.round === round)) {
			return refuse('card-already-issued', '§57(1)', { round });
		}
	}

	// §57(3): a card to be mailed is requested by D−10; one collected in person or by proxy by D−2.
	const key: DeadlineKey = delivery === 'post' ? 'voter-card-mail-request' : 'voter-card-pickup-request';
	for (const round of rounds) {
		const late = checkDeadline(election, key, round, now);
		if (late) return late;
	}
	return OK;
}

/**
 * The office hands over or mails a voter card: mailed by D−7, collected by D−2 (§57(3)),
 * and not before the earliest issue day where the election has one (§57(4)).
 */
export function checkVoterCardHandOver(input: {
	election: Election;
	round: Round;
	method: VoterCardDelivery;
	now: Temporal.Instant;
}): Eligibility {
	const { election, round, method, now } = input;
	if (!hasVoterCards(election)) return refuse('election-has-no-voter-cards', '§56(2)');
	const wrongRound = checkRounds(election, [round], '§57(5)');
	if (wrongRound) return wrongRound;

	// §57(4): no hand-over or mailing before the start of day D−N (D−15 for European Parliament).
	const earliest = deadlineFor(election, 'voter-card-earliest-issue', round);
	if (earliest && isOnTime(now, earliest)) return refuse('too-early', earliest.section, { deadline: earliest, round });

	// §57(3): handed to the post by D−7; last collection on D−2.
	const key: DeadlineKey = method === 'post' ? 'voter-card-post-dispatch' : 'voter-card-pickup';
	return checkDeadline(election, key, round, now) ?? OK;
}

// --- Special-district registration ---

export interface EmbassyArea {
	officeId: string;
	/** ISO 3166-1 alpha-2 codes of the countries in the embassy's area. */
	countries: readonly string[];
}

function inArea(country: string, embassy: EmbassyArea): boolean {
	const code = country.toUpperCase();
	return embassy.countries.some((c) => c.toUpperCase() === code);
}

/**
 * Registration to vote at an embassy (§56(4), §57(6)). The registration is permanent, so
 * with no upcoming election it is always accepted; given the election it is meant to apply
 * to, that election must be held abroad (§2(1)) and the registration made by D−3 (§57(6)).
 */
export function checkSpecialDistrictRegistration(input: {
	embassy: EmbassyArea;
	/** Country of the voter's address abroad. */
	addressCountry: string;
	election?: Election | null;
	/** The round it is meant to apply to; 1 when absent. */
	round?: Round;
	now: Temporal.Instant;
}): Eligibility {
	const { embassy, addressCountry, election, now } = input;
	const round = input.round ?? 1;

	// §57(6): the voter lives abroad in the embassy's area and gives the address there.
	if (!inArea(addressCountry, embassy)) return refuse('address-outside-jurisdiction', '§57(6)');

	if (!election) return OK;
	// §2(1): only elections held abroad have special districts.
	if (!election.votingAbroad) return refuse('not-voting-abroad', '§2(1)');
	const wrongRound = checkRounds(election, [round], '§57(6)');
	if (wrongRound) return wrongRound;
	// §57(6): by D−3 for that election.
	return checkDeadline(election, 'special-district-registration', round, now) ?? OK;
}

// --- Correspondence package ---

export type CorrespondenceDelivery = 'post' | 'collect-at-embassy';

/**
 * How a correspondence request reached the embassy. Online via the portal (eID), a data box
 * and a letter with a verified signature are *written* (§57(1)(c), §57a(3)); 'in-person'
 * covers the voter or a proxy with a verified power of attorney at the embassy's counter.
 */
export type CorrespondenceChannel = 'portal' | 'data-box' | 'verified-letter' | 'in-person';

/** §57a(3): the deadline that governs a correspondence request made through a channel. */
export function correspondenceRequestDeadlineKey(channel: CorrespondenceChannel): DeadlineKey {
	return channel === 'in-person' ? 'correspondence-request-in-person' : 'correspondence-request-written';
}

/**
 * A request for a correspondence package (§57a). For a presidential election the voter
 * gets papers for both rounds unless they ask for one (§57b(2)); the deadline is that of
 * the first requested round.
 */
export function checkCorrespondenceRequest(input: {
	election: Election;
	/** Rounds asked for; all rounds of the election when absent (§57b(2)). */
	rounds?: readonly Round[];
	embassy: EmbassyArea;
	voter: VoterFacts;
	delivery: CorrespondenceDelivery;
	/** Country of the mailing address; required when the package is mailed. */
	mailingAddressCountry?: string | null;
	channel: CorrespondenceChannel;
	now: Temporal.Instant;
}): Eligibility {
	const { election, embassy, voter, delivery, channel, now } = input;

	// §57a(1): only for elections that allow correspondence voting (and are held abroad, §2(1)).
	if (!allowsCorrespondence(election)) return refuse('correspondence-not-allowed', '§57a(1)');

	// §57b(2): both rounds unless the voter asks for one.
	const requested = input.rounds ?? election.rounds.map((r) => r.round);
	const wrongRound = checkRounds(election, requested, '§57b(2)');
	if (wrongRound) return wrongRound;
	const rounds = sortedRounds(requested);

	// §57(1): requests are accepted from the announcement.
	const notOpen = checkRequestsOpen(election, now);
	if (notOpen) return notOpen;

	// §57a(1): only a voter registered in that embassy's special district.
	const registered = voter.voterList?.kind === 'embassy' && voter.voterList.officeId === embassy.officeId;
	if (!registered) return refuse('not-registered-at-embassy', '§57a(1)');

	for (const round of rounds) {
		// Voter list condition: 18 at the latest on the last day of voting.
		if (!isOfVotingAge(voter.birthDate, election, round)) {
			return refuse('under-age', 'voter list condition', { round });
		}
		// §57a(1): one correspondence package per election and round.
		if (voter.correspondencePackagesIssued.some((p) => p.electionId === election.id && p.round === round)) {
			return refuse('correspondence-package-already-issued', '§57a(1)', { round });
		}
	}

	if (delivery === 'post') {
		const country = input.mailingAddressCountry?.toUpperCase() ?? null;
		// §58(3): never to an address in a country the government has excluded for this election.
		if (country !== null && election.excludedCountries.some((c) => c.toUpperCase() === country)) {
			return refuse('excluded-country', '§58(3)');
		}
		// §57a(4): a mailing address inside the embassy's area, or collection at the embassy.
		if (country === null || !inArea(country, embassy)) {
			return refuse('address-outside-jurisdiction', '§57a(4)');
		}
	}

	// §57a(3): written or online by D−35; in person or by proxy at the embassy by D−2.
	const firstRound = rounds[0] ?? 1;
	return checkDeadline(election, correspondenceRequestDeadlineKey(channel), firstRound, now) ?? OK;
}

/**
 * The embassy sends a correspondence package: by D−25 (§57b(1)). A request made in person
 * at the embassy comes after that date by design, so the in-person window (D−2, §57a(3))
 * governs it instead.
 */
export function checkCorrespondenceDispatch(input: {
	election: Election;
	round: Round;
	requestChannel: CorrespondenceChannel;
	now: Temporal.Instant;
}): Eligibility {
	const { election, round, requestChannel, now } = input;
	if (!allowsCorrespondence(election)) return refuse('correspondence-not-allowed', '§57a(1)');
	const wrongRound = checkRounds(election, [round], '§57b(2)');
	if (wrongRound) return wrongRound;
	const key: DeadlineKey =
		requestChannel === 'in-person' ? 'correspondence-request-in-person' : 'correspondence-dispatch';
	return checkDeadline(election, key, round, now) ?? OK;
}

/**
 * Not law: an operational warning to embassy staff from the start of D−28 (Prague), three
 * days before the D−25 dispatch deadline of §57b(1).
 */
export const DISPATCH_WARNING_DAYS_BEFORE = 28;

export type DispatchWarning = 'none' | 'due-soon' | 'overdue';

/** Whether packages still waiting to be sent for a round call for a warning (§57b(1)). */
export function dispatchWarning(input: { election: Election; round: Round; now: Temporal.Instant }): DispatchWarning {
	const { election, round, now } = input;
	const deadline = deadlineFor(election, 'correspondence-dispatch', round);
	if (!deadline) return 'none';
	if (!isOnTime(now, deadline)) return 'overdue';
	const warnFrom = startOfDayBeforePrague(firstDayOf(election, round), DISPATCH_WARNING_DAYS_BEFORE);
	return Temporal.Instant.compare(now, warnFrom.toInstant()) >= 0 ? 'due-soon' : 'none';
}

// --- Proxy ---

/** §57b(1): a proxy may collect correspondence packages for at most 7 voters per embassy and election. */
export const PROXY_VOTER_LIMIT = 7;

/** §57b(1): the 8th voter for the same proxy, embassy and election is refused. */
export function checkProxyLimit(votersAlreadyRepresented: number): Eligibility {
	return votersAlreadyRepresented >= PROXY_VOTER_LIMIT ? refuse('proxy-limit', '§57b(1)') : OK;
}
