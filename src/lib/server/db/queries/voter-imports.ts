/**
 * Queries of the voter list import and export (issue 7; services/voter-import.ts). The
 * checks across rows run as SQL over the staged rows (voter_import_row), a range of lines at
 * a time so that no statement of a million-row file runs for long.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DbOrTrx } from '../index';
import type { VoterImportPhase, VoterImportStatus } from '../schema';

export interface NewVoterImport {
	createdAt: Date;
	createdBy: string | null;
	fileName: string;
	fileSize: number;
	filePath: string;
	ownsFile: boolean;
}

export async function insertVoterImport(db: DbOrTrx, values: NewVoterImport): Promise<string> {
	const row = await db
		.insertInto('voter_import')
		.values({
			created_at: values.createdAt,
			created_by: values.createdBy,
			file_name: values.fileName,
			file_size: values.fileSize,
			file_path: values.filePath,
			owns_file: values.ownsFile
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export interface VoterImportRow {
	id: string;
	created_at: Date;
	created_by: string | null;
	created_by_name: string | null;
	file_name: string;
	file_size: string;
	file_path: string | null;
	owns_file: boolean;
	status: VoterImportStatus;
	phase: VoterImportPhase | null;
	progress_done: string;
	progress_total: string;
	attempt: number;
	heartbeat_at: Date | null;
	started_at: Date | null;
	finished_at: Date | null;
	row_count: number | null;
	error_count: number;
	errors: unknown;
	added_count: number | null;
	existing_count: number | null;
	failure: string | null;
}

const importColumns = [
	'voter_import.id',
	'voter_import.created_at',
	'voter_import.created_by',
	'staff_user.display_name as created_by_name',
	'voter_import.file_name',
	'voter_import.file_size',
	'voter_import.file_path',
	'voter_import.owns_file',
	'voter_import.status',
	'voter_import.phase',
	'voter_import.progress_done',
	'voter_import.progress_total',
	'voter_import.attempt',
	'voter_import.heartbeat_at',
	'voter_import.started_at',
	'voter_import.finished_at',
	'voter_import.row_count',
	'voter_import.error_count',
	'voter_import.errors',
	'voter_import.added_count',
	'voter_import.existing_count',
	'voter_import.failure'
] as const;

export async function findVoterImportById(db: DbOrTrx, id: string): Promise<VoterImportRow | undefined> {
	return db
		.selectFrom('voter_import')
		.leftJoin('staff_user', 'staff_user.id', 'voter_import.created_by')
		.select(importColumns)
		.where('voter_import.id', '=', id)
		.executeTakeFirst();
}

/** The latest imports, newest first. */
export async function listVoterImports(db: DbOrTrx, limit: number): Promise<VoterImportRow[]> {
	return db
		.selectFrom('voter_import')
		.leftJoin('staff_user', 'staff_user.id', 'voter_import.created_by')
		.select(importColumns)
		.orderBy('voter_import.created_at', 'desc')
		.orderBy('voter_import.id', 'desc')
		.limit(limit)
		.execute();
}

/**
 * Claims an import for one run: a queued one, or a running one whose runner has been silent
 * since `staleBefore` (a crashed process). Returns the run's attempt number, or undefined
 * when someone else holds it or it has ended.
 */
export async function claimVoterImport(db: DbOrTrx, id: string, at: Date, staleBefore: Date): Promise<number | undefined> {
	const row = await db
		.updateTable('voter_import')
		.set((eb) => ({
			status: 'running',
			phase: 'reading',
			progress_done: 0,
			progress_total: eb.ref('file_size'),
			attempt: eb('attempt', '+', 1),
			heartbeat_at: at,
			started_at: at
		}))
		.where('id', '=', id)
		.where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('heartbeat_at', '<', staleBefore)])]))
		.returning('attempt')
		.executeTakeFirst();
	return row?.attempt;
}

/** The runner of `attempt` is alive; false when another run has taken the import over. */
export async function updateVoterImportHeartbeat(db: DbOrTrx, id: string, attempt: number, at: Date): Promise<boolean> {
	const result = await db
		.updateTable('voter_import')
		.set({ heartbeat_at: at })
		.where('id', '=', id)
		.where('attempt', '=', attempt)
		.where('status', '=', 'running')
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}

export async function updateVoterImportProgress(
	db: DbOrTrx,
	id: string,
	attempt: number,
	progress: { phase: VoterImportPhase; done: number; total: number },
	at: Date
): Promise<boolean> {
	const result = await db
		.updateTable('voter_import')
		.set({ phase: progress.phase, progress_done: progress.done, progress_total: progress.total, heartbeat_at: at })
		.where('id', '=', id)
		.where('attempt', '=', attempt)
		.where('status', '=', 'running')
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}

export type VoterImportEnd =
	| { status: 'done'; rowCount: number; added: number; existing: number }
	| { status: 'rejected'; rowCount: number; errorCount: number; errors: unknown[] }
	| { status: 'failed'; failure: string };

/** Ends the run of `attempt`; false when another run has taken the import over. */
export async function updateVoterImportEnded(db: DbOrTrx, id: string, attempt: number, end: VoterImportEnd, at: Date): Promise<boolean> {
	const result = await db
		.updateTable('voter_import')
		.set({
			status: end.status,
			phase: null,
			finished_at: at,
			heartbeat_at: at,
			...(end.status === 'done' ? { row_count: end.rowCount, added_count: end.added, existing_count: end.existing, error_count: 0, errors: '[]' } : {}),
			...(end.status === 'rejected' ? { row_count: end.rowCount, error_count: end.errorCount, errors: JSON.stringify(end.errors) } : {}),
			...(end.status === 'failed' ? { failure: end.failure } : {})
		})
		.where('id', '=', id)
		.where('attempt', '=', attempt)
		.where('status', '=', 'running')
		.executeTakeFirst();
	return result.numUpdatedRows > 0n;
}

/** The stored upload is gone. */
export async function updateVoterImportFileRemoved(db: DbOrTrx, id: string): Promise<void> {
	await db.updateTable('voter_import').set({ file_path: null }).where('id', '=', id).execute();
}

/** The municipal offices by municipality code and the embassies by special district number, for checking rows. */
export async function listImportLists(db: DbOrTrx) {
	return db
		.selectFrom('office')
		.select(['id', 'kind', 'municipality_code', 'special_district_number', 'countries'])
		.execute();
}

export interface StagedVoter {
	line: number;
	import_key: string;
	municipal_office_id: string | null;
	special_district_office_id: string | null;
	given_name: string;
	family_name: string;
	birth_date: string;
	address_line: string;
	city: string;
	postal_code: string;
	country_code: string;
	eid_subject: string | null;
}

/** Stages checked rows, one array parameter per column. */
export async function insertImportRows(db: DbOrTrx, importId: string, rows: readonly StagedVoter[]): Promise<void> {
	if (rows.length === 0) return;
	const col = <K extends keyof StagedVoter>(k: K) => rows.map((r) => r[k]);
	await sql`
		INSERT INTO voter_import_row (import_id, line, import_key, municipal_office_id, special_district_office_id, given_name,
			family_name, birth_date, address_line, city, postal_code, country_code, eid_subject)
		SELECT ${importId}::uuid, * FROM unnest(
			${col('line')}::int[], ${col('import_key')}::text[], ${col('municipal_office_id')}::uuid[],
			${col('special_district_office_id')}::uuid[], ${col('given_name')}::text[], ${col('family_name')}::text[],
			${col('birth_date')}::date[], ${col('address_line')}::text[], ${col('city')}::text[], ${col('postal_code')}::text[],
			${col('country_code')}::char(2)[], ${col('eid_subject')}::text[])
	`.execute(db);
}

export async function deleteImportRows(db: DbOrTrx, importId: string): Promise<void> {
	await db.deleteFrom('voter_import_row').where('import_id', '=', importId).execute();
}

/**
 * Finds, for the staged rows of lines `from`..`to`, the voter already on the list that each
 * row is: the voter this import key was given to, else one on the same lists with the same
 * name, date of birth and address (a voter from the seed, a commission or an earlier export
 * imported again). The name index (lower(family_name), lower(given_name), birth_date) serves
 * the second lookup.
 */
export async function updateImportRowMatches(db: DbOrTrx, importId: string, from: number, to: number): Promise<void> {
	await sql`
		UPDATE voter_import_row r SET voter_id = coalesce(
			(SELECT v.id FROM voter v WHERE v.import_key = r.import_key),
			(SELECT v.id FROM voter v
				WHERE lower(v.family_name) = lower(r.family_name) AND lower(v.given_name) = lower(r.given_name)
					AND v.birth_date = r.birth_date
					AND v.family_name = r.family_name AND v.given_name = r.given_name
					AND v.address_line = r.address_line AND v.city = r.city AND v.postal_code = r.postal_code
					AND v.country_code = r.country_code
					AND v.municipal_office_id IS NOT DISTINCT FROM r.municipal_office_id
					AND v.special_district_office_id IS NOT DISTINCT FROM r.special_district_office_id
					AND v.anonymised_at IS NULL
				ORDER BY v.created_at, v.id
				LIMIT 1))
		WHERE r.import_id = ${importId} AND r.line BETWEEN ${from} AND ${to}
	`.execute(db);
}

export interface LineProblems {
	/** The first problems in line order, at most the limit asked for. */
	lines: { line: number; other_line: number | null }[];
	/** Every problem. */
	total: number;
}

async function lineProblems(db: DbOrTrx, query: RawBuilder<{ line: number; other_line: number | null; total: number }>): Promise<LineProblems> {
	const { rows } = await query.execute(db);
	return { lines: rows.map((r) => ({ line: r.line, other_line: r.other_line })), total: rows[0]?.total ?? 0 };
}

/** Rows that repeat an earlier row of the file (the same import key), with the line of the first. */
export async function listImportDuplicateRows(db: DbOrTrx, importId: string, limit: number): Promise<LineProblems> {
	return lineProblems(
		db,
		sql<{ line: number; other_line: number | null; total: number }>`
			SELECT line, first_line AS other_line, (count(*) OVER ())::int AS total
			FROM (SELECT line, min(line) OVER (PARTITION BY import_key) AS first_line FROM voter_import_row WHERE import_id = ${importId}) t
			WHERE line > first_line
			ORDER BY line
			LIMIT ${limit}`
	);
}

/** Rows whose eID subject an earlier row of the file has, with the line of the first. */
export async function listImportDuplicateEids(db: DbOrTrx, importId: string, limit: number): Promise<LineProblems> {
	return lineProblems(
		db,
		sql<{ line: number; other_line: number | null; total: number }>`
			SELECT line, first_line AS other_line, (count(*) OVER ())::int AS total
			FROM (
				SELECT line, min(line) OVER (PARTITION BY eid_subject) AS first_line
				FROM voter_import_row WHERE import_id = ${importId} AND eid_subject IS NOT NULL) t
			WHERE line > first_line
			ORDER BY line
			LIMIT ${limit}`
	);
}

/** Rows whose eID subject belongs to a voter on the list other than the one the row is. */
export async function listImportTakenEids(db: DbOrTrx, importId: string, limit: number): Promise<LineProblems> {
	return lineProblems(
		db,
		sql<{ line: number; other_line: number | null; total: number }>`
			SELECT r.line, NULL::int AS other_line, (count(*) OVER ())::int AS total
			FROM voter_import_row r
			JOIN voter v ON v.eid_subject = r.eid_subject
			WHERE r.import_id = ${importId} AND r.eid_subject IS NOT NULL AND v.id IS DISTINCT FROM r.voter_id
			ORDER BY r.line
			LIMIT ${limit}`
	);
}

/** The last line of the file that has a staged row (0 if none). */
export async function findImportLastLine(db: DbOrTrx, importId: string): Promise<number> {
	const row = await db
		.selectFrom('voter_import_row')
		.select((eb) => eb.fn.max('line').as('max'))
		.where('import_id', '=', importId)
		.executeTakeFirst();
	return Number(row?.max ?? 0);
}

/** How many staged rows are voters already on the list. */
export async function countImportRowsMatched(db: DbOrTrx, importId: string): Promise<number> {
	const row = await db
		.selectFrom('voter_import_row')
		.select((eb) => eb.fn.countAll<string>().as('n'))
		.where('import_id', '=', importId)
		.where('voter_id', 'is not', null)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/**
 * Adds the staged rows of lines `from`..`to` that are no voter on the list yet. A key taken
 * meanwhile (the same file imported at the same moment) is skipped; an eID subject taken
 * meanwhile fails the statement, and with it the whole import.
 */
export async function insertVotersFromImport(db: DbOrTrx, importId: string, from: number, to: number, at: Date): Promise<number> {
	const result = await sql`
		INSERT INTO voter (municipal_office_id, special_district_office_id, given_name, family_name, birth_date, address_line,
			city, postal_code, country_code, eid_subject, import_key, source, import_id, created_at, updated_at)
		SELECT municipal_office_id, special_district_office_id, given_name, family_name, birth_date, address_line,
			city, postal_code, country_code, eid_subject, import_key, 'import', import_id, ${at}, ${at}
		FROM voter_import_row
		WHERE import_id = ${importId} AND line BETWEEN ${from} AND ${to} AND voter_id IS NULL
		ORDER BY line
		ON CONFLICT (import_key) DO NOTHING
	`.execute(db);
	return Number(result.numAffectedRows ?? 0);
}

/** Serialises the checking and writing of imports, for the transaction that holds it. */
export async function lockVoterImports(db: DbOrTrx): Promise<void> {
	await sql`SELECT pg_advisory_xact_lock(hashtext('volebni-portal:voter-import'))`.execute(db);
}

/** Lets the statements of the transaction that runs it take as long as a large import needs. */
export async function setLongStatementTimeout(db: DbOrTrx): Promise<void> {
	await sql`SET LOCAL statement_timeout = '30min'`.execute(db);
}

export interface ExportVoter {
	id: string;
	given_name: string;
	family_name: string;
	birth_date: string;
	address_line: string;
	city: string;
	postal_code: string;
	country_code: string;
	municipality_code: string | null;
	special_district_number: number | null;
	eid_subject: string | null;
}

/**
 * One page of the voters on a list (the lists of `officeId`, or all), after the voter id
 * `after`, in id order: the export reads the list page by page and never holds it whole.
 */
export async function listVotersForExport(db: DbOrTrx, scope: { officeId: string | null; after: string | null; limit: number }): Promise<ExportVoter[]> {
	let query = db
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
			'mo.municipality_code',
			'so.special_district_number',
			'voter.eid_subject'
		])
		.where('voter.anonymised_at', 'is', null)
		.where((eb) => eb.or([eb('voter.municipal_office_id', 'is not', null), eb('voter.special_district_office_id', 'is not', null)]));
	const officeId = scope.officeId;
	if (officeId) query = query.where((eb) => eb.or([eb('voter.municipal_office_id', '=', officeId), eb('voter.special_district_office_id', '=', officeId)]));
	if (scope.after) query = query.where('voter.id', '>', scope.after);
	return query.orderBy('voter.id').limit(scope.limit).execute();
}

/** An enabled staff account by username, for the command line's `--as`. */
export async function findActiveStaffByUsername(db: DbOrTrx, username: string) {
	return db
		.selectFrom('staff_user')
		.select(['id', 'role', 'office_id', 'display_name'])
		.where('username', '=', username)
		.where('disabled_at', 'is', null)
		.executeTakeFirst();
}
