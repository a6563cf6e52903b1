import { describe, it, expect } from 'vitest';
import {
	DEFAULT_EXCLUDED_COUNTRIES_2025,
	ELECTION_TYPES,
	ELECTION_TYPE_RULES,
	defaultElectionSettings,
	hasVoterCards,
	lastDayOfVoting,
	parseIsoDate,
	validateElection,
	validateElectionDates,
	type ElectionType,
	type ElectionTypeRules
} from './elections';
import { CHAMBER_2025, PRESIDENT_2023, makeElection } from './test-support';

describe('election type rules (DOMAIN.md "Elections")', () => {
	const table: [string, ElectionType, Partial<ElectionTypeRules>][] = [
		['§2(1) §57a(1) §56(2) chamber: abroad, correspondence, 1 round, any district', 'chamber', { votingAbroad: true, correspondenceAllowed: true, rounds: 1, voterCardScope: 'any', earliestVoterCardIssueDays: null }],
		['§2(1) §57a(1) §56(2) president: abroad, correspondence, 2 rounds, any district', 'president', { votingAbroad: true, correspondenceAllowed: true, rounds: 2, voterCardScope: 'any', earliestVoterCardIssueDays: null }],
		['§2(1) §57a(1) §56(2) §57(4) european: abroad, correspondence (configurable), 1 round, D−15', 'european', { votingAbroad: true, correspondenceAllowed: true, correspondenceConfigurable: true, rounds: 1, voterCardScope: 'any', earliestVoterCardIssueDays: 15 }],
		['§2(1) §57a(1) §56(2) senate: not abroad, no correspondence, 2 rounds, constituency', 'senate', { votingAbroad: false, correspondenceAllowed: false, rounds: 2, voterCardScope: 'senate-constituency' }],
		['§2(1) §57a(1) §56(2) regional: not abroad, no correspondence, 1 round, region', 'regional', { votingAbroad: false, correspondenceAllowed: false, rounds: 1, voterCardScope: 'region' }],
		['§2(1) §57a(1) §56(2) municipal: not abroad, no correspondence, 1 round, no voter cards', 'municipal', { votingAbroad: false, correspondenceAllowed: false, rounds: 1, voterCardScope: 'none' }]
	];
	it.each(table)('%s', (_name, type, expected) => {
		expect(ELECTION_TYPE_RULES[type]).toMatchObject(expected);
	});

	it('lists every type once', () => {
		expect([...ELECTION_TYPES].sort()).toEqual(Object.keys(ELECTION_TYPE_RULES).sort());
	});

	it('§56(2) only municipal elections have no voter cards', () => {
		expect(ELECTION_TYPES.filter((type) => !hasVoterCards({ type }))).toEqual(['municipal']);
	});

	it('§58(3) the 2025 excluded countries are AF, YE, KP, LY, PS, HT, SO, EH', () => {
		expect([...DEFAULT_EXCLUDED_COUNTRIES_2025].sort()).toEqual(['AF', 'EH', 'HT', 'KP', 'LY', 'PS', 'SO', 'YE']);
	});

	it('§58(3) defaults: the excluded list is prefilled only where packages go abroad', () => {
		expect(defaultElectionSettings('chamber').excludedCountries).toEqual([...DEFAULT_EXCLUDED_COUNTRIES_2025]);
		expect(defaultElectionSettings('senate').excludedCountries).toEqual([]);
	});
});

describe('validateElectionDates', () => {
	it('§2(4) accepts the 2025 Chamber election and the 2023-like presidential election', () => {
		expect(validateElectionDates(CHAMBER_2025)).toEqual({ ok: true });
		expect(validateElectionDates(PRESIDENT_2023)).toEqual({ ok: true });
	});

	const table: [string, Parameters<typeof validateElectionDates>[0], object][] = [
		[
			'§2(4) first day must be a Friday',
			{ type: 'chamber', announcedOn: '2025-06-26', rounds: [{ round: 1, firstDay: '2025-10-04' }] },
			{ field: 'firstDay', code: 'first-day-not-friday', round: 1 }
		],
		[
			'§2(4) round 2 first day must be a Friday too',
			{ type: 'president', announcedOn: '2022-09-30', rounds: [{ round: 1, firstDay: '2023-01-13' }, { round: 2, firstDay: '2023-01-28' }] },
			{ field: 'firstDay', code: 'first-day-not-friday', round: 2 }
		],
		[
			'rounds: a two-round election needs two rounds',
			{ type: 'president', announcedOn: '2022-09-30', rounds: [{ round: 1, firstDay: '2023-01-13' }] },
			{ field: 'rounds', code: 'wrong-number-of-rounds' }
		],
		[
			'rounds: a one-round election has one round',
			{ type: 'chamber', announcedOn: '2025-06-26', rounds: [{ round: 1, firstDay: '2025-10-03' }, { round: 2, firstDay: '2025-10-17' }] },
			{ field: 'rounds', code: 'wrong-number-of-rounds' }
		],
		[
			'rounds: round 2 comes after round 1',
			{ type: 'senate', announcedOn: '2022-06-01', rounds: [{ round: 1, firstDay: '2022-09-30' }, { round: 2, firstDay: '2022-09-23' }] },
			{ field: 'firstDay', code: 'rounds-out-of-order', round: 2 }
		],
		[
			'rounds: numbered 1 then 2',
			{ type: 'senate', announcedOn: '2022-06-01', rounds: [{ round: 2, firstDay: '2022-09-23' }, { round: 1, firstDay: '2022-09-30' }] },
			{ field: 'rounds', code: 'rounds-out-of-order', round: 2 }
		],
		[
			'§57(1) the announcement comes before the first day',
			{ type: 'chamber', announcedOn: '2025-10-03', rounds: [{ round: 1, firstDay: '2025-10-03' }] },
			{ field: 'announcedOn', code: 'announcement-not-before-first-day' }
		],
		[
			'dates are real YYYY-MM-DD dates',
			{ type: 'chamber', announcedOn: '2025-02-30', rounds: [{ round: 1, firstDay: '3.10.2025' }] },
			{ field: 'announcedOn', code: 'invalid-date' }
		]
	];
	it.each(table)('%s', (_name, input, error) => {
		const result = validateElectionDates(input);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors).toContainEqual(error);
	});

	it('reports an unknown type without throwing', () => {
		const result = validateElectionDates({ ...CHAMBER_2025, type: 'mayor' as ElectionType });
		expect(result).toEqual({ ok: false, errors: [{ field: 'type', code: 'invalid-type' }] });
	});
});

describe('validateElection (per-election settings)', () => {
	it('accepts every type with its defaults', () => {
		for (const type of ELECTION_TYPES) {
			const days = ELECTION_TYPE_RULES[type].rounds === 2 ? ['2026-10-02', '2026-10-16'] : ['2026-10-02'];
			expect(validateElection(makeElection(type, days)), type).toEqual({ ok: true });
		}
	});

	const table: [string, ElectionType, object, object][] = [
		['§2(1) voting abroad follows the type', 'senate', { votingAbroad: true }, { field: 'votingAbroad', code: 'voting-abroad-fixed-by-law' }],
		['§57a(1) correspondence cannot be switched off for the Chamber', 'chamber', { correspondenceAllowed: false }, { field: 'correspondenceAllowed', code: 'correspondence-fixed-by-law' }],
		['§57a(1) correspondence cannot be switched on for regional elections', 'regional', { correspondenceAllowed: true }, { field: 'correspondenceAllowed', code: 'correspondence-fixed-by-law' }],
		['§57(4) the earliest issue offset is a positive whole number', 'european', { earliestVoterCardIssueDays: 0 }, { field: 'earliestVoterCardIssueDays', code: 'invalid-earliest-issue-days' }],
		['§57(4) §56(2) no earliest issue offset without voter cards', 'municipal', { earliestVoterCardIssueDays: 15 }, { field: 'earliestVoterCardIssueDays', code: 'earliest-issue-without-voter-cards' }],
		['§58(3) excluded countries are ISO alpha-2 codes', 'chamber', { excludedCountries: ['Afghanistan'] }, { field: 'excludedCountries', code: 'invalid-country-code' }]
	];
	it.each(table)('%s', (_name, type, overrides, error) => {
		const result = validateElection(makeElection(type, ['2026-10-02'], overrides));
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.errors).toContainEqual(error);
	});

	it('§57a(1) European Parliament correspondence is configurable', () => {
		expect(validateElection(makeElection('european', ['2029-06-08'], { correspondenceAllowed: false }))).toEqual({ ok: true });
	});
});

describe('dates', () => {
	it('parseIsoDate is strict', () => {
		expect(parseIsoDate('2028-02-29')?.toString()).toBe('2028-02-29');
		expect(parseIsoDate('2027-02-29')).toBeNull();
		expect(parseIsoDate('2025-10-03T10:00')).toBeNull();
		expect(parseIsoDate('')).toBeNull();
	});

	it('§2(2) the last day of voting is the Saturday after D', () => {
		expect(lastDayOfVoting(PRESIDENT_2023, 2).toString()).toBe('2023-01-28');
	});
});
