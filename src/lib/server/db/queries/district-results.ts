/** Candidate lists and the special districts' records of the result (issue 17). */
import { sql } from 'kysely';
import type { DbOrTrx } from '../index';

export type ResultSide = 'chair' | 'member';

export interface CandidateListRow {
	number: number;
	name: string;
	candidates: { number: number; name: string }[];
}

export async function listCandidateLists(db: DbOrTrx, electionId: string): Promise<CandidateListRow[]> {
	const [lists, candidates] = await Promise.all([
		db.selectFrom('candidate_list').select(['number', 'name']).where('election_id', '=', electionId).orderBy('number').execute(),
		db.selectFrom('candidate').select(['list_number', 'number', 'name']).where('election_id', '=', electionId).orderBy('list_number').orderBy('number').execute()
	]);
	return lists.map((l) => ({
		number: l.number,
		name: l.name,
		candidates: candidates.filter((c) => c.list_number === l.number).map((c) => ({ number: c.number, name: c.name }))
	}));
}

/** Replaces an election's lists and candidates with new ones (the administrator's import). */
export async function replaceCandidateLists(db: DbOrTrx, electionId: string, lists: readonly CandidateListRow[]): Promise<void> {
	await db.deleteFrom('candidate_list').where('election_id', '=', electionId).execute();
	if (!lists.length) return;
	await db
		.insertInto('candidate_list')
		.values(lists.map((l) => ({ election_id: electionId, number: l.number, name: l.name })))
		.execute();
	const candidates = lists.flatMap((l) => l.candidates.map((c) => ({ election_id: electionId, list_number: l.number, number: c.number, name: c.name })));
	if (candidates.length) await db.insertInto('candidate').values(candidates).execute();
}

/** Whether any commission has entered or closed a record of the result of the election. */
export async function hasResultRecords(db: DbOrTrx, electionId: string): Promise<boolean> {
	const row = await db
		.selectNoFrom((eb) => [
			eb.exists(eb.selectFrom('district_result').select('id').where('election_id', '=', electionId)).as('closed'),
			eb.exists(eb.selectFrom('district_result_entry').select('side').where('election_id', '=', electionId)).as('entered')
		])
		.executeTakeFirstOrThrow();
	return Boolean(row.closed) || Boolean(row.entered);
}

export interface ResultEntryRow {
	side: ResultSide;
	figures: unknown;
	entered_by: string;
	entered_by_name: string;
	entered_at: Date;
}

export async function listResultEntries(db: DbOrTrx, officeId: string, electionId: string, round: number): Promise<ResultEntryRow[]> {
	return db
		.selectFrom('district_result_entry as e')
		.innerJoin('staff_user as s', 's.id', 'e.entered_by')
		.select(['e.side', 'e.figures', 'e.entered_by', 's.display_name as entered_by_name', 'e.entered_at'])
		.where('e.office_id', '=', officeId)
		.where('e.election_id', '=', electionId)
		.where('e.round', '=', round)
		.execute();
}

/** The chair's or a member's entry: replaces that side's earlier entry. */
export async function upsertResultEntry(
	db: DbOrTrx,
	e: { officeId: string; electionId: string; round: number; side: ResultSide; figures: unknown; by: string; at: Date }
): Promise<void> {
	const figures = JSON.stringify(e.figures);
	await db
		.insertInto('district_result_entry')
		.values({ office_id: e.officeId, election_id: e.electionId, round: e.round, side: e.side, figures, entered_by: e.by, entered_at: e.at })
		.onConflict((oc) => oc.columns(['office_id', 'election_id', 'round', 'side']).doUpdateSet({ figures, entered_by: e.by, entered_at: e.at }))
		.execute();
}

export async function deleteResultEntries(db: DbOrTrx, officeId: string, electionId: string, round: number): Promise<void> {
	await db.deleteFrom('district_result_entry').where('office_id', '=', officeId).where('election_id', '=', electionId).where('round', '=', round).execute();
}

/** Locks the district's open record against a concurrent close (the entries' rows). */
export async function lockResultEntries(db: DbOrTrx, officeId: string, electionId: string, round: number): Promise<ResultEntryRow[]> {
	return db
		.selectFrom('district_result_entry as e')
		.innerJoin('staff_user as s', 's.id', 'e.entered_by')
		.select(['e.side', 'e.figures', 'e.entered_by', 's.display_name as entered_by_name', 'e.entered_at'])
		.where('e.office_id', '=', officeId)
		.where('e.election_id', '=', electionId)
		.where('e.round', '=', round)
		.forUpdate('e')
		.execute();
}

export interface DistrictResultRow {
	id: string;
	version: number;
	figures: unknown;
	closed_at: Date;
	closed_by_name: string;
	correction_reason: string | null;
}

/** Every closed version of a district's record, the first first. */
export async function listDistrictResultVersions(db: DbOrTrx, officeId: string, electionId: string, round: number): Promise<DistrictResultRow[]> {
	return db
		.selectFrom('district_result as r')
		.innerJoin('staff_user as s', 's.id', 'r.closed_by')
		.select(['r.id', 'r.version', 'r.figures', 'r.closed_at', 's.display_name as closed_by_name', 'r.correction_reason'])
		.where('r.office_id', '=', officeId)
		.where('r.election_id', '=', electionId)
		.where('r.round', '=', round)
		.orderBy('r.version')
		.execute();
}

/** A closed version; undefined when that version exists already (a concurrent close won). */
export async function insertDistrictResult(
	db: DbOrTrx,
	r: {
		officeId: string;
		electionId: string;
		round: number;
		version: number;
		figures: unknown;
		chairEnteredBy: string;
		memberEnteredBy: string;
		closedBy: string;
		closedAt: Date;
		correctionReason: string | null;
	}
): Promise<string | undefined> {
	const row = await db
		.insertInto('district_result')
		.values({
			office_id: r.officeId,
			election_id: r.electionId,
			round: r.round,
			version: r.version,
			figures: JSON.stringify(r.figures),
			chair_entered_by: r.chairEnteredBy,
			member_entered_by: r.memberEnteredBy,
			closed_by: r.closedBy,
			closed_at: r.closedAt,
			correction_reason: r.correctionReason
		})
		.onConflict((oc) => oc.columns(['office_id', 'election_id', 'round', 'version']).doNothing())
		.returning('id')
		.executeTakeFirst();
	return row?.id;
}

export interface PublishedDistrictResultRow {
	office_id: string;
	round: number;
	version: number;
	figures: unknown;
	closed_at: Date;
}

/** The latest version of every closed record of an election (what the feed publishes). */
export async function listLatestDistrictResults(db: DbOrTrx, electionId: string): Promise<PublishedDistrictResultRow[]> {
	return db
		.selectFrom('district_result as r')
		.select(['r.office_id', 'r.round', 'r.version', 'r.figures', 'r.closed_at'])
		.where('r.election_id', '=', electionId)
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('district_result as n')
						.select(sql`1`.as('one'))
						.whereRef('n.office_id', '=', 'r.office_id')
						.whereRef('n.election_id', '=', 'r.election_id')
						.whereRef('n.round', '=', 'r.round')
						.whereRef('n.version', '>', 'r.version')
				)
			)
		)
		.orderBy('r.round')
		.orderBy('r.office_id')
		.execute();
}

export interface ElectionDistrictRow {
	office_id: string;
	code: string;
	name_cs: string;
	name_en: string;
	special_district_number: number | null;
	country_code: string | null;
	round: number;
}

/** The special districts voting in an election, one row per district and round (their voting windows, §2(3)). */
export async function listElectionDistricts(db: DbOrTrx, electionId: string): Promise<ElectionDistrictRow[]> {
	return db
		.selectFrom('embassy_voting_window as w')
		.innerJoin('office as o', 'o.id', 'w.office_id')
		.select(['o.id as office_id', 'o.code', 'o.name_cs', 'o.name_en', 'o.special_district_number', 'o.country_code', 'w.round'])
		.distinct()
		.where('w.election_id', '=', electionId)
		.orderBy('w.round')
		.orderBy('o.country_code')
		.orderBy('o.special_district_number')
		.execute();
}
