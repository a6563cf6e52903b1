/**
 * Queries of the administration (issue 7): elections, offices, staff accounts and the
 * retention of voter data (§22(6)). One verb-first function per query, `db | trx` first.
 * The administrator is bound to no office: these queries are not filtered by one.
 */
import { sql } from 'kysely';
import type { DbOrTrx } from '../index';
import type { ElectionTypeColumn, OfficeKind, StaffRole } from '../schema';

// --- Elections --------------------------------------------------------------------------------

export interface AdminElectionRow {
	id: string;
	type: ElectionTypeColumn;
	title_cs: string;
	title_en: string;
	announced_on: string;
	voting_abroad: boolean;
	correspondence_allowed: boolean;
	excluded_countries: string[];
	earliest_voter_card_issue_days: number | null;
	results_declared_on: string | null;
	under_court_challenge: boolean;
	retention_days: number;
	personal_data_removed_at: Date | null;
	updated_at: Date;
	/** updated_at in microseconds since the epoch, for `updateElectionSettings`. */
	version: string;
	rounds: { round: 1 | 2; first_day: string }[];
}

const adminElectionColumns = [
	'id',
	'type',
	'title_cs',
	'title_en',
	'announced_on',
	'voting_abroad',
	'correspondence_allowed',
	'excluded_countries',
	'earliest_voter_card_issue_days',
	'results_declared_on',
	'under_court_challenge',
	'retention_days',
	'personal_data_removed_at',
	// Generated<Timestamp> reads as the column type itself: a Date, said plainly.
	sql<Date>`updated_at`.as('updated_at'),
	// The version an edit is made against: updated_at in microseconds (a Date would drop them).
	sql<string>`(extract(epoch FROM updated_at) * 1000000)::bigint::text`.as('version')
] as const;

async function withRounds<T extends { id: string }>(db: DbOrTrx, rows: T[]): Promise<(T & { rounds: { round: 1 | 2; first_day: string }[] })[]> {
	if (rows.length === 0) return [];
	const rounds = await db
		.selectFrom('election_round')
		.select(['election_id', 'round', 'first_day'])
		.where(
			'election_id',
			'in',
			rows.map((r) => r.id)
		)
		.orderBy('round')
		.execute();
	return rows.map((row) => ({
		...row,
		rounds: rounds.filter((r) => r.election_id === row.id).map((r) => ({ round: r.round as 1 | 2, first_day: r.first_day }))
	}));
}

/** Every election with its rounds and retention settings, latest first voting day first. */
export async function listAdminElections(db: DbOrTrx): Promise<AdminElectionRow[]> {
	// Rehearsals have their own page (issue 14).
	const rows = await withRounds(db, await db.selectFrom('election').select(adminElectionColumns).where('rehearsal', '=', false).execute());
	return rows.sort((a, b) => (b.rounds[0]?.first_day ?? '').localeCompare(a.rounds[0]?.first_day ?? '') || a.id.localeCompare(b.id));
}

export async function findAdminElectionById(db: DbOrTrx, id: string): Promise<AdminElectionRow | undefined> {
	const row = await db.selectFrom('election').select(adminElectionColumns).where('id', '=', id).executeTakeFirst();
	return row ? (await withRounds(db, [row]))[0] : undefined;
}

/** The election locked until the transaction ends, so that two edits are applied one after the other. */
export async function findAdminElectionByIdForUpdate(db: DbOrTrx, id: string): Promise<AdminElectionRow | undefined> {
	const row = await db.selectFrom('election').select(adminElectionColumns).where('id', '=', id).forUpdate().executeTakeFirst();
	return row ? (await withRounds(db, [row]))[0] : undefined;
}

export interface ElectionSettingsUpdate {
	title_cs: string;
	title_en: string;
	announced_on: string;
	correspondence_allowed: boolean;
	excluded_countries: string[];
	earliest_voter_card_issue_days: number | null;
	results_declared_on: string | null;
	under_court_challenge: boolean;
	retention_days: number;
}

/**
 * Writes an election's settings only if nobody changed it since `expectedVersion` (the
 * version the administrator saw): of two edits of one version, exactly one is written.
 */
export async function updateElectionSettings(
	db: DbOrTrx,
	id: string,
	expectedVersion: string,
	values: ElectionSettingsUpdate,
	at: Date
): Promise<boolean> {
	const row = await db
		.updateTable('election')
		// Never the same version twice, even for two saves within one instant of the clock.
		.set({ ...values, updated_at: sql<never>`greatest(${at}::timestamptz, updated_at + interval '1 microsecond')` })
		.where('id', '=', id)
		.where(sql<boolean>`(extract(epoch FROM updated_at) * 1000000)::bigint = ${expectedVersion}::bigint`)
		.returning('id')
		.executeTakeFirst();
	return row !== undefined;
}

export async function updateElectionRoundFirstDay(db: DbOrTrx, electionId: string, round: number, firstDay: string): Promise<void> {
	await db.updateTable('election_round').set({ first_day: firstDay }).where('election_id', '=', electionId).where('round', '=', round).execute();
}

// --- Embassies' voting windows (§2(3)) -------------------------------------------------------

export interface VotingWindowRow {
	office_id: string;
	election_id: string;
	round: number;
	window_no: number;
	/** Local wall-clock time 'YYYY-MM-DDTHH:mm:ss'. */
	starts_local: string;
	ends_local: string;
}

/** Every embassy's windows in one election, by embassy, round and window. */
export async function listElectionVotingWindows(db: DbOrTrx, electionId: string): Promise<VotingWindowRow[]> {
	return db
		.selectFrom('embassy_voting_window')
		.select(['office_id', 'election_id', 'round', 'window_no', 'starts_local', 'ends_local'])
		.where('election_id', '=', electionId)
		.orderBy('office_id')
		.orderBy('round')
		.orderBy('window_no')
		.execute();
}

/** One embassy's windows in every election, by election, round and window. */
export async function listOfficeVotingWindows(db: DbOrTrx, officeId: string): Promise<VotingWindowRow[]> {
	return db
		.selectFrom('embassy_voting_window')
		.select(['office_id', 'election_id', 'round', 'window_no', 'starts_local', 'ends_local'])
		.where('office_id', '=', officeId)
		.orderBy('election_id')
		.orderBy('round')
		.orderBy('window_no')
		.execute();
}

/** Replaces one embassy's windows of one election round. */
export async function replaceVotingWindowsOfRound(
	db: DbOrTrx,
	target: { officeId: string; electionId: string; round: number },
	windows: readonly { start: string; end: string }[]
): Promise<void> {
	await db
		.deleteFrom('embassy_voting_window')
		.where('office_id', '=', target.officeId)
		.where('election_id', '=', target.electionId)
		.where('round', '=', target.round)
		.execute();
	if (windows.length === 0) return;
	await db
		.insertInto('embassy_voting_window')
		.values(
			windows.map((w, i) => ({
				office_id: target.officeId,
				election_id: target.electionId,
				round: target.round,
				window_no: i + 1,
				starts_local: w.start,
				ends_local: w.end
			}))
		)
		.execute();
}

export async function insertVotingWindows(db: DbOrTrx, rows: readonly VotingWindowRow[]): Promise<void> {
	if (rows.length) await db.insertInto('embassy_voting_window').values([...rows]).execute();
}

// --- Offices -----------------------------------------------------------------------------------

export interface AdminOfficeRow {
	id: string;
	kind: OfficeKind;
	code: string;
	name_cs: string;
	name_en: string;
	address: string;
	municipality_code: string | null;
	municipality_name: string | null;
	region_code: string | null;
	senate_constituency: number | null;
	special_district_number: number | null;
	country_code: string | null;
	countries: string[];
	time_zone: string;
}

const adminOfficeColumns = [
	'id',
	'kind',
	'code',
	'name_cs',
	'name_en',
	'address',
	'municipality_code',
	'municipality_name',
	'region_code',
	'senate_constituency',
	'special_district_number',
	'country_code',
	'countries',
	'time_zone'
] as const;

/** Every office: municipal offices by name, then embassies by special district number. */
export async function listAdminOffices(db: DbOrTrx): Promise<AdminOfficeRow[]> {
	return db
		.selectFrom('office')
		.select(adminOfficeColumns)
		.orderBy('kind', 'desc')
		.orderBy('special_district_number')
		.orderBy('name_cs')
		.orderBy('id')
		.execute();
}

export async function findAdminOfficeById(db: DbOrTrx, id: string): Promise<AdminOfficeRow | undefined> {
	return db.selectFrom('office').select(adminOfficeColumns).where('id', '=', id).executeTakeFirst();
}

export async function findAdminOfficeByIdForUpdate(db: DbOrTrx, id: string): Promise<AdminOfficeRow | undefined> {
	return db.selectFrom('office').select(adminOfficeColumns).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Another office with this municipality code (unique), if any. */
export async function findOfficeIdByMunicipalityCode(db: DbOrTrx, municipalityCode: string): Promise<string | undefined> {
	const row = await db.selectFrom('office').select('id').where('municipality_code', '=', municipalityCode).executeTakeFirst();
	return row?.id;
}

/** The embassy with this special district number (unique, §56(4)), if any. */
export async function findOfficeIdBySpecialDistrictNumber(db: DbOrTrx, number: number): Promise<string | undefined> {
	const row = await db.selectFrom('office').select('id').where('special_district_number', '=', number).executeTakeFirst();
	return row?.id;
}

export async function findOfficeIdByCode(db: DbOrTrx, code: string): Promise<string | undefined> {
	const row = await db.selectFrom('office').select('id').where('code', '=', code).executeTakeFirst();
	return row?.id;
}

/** Embassies whose area includes one of `countries`, other than `exceptId`: who already covers what. */
export async function listEmbassiesCoveringCountries(
	db: DbOrTrx,
	countries: readonly string[],
	exceptId: string | null
): Promise<{ id: string; name_cs: string; name_en: string; countries: string[] }[]> {
	if (countries.length === 0) return [];
	let query = db
		.selectFrom('office')
		.select(['id', 'name_cs', 'name_en', 'countries'])
		.where('kind', '=', 'embassy')
		.where(sql<boolean>`countries && ${sql.val([...countries])}::text[]`);
	if (exceptId) query = query.where('id', '<>', exceptId);
	return query.orderBy('special_district_number').execute();
}

export interface NewOfficeRow {
	kind: OfficeKind;
	code: string;
	name_cs: string;
	name_en: string;
	address: string;
	municipality_code?: string | null;
	municipality_name?: string | null;
	region_code?: string | null;
	senate_constituency?: number | null;
	special_district_number?: number | null;
	country_code?: string | null;
	countries?: string[];
	time_zone?: string;
}

export async function insertOffice(db: DbOrTrx, row: NewOfficeRow): Promise<string> {
	const inserted = await db.insertInto('office').values(row).returning('id').executeTakeFirstOrThrow();
	return inserted.id;
}

export type OfficeUpdate = Omit<NewOfficeRow, 'kind' | 'code'>;

export async function updateOffice(db: DbOrTrx, id: string, values: OfficeUpdate): Promise<void> {
	await db.updateTable('office').set(values).where('id', '=', id).execute();
}

/** The elections held abroad (§2(1)) with their rounds: the ones an embassy votes in. */
export async function listElectionsHeldAbroad(db: DbOrTrx): Promise<{ id: string; rounds: { round: 1 | 2; first_day: string }[] }[]> {
	const rows = await db.selectFrom('election').select(['id']).where('voting_abroad', '=', true).where('rehearsal', '=', false).execute();
	return withRounds(db, rows);
}

// --- Staff accounts ---------------------------------------------------------------------------

export interface AdminStaffRow {
	id: string;
	username: string;
	display_name: string;
	email: string | null;
	role: StaffRole;
	office_id: string | null;
	office_name_cs: string | null;
	office_name_en: string | null;
	office_kind: OfficeKind | null;
	totp_enrolled_at: Date | null;
	must_change_password: boolean;
	disabled_at: Date | null;
	/** The end of the account's lock for everyone (staff_login_lock), even one run out; null if none. */
	locked_until: Date | null;
	created_at: Date;
}

function staffQuery(db: DbOrTrx) {
	return db
		.selectFrom('staff_user as s')
		.leftJoin('office as o', 'o.id', 's.office_id')
		.leftJoin('staff_login_lock as l', 'l.username', 's.username')
		.select([
			's.id',
			's.username',
			's.display_name',
			's.email',
			's.role',
			's.office_id',
			'o.name_cs as office_name_cs',
			'o.name_en as office_name_en',
			'o.kind as office_kind',
			's.totp_enrolled_at',
			's.must_change_password',
			's.disabled_at',
			'l.locked_until',
			sql<Date>`s.created_at`.as('created_at')
		]);
}

/** Every staff account, by username. */
export async function listAdminStaff(db: DbOrTrx): Promise<AdminStaffRow[]> {
	return staffQuery(db).orderBy('s.username').execute();
}

export async function findAdminStaffById(db: DbOrTrx, id: string): Promise<AdminStaffRow | undefined> {
	return staffQuery(db).where('s.id', '=', id).executeTakeFirst();
}

export async function findStaffIdByUsername(db: DbOrTrx, username: string): Promise<string | undefined> {
	const row = await db.selectFrom('staff_user').select('id').where('username', '=', username).executeTakeFirst();
	return row?.id;
}

export async function findOfficeKindById(db: DbOrTrx, id: string): Promise<OfficeKind | undefined> {
	const row = await db.selectFrom('office').select('kind').where('id', '=', id).executeTakeFirst();
	return row?.kind;
}

export async function insertStaffUser(
	db: DbOrTrx,
	row: { username: string; display_name: string; email: string | null; role: StaffRole; office_id: string | null; password_hash: string }
): Promise<string> {
	const inserted = await db
		.insertInto('staff_user')
		.values({ ...row, must_change_password: true })
		.returning('id')
		.executeTakeFirstOrThrow();
	return inserted.id;
}

/**
 * A new role and office, only if the account still has the role and office the administrator
 * saw: of two changes of the same state, exactly one is written.
 */
export async function updateStaffRoleAndOffice(
	db: DbOrTrx,
	id: string,
	expected: { role: StaffRole; officeId: string | null },
	next: { role: StaffRole; officeId: string | null; displayName: string; email: string | null }
): Promise<boolean> {
	const row = await db
		.updateTable('staff_user')
		.set({ role: next.role, office_id: next.officeId, display_name: next.displayName, email: next.email })
		.where('id', '=', id)
		.where('role', '=', expected.role)
		.where(sql<boolean>`office_id IS NOT DISTINCT FROM ${expected.officeId}::uuid`)
		.returning('id')
		.executeTakeFirst();
	return row !== undefined;
}

/** Disables an enabled account; false if it was disabled already. */
export async function updateStaffDisabled(db: DbOrTrx, id: string, at: Date): Promise<boolean> {
	const row = await db.updateTable('staff_user').set({ disabled_at: at }).where('id', '=', id).where('disabled_at', 'is', null).returning('id').executeTakeFirst();
	return row !== undefined;
}

/** Enables a disabled account; false if it was enabled already. */
export async function updateStaffEnabled(db: DbOrTrx, id: string): Promise<boolean> {
	const row = await db
		.updateTable('staff_user')
		.set({ disabled_at: null })
		.where('id', '=', id)
		.where('disabled_at', 'is not', null)
		.returning('id')
		.executeTakeFirst();
	return row !== undefined;
}

/**
 * Forgets the account's authenticator app: the next login sets one up again. The last used
 * step is kept, so that a code of the old app can never be replayed against a new key.
 */
export async function clearStaffSecondFactor(db: DbOrTrx, id: string): Promise<boolean> {
	const row = await db
		.updateTable('staff_user')
		.set({ totp_key: null, totp_pending_key: null, totp_enrolled_at: null })
		.where('id', '=', id)
		.returning('id')
		.executeTakeFirst();
	return row !== undefined;
}

/** A temporary password that must be changed at the next login. */
export async function updateStaffTemporaryPassword(db: DbOrTrx, id: string, passwordHash: string): Promise<boolean> {
	const row = await db
		.updateTable('staff_user')
		.set({ password_hash: passwordHash, must_change_password: true, password_changed_at: null })
		.where('id', '=', id)
		.returning('id')
		.executeTakeFirst();
	return row !== undefined;
}

export async function deleteStaffRecoveryCodes(db: DbOrTrx, staffId: string): Promise<number> {
	const result = await db.deleteFrom('staff_recovery_code').where('staff_id', '=', staffId).executeTakeFirst();
	return Number(result.numDeletedRows);
}

// --- Retention of voter data (§22(6)) ----------------------------------------------------------

export interface RetentionElectionRow {
	id: string;
	type: ElectionTypeColumn;
	title_cs: string;
	title_en: string;
	results_declared_on: string | null;
	under_court_challenge: boolean;
	retention_days: number;
	personal_data_removed_at: Date | null;
}

const retentionColumns = [
	'id',
	'type',
	'title_cs',
	'title_en',
	'results_declared_on',
	'under_court_challenge',
	'retention_days',
	'personal_data_removed_at'
] as const;

export async function listRetentionElections(db: DbOrTrx): Promise<RetentionElectionRow[]> {
	return db.selectFrom('election').select(retentionColumns).where('rehearsal', '=', false).orderBy('results_declared_on', 'desc').orderBy('id').execute();
}

/** The election locked for the retention run: a second run waits, then sees it done. */
export async function findRetentionElectionForUpdate(db: DbOrTrx, id: string): Promise<RetentionElectionRow | undefined> {
	return db.selectFrom('election').select(retentionColumns).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateElectionPersonalDataRemoved(db: DbOrTrx, id: string, at: Date): Promise<boolean> {
	const row = await db
		.updateTable('election')
		.set({ personal_data_removed_at: at })
		.where('id', '=', id)
		.where('personal_data_removed_at', 'is', null)
		.returning('id')
		.executeTakeFirst();
	return row !== undefined;
}

/**
 * The personal data in the election's requests: the delivery address, the proxy's name and
 * date of birth, the power-of-attorney note, and a clerk's free-text refusal reason (which
 * may name people; the coded reason stays). Returns the requests changed.
 */
export async function anonymiseElectionRequests(db: DbOrTrx, electionId: string, at: Date): Promise<number> {
	const result = await db
		.updateTable('request')
		.set({
			delivery_address_line: null,
			delivery_city: null,
			delivery_postal_code: null,
			delivery_country_code: null,
			proxy_name: null,
			proxy_birth_date: null,
			power_of_attorney_note: null,
			refusal_text: sql<string | null>`CASE WHEN refusal_text IS NULL THEN NULL ELSE '—' END`,
			updated_at: at
		})
		.where('election_id', '=', electionId)
		.where((eb) =>
			eb.or([
				eb('delivery_address_line', 'is not', null),
				eb('delivery_city', 'is not', null),
				eb('delivery_postal_code', 'is not', null),
				eb('delivery_country_code', 'is not', null),
				eb('proxy_name', 'is not', null),
				eb('proxy_birth_date', 'is not', null),
				eb('power_of_attorney_note', 'is not', null),
				eb.and([eb('refusal_text', 'is not', null), eb('refusal_text', '<>', '—')])
			])
		)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/**
 * The evidence of voter cards keeps serial, dates and methods (§23(3)); the name of whoever
 * collected the card, the power-of-attorney note, the proxy's date of birth and the note on
 * a loss go. Returns the cards changed.
 */
export async function anonymiseElectionVoterCards(db: DbOrTrx, electionId: string): Promise<number> {
	const result = await db
		.updateTable('voter_card')
		.set({
			handed_over_to: sql<string | null>`CASE WHEN handed_over_to IS NULL THEN NULL ELSE '—' END`,
			handed_over_note: null,
			handed_over_proxy_birth_date: null,
			invalidation_note: null
		})
		.where('election_id', '=', electionId)
		.where((eb) =>
			eb.or([
				eb.and([eb('handed_over_to', 'is not', null), eb('handed_over_to', '<>', '—')]),
				eb('handed_over_note', 'is not', null),
				eb('handed_over_proxy_birth_date', 'is not', null),
				eb('invalidation_note', 'is not', null)
			])
		)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/** Proxies of the election (§57(2), §57b(1)): name, date of birth and identity document go. */
export async function anonymiseElectionProxies(db: DbOrTrx, electionId: string, at: Date): Promise<number> {
	const result = await db
		.updateTable('proxy')
		.set({ full_name: '—', birth_date: null, identity_document: null, anonymised_at: at })
		.where('election_id', '=', electionId)
		.where('anonymised_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/** The rendered PDFs of the election's package batches: they print names and addresses (§57b(3)). */
export async function deleteElectionBatchPdfs(db: DbOrTrx, electionId: string): Promise<number> {
	const result = await db
		.deleteFrom('package_batch_pdf')
		.where('batch_id', 'in', (eb) => eb.selectFrom('package_batch').select('id').where('election_id', '=', electionId))
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/**
 * Voters whose personal data is no longer needed once this election's data is gone: those a
 * special commission added (§57d(5), source 'commission') and those on no list any more (they
 * left a special district, §56(4)), in either case only when every election they appear in
 * (requests, voter cards, packages, voting marks) has had its data removed and no
 * registration of theirs is waiting. Returns their ids, locked for the transaction.
 */
export async function listVotersPastRetention(db: DbOrTrx, electionId: string): Promise<string[]> {
	const rows = await sql<{ id: string }>`
		SELECT v.id
		FROM voter v
		WHERE v.anonymised_at IS NULL
			AND (v.source = 'commission' OR (v.municipal_office_id IS NULL AND v.special_district_office_id IS NULL))
			AND (
				EXISTS (SELECT 1 FROM request r WHERE r.voter_id = v.id AND r.election_id = ${electionId})
				OR EXISTS (SELECT 1 FROM voting_mark m WHERE m.voter_id = v.id AND m.election_id = ${electionId})
			)
			-- a special-district registration still waiting for the embassy (§56(4))
			AND NOT EXISTS (
				SELECT 1 FROM request r
				WHERE r.voter_id = v.id AND r.election_id IS NULL AND r.state IN ('received', 'accepted')
			)
			AND NOT EXISTS (
				SELECT 1 FROM (
					SELECT election_id FROM request WHERE voter_id = v.id AND election_id IS NOT NULL
					UNION SELECT election_id FROM voter_card WHERE voter_id = v.id
					UNION SELECT election_id FROM correspondence_package WHERE voter_id = v.id
					UNION SELECT election_id FROM voting_mark WHERE voter_id = v.id
				) used
				JOIN election e ON e.id = used.election_id
				WHERE e.personal_data_removed_at IS NULL AND e.id <> ${electionId}
			)
		ORDER BY v.id
		FOR UPDATE OF v
	`.execute(db);
	return rows.rows.map((r) => r.id);
}

/**
 * Removes the personal data of voters whose rows must stay, because the election's requests,
 * cards, packages and voting marks (the record of the count, §57d) refer to them: name, date
 * of birth, address, eID link and e-mail. They leave every list, which the voter table admits
 * once `anonymised_at` is set; their sessions and e-mails go.
 */
export async function anonymiseVoters(db: DbOrTrx, voterIds: readonly string[], at: Date): Promise<number> {
	if (voterIds.length === 0) return 0;
	await db.deleteFrom('session').where('voter_id', 'in', [...voterIds]).execute();
	await db.deleteFrom('email_outbox').where('voter_id', 'in', [...voterIds]).execute();
	const result = await db
		.updateTable('voter')
		.set({
			given_name: '—',
			family_name: '—',
			// The column is required; 1 January 1900 stands for "removed", as '—' does for text.
			birth_date: '1900-01-01',
			address_line: '—',
			city: '—',
			postal_code: '—',
			eid_subject: null,
			email: null,
			email_confirmed_at: null,
			email_pending: null,
			email_token_hash: null,
			email_token_expires_at: null,
			import_key: null,
			municipal_office_id: null,
			special_district_office_id: null,
			anonymised_at: at,
			updated_at: at
		})
		.where('id', 'in', [...voterIds])
		.where('anonymised_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/**
 * Sessions of people logged in with the eID but on no voter list keep what the eID said about
 * them (name, date of birth, address): once expired, nothing needs them. Their drafts go too.
 */
export async function deleteExpiredEidOnlySessions(db: DbOrTrx, now: Date): Promise<number> {
	const result = await db
		.deleteFrom('session')
		.where('voter_id', 'is', null)
		.where('staff_id', 'is', null)
		.where((eb) => eb.or([eb('expires_at', '<=', now), eb('absolute_expires_at', '<=', now)]))
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

export interface RetentionRunRow {
	at: Date;
	actor_kind: 'voter' | 'staff' | 'system';
	actor_id: string | null;
	entity_id: string | null;
	after: unknown;
}

/** The latest runs of the retention job as the audit log records them, newest first. */
export async function listRetentionAuditEntries(db: DbOrTrx, limit: number): Promise<RetentionRunRow[]> {
	return db
		.selectFrom('audit_log')
		.select(['at', 'actor_kind', 'actor_id', 'entity_id', 'after'])
		.where('action', '=', 'retention.run')
		.orderBy('id', 'desc')
		.limit(limit)
		.execute();
}
