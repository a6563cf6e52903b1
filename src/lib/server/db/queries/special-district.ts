/**
 * Queries of an embassy's special-district list (§56(4), §57(6)). Every query takes the
 * embassy's office id and filters by it, so that another office's ids behave exactly like
 * unknown ids.
 */
import { sql } from 'kysely';
import type { DbOrTrx } from '../index';

/** Locks a voter row (still on a list, not anonymised) for a change of the lists that keep them. */
export async function lockVoterLists(db: DbOrTrx, voterId: string) {
	return db
		.selectFrom('voter')
		.select(['id', 'municipal_office_id', 'special_district_office_id'])
		.where('id', '=', voterId)
		.where('anonymised_at', 'is', null)
		.forUpdate()
		.executeTakeFirst();
}

/** §56(4): the voter leaves this embassy's list on their request; only if it keeps them now. */
export async function updateVoterLeftSpecialDistrict(db: DbOrTrx, officeId: string, voterId: string, at: Date): Promise<boolean> {
	const row = await db
		.updateTable('voter')
		.set({ special_district_office_id: null, special_district_left_at: at, updated_at: at })
		.where('id', '=', voterId)
		.where('special_district_office_id', '=', officeId)
		.where('anonymised_at', 'is', null)
		.returning('id')
		.executeTakeFirst();
	return !!row;
}

export interface SpecialDistrictVoterRow {
	id: string;
	given_name: string;
	family_name: string;
	birth_date: string;
	address_line: string;
	city: string;
	postal_code: string;
	country_code: string;
	/** When the embassy accepted the voter's registration, if it came through the portal's requests. */
	registered_at: Date | null;
}

/** A search of the list: every word must begin the given name or the family name; a date finds the date of birth. */
export interface VoterSearch {
	words: string[];
	birthDate: string | null;
}

function escapeLike(value: string): string {
	return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function listQuery(db: DbOrTrx, officeId: string, search: VoterSearch) {
	let query = db
		.selectFrom('voter')
		.where('voter.special_district_office_id', '=', officeId)
		.where('voter.anonymised_at', 'is', null);
	for (const word of search.words) {
		const pattern = `${escapeLike(word.toLowerCase())}%`;
		query = query.where((eb) =>
			eb.or([eb(sql`lower(voter.given_name)`, 'like', pattern), eb(sql`lower(voter.family_name)`, 'like', pattern)])
		);
	}
	if (search.birthDate) query = query.where('voter.birth_date', '=', search.birthDate);
	return query;
}

/** One page of the embassy's special-district list, by family name, given name, date of birth. */
export async function listSpecialDistrictVoters(
	db: DbOrTrx,
	officeId: string,
	opts: { search: VoterSearch; limit: number; offset: number }
): Promise<{ rows: SpecialDistrictVoterRow[]; total: number }> {
	const base = listQuery(db, officeId, opts.search);
	const [rows, total] = await Promise.all([
		base
			.select((eb) => [
				'voter.id',
				'voter.given_name',
				'voter.family_name',
				'voter.birth_date',
				'voter.address_line',
				'voter.city',
				'voter.postal_code',
				'voter.country_code',
				eb
					.selectFrom('request as reg')
					.select((e) => e.fn.max('reg.decided_at').as('at'))
					.whereRef('reg.voter_id', '=', 'voter.id')
					.where('reg.office_id', '=', officeId)
					.where('reg.kind', '=', 'special-district-registration')
					.where('reg.state', 'in', ['accepted', 'completed'])
					.as('registered_at')
			])
			.orderBy(sql`lower(voter.family_name)`)
			.orderBy(sql`lower(voter.given_name)`)
			.orderBy('voter.birth_date')
			.orderBy('voter.id')
			.limit(opts.limit)
			.offset(opts.offset)
			.execute(),
		base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
	]);
	return { rows, total: Number(total.n) };
}

/** One voter on the embassy's list; undefined for a voter the list does not keep. */
export async function findSpecialDistrictVoter(db: DbOrTrx, officeId: string, voterId: string) {
	return db
		.selectFrom('voter')
		.leftJoin('office as mo', 'mo.id', 'voter.municipal_office_id')
		.select((eb) => [
			'voter.id',
			'voter.given_name',
			'voter.family_name',
			'voter.birth_date',
			'voter.address_line',
			'voter.city',
			'voter.postal_code',
			'voter.country_code',
			'mo.name_cs as municipal_office_name_cs',
			'mo.name_en as municipal_office_name_en',
			eb
				.selectFrom('request as reg')
				.select((e) => e.fn.max('reg.decided_at').as('at'))
				.whereRef('reg.voter_id', '=', 'voter.id')
				.where('reg.office_id', '=', officeId)
				.where('reg.kind', '=', 'special-district-registration')
				.where('reg.state', 'in', ['accepted', 'completed'])
				.as('registered_at')
		])
		.where('voter.id', '=', voterId)
		.where('voter.special_district_office_id', '=', officeId)
		.where('voter.anonymised_at', 'is', null)
		.executeTakeFirst();
}

/** The embassy's registrations still waiting for a decision (for the list page's notice). */
export async function countPendingRegistrations(db: DbOrTrx, officeId: string): Promise<number> {
	const row = await db
		.selectFrom('request')
		.select((eb) => eb.fn.countAll<string>().as('n'))
		.where('office_id', '=', officeId)
		.where('kind', '=', 'special-district-registration')
		.where('state', '=', 'received')
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/**
 * The voter's live correspondence requests at this embassy (received, accepted or issued),
 * which the page names before a removal: once off the list, the voter no longer qualifies
 * for a package (§57a(1)).
 */
export async function listLiveCorrespondenceRequests(db: DbOrTrx, officeId: string, voterId: string) {
	return db
		.selectFrom('request')
		.innerJoin('election', 'election.id', 'request.election_id')
		.select(['request.reference', 'request.state', 'request.round', 'election.title_cs', 'election.title_en'])
		.where('request.office_id', '=', officeId)
		.where('request.voter_id', '=', voterId)
		.where('request.kind', '=', 'correspondence-package')
		.where('request.state', 'in', ['received', 'accepted', 'issued'])
		.orderBy('request.received_at')
		.execute();
}
