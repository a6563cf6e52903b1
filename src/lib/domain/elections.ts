/**
 * Elections and the rules that depend on their type.
 *
 * Act No. 88/2024 Sb. on election administration as amended by Act No. 268/2024 Sb.
 * See DOMAIN.md "Elections". Pure: no clock, no I/O.
 */
import { Temporal } from 'temporal-polyfill';

export type ElectionType = 'chamber' | 'president' | 'european' | 'senate' | 'regional' | 'municipal';

export const ELECTION_TYPES: readonly ElectionType[] = [
	'chamber',
	'president',
	'european',
	'senate',
	'regional',
	'municipal'
];

/** Two-round elections (president, senate) issue one voter card per round (§57(5)). */
export type Round = 1 | 2;

/** Where a voter card lets its holder vote (§56(2)). */
export type VoterCardScope = 'any' | 'senate-constituency' | 'region' | 'none';

export interface ElectionTypeRules {
	/** §2(1): whether the election is also held in special districts abroad. */
	votingAbroad: boolean;
	/** §57a(1): whether correspondence voting is allowed by default. */
	correspondenceAllowed: boolean;
	/** Whether an administrator may switch correspondence voting per election (DOMAIN.md: *configurable*). */
	correspondenceConfigurable: boolean;
	rounds: Round;
	/** §56(2) */
	voterCardScope: VoterCardScope;
	/** §57(4): default number of days before D from which voter cards may be handed over or mailed. */
	earliestVoterCardIssueDays: number | null;
}

/** The table "Elections" of DOMAIN.md. */
export const ELECTION_TYPE_RULES: Readonly<Record<ElectionType, Readonly<ElectionTypeRules>>> = {
	chamber: {
		votingAbroad: true,
		correspondenceAllowed: true,
		correspondenceConfigurable: false,
		rounds: 1,
		voterCardScope: 'any',
		earliestVoterCardIssueDays: null
	},
	president: {
		votingAbroad: true,
		correspondenceAllowed: true,
		correspondenceConfigurable: false,
		rounds: 2,
		voterCardScope: 'any',
		earliestVoterCardIssueDays: null
	},
	european: {
		votingAbroad: true,
		// §57a(1): the wording could not be confirmed; on by default, configurable per election.
		correspondenceAllowed: true,
		correspondenceConfigurable: true,
		rounds: 1,
		voterCardScope: 'any',
		// §57(4): voter cards are handed over or mailed no earlier than D−15 (configurable).
		earliestVoterCardIssueDays: 15
	},
	senate: {
		votingAbroad: false,
		correspondenceAllowed: false,
		correspondenceConfigurable: false,
		rounds: 2,
		voterCardScope: 'senate-constituency',
		earliestVoterCardIssueDays: null
	},
	regional: {
		votingAbroad: false,
		correspondenceAllowed: false,
		correspondenceConfigurable: false,
		rounds: 1,
		voterCardScope: 'region',
		earliestVoterCardIssueDays: null
	},
	municipal: {
		votingAbroad: false,
		correspondenceAllowed: false,
		correspondenceConfigurable: false,
		rounds: 1,
		voterCardScope: 'none',
		earliestVoterCardIssueDays: null
	}
};

/**
 * §58(3): countries to which no correspondence package may be sent, as set by the
 * government for 2025 (ISO 3166-1 alpha-2): Afghanistan, Yemen, North Korea, Libya,
 * Palestine, Haiti, Somalia, Western Sahara. The list is per election.
 */
export const DEFAULT_EXCLUDED_COUNTRIES_2025: readonly string[] = [
	'AF',
	'YE',
	'KP',
	'LY',
	'PS',
	'HT',
	'SO',
	'EH'
];

export interface ElectionRound {
	round: Round;
	/** D: the first day of voting in Czechia, YYYY-MM-DD; always a Friday (§2(4)). */
	firstDay: string;
}

export interface Election {
	id: string;
	type: ElectionType;
	/** Day of the announcement, YYYY-MM-DD; requests are accepted from this day (§57(1)). */
	announcedOn: string;
	rounds: readonly ElectionRound[];
	/** §57a(1) */
	correspondenceAllowed: boolean;
	/** §2(1) */
	votingAbroad: boolean;
	/** §57(4): days before D from which voter cards may be issued; null = no such limit. */
	earliestVoterCardIssueDays: number | null;
	/** §58(3): ISO 3166-1 alpha-2 codes. */
	excludedCountries: readonly string[];
}

/** The per-election settings an administrator starts from, by type. */
export function defaultElectionSettings(
	type: ElectionType
): Pick<Election, 'correspondenceAllowed' | 'votingAbroad' | 'earliestVoterCardIssueDays' | 'excludedCountries'> {
	const rules = ELECTION_TYPE_RULES[type];
	return {
		correspondenceAllowed: rules.correspondenceAllowed,
		votingAbroad: rules.votingAbroad,
		earliestVoterCardIssueDays: rules.earliestVoterCardIssueDays,
		// §58(3): the exclusion only matters where correspondence packages are sent abroad.
		excludedCountries: rules.correspondenceAllowed ? [...DEFAULT_EXCLUDED_COUNTRIES_2025] : []
	};
}

/** §56(2): municipal elections have no voter cards. */
export function hasVoterCards(election: Pick<Election, 'type'>): boolean {
	return ELECTION_TYPE_RULES[election.type].voterCardScope !== 'none';
}

/** §57a(1): correspondence voting exists only where the election is also held abroad (§2(1)). */
export function allowsCorrespondence(election: Pick<Election, 'correspondenceAllowed' | 'votingAbroad'>): boolean {
	return election.correspondenceAllowed && election.votingAbroad;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a strict YYYY-MM-DD calendar date; null if malformed or not a real date. */
export function parseIsoDate(value: string): Temporal.PlainDate | null {
	if (!ISO_DATE.test(value)) return null;
	try {
		return Temporal.PlainDate.from(value, { overflow: 'reject' });
	} catch {
		return null;
	}
}

export function findRound(election: Pick<Election, 'rounds'>, round: Round): ElectionRound | undefined {
	return election.rounds.find((r) => r.round === round);
}

/**
 * D of a round as a calendar date. Throws if the round does not exist or the date is
 * malformed: callers are expected to hold a validated election.
 */
export function firstDayOf(election: Pick<Election, 'rounds'>, round: Round): Temporal.PlainDate {
	const found = findRound(election, round);
	const date = found ? parseIsoDate(found.firstDay) : null;
	if (!date) throw new RangeError(`Election has no valid first day for round ${round}`);
	return date;
}

/** §2(2): voting in Czechia runs Friday and Saturday, so the last day of voting is D+1. */
export function lastDayOfVoting(election: Pick<Election, 'rounds'>, round: Round): Temporal.PlainDate {
	return firstDayOf(election, round).add({ days: 1 });
}

export type ElectionField =
	| 'type'
	| 'announcedOn'
	| 'rounds'
	| 'firstDay'
	| 'correspondenceAllowed'
	| 'votingAbroad'
	| 'earliestVoterCardIssueDays'
	| 'excludedCountries';

export type ElectionErrorCode =
	| 'invalid-type'
	| 'invalid-date'
	| 'first-day-not-friday'
	| 'wrong-number-of-rounds'
	| 'rounds-out-of-order'
	| 'announcement-not-before-first-day'
	| 'voting-abroad-fixed-by-law'
	| 'correspondence-fixed-by-law'
	| 'invalid-earliest-issue-days'
	| 'earliest-issue-without-voter-cards'
	| 'invalid-country-code';

export interface ElectionError {
	field: ElectionField;
	code: ElectionErrorCode;
	/** Set when the error concerns one round's first day. */
	round?: Round;
}

export type ElectionValidation = { ok: true } | { ok: false; errors: ElectionError[] };

function result(errors: ElectionError[]): ElectionValidation {
	return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

/** Checks the dates of an election: Fridays, number and order of rounds, announcement first. */
export function validateElectionDates(
	election: Pick<Election, 'type' | 'announcedOn' | 'rounds'>
): ElectionValidation {
	const errors: ElectionError[] = [];
	const rules = ELECTION_TYPE_RULES[election.type];
	if (!rules) return result([{ field: 'type', code: 'invalid-type' }]);

	const announcedOn = parseIsoDate(election.announcedOn);
	if (!announcedOn) errors.push({ field: 'announcedOn', code: 'invalid-date' });

	if (election.rounds.length !== rules.rounds) {
		errors.push({ field: 'rounds', code: 'wrong-number-of-rounds' });
	}

	let previous: Temporal.PlainDate | null = null;
	for (const [index, r] of election.rounds.entries()) {
		if (r.round !== index + 1) {
			errors.push({ field: 'rounds', code: 'rounds-out-of-order', round: r.round });
		}
		const firstDay = parseIsoDate(r.firstDay);
		if (!firstDay) {
			errors.push({ field: 'firstDay', code: 'invalid-date', round: r.round });
			continue;
		}
		// §2(4): the first day of voting (D) is always a Friday.
		if (firstDay.dayOfWeek !== 5) {
			errors.push({ field: 'firstDay', code: 'first-day-not-friday', round: r.round });
		}
		if (previous && Temporal.PlainDate.compare(firstDay, previous) <= 0) {
			errors.push({ field: 'firstDay', code: 'rounds-out-of-order', round: r.round });
		}
		// §57(1): requests are accepted from the announcement, so it must come before D.
		if (index === 0 && announcedOn && Temporal.PlainDate.compare(announcedOn, firstDay) >= 0) {
			errors.push({ field: 'announcedOn', code: 'announcement-not-before-first-day' });
		}
		previous = firstDay;
	}

	return result(errors);
}

const ISO_COUNTRY = /^[A-Z]{2}$/;

/** Checks a whole election: its dates and that the per-election settings respect the law. */
export function validateElection(election: Election): ElectionValidation {
	const rules = ELECTION_TYPE_RULES[election.type];
	if (!rules) return result([{ field: 'type', code: 'invalid-type' }]);

	const dates = validateElectionDates(election);
	const errors: ElectionError[] = dates.ok ? [] : [...dates.errors];

	// §2(1): whether an election is held abroad follows from its type.
	if (election.votingAbroad !== rules.votingAbroad) {
		errors.push({ field: 'votingAbroad', code: 'voting-abroad-fixed-by-law' });
	}
	// §57a(1): only European Parliament elections leave correspondence voting to configuration.
	if (!rules.correspondenceConfigurable && election.correspondenceAllowed !== rules.correspondenceAllowed) {
		errors.push({ field: 'correspondenceAllowed', code: 'correspondence-fixed-by-law' });
	}
	// §57(4): the earliest issue day is a whole number of days before D.
	const days = election.earliestVoterCardIssueDays;
	if (days !== null) {
		if (!Number.isInteger(days) || days < 1) {
			errors.push({ field: 'earliestVoterCardIssueDays', code: 'invalid-earliest-issue-days' });
		} else if (!hasVoterCards(election)) {
			errors.push({ field: 'earliestVoterCardIssueDays', code: 'earliest-issue-without-voter-cards' });
		}
	}
	// §58(3): the excluded list holds ISO 3166-1 alpha-2 codes.
	if (election.excludedCountries.some((c) => !ISO_COUNTRY.test(c))) {
		errors.push({ field: 'excludedCountries', code: 'invalid-country-code' });
	}

	return result(errors);
}
