/**
 * Offices in the administration (issue 7): municipal offices, which keep the voter lists of
 * residents, and embassies, each with one special district (§56(4)), the countries of its
 * area (§57(6)), its IANA time zone and its two voting windows per election round (§2(3)).
 * Each change checks its rules, writes its rows and its audit entry in one transaction.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Temporal } from 'temporal-polyfill';
import {
	defaultEmbassyVotingWindows,
	isKnownTimeZone,
	validateEmbassyVoting,
	type EmbassyVotingErrorCode,
	type Round
} from '../../domain';
import { ISO_COUNTRY_CODES } from '../countries';
import { isUniqueViolation } from '../db/errors';
import type { Db, Trx } from '../db/index';
import {
	findAdminElectionById,
	findAdminOfficeById,
	findAdminOfficeByIdForUpdate,
	findOfficeIdByCode,
	findOfficeIdByMunicipalityCode,
	findOfficeIdBySpecialDistrictNumber,
	insertOffice,
	insertVotingWindows,
	listAdminElections,
	listAdminOffices,
	listElectionsHeldAbroad,
	listEmbassiesCoveringCountries,
	listOfficeVotingWindows,
	replaceVotingWindowsOfRound,
	updateOffice,
	type AdminOfficeRow,
	type OfficeUpdate
} from '../db/queries/admin';
import { REGIONS } from '../db/seed-data/municipalities';
import { isAdministrator } from './admin-elections';
import { appendAudit } from './audit';
import { shiftDefaultWindows, windowsAreDefault, type WindowShift } from './elections';
import { isUuid } from './requests';
import type { StaffActor } from './staff-actor';

export { REGIONS };

const ISO_COUNTRIES = new Set(ISO_COUNTRY_CODES);

/** Senate constituencies are numbered 1 to 81. */
const SENATE_CONSTITUENCIES = 81;

export type OfficeFormField =
	| 'nameCs'
	| 'nameEn'
	| 'address'
	| 'municipalityCode'
	| 'municipalityName'
	| 'regionCode'
	| 'senateConstituency'
	| 'specialDistrictNumber'
	| 'countries'
	| 'timeZone';

export type OfficeFormError =
	| 'required'
	| 'too-long'
	/** Control or bidi characters (src/lib/forms/free-text.ts). */
	| 'invalid-characters'
	| 'municipality-code-format'
	| 'municipality-code-taken'
	| 'region-unknown'
	| 'senate-constituency-range'
	| 'number-invalid'
	| 'special-district-taken'
	| 'country-unknown'
	| 'country-czechia'
	| 'country-taken'
	| 'time-zone-unknown';

export type OfficeFormErrors = Partial<Record<OfficeFormField, OfficeFormError>>;

export interface MunicipalOfficeInput {
	nameCs: string;
	address: string;
	municipalityCode: string;
	municipalityName: string;
	regionCode: string;
	senateConstituency: number | null;
}

export interface EmbassyInput {
	nameCs: string;
	nameEn: string;
	address: string;
	specialDistrictNumber: number | null;
	/** ISO 3166-1 alpha-2 codes of the area, the seat first. */
	countries: string[];
	timeZone: string;
}

/** A digest of the office's row as the administrator saw it: an edit of an older version is refused. */
export function officeVersion(row: AdminOfficeRow): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(JSON.stringify(row))));
}

function checkMunicipal(input: MunicipalOfficeInput): OfficeFormErrors {
	const errors: OfficeFormErrors = {};
	if (!input.nameCs) errors.nameCs = 'required';
	if (!input.address) errors.address = 'required';
	if (!input.municipalityName) errors.municipalityName = 'required';
	if (!input.municipalityCode) errors.municipalityCode = 'required';
	else if (!/^[0-9]{6}$/.test(input.municipalityCode)) errors.municipalityCode = 'municipality-code-format';
	if (!input.regionCode) errors.regionCode = 'required';
	else if (!(input.regionCode in REGIONS)) errors.regionCode = 'region-unknown';
	const sc = input.senateConstituency;
	if (sc !== null && (!Number.isInteger(sc) || sc < 1 || sc > SENATE_CONSTITUENCIES)) errors.senateConstituency = 'senate-constituency-range';
	return errors;
}

async function checkEmbassy(db: Db | Trx, input: EmbassyInput, selfId: string | null): Promise<{ errors: OfficeFormErrors; takenBy: string[] }> {
	const errors: OfficeFormErrors = {};
	let takenBy: string[] = [];
	if (!input.nameCs) errors.nameCs = 'required';
	if (!input.nameEn) errors.nameEn = 'required';
	if (!input.address) errors.address = 'required';
	const n = input.specialDistrictNumber;
	if (n === null) errors.specialDistrictNumber = 'required';
	else if (!Number.isInteger(n) || n < 1 || n > 99_999) errors.specialDistrictNumber = 'number-invalid';
	else {
		// §56(4): one special district per embassy, each with its own number.
		const holder = await findOfficeIdBySpecialDistrictNumber(db, n);
		if (holder && holder !== selfId) errors.specialDistrictNumber = 'special-district-taken';
	}
	if (input.countries.length === 0) errors.countries = 'required';
	else if (input.countries.some((c) => !ISO_COUNTRIES.has(c))) errors.countries = 'country-unknown';
	// Special districts are abroad (§56(4)).
	else if (input.countries.includes('CZ')) errors.countries = 'country-czechia';
	else {
		// §57(6): the voter registers with the embassy of the area they live in, so areas never overlap.
		const others = await listEmbassiesCoveringCountries(db, input.countries, selfId);
		if (others.length) {
			errors.countries = 'country-taken';
			takenBy = [...new Set(others.flatMap((o) => o.countries.filter((c) => input.countries.includes(c))))].sort();
		}
	}
	// §2(3): the windows are local times of the embassy's zone (*configurable*).
	if (!input.timeZone) errors.timeZone = 'required';
	else if (!isKnownTimeZone(input.timeZone)) errors.timeZone = 'time-zone-unknown';
	return { errors, takenBy };
}

function hasErrors(errors: OfficeFormErrors): boolean {
	return Object.keys(errors).length > 0;
}

export type OfficeChangeResult =
	| { kind: 'ok'; id: string; windows?: WindowShift }
	| { kind: 'invalid'; errors: OfficeFormErrors; countriesTaken?: string[] }
	| { kind: 'not-found' }
	| { kind: 'changed-meanwhile' }
	| { kind: 'forbidden' };

function municipalRow(input: MunicipalOfficeInput): OfficeUpdate {
	return {
		name_cs: input.nameCs,
		name_en: input.nameCs,
		address: input.address,
		municipality_code: input.municipalityCode,
		municipality_name: input.municipalityName,
		region_code: input.regionCode,
		senate_constituency: input.senateConstituency
	};
}

function embassyRow(input: EmbassyInput): OfficeUpdate {
	return {
		name_cs: input.nameCs,
		name_en: input.nameEn,
		address: input.address,
		special_district_number: input.specialDistrictNumber,
		country_code: input.countries[0] ?? null,
		countries: input.countries,
		time_zone: input.timeZone
	};
}

export async function createMunicipalOffice(db: Db, input: MunicipalOfficeInput, actor: StaffActor, now: Temporal.Instant): Promise<OfficeChangeResult> {
	if (!isAdministrator(actor)) return { kind: 'forbidden' };
	const errors = checkMunicipal(input);
	if (!errors.municipalityCode && (await findOfficeIdByMunicipalityCode(db, input.municipalityCode))) errors.municipalityCode = 'municipality-code-taken';
	if (!errors.municipalityCode && (await findOfficeIdByCode(db, `mu-${input.municipalityCode}`))) errors.municipalityCode = 'municipality-code-taken';
	if (hasErrors(errors)) return { kind: 'invalid', errors };
	try {
		return await db.transaction().execute(async (trx) => {
			const row = { kind: 'municipal' as const, code: `mu-${input.municipalityCode}`, ...municipalRow(input), time_zone: 'Europe/Prague' };
			const id = await insertOffice(trx, row);
			await appendAudit(trx, { actor, action: 'office.create', entityType: 'office', entityId: id, officeId: id, after: row, at: now });
			return { kind: 'ok' as const, id };
		});
	} catch (error) {
		if (isUniqueViolation(error)) return { kind: 'invalid', errors: { municipalityCode: 'municipality-code-taken' } };
		throw error;
	}
}

/**
 * A new embassy, voting in every election held abroad with the default windows of §2(3)
 * proposed from its time zone; an administrator may change them afterwards.
 */
export async function createEmbassy(db: Db, input: EmbassyInput, actor: StaffActor, now: Temporal.Instant): Promise<OfficeChangeResult> {
	if (!isAdministrator(actor)) return { kind: 'forbidden' };
	const { errors, takenBy } = await checkEmbassy(db, input, null);
	if (hasErrors(errors)) return { kind: 'invalid', errors, countriesTaken: takenBy };
	const code = `zu-${input.specialDistrictNumber}`;
	if (await findOfficeIdByCode(db, code)) return { kind: 'invalid', errors: { specialDistrictNumber: 'special-district-taken' } };
	try {
		return await db.transaction().execute(async (trx) => {
			const row = { kind: 'embassy' as const, code, ...embassyRow(input) };
			const id = await insertOffice(trx, row);
			const elections = await listElectionsHeldAbroad(trx);
			const windows = elections.flatMap((e) =>
				e.rounds.flatMap((r) =>
					defaultEmbassyVotingWindows(r.first_day, input.timeZone).map((w, i) => ({
						office_id: id,
						election_id: e.id,
						round: r.round,
						window_no: i + 1,
						starts_local: w.start,
						ends_local: w.end
					}))
				)
			);
			await insertVotingWindows(trx, windows);
			await appendAudit(trx, {
				actor,
				action: 'office.create',
				entityType: 'office',
				entityId: id,
				officeId: id,
				after: { ...row, defaultWindowsFor: elections.map((e) => e.id) },
				at: now
			});
			return { kind: 'ok' as const, id };
		});
	} catch (error) {
		if (isUniqueViolation(error)) return { kind: 'invalid', errors: { specialDistrictNumber: 'special-district-taken' } };
		throw error;
	}
}

export async function updateMunicipalOffice(
	db: Db,
	input: MunicipalOfficeInput & { id: string; version: string },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<OfficeChangeResult> {
	if (!isAdministrator(actor)) return { kind: 'forbidden' };
	if (!isUuid(input.id)) return { kind: 'not-found' };
	const errors = checkMunicipal(input);
	if (!errors.municipalityCode) {
		const holder = await findOfficeIdByMunicipalityCode(db, input.municipalityCode);
		if (holder && holder !== input.id) errors.municipalityCode = 'municipality-code-taken';
	}
	if (hasErrors(errors)) return { kind: 'invalid', errors };
	try {
		return await db.transaction().execute(async (trx): Promise<OfficeChangeResult> => {
			const before = await findAdminOfficeByIdForUpdate(trx, input.id);
			if (!before || before.kind !== 'municipal') return { kind: 'not-found' };
			if (officeVersion(before) !== input.version) return { kind: 'changed-meanwhile' };
			const values = municipalRow(input);
			await updateOffice(trx, input.id, values);
			await appendAudit(trx, { actor, action: 'office.update', entityType: 'office', entityId: input.id, officeId: input.id, before, after: values, at: now });
			return { kind: 'ok', id: input.id };
		});
	} catch (error) {
		if (isUniqueViolation(error)) return { kind: 'invalid', errors: { municipalityCode: 'municipality-code-taken' } };
		throw error;
	}
}

/**
 * Edits an embassy. A new time zone moves the windows that still equal the old zone's
 * defaults to the new zone's (§2(3)); windows an administrator set are kept, and named.
 */
export async function updateEmbassy(
	db: Db,
	input: EmbassyInput & { id: string; version: string },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<OfficeChangeResult> {
	if (!isAdministrator(actor)) return { kind: 'forbidden' };
	if (!isUuid(input.id)) return { kind: 'not-found' };
	const { errors, takenBy } = await checkEmbassy(db, input, input.id);
	if (hasErrors(errors)) return { kind: 'invalid', errors, countriesTaken: takenBy };
	try {
		return await db.transaction().execute(async (trx): Promise<OfficeChangeResult> => {
			const before = await findAdminOfficeByIdForUpdate(trx, input.id);
			if (!before || before.kind !== 'embassy') return { kind: 'not-found' };
			if (officeVersion(before) !== input.version) return { kind: 'changed-meanwhile' };
			const values = embassyRow(input);
			await updateOffice(trx, input.id, values);
			let windows: WindowShift = { moved: [], customKept: [] };
			if (before.time_zone !== input.timeZone) {
				const [elections, stored] = await Promise.all([listElectionsHeldAbroad(trx), listOfficeVotingWindows(trx, input.id)]);
				windows = await shiftDefaultWindows(
					trx,
					elections.flatMap((e) =>
						e.rounds.map((r) => ({
							officeId: input.id,
							electionId: e.id,
							round: r.round,
							before: { firstDay: r.first_day, timeZone: before.time_zone },
							after: { firstDay: r.first_day, timeZone: input.timeZone },
							windows: stored.filter((w) => w.election_id === e.id && w.round === r.round)
						}))
					)
				);
			}
			await appendAudit(trx, {
				actor,
				action: 'office.update',
				entityType: 'office',
				entityId: input.id,
				officeId: input.id,
				before,
				after: { ...values, windowsMoved: windows.moved.length, customWindowsKept: windows.customKept },
				at: now
			});
			return { kind: 'ok', id: input.id, windows };
		});
	} catch (error) {
		if (isUniqueViolation(error)) return { kind: 'invalid', errors: { specialDistrictNumber: 'special-district-taken' } };
		throw error;
	}
}

// --- Voting windows of one embassy in one election (§2(3)) -------------------------------------

export interface WindowsInput {
	officeId: string;
	electionId: string;
	rounds: { round: Round; windows: { start: string; end: string }[] }[];
}

export type WindowsError = EmbassyVotingErrorCode | 'required' | 'wrong-rounds';

export type SetWindowsResult =
	| { kind: 'ok' }
	| { kind: 'invalid'; errors: { round: Round; window?: number; code: WindowsError }[] }
	| { kind: 'not-found' }
	| { kind: 'forbidden' };

/**
 * Sets one embassy's windows in one election, every round, validated by the domain
 * (`validateEmbassyVoting`). `defaults` instead sets the §2(3) defaults of its time zone.
 */
export async function setEmbassyVotingWindows(
	db: Db,
	input: WindowsInput | { officeId: string; electionId: string; defaults: true },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<SetWindowsResult> {
	if (!isAdministrator(actor)) return { kind: 'forbidden' };
	if (!isUuid(input.officeId) || !isUuid(input.electionId)) return { kind: 'not-found' };
	const [office, election] = await Promise.all([findAdminOfficeById(db, input.officeId), findAdminElectionById(db, input.electionId)]);
	if (!office || office.kind !== 'embassy' || !election || !election.voting_abroad) return { kind: 'not-found' };

	const rounds =
		'defaults' in input
			? election.rounds.map((r) => ({ round: r.round, windows: defaultEmbassyVotingWindows(r.first_day, office.time_zone) }))
			: input.rounds;
	if (rounds.length !== election.rounds.length || rounds.some((r, i) => r.round !== election.rounds[i]!.round)) {
		return { kind: 'invalid', errors: [{ round: 1, code: 'wrong-rounds' }] };
	}
	const errors: { round: Round; window?: number; code: WindowsError }[] = [];
	for (const r of rounds) {
		const verdict = validateEmbassyVoting({ timeZone: office.time_zone, windows: r.windows, round: r.round });
		if (!verdict.ok) errors.push(...verdict.errors.map((e) => ({ round: r.round, ...e })));
	}
	if (errors.length) return { kind: 'invalid', errors };

	return db.transaction().execute(async (trx) => {
		const before = (await listOfficeVotingWindows(trx, office.id)).filter((w) => w.election_id === election.id);
		for (const r of rounds) await replaceVotingWindowsOfRound(trx, { officeId: office.id, electionId: election.id, round: r.round }, r.windows);
		await appendAudit(trx, {
			actor,
			action: 'embassy-voting.update',
			entityType: 'office',
			entityId: office.id,
			officeId: office.id,
			before: { electionId: election.id, windows: before.map((w) => ({ round: w.round, start: w.starts_local, end: w.ends_local })) },
			after: { electionId: election.id, defaults: 'defaults' in input, windows: rounds },
			at: now
		});
		return { kind: 'ok' as const };
	});
}

// --- What the pages show ----------------------------------------------------------------------

export interface OfficeListItem {
	id: string;
	kind: 'municipal' | 'embassy';
	nameCs: string;
	nameEn: string;
	municipalityCode: string | null;
	regionCode: string | null;
	specialDistrictNumber: number | null;
	countries: string[];
	timeZone: string;
}

export async function listOfficesForAdmin(db: Db, actor: StaffActor): Promise<OfficeListItem[] | null> {
	if (!isAdministrator(actor)) return null;
	return (await listAdminOffices(db)).map((o) => ({
		id: o.id,
		kind: o.kind,
		nameCs: o.name_cs,
		nameEn: o.name_en,
		municipalityCode: o.municipality_code,
		regionCode: o.region_code,
		specialDistrictNumber: o.special_district_number,
		countries: o.countries,
		timeZone: o.time_zone
	}));
}

export interface OfficeElectionWindows {
	electionId: string;
	titleCs: string;
	titleEn: string;
	rounds: { round: Round; firstDay: string; windows: { start: string; end: string }[]; defaults: { start: string; end: string }[]; custom: boolean }[];
}

export interface OfficeDetail {
	office: AdminOfficeRow;
	version: string;
	/** Embassies: the windows in every election held abroad (§2(3)), latest election first. */
	elections: OfficeElectionWindows[];
}

export async function getOfficeForAdmin(db: Db, actor: StaffActor, id: string): Promise<OfficeDetail | null> {
	if (!isAdministrator(actor) || !isUuid(id)) return null;
	const office = await findAdminOfficeById(db, id);
	if (!office) return null;
	if (office.kind !== 'embassy') return { office, version: officeVersion(office), elections: [] };
	const [elections, windows] = await Promise.all([listAdminElections(db), listOfficeVotingWindows(db, id)]);
	return {
		office,
		version: officeVersion(office),
		elections: elections
			.filter((e) => e.voting_abroad)
			.map((e) => ({
				electionId: e.id,
				titleCs: e.title_cs,
				titleEn: e.title_en,
				rounds: e.rounds.map((r) => {
					const own = windows.filter((w) => w.election_id === e.id && w.round === r.round);
					return {
						round: r.round,
						firstDay: r.first_day,
						windows: own.map((w) => ({ start: w.starts_local.slice(0, 16), end: w.ends_local.slice(0, 16) })),
						defaults: defaultEmbassyVotingWindows(r.first_day, office.time_zone),
						custom: own.length > 0 && !windowsAreDefault(own, r.first_day, office.time_zone)
					};
				})
			}))
	};
}
