/**
 * Elections in the administration (issue 7): what the pages show and the two changes, creating
 * and editing, for an administrator only. The rules and rows are in elections.ts
 * (createElection, updateElection), which the seed and `npm run election:create` share.
 */
import type { Temporal } from 'temporal-polyfill';
import {
	ELECTION_TYPE_RULES,
	electionDeadlines,
	formatIsoWithOffset,
	hasVoterCards,
	isOnTime,
	requestsOpenAt,
	type ElectionError,
	type ElectionType,
	type Round
} from '../../domain';
import { retentionStatus, validateRetentionDays, type RetentionStatus } from '../../domain/retention';
import { fromDate } from '../clock';
import { ISO_COUNTRY_CODES } from '../countries';
import type { Db } from '../db/index';
import {
	findAdminElectionById,
	listAdminElections,
	listAdminOffices,
	listElectionVotingWindows,
	type AdminElectionRow
} from '../db/queries/admin';
import { isUuid } from './requests';
import {
	createElection,
	electionFromRow,
	updateElection,
	windowsAreDefault,
	type CalendarKey,
	type MovedDeadline,
	type WindowShift
} from './elections';
import type { StaffActor } from './staff-actor';

/** Only an administrator manages elections, offices and staff (issue 7). */
export function isAdministrator(actor: StaffActor): boolean {
	return actor.role === 'administrator';
}

/** The fields of the election form, as named on the page. */
export type ElectionFormField =
	| 'titleCs'
	| 'titleEn'
	| 'announcedOn'
	| 'round1'
	| 'round2'
	| 'correspondence'
	| 'earliestIssueDays'
	| 'excludedCountries'
	| 'resultsDeclaredOn'
	| 'retentionDays';

/** What the pages say about a field; the words are in the page's messages (adm_err_*). */
export type ElectionFormError =
	| 'required'
	| 'too-long'
	/** Control or bidi characters (src/lib/forms/free-text.ts). */
	| 'invalid-characters'
	| 'date-invalid'
	| 'first-day-not-friday'
	| 'rounds-out-of-order'
	| 'announcement-not-before-first-day'
	| 'correspondence-fixed-by-law'
	| 'number-invalid'
	| 'earliest-issue-without-voter-cards'
	| 'country-unknown'
	| 'retention-days-invalid';

export type ElectionFormErrors = Partial<Record<ElectionFormField, ElectionFormError>>;

/** An election as the form delivers it, every value already of its type. */
export interface ElectionFormData {
	titleCs: string;
	titleEn: string;
	announcedOn: string;
	/** D of each round, YYYY-MM-DD, round 1 first. */
	firstDays: string[];
	correspondenceAllowed: boolean;
	earliestVoterCardIssueDays: number | null;
	excludedCountries: string[];
	resultsDeclaredOn: string | null;
	underCourtChallenge: boolean;
	retentionDays: number;
}

const ISO_COUNTRIES = new Set(ISO_COUNTRY_CODES);

/** The domain's verdicts in the form's terms. */
function fieldErrors(errors: readonly ElectionError[]): ElectionFormErrors {
	const out: ElectionFormErrors = {};
	const set = (field: ElectionFormField, code: ElectionFormError) => {
		out[field] ??= code;
	};
	for (const e of errors) {
		const roundField: ElectionFormField = e.round === 2 ? 'round2' : 'round1';
		switch (e.code) {
			case 'invalid-date':
				set(e.field === 'announcedOn' ? 'announcedOn' : roundField, 'date-invalid');
				break;
			case 'first-day-not-friday':
				set(roundField, 'first-day-not-friday');
				break;
			case 'rounds-out-of-order':
				set('round2', 'rounds-out-of-order');
				break;
			case 'wrong-number-of-rounds':
				set('round1', 'required');
				break;
			case 'announcement-not-before-first-day':
				set('announcedOn', 'announcement-not-before-first-day');
				break;
			case 'correspondence-fixed-by-law':
				set('correspondence', 'correspondence-fixed-by-law');
				break;
			case 'invalid-earliest-issue-days':
				set('earliestIssueDays', 'number-invalid');
				break;
			case 'earliest-issue-without-voter-cards':
				set('earliestIssueDays', 'earliest-issue-without-voter-cards');
				break;
			case 'invalid-country-code':
				set('excludedCountries', 'country-unknown');
				break;
			case 'voting-abroad-fixed-by-law':
			case 'invalid-type':
				break;
		}
	}
	return out;
}

/** Checks of the settings the domain does not know: countries by name, §22(6) period. */
function settingsErrors(data: ElectionFormData): ElectionFormErrors {
	const errors: ElectionFormErrors = {};
	if (data.excludedCountries.some((c) => !ISO_COUNTRIES.has(c))) errors.excludedCountries = 'country-unknown';
	if (validateRetentionDays(data.retentionDays)) errors.retentionDays = 'retention-days-invalid';
	return errors;
}

function rounds(firstDays: readonly string[]) {
	return firstDays.map((firstDay, i) => ({ round: (i + 1) as Round, firstDay }));
}

export type CreateElectionAsAdminResult =
	| { kind: 'ok'; id: string }
	| { kind: 'invalid'; errors: ElectionFormErrors }
	| { kind: 'forbidden' };

export async function createElectionAsAdmin(
	db: Db,
	input: { type: ElectionType } & ElectionFormData,
	actor: StaffActor,
	now: Temporal.Instant
): Promise<CreateElectionAsAdminResult> {
	if (!isAdministrator(actor)) return { kind: 'forbidden' };
	const pre = settingsErrors(input);
	const rules = ELECTION_TYPE_RULES[input.type];
	const result = await (Object.keys(pre).length
		? Promise.resolve(null)
		: createElection(
				db,
				{
					type: input.type,
					announcedOn: input.announcedOn,
					rounds: rounds(input.firstDays),
					titleCs: input.titleCs || undefined,
					titleEn: input.titleEn || undefined,
					correspondenceAllowed: rules.correspondenceConfigurable ? input.correspondenceAllowed : undefined,
					earliestVoterCardIssueDays: input.earliestVoterCardIssueDays,
					excludedCountries: input.excludedCountries,
					resultsDeclaredOn: input.resultsDeclaredOn,
					underCourtChallenge: input.underCourtChallenge,
					retentionDays: input.retentionDays
				},
				actor,
				now
			));
	if (result === null) return { kind: 'invalid', errors: pre };
	if (!result.ok) return { kind: 'invalid', errors: fieldErrors(result.errors) };
	return { kind: 'ok', id: result.id };
}

export type UpdateElectionAsAdminResult =
	| { kind: 'ok'; movedDeadlines: MovedDeadline[]; windows: WindowShift }
	| { kind: 'invalid'; errors: ElectionFormErrors }
	| { kind: 'confirm'; movedDeadlines: MovedDeadline[] }
	| { kind: 'not-found' }
	| { kind: 'changed-meanwhile' }
	| { kind: 'forbidden' };

export async function updateElectionAsAdmin(
	db: Db,
	input: { id: string; version: string; confirmed: readonly string[] } & ElectionFormData,
	actor: StaffActor,
	now: Temporal.Instant
): Promise<UpdateElectionAsAdminResult> {
	if (!isAdministrator(actor)) return { kind: 'forbidden' };
	if (!isUuid(input.id)) return { kind: 'not-found' };
	const pre = settingsErrors(input);
	if (Object.keys(pre).length) return { kind: 'invalid', errors: pre };
	const current = await findAdminElectionById(db, input.id);
	if (!current) return { kind: 'not-found' };
	const result = await updateElection(
		db,
		{
			id: input.id,
			version: input.version,
			titleCs: input.titleCs || current.title_cs,
			titleEn: input.titleEn || current.title_en,
			announcedOn: input.announcedOn,
			rounds: rounds(input.firstDays),
			correspondenceAllowed: input.correspondenceAllowed,
			earliestVoterCardIssueDays: input.earliestVoterCardIssueDays,
			excludedCountries: input.excludedCountries,
			resultsDeclaredOn: input.resultsDeclaredOn,
			underCourtChallenge: input.underCourtChallenge,
			retentionDays: input.retentionDays,
			confirmed: input.confirmed
		},
		actor,
		now
	);
	if (result.kind === 'invalid') return { kind: 'invalid', errors: fieldErrors(result.errors) };
	return result;
}

// --- What the pages show ----------------------------------------------------------------------

export type RetentionStatusView =
	| { kind: 'done'; removedAt: string }
	| { kind: 'results-not-declared' }
	| { kind: 'court-challenge'; dueAt: string | null }
	| { kind: 'kept'; dueAt: string }
	| { kind: 'due'; dueAt: string };

export function retentionStatusView(status: RetentionStatus): RetentionStatusView {
	switch (status.kind) {
		case 'done':
			return { kind: 'done', removedAt: status.removedAt.toString() };
		case 'results-not-declared':
			return status;
		case 'court-challenge':
			return { kind: 'court-challenge', dueAt: status.dueAt ? formatIsoWithOffset(status.dueAt) : null };
		case 'kept':
		case 'due':
			return { kind: status.kind, dueAt: formatIsoWithOffset(status.dueAt) };
	}
}

export function retentionOf(row: Pick<AdminElectionRow, 'id' | 'results_declared_on' | 'under_court_challenge' | 'retention_days' | 'personal_data_removed_at'>, now: Temporal.Instant): RetentionStatusView {
	return retentionStatusView(
		retentionStatus(
			{
				id: row.id,
				resultsDeclaredOn: row.results_declared_on,
				underCourtChallenge: row.under_court_challenge,
				retentionDays: row.retention_days,
				personalDataRemovedAt: row.personal_data_removed_at ? fromDate(row.personal_data_removed_at) : null
			},
			now
		)
	);
}

export interface ElectionListItem {
	id: string;
	type: ElectionType;
	titleCs: string;
	titleEn: string;
	announcedOn: string;
	firstDays: string[];
	retention: RetentionStatusView;
}

export async function listElectionsForAdmin(db: Db, actor: StaffActor, now: Temporal.Instant): Promise<ElectionListItem[] | null> {
	if (!isAdministrator(actor)) return null;
	return (await listAdminElections(db)).map((row) => ({
		id: row.id,
		type: row.type,
		titleCs: row.title_cs,
		titleEn: row.title_en,
		announcedOn: row.announced_on,
		firstDays: row.rounds.map((r) => r.first_day),
		retention: retentionOf(row, now)
	}));
}

export interface CalendarEntry {
	key: CalendarKey;
	round: Round;
	section: string;
	/** ISO with the Prague offset. */
	at: string;
	passed: boolean;
}

export interface EmbassyWindowsView {
	officeId: string;
	nameCs: string;
	nameEn: string;
	specialDistrictNumber: number | null;
	timeZone: string;
	rounds: { round: Round; windows: { start: string; end: string }[]; custom: boolean }[];
}

export interface ElectionDetail {
	id: string;
	type: ElectionType;
	titleCs: string;
	titleEn: string;
	announcedOn: string;
	firstDays: string[];
	votingAbroad: boolean;
	correspondenceAllowed: boolean;
	correspondenceConfigurable: boolean;
	hasVoterCards: boolean;
	earliestVoterCardIssueDays: number | null;
	excludedCountries: string[];
	resultsDeclaredOn: string | null;
	underCourtChallenge: boolean;
	retentionDays: number;
	retention: RetentionStatusView;
	version: string;
	calendar: CalendarEntry[];
	embassies: EmbassyWindowsView[];
}

/** One election with its calendar (§57–§57b) and every embassy's windows, custom ones flagged (§2(3)). */
export async function getElectionForAdmin(db: Db, actor: StaffActor, id: string, now: Temporal.Instant): Promise<ElectionDetail | null> {
	if (!isAdministrator(actor) || !isUuid(id)) return null;
	const row = await findAdminElectionById(db, id);
	if (!row) return null;
	const election = electionFromRow(row);
	const passed = (at: Temporal.ZonedDateTime) => !isOnTime(now, { at });
	const opens = requestsOpenAt(election);
	const calendar: CalendarEntry[] = [
		{ key: 'requests-open', round: 1, section: '§57(1)', at: formatIsoWithOffset(opens), passed: passed(opens) },
		...electionDeadlines(election).map((d) => ({ key: d.key, round: d.round, section: d.section, at: formatIsoWithOffset(d.at), passed: passed(d.at) }))
	];
	const embassies: EmbassyWindowsView[] = [];
	if (row.voting_abroad) {
		const [offices, windows] = await Promise.all([listAdminOffices(db), listElectionVotingWindows(db, id)]);
		for (const office of offices.filter((o) => o.kind === 'embassy')) {
			embassies.push({
				officeId: office.id,
				nameCs: office.name_cs,
				nameEn: office.name_en,
				specialDistrictNumber: office.special_district_number,
				timeZone: office.time_zone,
				rounds: row.rounds.map((r) => {
					const own = windows.filter((w) => w.office_id === office.id && w.round === r.round);
					return {
						round: r.round,
						windows: own.map((w) => ({ start: w.starts_local.slice(0, 16), end: w.ends_local.slice(0, 16) })),
						custom: own.length > 0 && !windowsAreDefault(own, r.first_day, office.time_zone)
					};
				})
			});
		}
	}
	const rules = ELECTION_TYPE_RULES[row.type];
	return {
		id: row.id,
		type: row.type,
		titleCs: row.title_cs,
		titleEn: row.title_en,
		announcedOn: row.announced_on,
		firstDays: row.rounds.map((r) => r.first_day),
		votingAbroad: row.voting_abroad,
		correspondenceAllowed: row.correspondence_allowed,
		correspondenceConfigurable: rules.correspondenceConfigurable,
		hasVoterCards: hasVoterCards(election),
		earliestVoterCardIssueDays: row.earliest_voter_card_issue_days,
		excludedCountries: row.excluded_countries,
		resultsDeclaredOn: row.results_declared_on,
		underCourtChallenge: row.under_court_challenge,
		retentionDays: row.retention_days,
		retention: retentionOf(row, now),
		version: row.version,
		calendar,
		embassies
	};
}
