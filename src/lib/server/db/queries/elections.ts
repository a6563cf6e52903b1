import type { Election } from '../../../domain';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DbOrTrx } from '../index';
import type { ElectionTypeColumn } from '../schema';

export interface ElectionWithRounds {
	id: string;
	type: ElectionTypeColumn;
	title_cs: string;
	title_en: string;
	announced_on: string;
	voting_abroad: boolean;
	correspondence_allowed: boolean;
	excluded_countries: string[];
	earliest_voter_card_issue_days: number | null;
	/** Migration 0011: a rehearsal and its clock's offset (clock.ts electionNow). */
	rehearsal: boolean;
	clock_offset_seconds: number;
	rounds: { round: 1 | 2; first_day: string }[];
}

const electionColumns = [
	'election.id',
	'election.type',
	'election.title_cs',
	'election.title_en',
	'election.announced_on',
	'election.voting_abroad',
	'election.correspondence_allowed',
	'election.excluded_countries',
	'election.earliest_voter_card_issue_days',
	'election.rehearsal',
	'election.clock_offset_seconds'
] as const;

function attachRounds<T extends { id: string }>(
	elections: T[],
	rounds: { election_id: string; round: number; first_day: string }[]
): (T & { rounds: { round: 1 | 2; first_day: string }[] })[] {
	return elections.map((e) => ({
		...e,
		rounds: rounds
			.filter((r) => r.election_id === e.id)
			.sort((a, b) => a.round - b.round)
			.map((r) => ({ round: r.round as 1 | 2, first_day: r.first_day }))
	}));
}

/**
 * Which rehearsals a list includes besides the real elections (issue 14). By default none:
 * public pages, open data, statistics and counters never see a rehearsal.
 * - officeId: the rehearsals that office takes part in (its staff);
 * - testIdentity: every rehearsal, for a voter whose eID identity is a test identity;
 * - all: every rehearsal (the administrator);
 * - only: rehearsals only (the test feed of open data).
 */
export interface ElectionVisibility {
	officeId?: string | null;
	testIdentity?: boolean;
	all?: boolean;
	only?: boolean;
}

/** The real elections and the rehearsals `visibility` admits, with their rounds, soonest first voting day first. */
export async function listElections(db: DbOrTrx, visibility: ElectionVisibility = {}): Promise<ElectionWithRounds[]> {
	const elections = await db
		.selectFrom('election')
		.select(electionColumns)
		.where((eb) => {
			const rehearsalAdmitted = visibility.all || visibility.testIdentity || visibility.only
				? eb.lit(true)
				: visibility.officeId
					? eb.exists(
							eb
								.selectFrom('rehearsal_office')
								.select('rehearsal_office.office_id')
								.whereRef('rehearsal_office.election_id', '=', 'election.id')
								.where('rehearsal_office.office_id', '=', visibility.officeId)
						)
					: eb.lit(false);
			if (visibility.only) return eb('election.rehearsal', '=', true);
			return eb.or([eb('election.rehearsal', '=', false), eb.and([eb('election.rehearsal', '=', true), rehearsalAdmitted])]);
		})
		.execute();
	if (elections.length === 0) return [];
	const rounds = await db
		.selectFrom('election_round')
		.select(['election_id', 'round', 'first_day'])
		.where(
			'election_id',
			'in',
			elections.map((e) => e.id)
		)
		.execute();
	const withRounds = attachRounds(elections, rounds);
	return withRounds.sort((a, b) => (a.rounds[0]?.first_day ?? '').localeCompare(b.rounds[0]?.first_day ?? ''));
}

/** The domain's view of an election row (src/lib/domain/elections.ts), for the pure rules. */
export function toDomainElection(row: ElectionWithRounds): Election {
	return {
		id: row.id,
		type: row.type,
		announcedOn: row.announced_on,
		rounds: row.rounds.map((r) => ({ round: r.round, firstDay: r.first_day })),
		correspondenceAllowed: row.correspondence_allowed,
		votingAbroad: row.voting_abroad,
		earliestVoterCardIssueDays: row.earliest_voter_card_issue_days,
		excludedCountries: row.excluded_countries
	};
}

/** Whether the office takes part in the rehearsal `electionId` (issue 14: only its staff see it). */
export async function takesPartInRehearsal(db: DbOrTrx, electionId: string, officeId: string): Promise<boolean> {
	const row = await db.selectFrom('rehearsal_office').select('office_id').where('election_id', '=', electionId).where('office_id', '=', officeId).executeTakeFirst();
	return row !== undefined;
}

/** What an election's clock depends on (clock.ts electionNow); undefined for an unknown id. */
export async function findElectionClock(db: DbOrTrx, id: string): Promise<{ rehearsal: boolean; clock_offset_seconds: number } | undefined> {
	return db.selectFrom('election').select(['rehearsal', 'clock_offset_seconds']).where('id', '=', id).executeTakeFirst();
}

export async function findElectionById(db: DbOrTrx, id: string): Promise<ElectionWithRounds | undefined> {
	// One round trip (it is on the path of every filing: npm run bench).
	const row = await db
		.selectFrom('election')
		.select(electionColumns)
		.select((eb) =>
			jsonArrayFrom(eb.selectFrom('election_round').select(['election_round.election_id', 'election_round.round', 'election_round.first_day']).whereRef('election_round.election_id', '=', 'election.id')).as(
				'round_rows'
			)
		)
		.where('election.id', '=', id)
		.executeTakeFirst();
	if (!row) return undefined;
	const { round_rows, ...election } = row;
	return attachRounds([election], round_rows)[0];
}

export interface ElectionEmbassy {
	id: string;
	name_cs: string;
	name_en: string;
	time_zone: string;
	special_district_number: number | null;
}

/** An embassy (kind 'embassy') by id; undefined for a municipal office or an unknown id. */
export async function findEmbassyById(db: DbOrTrx, officeId: string): Promise<ElectionEmbassy | undefined> {
	return db
		.selectFrom('office')
		.select(['id', 'name_cs', 'name_en', 'time_zone', 'special_district_number'])
		.where('id', '=', officeId)
		.where('kind', '=', 'embassy')
		.executeTakeFirst();
}

/** The embassies that vote in an election, i.e. that have voting windows for it (§2(3)), by special district. */
export async function listElectionEmbassies(db: DbOrTrx, electionId: string): Promise<ElectionEmbassy[]> {
	return db
		.selectFrom('office')
		.select(['office.id', 'office.name_cs', 'office.name_en', 'office.time_zone', 'office.special_district_number'])
		.where('office.kind', '=', 'embassy')
		.where((eb) =>
			eb.exists(
				eb
					.selectFrom('embassy_voting_window')
					.select('embassy_voting_window.office_id')
					.whereRef('embassy_voting_window.office_id', '=', 'office.id')
					.where('embassy_voting_window.election_id', '=', electionId)
			)
		)
		.orderBy('office.special_district_number')
		.orderBy('office.id')
		.execute();
}

/** The distinct IANA time zones of all embassies, alphabetically (the zones voters abroad most likely need). */
export async function listEmbassyTimeZones(db: DbOrTrx): Promise<string[]> {
	const rows = await db.selectFrom('office').select('time_zone').distinct().where('kind', '=', 'embassy').orderBy('time_zone').execute();
	return rows.map((r) => r.time_zone);
}

export interface EmbassyVotingWindowRow {
	round: 1 | 2;
	window_no: number;
	/** Local wall-clock time of the embassy, 'YYYY-MM-DDTHH:mm:ss'. */
	starts_local: string;
	ends_local: string;
}

/** One embassy's voting windows in one election, every round, in order (§2(3)). */
export async function listEmbassyVotingWindows(
	db: DbOrTrx,
	electionId: string,
	officeId: string
): Promise<EmbassyVotingWindowRow[]> {
	const rows = await db
		.selectFrom('embassy_voting_window')
		.select(['round', 'window_no', 'starts_local', 'ends_local'])
		.where('election_id', '=', electionId)
		.where('office_id', '=', officeId)
		.orderBy('round')
		.orderBy('window_no')
		.execute();
	return rows.map((r) => ({ ...r, round: r.round as 1 | 2 }));
}

/** The election's own columns beyond its rules (titles, retention, rehearsal). */
export interface NewElectionColumns {
	title_cs: string;
	title_en: string;
	results_declared_on?: string | null;
	under_court_challenge?: boolean;
	retention_days?: number;
	rehearsal?: boolean;
	clock_offset_seconds?: number;
	rehearsal_of?: string | null;
}

/** A new election and its rounds (an administrator's election or a rehearsal): its id. */
export async function insertElectionWithRounds(trx: DbOrTrx, election: Omit<Election, 'id'>, columns: NewElectionColumns): Promise<string> {
	const row = await trx
		.insertInto('election')
		.values({
			type: election.type,
			announced_on: election.announcedOn,
			voting_abroad: election.votingAbroad,
			correspondence_allowed: election.correspondenceAllowed,
			excluded_countries: [...election.excludedCountries],
			earliest_voter_card_issue_days: election.earliestVoterCardIssueDays,
			...columns
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	await trx
		.insertInto('election_round')
		.values(election.rounds.map((r) => ({ election_id: row.id, round: r.round, first_day: r.firstDay })))
		.execute();
	return row.id;
}
