import { describe, expect, it } from 'vitest';
import {
	BIRTH_YEAR_MAX,
	BIRTH_YEAR_MIN,
	COUNTRY_NAMES,
	EMBASSIES,
	EXCLUDED_COUNTRIES_2025,
	FEMALE_GIVEN_NAMES,
	MALE_GIVEN_NAMES,
	MUNICIPALITIES,
	REGIONS,
	SURNAMES,
	TEST_IDENTITIES,
	VILLAGE_POPULATION_LIMIT,
	embassyByCode,
	feminineSurname,
	generateVoters,
	municipalityByCode,
	testIdentityVoters,
	type VoterSeed
} from './index.js';

const take = (n: number, opts?: Parameters<typeof generateVoters>[1]): VoterSeed[] => [...generateVoters(n, opts)];

function isValidDate(s: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
	const d = new Date(`${s}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function isValidTimeZone(tz: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

/** Age on a given date (YYYY-MM-DD strings compare lexicographically). */
function ageOn(birthDate: string, onDate: string): number {
	const years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
	return onDate.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

describe('municipalities', () => {
	it('has about 22 with unique 6-digit codes', () => {
		expect(MUNICIPALITIES.length).toBeGreaterThanOrEqual(20);
		for (const m of MUNICIPALITIES) expect(m.code).toMatch(/^\d{6}$/);
		expect(new Set(MUNICIPALITIES.map((m) => m.code)).size).toBe(MUNICIPALITIES.length);
		expect(new Set(MUNICIPALITIES.map((m) => m.name)).size).toBe(MUNICIPALITIES.length);
	});

	it('keeps the well-known codes', () => {
		expect(municipalityByCode('554782')?.name).toBe('Praha');
		expect(municipalityByCode('582786')?.name).toBe('Brno');
		expect(municipalityByCode('554821')?.name).toBe('Ostrava');
		expect(municipalityByCode('554791')?.name).toBe('Plzeň');
	});

	it('has consistent regions, constituencies, postal codes and streets', () => {
		for (const m of MUNICIPALITIES) {
			expect(REGIONS[m.regionCode], m.name).toBe(m.regionName);
			expect(m.regionCode).toMatch(/^CZ0\d\d$/);
			expect(m.senateConstituency).toBeGreaterThanOrEqual(1);
			expect(m.senateConstituency).toBeLessThanOrEqual(81);
			expect(m.postalCode).toMatch(/^\d{3} \d{2}$/);
			expect(m.officeAddress).toContain(m.name);
			expect(m.officeAddress).toMatch(/\d{3} \d{2}/);
			expect(m.streets.length, m.name).toBeGreaterThanOrEqual(m.population < VILLAGE_POPULATION_LIMIT ? 2 : 6);
			expect(m.streets.length).toBeLessThanOrEqual(10);
			expect(new Set(m.streets).size).toBe(m.streets.length);
		}
		expect(MUNICIPALITIES.filter((m) => m.population < VILLAGE_POPULATION_LIMIT).length).toBeGreaterThanOrEqual(2);
	});
});

describe('embassies', () => {
	it('has at least 12 with unique codes and district numbers 1..N', () => {
		expect(EMBASSIES.length).toBeGreaterThanOrEqual(12);
		expect(new Set(EMBASSIES.map((e) => e.code)).size).toBe(EMBASSIES.length);
		const numbers = EMBASSIES.map((e) => e.specialDistrictNumber).sort((a, b) => a - b);
		expect(numbers).toEqual(EMBASSIES.map((_, i) => i + 1));
	});

	it('lists the seat country first, and every city lies in the jurisdiction', () => {
		for (const e of EMBASSIES) {
			expect(e.countries[0], e.code).toBe(e.countryCode);
			expect(new Set(e.countries).size).toBe(e.countries.length);
			expect(e.cities.length).toBeGreaterThanOrEqual(3);
			expect(e.cities.length).toBeLessThanOrEqual(6);
			expect(e.streets.length).toBeGreaterThanOrEqual(6);
			expect(e.streets.length).toBeLessThanOrEqual(10);
			for (const c of e.cities) expect(e.countries, `${e.code}: ${c.name}`).toContain(c.countryCode);
			expect(e.name).toMatch(/^Velvyslanectví České republiky v/);
			expect(e.nameEn).toMatch(/^Embassy of the Czech Republic in /);
		}
	});

	it('uses valid IANA time zones, west and east of Prague', () => {
		for (const e of EMBASSIES) expect(isValidTimeZone(e.timeZone), e.timeZone).toBe(true);
		expect(EMBASSIES.some((e) => e.timeZone.startsWith('America/'))).toBe(true);
		expect(EMBASSIES.some((e) => e.timeZone.startsWith('Asia/') || e.timeZone.startsWith('Australia/'))).toBe(true);
	});

	it('covers at least one country excluded from correspondence voting', () => {
		const covering = EMBASSIES.filter((e) => e.countries.some((c) => EXCLUDED_COUNTRIES_2025.includes(c)));
		expect(covering.length).toBeGreaterThanOrEqual(1);
		for (const e of covering) expect(EXCLUDED_COUNTRIES_2025).not.toContain(e.countryCode);
	});

	it('has a Czech and English name for every country code used', () => {
		const used = new Set<string>(['CZ', ...EXCLUDED_COUNTRIES_2025]);
		for (const e of EMBASSIES) {
			used.add(e.countryCode);
			for (const c of e.countries) used.add(c);
			for (const c of e.cities) used.add(c.countryCode);
		}
		for (const t of TEST_IDENTITIES) {
			used.add(t.address.country);
			if (t.livesAt) used.add(t.livesAt.country);
		}
		for (const code of used) {
			expect(code).toMatch(/^[A-Z]{2}$/);
			expect(COUNTRY_NAMES[code]?.cs, code).toBeTruthy();
			expect(COUNTRY_NAMES[code]?.en, code).toBeTruthy();
		}
	});
});

describe('names', () => {
	it('has enough distinct names', () => {
		expect(new Set(MALE_GIVEN_NAMES).size).toBe(MALE_GIVEN_NAMES.length);
		expect(new Set(FEMALE_GIVEN_NAMES).size).toBe(FEMALE_GIVEN_NAMES.length);
		expect(MALE_GIVEN_NAMES.length).toBeGreaterThanOrEqual(60);
		expect(FEMALE_GIVEN_NAMES.length).toBeGreaterThanOrEqual(60);
		expect(SURNAMES.length).toBeGreaterThanOrEqual(120);
		expect(new Set(SURNAMES.map((s) => s.male)).size).toBe(SURNAMES.length);
	});

	it('forms female surnames correctly', () => {
		const sample: [string, string][] = [
			['Novák', 'Nováková'],
			['Svoboda', 'Svobodová'],
			['Dvořák', 'Dvořáková'],
			['Černý', 'Černá'],
			['Procházka', 'Procházková'],
			['Král', 'Králová'],
			['Veselý', 'Veselá'],
			['Krejčí', 'Krejčí'],
			['Janků', 'Janků'],
			['Jelínek', 'Jelínková'],
			['Vaněk', 'Vaňková'],
			['Staněk', 'Staňková'],
			['Němec', 'Němcová'],
			['Kadlec', 'Kadlecová'],
			['Švec', 'Švecová'],
			['Kozel', 'Kozlová'],
			['Havel', 'Havlová'],
			['Sokol', 'Sokolová']
		];
		for (const [male, female] of sample) expect(feminineSurname(male)).toBe(female);
	});

	it('stores female forms that agree with the rule', () => {
		for (const s of SURNAMES) expect(feminineSurname(s.male), s.male).toBe(s.female);
	});
});

describe('generateVoters', () => {
	it('is deterministic for a seed and differs between seeds', () => {
		const a = take(2000, { seed: 42 });
		const b = take(2000, { seed: 42 });
		const c = take(2000, { seed: 43 });
		expect(a).toEqual(b);
		expect(a).not.toEqual(c);
		expect(take(50)).toEqual(take(50, { seed: 1, abroadShare: 0.08, startIndex: 0 }));
	});

	it('generates the same voters in chunks as in one run', () => {
		const whole = take(1000, { seed: 7 });
		const chunks = [
			...take(1, { seed: 7, startIndex: 0 }),
			...take(332, { seed: 7, startIndex: 1 }),
			...take(0, { seed: 7, startIndex: 333 }),
			...take(667, { seed: 7, startIndex: 333 })
		];
		expect(chunks).toEqual(whole);
	});

	it('produces plausible voters', () => {
		const voters = take(20_000, { seed: 3 });
		let abroad = 0;
		const perMunicipality = new Map<string, number>();
		for (const v of voters) {
			expect(isValidDate(v.birthDate), v.birthDate).toBe(true);
			const year = Number(v.birthDate.slice(0, 4));
			expect(year).toBeGreaterThanOrEqual(BIRTH_YEAR_MIN);
			expect(year).toBeLessThanOrEqual(BIRTH_YEAR_MAX);
			expect(ageOn(v.birthDate, '2026-01-01')).toBeGreaterThanOrEqual(18);
			expect(ageOn(v.birthDate, '2026-12-31')).toBeLessThanOrEqual(95);
			expect(v.eidSubject).toBeNull();
			expect(v.givenName.length).toBeGreaterThan(0);
			expect((v.sex === 'F' ? FEMALE_GIVEN_NAMES : MALE_GIVEN_NAMES).includes(v.givenName)).toBe(true);
			expect(SURNAMES.some((s) => (v.sex === 'F' ? s.female : s.male) === v.familyName)).toBe(true);
			if (v.list.kind === 'municipal') {
				const m = municipalityByCode(v.list.municipalityCode);
				expect(m).toBeDefined();
				expect(v.countryCode).toBe('CZ');
				expect(v.city).toBe(m?.name);
				expect(v.postalCode).toBe(m?.postalCode);
				if ((m?.population ?? 0) >= 50_000) expect(v.addressLine).toMatch(/^.+ \d+\/\d+a?$/);
				perMunicipality.set(m?.code ?? '', (perMunicipality.get(m?.code ?? '') ?? 0) + 1);
			} else {
				abroad++;
				const e = embassyByCode(v.list.embassyCode);
				expect(e).toBeDefined();
				expect(e?.countries).toContain(v.countryCode);
				expect(e?.cities.some((c) => c.name === v.city && c.postalCode === v.postalCode)).toBe(true);
				expect(v.addressLine).toMatch(/\d/);
			}
		}
		expect(abroad / voters.length).toBeGreaterThan(0.06);
		expect(abroad / voters.length).toBeLessThan(0.1);
		const praha = perMunicipality.get('554782') ?? 0;
		for (const [code, n] of perMunicipality) if (code !== '554782') expect(praha).toBeGreaterThan(n);
		expect(take(500, { seed: 3, abroadShare: 0 }).every((v) => v.list.kind === 'municipal')).toBe(true);
		expect(take(500, { seed: 3, abroadShare: 1 }).every((v) => v.list.kind === 'embassy')).toBe(true);
	});

	it('measures the time for 1,000,000 voters (reported, not asserted)', () => {
		const started = performance.now();
		let n = 0;
		let chars = 0;
		for (const v of generateVoters(1_000_000, { seed: 2026 })) {
			n++;
			chars += v.addressLine.length;
		}
		const ms = performance.now() - started;
		console.log(`generateVoters: ${n} voters in ${ms.toFixed(0)} ms (${((n / ms) * 1000).toFixed(0)} voters/s)`);
		expect(n).toBe(1_000_000);
		expect(chars).toBeGreaterThan(0);
	});
});

describe('test identities', () => {
	it('have distinct accounts and names', () => {
		expect(new Set(TEST_IDENTITIES.map((t) => t.accountId)).size).toBe(TEST_IDENTITIES.length);
		expect(new Set(TEST_IDENTITIES.map((t) => `${t.givenName} ${t.familyName}`)).size).toBe(TEST_IDENTITIES.length);
		for (const t of TEST_IDENTITIES) {
			expect(isValidDate(t.birthDate)).toBe(true);
			expect(t.description.cs.length).toBeGreaterThan(0);
			expect(t.description.en.length).toBeGreaterThan(0);
			expect(t.accountId).toMatch(/^[a-z]+(-[a-z]+)+$/);
		}
	});

	it('point to existing lists, with addresses that fit the list', () => {
		for (const t of TEST_IDENTITIES) {
			if (t.list === null) continue;
			if (t.list.kind === 'municipal') {
				const m = municipalityByCode(t.list.municipalityCode);
				expect(m, t.accountId).toBeDefined();
				expect(t.address.country).toBe('CZ');
				expect(t.address.locality).toBe(m?.name);
			} else {
				const e = embassyByCode(t.list.embassyCode);
				expect(e, t.accountId).toBeDefined();
				expect(e?.countries).toContain(t.address.country);
			}
		}
	});

	it('cover the scenarios the testers need', () => {
		const ids = TEST_IDENTITIES;
		const embassyOf = (t: (typeof ids)[number]) => (t.list?.kind === 'embassy' ? embassyByCode(t.list.embassyCode) : undefined);
		// A voter on Praha's list, and one on Brno's list living abroad.
		expect(ids.some((t) => t.list?.kind === 'municipal' && t.list.municipalityCode === '554782')).toBe(true);
		expect(
			ids.some(
				(t) => t.list?.kind === 'municipal' && t.list.municipalityCode === '582786' && t.livesAt && t.livesAt.country !== 'CZ'
			)
		).toBe(true);
		// Registered at Berlin, and at an embassy in the Americas.
		expect(ids.some((t) => t.list?.kind === 'embassy' && t.list.embassyCode === 'berlin')).toBe(true);
		expect(ids.some((t) => embassyOf(t)?.timeZone.startsWith('America/'))).toBe(true);
		// Registered at an embassy covering an excluded country: one living outside it, one inside.
		const covering = ids.filter((t) => embassyOf(t)?.countries.some((c) => EXCLUDED_COUNTRIES_2025.includes(c)));
		expect(covering.some((t) => !EXCLUDED_COUNTRIES_2025.includes(t.address.country))).toBe(true);
		expect(covering.some((t) => EXCLUDED_COUNTRIES_2025.includes(t.address.country))).toBe(true);
		// A village voter.
		expect(
			ids.some(
				(t) =>
					t.list?.kind === 'municipal' &&
					(municipalityByCode(t.list.municipalityCode)?.population ?? Infinity) < VILLAGE_POPULATION_LIMIT
			)
		).toBe(true);
		// On no list: an adult, and a minor born in 2010.
		expect(ids.some((t) => t.list === null && ageOn(t.birthDate, '2026-01-01') >= 18)).toBe(true);
		expect(ids.some((t) => t.list === null && t.birthDate.startsWith('2010-') && ageOn(t.birthDate, '2026-12-31') < 18)).toBe(
			true
		);
	});

	it('yield voter rows for the identities on a list', () => {
		const rows = testIdentityVoters();
		const listed = TEST_IDENTITIES.filter((t) => t.list !== null);
		expect(rows).toHaveLength(listed.length);
		for (const [i, row] of rows.entries()) {
			const t = listed[i];
			expect(t).toBeDefined();
			expect(row.givenName).toBe(t?.givenName);
			expect(row.familyName).toBe(t?.familyName);
			expect(row.birthDate).toBe(t?.birthDate);
			expect(row.list).toEqual(t?.list);
			expect(row.eidSubject).toBeNull();
			if (row.list.kind === 'municipal') expect(row.countryCode).toBe('CZ');
		}
	});
});
