import { sql } from 'kysely';
import type { DbOrTrx } from '../index';
import type { NewVoter } from '../schema';

export type BulkVoter = Required<
	Pick<
		NewVoter,
		'given_name' | 'family_name' | 'birth_date' | 'address_line' | 'city' | 'postal_code' | 'country_code'
	>
> & {
	municipal_office_id: string | null;
	special_district_office_id: string | null;
	eid_subject: string | null;
	import_key: string | null;
	source: 'import' | 'seed';
};

/**
 * Inserts many voters in one statement: one array parameter per column, so the
 * statement stays small whatever the batch size. Rows whose import_key already exists
 * are skipped, which makes re-running an import harmless.
 */
export async function insertVotersBulk(db: DbOrTrx, voters: BulkVoter[]): Promise<number> {
	if (voters.length === 0) return 0;
	const col = <K extends keyof BulkVoter>(k: K) => voters.map((v) => v[k]);
	const result = await sql`
		INSERT INTO voter (municipal_office_id, special_district_office_id, given_name, family_name, birth_date,
			address_line, city, postal_code, country_code, eid_subject, import_key, source)
		SELECT * FROM unnest(
			${col('municipal_office_id')}::uuid[], ${col('special_district_office_id')}::uuid[],
			${col('given_name')}::text[], ${col('family_name')}::text[], ${col('birth_date')}::date[],
			${col('address_line')}::text[], ${col('city')}::text[], ${col('postal_code')}::text[],
			${col('country_code')}::char(2)[], ${col('eid_subject')}::text[], ${col('import_key')}::text[],
			${col('source')}::text[])
		ON CONFLICT (import_key) DO NOTHING
	`.execute(db);
	return Number(result.numAffectedRows ?? 0);
}

export async function findVoterByEidSubject(db: DbOrTrx, eidSubject: string) {
	return db.selectFrom('voter').selectAll().where('eid_subject', '=', eidSubject).where('anonymised_at', 'is', null).executeTakeFirst();
}

export async function countVoters(db: DbOrTrx): Promise<number> {
	const row = await db.selectFrom('voter').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
	return Number(row.n);
}

/** A voter still on the list (not anonymised), by id. */
export async function findVoterById(db: DbOrTrx, id: string) {
	return db.selectFrom('voter').selectAll().where('id', '=', id).where('anonymised_at', 'is', null).executeTakeFirst();
}

/** The same, locked until the transaction ends (the voter's e-mail changes one at a time). */
export async function findVoterByIdForUpdate(db: DbOrTrx, id: string) {
	return db.selectFrom('voter').selectAll().where('id', '=', id).where('anonymised_at', 'is', null).forUpdate().executeTakeFirst();
}

/**
 * What "My record" shows (§23(5)): the data held and the lists that keep the voter, with
 * the municipal office and the embassy of the special district, if any.
 */
export async function findVoterRecord(db: DbOrTrx, id: string) {
	return db
		.selectFrom('voter')
		.leftJoin('office as mo', 'mo.id', 'voter.municipal_office_id')
		.leftJoin('office as so', 'so.id', 'voter.special_district_office_id')
		.select([
			'voter.id',
			'voter.given_name',
			'voter.family_name',
			'voter.birth_date',
			'voter.address_line',
			'voter.city',
			'voter.postal_code',
			'voter.country_code',
			'voter.email',
			'voter.email_confirmed_at',
			'voter.email_pending',
			'voter.email_token_expires_at',
			'mo.id as municipal_office_id',
			'mo.name_cs as municipal_office_name_cs',
			'mo.name_en as municipal_office_name_en',
			'mo.municipality_name as municipality_name',
			'so.id as special_district_office_id',
			'so.name_cs as special_district_office_name_cs',
			'so.name_en as special_district_office_name_en',
			'so.special_district_number as special_district_number'
		])
		.where('voter.id', '=', id)
		.where('voter.anonymised_at', 'is', null)
		.executeTakeFirst();
}

/** Stores an address waiting for confirmation with the hash of its link's token. */
export async function updateVoterPendingEmail(
	db: DbOrTrx,
	id: string,
	pending: { email: string; tokenHash: Uint8Array; expiresAt: Date; at: Date }
): Promise<void> {
	await db
		.updateTable('voter')
		.set({
			email_pending: pending.email,
			email_token_hash: pending.tokenHash,
			email_token_expires_at: pending.expiresAt,
			updated_at: pending.at
		})
		.where('id', '=', id)
		.execute();
}

/** The voter whose pending address the token hash belongs to; only that voter's own. */
export async function findVoterByEmailTokenHash(db: DbOrTrx, id: string, tokenHash: Uint8Array) {
	return db
		.selectFrom('voter')
		.select(['id', 'email_pending', 'email_token_expires_at'])
		.where('id', '=', id)
		.where('email_token_hash', '=', tokenHash)
		.where('anonymised_at', 'is', null)
		.forUpdate()
		.executeTakeFirst();
}

/** The pending address becomes the confirmed address for notifications. */
export async function updateVoterEmailConfirmed(db: DbOrTrx, id: string, email: string, at: Date): Promise<void> {
	await db
		.updateTable('voter')
		.set({
			email,
			email_confirmed_at: at,
			email_pending: null,
			email_token_hash: null,
			email_token_expires_at: null,
			updated_at: at
		})
		.where('id', '=', id)
		.execute();
}

/** The voter no longer wants e-mail: both the confirmed and any pending address go. */
export async function updateVoterEmailRemoved(db: DbOrTrx, id: string, at: Date): Promise<void> {
	await db
		.updateTable('voter')
		.set({
			email: null,
			email_confirmed_at: null,
			email_pending: null,
			email_token_hash: null,
			email_token_expires_at: null,
			updated_at: at
		})
		.where('id', '=', id)
		.execute();
}

/** The time zone of the embassy whose special list keeps the voter, if any (issue 15: local time beside Prague time). */
export async function findVoterEmbassyTimeZone(db: DbOrTrx, voterId: string): Promise<string | null> {
	const row = await db
		.selectFrom('voter')
		.innerJoin('office', 'office.id', 'voter.special_district_office_id')
		.select('office.time_zone')
		.where('voter.id', '=', voterId)
		.executeTakeFirst();
	return row?.time_zone ?? null;
}

/**
 * Issue 15: remembers the language the voter uses on the portal, for their e-mail. Writes only
 * when it changed (a page view of the same language costs one index read, no write).
 */
export async function updateVoterLocale(db: DbOrTrx, voterId: string, locale: 'cs' | 'en'): Promise<void> {
	await db
		.updateTable('voter')
		.set({ locale })
		.where('id', '=', voterId)
		.where((eb) => eb.or([eb('locale', 'is', null), eb('locale', '!=', locale)]))
		.execute();
}
