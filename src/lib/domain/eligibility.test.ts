import { describe, it, expect } from 'vitest';
import {
	PROXY_VOTER_LIMIT,
	REFUSAL_REASONS,
	checkCorrespondenceDispatch,
	checkCorrespondenceRequest,
	checkProxyLimit,
	checkSpecialDistrictRegistration,
	checkVoterCardHandOver,
	checkVoterCardRequest,
	dispatchWarning,
	isOfVotingAge,
	voterListFor,
	type Eligibility,
	type RefusalReason,
	type VoterFacts
} from './eligibility';
import { formatIsoWithOffset } from './deadlines';
import { CHAMBER_2025, EUROPEAN_2024, PRESIDENT_2023, makeElection, prague } from './test-support';

/** Every reason seen in this file; the last test checks that each one is exercised. */
const seen = new Set<RefusalReason>();

function expectOk(result: Eligibility) {
	expect(result).toEqual({ ok: true });
}

function expectRefused(result: Eligibility, reason: RefusalReason, section: string) {
	expect(result.ok).toBe(false);
	if (result.ok) return;
	expect(result.reason).toBe(reason);
	expect(result.section).toBe(section);
	seen.add(result.reason);
}

const atHome: VoterFacts = {
	voterList: { kind: 'municipal', officeId: 'ou-praha-1' },
	birthDate: '1980-05-05',
	voterCardsIssued: [],
	correspondencePackagesIssued: []
};

const inWashington: VoterFacts = { ...atHome, voterList: { kind: 'embassy', officeId: 'zu-washington' } };
const WASHINGTON = { officeId: 'zu-washington', countries: ['US'] };
const CAIRO = { officeId: 'zu-kahira', countries: ['EG', 'LY'] };
const inCairo: VoterFacts = { ...atHome, voterList: { kind: 'embassy', officeId: 'zu-kahira' } };

describe('checkVoterCardRequest (2025 Chamber: D−10 = 23 Sep, D−2 = 1 Oct)', () => {
	const base = { election: CHAMBER_2025, rounds: [1] as const, delivery: 'post' as const, voter: atHome };

	const onTime: [string, Partial<Parameters<typeof checkVoterCardRequest>[0]>, string][] = [
		['§57(3) mailed card requested 15:59:59.999 on D−10', { delivery: 'post' }, '2025-09-23T15:59:59.999'],
		['§57(3) collected card requested 15:59:59.999 on D−2', { delivery: 'in-person' }, '2025-10-01T15:59:59.999'],
		['§57(3) card collected by proxy requested on D−2', { delivery: 'proxy' }, '2025-10-01T12:00'],
		['§57(1) requests open at 00:00 Prague on the announcement day', {}, '2025-06-26T00:00'],
		['§57(1) the competent office may be named explicitly', { filedWith: { kind: 'municipal', officeId: 'ou-praha-1' } }, '2025-09-01T10:00'],
		['§57(1) an embassy keeps the list of its special district', { voter: inWashington }, '2025-09-01T10:00'],
		['voter list condition: 18 on the Saturday of voting (born 4 Oct 2007)', { voter: { ...atHome, birthDate: '2007-10-04' } }, '2025-09-01T10:00'],
		['§57(1) a card for another election does not count', { voter: { ...atHome, voterCardsIssued: [{ electionId: 'president-2023', round: 1 }] } }, '2025-09-01T10:00']
	];
	it.each(onTime)('%s', (_name, overrides, now) => {
		expectOk(checkVoterCardRequest({ ...base, ...overrides, now: prague(now) }));
	});

	const refused: [string, Partial<Parameters<typeof checkVoterCardRequest>[0]>, string, RefusalReason, string][] = [
		['§57(3) mailed card requested at 16:00:00.000 on D−10 is late', { delivery: 'post' }, '2025-09-23T16:00', 'deadline-passed', '§57(3)'],
		['§57(3) collected card requested at 16:00 on D−2 is late', { delivery: 'in-person' }, '2025-10-01T16:00', 'deadline-passed', '§57(3)'],
		['§57(3) proxy collection requested on D−1 is late', { delivery: 'proxy' }, '2025-10-02T09:00', 'deadline-passed', '§57(3)'],
		['§57(1) before the announcement day', {}, '2025-06-25T23:59:59.999', 'not-yet-open', '§57(1)'],
		['§57(1) not on a voter list', { voter: { ...atHome, voterList: null } }, '2025-09-01T10:00', 'not-on-voter-list', '§57(1)'],
		['§57(1) filed with an office that does not keep the voter', { filedWith: { kind: 'municipal', officeId: 'ou-brno' } }, '2025-09-01T10:00', 'wrong-office', '§57(1)'],
		['§57(1) filed with an embassy while on a municipal list', { filedWith: { kind: 'embassy', officeId: 'ou-praha-1' } }, '2025-09-01T10:00', 'wrong-office', '§57(1)'],
		['voter list condition: not 18 by the Saturday of voting (born 5 Oct 2007)', { voter: { ...atHome, birthDate: '2007-10-05' } }, '2025-09-01T10:00', 'under-age', 'voter list condition'],
		['§57(1) a card already issued for this election', { voter: { ...atHome, voterCardsIssued: [{ electionId: 'chamber-2025', round: 1 }] } }, '2025-09-01T10:00', 'card-already-issued', '§57(1)'],
		['§57(1) as amended: a correspondence package already issued', { voter: { ...inWashington, correspondencePackagesIssued: [{ electionId: 'chamber-2025', round: 1 }] } }, '2025-09-01T10:00', 'correspondence-package-already-issued', '§57(1)'],
		['§56(2) municipal elections have no voter cards', { election: makeElection('municipal', ['2026-10-02']) }, '2026-09-01T10:00', 'election-has-no-voter-cards', '§56(2)'],
		['§57(5) a one-round election has no round 2', { rounds: [2] }, '2025-09-01T10:00', 'round-not-in-election', '§57(5)'],
		['§57(5) at least one round is asked for', { rounds: [] }, '2025-09-01T10:00', 'round-not-in-election', '§57(5)']
	];
	it.each(refused)('%s', (_name, overrides, now, reason, section) => {
		expectRefused(checkVoterCardRequest({ ...base, ...overrides, now: prague(now) }), reason, section);
	});

	it('§78(3) a late refusal names the missed deadline', () => {
		const result = checkVoterCardRequest({ ...base, now: prague('2025-09-24T09:00') });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.deadline?.key).toBe('voter-card-mail-request');
		expect(formatIsoWithOffset(result.deadline!.at)).toBe('2025-09-23T16:00:00+02:00');
	});

	it('§57(1) not-yet-open says when requests open', () => {
		const result = checkVoterCardRequest({ ...base, now: prague('2025-06-01T09:00') });
		expect(result.ok || formatIsoWithOffset(result.opensAt!)).toBe('2025-06-26T00:00:00+02:00');
	});
});

describe('checkVoterCardRequest, two rounds (§57(5), president 2023-like)', () => {
	const base = { election: PRESIDENT_2023, delivery: 'post' as const, voter: atHome };
	// Round 1 D−10 = 3 Jan 2023 16:00; round 2 D−10 = 17 Jan 2023 16:00.
	const between = prague('2023-01-10T10:00');

	it('§57(5) both rounds, in time for both', () => {
		expectOk(checkVoterCardRequest({ ...base, rounds: [1, 2], now: prague('2023-01-03T15:00') }));
	});
	it('§57(3) §57(5) both rounds after round 1 D−10: refused for round 1', () => {
		const result = checkVoterCardRequest({ ...base, rounds: [2, 1], now: between });
		expectRefused(result, 'deadline-passed', '§57(3)');
		expect(!result.ok && result.round).toBe(1);
	});
	it('§57(5) round 2 only, after round 1 D−10: accepted', () => {
		expectOk(checkVoterCardRequest({ ...base, rounds: [2], now: between }));
	});
	it('§57(5) a card for round 1 does not block round 2', () => {
		const voter = { ...atHome, voterCardsIssued: [{ electionId: 'president-2023', round: 1 as const }] };
		expectOk(checkVoterCardRequest({ ...base, voter, rounds: [2], now: between }));
		const result = checkVoterCardRequest({ ...base, voter, rounds: [1, 2], now: prague('2023-01-02T10:00') });
		expectRefused(result, 'card-already-issued', '§57(1)');
		expect(!result.ok && result.round).toBe(1);
	});
	it('voter list condition: checked against the last day of the requested round', () => {
		// Born 22 Jan 2005: 18 before round 2's Saturday (28 Jan 2023), not before round 1's (14 Jan 2023).
		const voter = { ...atHome, birthDate: '2005-01-22' };
		expectOk(checkVoterCardRequest({ ...base, voter, rounds: [2], now: between }));
		expectRefused(checkVoterCardRequest({ ...base, voter, rounds: [1], now: prague('2023-01-02T10:00') }), 'under-age', 'voter list condition');
	});
});

describe('checkVoterCardHandOver (§57(3), §57(4))', () => {
	const table: [string, Parameters<typeof checkVoterCardHandOver>[0], RefusalReason | null, string?][] = [
		['§57(3) mailed card handed to the post 15:59 on D−7', { election: CHAMBER_2025, round: 1, method: 'post', now: prague('2025-09-26T15:59') }, null],
		['§57(3) mailed card handed to the post 16:00 on D−7 is late', { election: CHAMBER_2025, round: 1, method: 'post', now: prague('2025-09-26T16:00') }, 'deadline-passed', '§57(3)'],
		['§57(3) card collected in person 15:59 on D−2', { election: CHAMBER_2025, round: 1, method: 'in-person', now: prague('2025-10-01T15:59') }, null],
		['§57(3) card collected by proxy 16:00 on D−2 is late', { election: CHAMBER_2025, round: 1, method: 'proxy', now: prague('2025-10-01T16:00') }, 'deadline-passed', '§57(3)'],
		['§57(4) european: no hand-over before 00:00 on D−15', { election: EUROPEAN_2024, round: 1, method: 'in-person', now: prague('2024-05-22T23:59:59.999') }, 'too-early', '§57(4)'],
		['§57(4) european: mailing from 00:00 on D−15', { election: EUROPEAN_2024, round: 1, method: 'post', now: prague('2024-05-23T00:00') }, null],
		['§57(4) the Chamber has no earliest day', { election: CHAMBER_2025, round: 1, method: 'post', now: prague('2025-07-01T09:00') }, null],
		['§56(2) municipal elections have no voter cards', { election: makeElection('municipal', ['2026-10-02']), round: 1, method: 'post', now: prague('2026-09-01T10:00') }, 'election-has-no-voter-cards', '§56(2)'],
		['§57(5) round 2 of a one-round election', { election: CHAMBER_2025, round: 2, method: 'post', now: prague('2025-09-01T10:00') }, 'round-not-in-election', '§57(5)']
	];
	it.each(table)('%s', (_name, input, reason, section) => {
		const result = checkVoterCardHandOver(input);
		if (reason === null) expectOk(result);
		else expectRefused(result, reason, section!);
	});

	it('§57(4) too-early names the earliest day', () => {
		const result = checkVoterCardHandOver({ election: EUROPEAN_2024, round: 1, method: 'post', now: prague('2024-05-01T10:00') });
		expect(!result.ok && result.deadline && formatIsoWithOffset(result.deadline.at)).toBe('2024-05-23T00:00:00+02:00');
	});
});

describe('checkSpecialDistrictRegistration (§56(4), §57(6))', () => {
	const base = { embassy: WASHINGTON, addressCountry: 'US' };
	const table: [string, Partial<Parameters<typeof checkSpecialDistrictRegistration>[0]>, string, RefusalReason | null, string?][] = [
		['§56(4) permanent: with no upcoming election, always accepted', {}, '2030-01-01T00:00', null],
		['§57(6) 15:59 on D−3 applies to the election', { election: CHAMBER_2025 }, '2025-09-30T15:59:59.999', null],
		['§57(6) 16:00 on D−3 is late for the election', { election: CHAMBER_2025 }, '2025-09-30T16:00', 'deadline-passed', '§57(6)'],
		['§57(6) the address abroad lies in the embassy area (lowercase code)', { addressCountry: 'us' }, '2025-09-01T10:00', null],
		['§57(6) an address outside the embassy area', { addressCountry: 'CA' }, '2025-09-01T10:00', 'address-outside-jurisdiction', '§57(6)'],
		['§57(6) an address in Czechia is not abroad', { addressCountry: 'CZ' }, '2025-09-01T10:00', 'address-outside-jurisdiction', '§57(6)'],
		['§2(1) senate elections are not held abroad', { election: makeElection('senate', ['2026-10-02', '2026-10-09']) }, '2026-09-01T10:00', 'not-voting-abroad', '§2(1)'],
		['§57(6) president round 2: by D2−3', { election: PRESIDENT_2023, round: 2 }, '2023-01-24T15:59', null],
		['§57(6) president round 1: late after D1−3', { election: PRESIDENT_2023, round: 1 }, '2023-01-10T16:00', 'deadline-passed', '§57(6)']
	];
	it.each(table)('%s', (_name, overrides, now, reason, section) => {
		const result = checkSpecialDistrictRegistration({ ...base, ...overrides, now: prague(now) });
		if (reason === null) expectOk(result);
		else expectRefused(result, reason, section!);
	});
});

describe('checkCorrespondenceRequest (§57a, 2025 Chamber: D−35 = 29 Aug, D−2 = 1 Oct)', () => {
	const base: Parameters<typeof checkCorrespondenceRequest>[0] = {
		election: CHAMBER_2025,
		embassy: WASHINGTON,
		voter: inWashington,
		delivery: 'post',
		mailingAddressCountry: 'US',
		channel: 'portal',
		now: prague('2025-08-01T10:00')
	};

	const table: [string, Partial<Parameters<typeof checkCorrespondenceRequest>[0]>, string, RefusalReason | null, string?][] = [
		['§57a(3) portal with eID 15:59:59.999 on D−35', {}, '2025-08-29T15:59:59.999', null],
		['§57a(3) portal with eID 16:00:00.000 on D−35 is late', {}, '2025-08-29T16:00', 'deadline-passed', '§57a(3)'],
		['§57a(3) data box counts as written: late after D−35', { channel: 'data-box' }, '2025-09-01T10:00', 'deadline-passed', '§57a(3)'],
		['§57a(3) verified letter counts as written: late after D−35', { channel: 'verified-letter' }, '2025-09-01T10:00', 'deadline-passed', '§57a(3)'],
		['§57a(3) in person or by proxy at the embassy: 15:59 on D−2', { channel: 'in-person', delivery: 'collect-at-embassy', mailingAddressCountry: null }, '2025-10-01T15:59', null],
		['§57a(3) in person at the embassy: 16:00 on D−2 is late', { channel: 'in-person', delivery: 'collect-at-embassy' }, '2025-10-01T16:00', 'deadline-passed', '§57a(3)'],
		['§57(1) before the announcement day', {}, '2025-06-25T12:00', 'not-yet-open', '§57(1)'],
		['§57a(1) senate elections do not allow correspondence', { election: makeElection('senate', ['2026-10-02', '2026-10-09']) }, '2026-08-01T10:00', 'correspondence-not-allowed', '§57a(1)'],
		['§57a(1) european with correspondence switched off', { election: makeElection('european', ['2029-06-08'], { correspondenceAllowed: false }) }, '2029-04-01T10:00', 'correspondence-not-allowed', '§57a(1)'],
		['§57a(1) a voter on a municipal list is not registered at the embassy', { voter: atHome }, '2025-08-01T10:00', 'not-registered-at-embassy', '§57a(1)'],
		['§57a(1) a voter registered at another embassy', { embassy: CAIRO, mailingAddressCountry: 'EG' }, '2025-08-01T10:00', 'not-registered-at-embassy', '§57a(1)'],
		['§57a(1) a voter on no list', { voter: { ...inWashington, voterList: null } }, '2025-08-01T10:00', 'not-registered-at-embassy', '§57a(1)'],
		['§57a(4) a mailing address outside the embassy area', { mailingAddressCountry: 'MX' }, '2025-08-01T10:00', 'address-outside-jurisdiction', '§57a(4)'],
		['§57a(4) mailing needs an address', { mailingAddressCountry: null }, '2025-08-01T10:00', 'address-outside-jurisdiction', '§57a(4)'],
		['§57a(4) collection at the embassy needs no address', { delivery: 'collect-at-embassy', mailingAddressCountry: null }, '2025-08-01T10:00', null],
		['§58(3) never to an excluded country, even inside the embassy area', { embassy: CAIRO, voter: inCairo, mailingAddressCountry: 'LY' }, '2025-08-01T10:00', 'excluded-country', '§58(3)'],
		['§58(3) excluded country codes match case-insensitively', { embassy: CAIRO, voter: inCairo, mailingAddressCountry: 'ly' }, '2025-08-01T10:00', 'excluded-country', '§58(3)'],
		['§58(3) the rest of the embassy area is fine', { embassy: CAIRO, voter: inCairo, mailingAddressCountry: 'EG' }, '2025-08-01T10:00', null],
		['§58(3) collection at an embassy whose area includes an excluded country', { embassy: CAIRO, voter: inCairo, delivery: 'collect-at-embassy', mailingAddressCountry: null }, '2025-08-01T10:00', null],
		['§57a(1) one package per election and round', { voter: { ...inWashington, correspondencePackagesIssued: [{ electionId: 'chamber-2025', round: 1 }] } }, '2025-08-01T10:00', 'correspondence-package-already-issued', '§57a(1)'],
		['§57d(2)(d) a voter card does not bar correspondence voting', { voter: { ...inWashington, voterCardsIssued: [{ electionId: 'chamber-2025', round: 1 }] } }, '2025-08-01T10:00', null],
		['voter list condition: not 18 by the Saturday of voting', { voter: { ...inWashington, birthDate: '2007-10-05' } }, '2025-08-01T10:00', 'under-age', 'voter list condition'],
		['§57b(2) a one-round election has no round 2', { rounds: [2] }, '2025-08-01T10:00', 'round-not-in-election', '§57b(2)']
	];
	it.each(table)('%s', (_name, overrides, now, reason, section) => {
		const result = checkCorrespondenceRequest({ ...base, ...overrides, now: prague(now) });
		if (reason === null) expectOk(result);
		else expectRefused(result, reason, section!);
	});

	it('§78(3) a late refusal names the D−35 deadline', () => {
		const result = checkCorrespondenceRequest({ ...base, now: prague('2025-08-29T16:00') });
		expect(!result.ok && result.deadline?.key).toBe('correspondence-request-written');
	});
});

describe('checkCorrespondenceRequest, president (§57b(2))', () => {
	const base: Parameters<typeof checkCorrespondenceRequest>[0] = {
		election: PRESIDENT_2023,
		embassy: WASHINGTON,
		voter: inWashington,
		delivery: 'post',
		mailingAddressCountry: 'US',
		channel: 'portal',
		now: prague('2022-12-09T15:59')
	};
	// Round 1 D−35 = 9 Dec 2022 16:00; round 2 D−35 = 23 Dec 2022 16:00.
	it('§57b(2) both rounds by default, in time for round 1', () => {
		expectOk(checkCorrespondenceRequest(base));
	});
	it('§57b(2) both rounds by default: the deadline is round 1’s D−35', () => {
		const result = checkCorrespondenceRequest({ ...base, now: prague('2022-12-09T16:00') });
		expectRefused(result, 'deadline-passed', '§57a(3)');
		expect(!result.ok && [result.round, result.deadline?.round]).toEqual([1, 1]);
	});
	it('§57b(2) round 2 only: the deadline is round 2’s D−35', () => {
		expectOk(checkCorrespondenceRequest({ ...base, rounds: [2], now: prague('2022-12-23T15:59') }));
		expectRefused(checkCorrespondenceRequest({ ...base, rounds: [2], now: prague('2022-12-23T16:00') }), 'deadline-passed', '§57a(3)');
	});
	it('§57a(1) a package for round 1 does not block round 2', () => {
		const voter = { ...inWashington, correspondencePackagesIssued: [{ electionId: 'president-2023', round: 1 as const }] };
		expectOk(checkCorrespondenceRequest({ ...base, voter, rounds: [2] }));
		expectRefused(checkCorrespondenceRequest({ ...base, voter }), 'correspondence-package-already-issued', '§57a(1)');
	});
});

describe('checkCorrespondenceDispatch (§57b(1)) and dispatchWarning', () => {
	const table: [string, Parameters<typeof checkCorrespondenceDispatch>[0], RefusalReason | null, string?][] = [
		['§57b(1) sent 15:59 on D−25', { election: CHAMBER_2025, round: 1, requestChannel: 'portal', now: prague('2025-09-08T15:59') }, null],
		['§57b(1) sent 16:00 on D−25 is late', { election: CHAMBER_2025, round: 1, requestChannel: 'data-box', now: prague('2025-09-08T16:00') }, 'deadline-passed', '§57b(1)'],
		['§57a(3) a request made in person is served until D−2', { election: CHAMBER_2025, round: 1, requestChannel: 'in-person', now: prague('2025-09-30T10:00') }, null],
		['§57a(3) a request made in person: late at 16:00 on D−2', { election: CHAMBER_2025, round: 1, requestChannel: 'in-person', now: prague('2025-10-01T16:00') }, 'deadline-passed', '§57a(3)'],
		['§57a(1) no packages where correspondence is not allowed', { election: makeElection('regional', ['2028-10-06']), round: 1, requestChannel: 'portal', now: prague('2028-09-01T10:00') }, 'correspondence-not-allowed', '§57a(1)']
	];
	it.each(table)('%s', (_name, input, reason, section) => {
		const result = checkCorrespondenceDispatch(input);
		if (reason === null) expectOk(result);
		else expectRefused(result, reason, section!);
	});

	const warnings: [string, string, string][] = [
		['§57b(1) before D−28: no warning', '2025-09-04T23:59:59.999', 'none'],
		['§57b(1) from 00:00 on D−28: due soon', '2025-09-05T00:00', 'due-soon'],
		['§57b(1) 15:59 on D−25: due soon', '2025-09-08T15:59', 'due-soon'],
		['§57b(1) from 16:00 on D−25: overdue', '2025-09-08T16:00', 'overdue']
	];
	it.each(warnings)('%s', (_name, now, expected) => {
		expect(dispatchWarning({ election: CHAMBER_2025, round: 1, now: prague(now) })).toBe(expected);
	});

	it('§57a(1) no warning where correspondence is not allowed', () => {
		expect(dispatchWarning({ election: makeElection('regional', ['2028-10-06']), round: 1, now: prague('2028-09-30T10:00') })).toBe('none');
	});
});

describe('checkProxyLimit (§57b(1))', () => {
	it('§57b(1) the limit is 7 voters per proxy, embassy and election', () => {
		expect(PROXY_VOTER_LIMIT).toBe(7);
	});
	it.each([0, 1, 6])('§57b(1) %i already represented: the next one is accepted', (n) => {
		expectOk(checkProxyLimit(n));
	});
	it.each([7, 8])('§57b(1) %i already represented: the next one is refused', (n) => {
		expectRefused(checkProxyLimit(n), 'proxy-limit', '§57b(1)');
	});
});

describe('voterListFor (§56(4))', () => {
	const both = { municipalOfficeId: 'ou-praha-1', specialDistrictOfficeId: 'zu-washington' };
	it('§56(4) elections held abroad: the embassy list keeps a registered voter', () => {
		expect(voterListFor(CHAMBER_2025, both)).toEqual({ kind: 'embassy', officeId: 'zu-washington' });
	});
	it('§56(4) elections not held abroad: the municipal list', () => {
		expect(voterListFor(makeElection('senate', ['2026-10-02', '2026-10-09']), both)).toEqual({ kind: 'municipal', officeId: 'ou-praha-1' });
	});
	it('§56(4) registered abroad with no municipal residence: no list for regional elections', () => {
		expect(voterListFor(makeElection('regional', ['2028-10-06']), { municipalOfficeId: null, specialDistrictOfficeId: 'zu-washington' })).toBeNull();
	});
});

describe('isOfVotingAge (voter list condition)', () => {
	it('born 29 Feb 2008 is 18 on 28 Feb 2026', () => {
		// A hypothetical election with D = Friday 27 Feb 2026, last day Saturday 28 Feb 2026.
		const e = makeElection('chamber', ['2026-02-27']);
		expect(isOfVotingAge('2008-02-29', e, 1)).toBe(true);
		expect(isOfVotingAge('2008-03-01', e, 1)).toBe(false);
	});
});

describe('coverage of refusal reasons', () => {
	it('every refusal reason is exercised above', () => {
		expect([...REFUSAL_REASONS].filter((r) => !seen.has(r))).toEqual([]);
	});
});
