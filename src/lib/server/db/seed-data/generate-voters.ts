/**
 * Deterministic generator of demo voters.
 *
 * Every voter is a pure function of (seed, index): the generator seeds a
 * small PRNG (mulberry32) from a hash of both, so a run can be split into
 * chunks (`startIndex`) that together equal one long run, and the same seed
 * always gives the same voters. No Math.random, no clock.
 */

import { EMBASSIES, type EmbassySeed } from './embassies.js';
import { MUNICIPALITIES, VILLAGE_POPULATION_LIMIT, type MunicipalitySeed } from './municipalities.js';
import { FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, SURNAMES } from './names.js';

export interface VoterSeed {
	givenName: string;
	familyName: string;
	/** YYYY-MM-DD */
	birthDate: string;
	sex: 'F' | 'M';
	list: { kind: 'municipal'; municipalityCode: string } | { kind: 'embassy'; embassyCode: string };
	/** Street and number. */
	addressLine: string;
	city: string;
	postalCode: string;
	/** ISO alpha-2; 'CZ' for municipal voters. */
	countryCode: string;
	/** Null for generated voters; the dev eID identities get theirs elsewhere. */
	eidSubject: string | null;
}

export interface GenerateVotersOptions {
	/** PRNG seed; default 1. */
	seed?: number;
	/** Share of voters on embassy lists; default 0.08. */
	abroadShare?: number;
	/** Index of the first voter; chunks [a, b) and [b, c) equal the run [a, c). Default 0. */
	startIndex?: number;
}

export const DEFAULT_SEED = 1;
export const DEFAULT_ABROAD_SHARE = 0.08;

/** Generated voters are of age on 1 January 2026 and at most 95 on 31 December 2026. */
export const BIRTH_YEAR_MIN = 1931;
export const BIRTH_YEAR_MAX = 2007;
const REFERENCE_YEAR = 2026;

/** Relative size of each embassy's list (Czech communities abroad); others weigh 1. */
const EMBASSY_WEIGHTS: Record<string, number> = {
	berlin: 10,
	vienna: 8,
	bratislava: 9,
	london: 10,
	paris: 5,
	brussels: 5,
	washington: 8,
	ottawa: 3,
	canberra: 3,
	madrid: 3,
	dublin: 4,
	lisbon: 1,
	tokyo: 1,
	'buenos-aires': 1,
	pretoria: 1,
	nairobi: 0.5,
	riyadh: 0.5,
	seoul: 0.5
};

type AddressStyle = 'street-number' | 'number-street' | 'street-comma-number' | 'japan';

/** How a street address is written in each country; unlisted countries use 'number-street'. */
const ADDRESS_STYLE: Record<string, AddressStyle> = {
	DE: 'street-number',
	AT: 'street-number',
	SK: 'street-number',
	BE: 'street-number',
	AR: 'street-number',
	UY: 'street-number',
	PY: 'street-number',
	KR: 'street-number',
	SA: 'street-number',
	ES: 'street-comma-number',
	AD: 'street-comma-number',
	PT: 'street-comma-number',
	JP: 'japan'
};

// ---------------------------------------------------------------------------
// PRNG

/** Mixes seed and index into a well-spread 32-bit state (murmur3 finaliser). */
function hashSeed(seed: number, index: number): number {
	let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(index | 0, 0x85ebca77) ^ Math.floor(index / 0x100000000)) >>> 0;
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/** mulberry32: a tiny, fast 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(state: number): () => number {
	let a = state >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

// ---------------------------------------------------------------------------
// Precomputed tables

function cumulative(weights: readonly number[]): Float64Array {
	const out = new Float64Array(weights.length);
	let sum = 0;
	for (let i = 0; i < weights.length; i++) {
		sum += weights[i] ?? 0;
		out[i] = sum;
	}
	for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / sum;
	return out;
}

function pickWeighted(cum: Float64Array, r: number): number {
	for (let i = 0; i < cum.length; i++) if (r < (cum[i] ?? 1)) return i;
	return cum.length - 1;
}

/** Element i of a non-empty array (noUncheckedIndexedAccess-safe). */
function at<T>(list: readonly T[], i: number): T {
	const v = list[i];
	if (v === undefined) throw new Error(`Index ${i} out of range`);
	return v;
}

/** Picks from a list favouring its start (lists are ordered by frequency). */
function pickSkewed<T>(list: readonly T[], r: number): T {
	return at(list, Math.floor((0.35 * r + 0.65 * r * r) * list.length));
}

const pickUniform = <T>(list: readonly T[], r: number): T => at(list, Math.floor(r * list.length));

const MUNICIPALITY_CUM = cumulative(MUNICIPALITIES.map((m) => m.population));
const EMBASSY_CUM = cumulative(EMBASSIES.map((e) => EMBASSY_WEIGHTS[e.code] ?? 1));

/** Relative number of people born in a year (roughly the shape of the Czech age pyramid). */
function birthYearWeight(year: number): number {
	const age = REFERENCE_YEAR - year;
	if (age <= 30) return 1.0;
	if (age <= 45) return 1.25; // the 1970s baby boom
	if (age <= 60) return 1.1;
	if (age <= 72) return 1.0;
	if (age <= 80) return 0.7;
	if (age <= 88) return 0.35;
	return 0.1;
}

const YEARS: number[] = [];
for (let y = BIRTH_YEAR_MIN; y <= BIRTH_YEAR_MAX; y++) YEARS.push(y);
const YEAR_CUM = cumulative(YEARS.map(birthYearWeight));

/** All dates of each birth year as 'YYYY-MM-DD', built once. */
const DATES_BY_YEAR: string[][] = YEARS.map((year) => {
	const out: string[] = [];
	for (let t = Date.UTC(year, 0, 1); new Date(t).getUTCFullYear() === year; t += 86_400_000) {
		out.push(new Date(t).toISOString().slice(0, 10));
	}
	return out;
});

// ---------------------------------------------------------------------------
// Addresses

/** Czech "číslo popisné/číslo orientační" address, or "part + č. p." in villages. */
function czechAddressLine(m: MunicipalitySeed, next: () => number): string {
	const street = pickUniform(m.streets, next());
	if (m.population < VILLAGE_POPULATION_LIMIT) {
		return `${street} ${1 + Math.floor(next() * Math.max(20, m.population / 2))}`;
	}
	const maxCp = m.population >= 300_000 ? 3500 : m.population >= 50_000 ? 2800 : 1800;
	const cp = 1 + Math.floor(next() * maxCp);
	if (m.population >= 50_000 || next() < 0.7) {
		const r = next();
		const maxCo = m.population >= 300_000 ? 140 : m.population >= 50_000 ? 90 : 50;
		const co = 1 + Math.floor(r * r * maxCo);
		const suffix = next() < 0.05 ? 'a' : '';
		return `${street} ${cp}/${co}${suffix}`;
	}
	return `${street} ${cp}`;
}

function foreignAddressLine(countryCode: string, street: string, next: () => number): string {
	const r = next();
	// North American house numbers run into the thousands.
	const n = countryCode === 'US' || countryCode === 'CA' ? 10 + Math.floor(r * r * 4990) : 1 + Math.floor(r * r * 240);
	switch (ADDRESS_STYLE[countryCode] ?? 'number-street') {
		case 'street-number': {
			// Austrian addresses often add the door number.
			const flat = countryCode === 'AT' && next() < 0.5 ? `/${1 + Math.floor(next() * 24)}` : '';
			return `${street} ${n}${flat}`;
		}
		case 'street-comma-number': {
			const floor = next() < 0.5 ? `, ${1 + Math.floor(next() * 8)}º` : '';
			return `${street}, ${n}${floor}`;
		}
		case 'japan':
			return `${1 + Math.floor(next() * 5)}-${1 + Math.floor(next() * 30)}-${1 + Math.floor(next() * 20)} ${street}`;
		case 'number-street':
			return `${n} ${street}`;
	}
}

// ---------------------------------------------------------------------------
// Generator

/** The voter at `index` for the given seed and abroad share. */
export function generateVoter(index: number, seed: number = DEFAULT_SEED, abroadShare: number = DEFAULT_ABROAD_SHARE): VoterSeed {
	const next = mulberry32(hashSeed(seed, index));

	const sex: 'F' | 'M' = next() < 0.515 ? 'F' : 'M';
	const surname = pickSkewed(SURNAMES, next());
	const givenName = pickSkewed(sex === 'F' ? FEMALE_GIVEN_NAMES : MALE_GIVEN_NAMES, next());
	const familyName = sex === 'F' ? surname.female : surname.male;

	const dates = at(DATES_BY_YEAR, pickWeighted(YEAR_CUM, next()));
	const birthDate = pickUniform(dates, next());

	if (next() < abroadShare) {
		const embassy: EmbassySeed = at(EMBASSIES, pickWeighted(EMBASSY_CUM, next()));
		const city = pickUniform(embassy.cities, next());
		const street = pickUniform(embassy.streets, next());
		return {
			givenName,
			familyName,
			birthDate,
			sex,
			list: { kind: 'embassy', embassyCode: embassy.code },
			addressLine: foreignAddressLine(city.countryCode, street, next),
			city: city.name,
			postalCode: city.postalCode,
			countryCode: city.countryCode,
			eidSubject: null
		};
	}

	const m = at(MUNICIPALITIES, pickWeighted(MUNICIPALITY_CUM, next()));
	return {
		givenName,
		familyName,
		birthDate,
		sex,
		list: { kind: 'municipal', municipalityCode: m.code },
		addressLine: czechAddressLine(m, next),
		city: m.name,
		postalCode: m.postalCode,
		countryCode: 'CZ',
		eidSubject: null
	};
}

/**
 * Yields `count` voters starting at `opts.startIndex` (default 0).
 * Deterministic: the same seed gives the same voters, and chunks equal one long run.
 */
export function* generateVoters(count: number, opts: GenerateVotersOptions = {}): Generator<VoterSeed> {
	const seed = opts.seed ?? DEFAULT_SEED;
	const abroadShare = opts.abroadShare ?? DEFAULT_ABROAD_SHARE;
	const start = opts.startIndex ?? 0;
	if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`Invalid count ${count}`);
	if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`Invalid startIndex ${start}`);
	if (!(abroadShare >= 0 && abroadShare <= 1)) throw new RangeError(`Invalid abroadShare ${abroadShare}`);
	for (let i = start; i < start + count; i++) yield generateVoter(i, seed, abroadShare);
}
