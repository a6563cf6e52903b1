/**
 * Voter list import and export (issue 7), for administrators and for the command line.
 *
 * An import is all or nothing. Its file is read once, as a stream: each row is checked on its
 * own by the domain (src/lib/domain/voter-import.ts) and, if it passes, staged in
 * voter_import_row. Then, in ONE transaction that holds the import lock, the staged rows are
 * matched with the voters already on the list, the checks across rows run as SQL (the same
 * voter twice in the file, one eID subject twice, an eID subject that another voter on the
 * list has), and only if the whole file is free of errors are the new voters inserted, the
 * import marked done and the audit entry written. Otherwise nothing is written but the
 * import's report: every error counted, the first IMPORT_ERROR_REPORT_LIMIT in file order
 * with line, field and reason.
 *
 * Re-importing: a row that is a voter already on the list (the same lists, name, date of
 * birth and address; the eID subject aside) is left as it is, so importing the same file
 * again changes nothing, and neither does importing an export. A row whose data changed
 * (a new address, a corrected name) is another voter and is added; the old record stays,
 * because the file says nothing about removals. If the changed row carries the eID subject
 * of the old record, the import is refused ('eid-taken'), which stops the same person being
 * on the list twice unnoticed.
 *
 * Long imports run in the background of the process that received the upload: the row of
 * voter_import carries the phase and progress, a heartbeat, and an attempt number; a run
 * whose process died is taken over when its status is next asked for.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Temporal } from 'temporal-polyfill';
import { PRAGUE } from '../../domain/deadlines';
import {
	checkHeader,
	checkVoterRow,
	CsvParser,
	firstErrors,
	IMPORT_ERROR_REPORT_LIMIT,
	VOTER_CSV_HEADER,
	voterCsvRow,
	voterIdentity,
	type CsvRecord,
	type ImportError,
	type ImportLists
} from '../../domain/voter-import';
import { fromDate, toDate } from '../clock';
import { config } from '../config';
import type { Db } from '../db/index';
import type { VoterImportPhase, VoterImportStatus } from '../db/schema';
import {
	claimVoterImport,
	countImportRowsMatched,
	deleteImportRows,
	findImportLastLine,
	findVoterImportById,
	insertImportRows,
	insertVoterImport,
	insertVotersFromImport,
	listImportDuplicateEids,
	listImportDuplicateRows,
	listImportLists,
	listImportTakenEids,
	listVoterImports,
	listVotersForExport,
	lockVoterImports,
	setLongStatementTimeout,
	updateImportRowMatches,
	updateVoterImportEnded,
	updateVoterImportFileRemoved,
	updateVoterImportHeartbeat,
	updateVoterImportProgress,
	type LineProblems,
	type StagedVoter,
	type VoterImportRow
} from '../db/queries/voter-imports';
import { findStatisticsOfficeByCode } from '../db/queries/statistics';
import { log } from '../log';
import { appendAudit, type Actor } from './audit';
import type { StaffActor } from './staff-actor';

/** Who may import and export the voter list. */
export const VOTER_LIST_ROLES = ['administrator'] as const;

/** The portal's staff (an administrator) or the operator running scripts/voter-import.ts. */
export type ImportActor = StaffActor | { kind: 'system'; id?: null };

type Forbidden = { kind: 'forbidden' };
const FORBIDDEN: Forbidden = { kind: 'forbidden' };

function mayManageVoterList(actor: ImportActor): boolean {
	return actor.kind === 'system' || (VOTER_LIST_ROLES as readonly string[]).includes(actor.role);
}

function auditActor(actor: ImportActor): Actor {
	return actor.kind === 'system' ? { kind: 'system' } : { kind: 'staff', id: actor.id, officeId: actor.officeId };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rows staged per statement. */
const STAGE_BATCH = 10_000;
/** Lines matched or inserted per statement (progress is reported after each). */
const LINE_CHUNK = 25_000;
/** How often a run proves it is alive, and after how long without that it is taken for dead. */
const HEARTBEAT_MS = 10_000;
export const IMPORT_STALE_SECONDS = 120;

export type Clock = () => Temporal.Instant;

// ---------------------------------------------------------------------------------------
// Uploads

/** Where uploads wait for their import: DATA_DIR/imports. */
export function importDirectory(): string {
	return path.resolve(config().DATA_DIR, 'imports');
}

/** A fresh path for an upload, in a folder that exists. */
export async function newUploadPath(): Promise<string> {
	const dir = importDirectory();
	await mkdir(dir, { recursive: true, mode: 0o700 });
	return path.join(dir, `${randomUUID()}.csv`);
}

/** A file name as the report shows it: the last path segment, printable, at most 200 characters. */
export function cleanFileName(name: string): string {
	const base = name.split(/[\\/]/).pop() ?? '';
	const printable = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
	return (printable || 'import.csv').slice(0, 200);
}

export interface CreateImportInput {
	fileName: string;
	filePath: string;
	fileSize: number;
	/** An upload the portal deletes when the import ends (not a file of the command line's user). */
	ownsFile: boolean;
}

/** Records a file to import; the import itself is `runVoterImport` (or `startVoterImport` in the background). */
export async function createVoterImport(
	db: Db,
	input: CreateImportInput,
	actor: ImportActor,
	now: Temporal.Instant
): Promise<{ kind: 'ok'; id: string } | Forbidden> {
	if (!mayManageVoterList(actor)) return FORBIDDEN;
	const id = await db.transaction().execute(async (trx) => {
		const id = await insertVoterImport(trx, {
			createdAt: toDate(now),
			createdBy: actor.kind === 'staff' ? actor.id : null,
			fileName: cleanFileName(input.fileName),
			fileSize: input.fileSize,
			filePath: input.filePath,
			ownsFile: input.ownsFile
		});
		await appendAudit(trx, {
			actor: auditActor(actor),
			action: 'voter-import.create',
			entityType: 'voter_import',
			entityId: id,
			after: { status: 'queued', bytes: input.fileSize },
			at: now
		});
		return id;
	});
	return { kind: 'ok', id };
}

// ---------------------------------------------------------------------------------------
// Running an import

export type RunImportResult =
	| { kind: 'done'; importId: string; rowCount: number; added: number; existing: number }
	| { kind: 'rejected'; importId: string; rowCount: number; errorCount: number; errors: ImportError[] }
	| { kind: 'failed'; importId: string; message: string }
	/** Another run holds the import, or it has ended already. */
	| { kind: 'not-claimed'; importId: string }
	| { kind: 'not-found' }
	| Forbidden;

export interface RunImportOptions {
	/** For the command line's progress bar; the database row is updated either way. */
	onProgress?: (phase: VoterImportPhase, done: number, total: number) => void;
}

/** The run lost its claim (another process took the import over): stop without writing. */
class ClaimLost extends Error {}

/** The import key stored in voter.import_key: a hash of the row's identity (domain: voterIdentity). */
export function importKey(identity: string): string {
	return `csv:${createHash('sha256').update(identity).digest('base64url')}`;
}

async function loadLists(db: Db): Promise<ImportLists> {
	const offices = await listImportLists(db);
	const municipalities = new Map<string, { officeId: string }>();
	const districts = new Map<number, { officeId: string; countries: readonly string[] }>();
	for (const o of offices) {
		if (o.kind === 'municipal' && o.municipality_code) municipalities.set(o.municipality_code, { officeId: o.id });
		if (o.kind === 'embassy' && o.special_district_number !== null) districts.set(o.special_district_number, { officeId: o.id, countries: o.countries });
	}
	return { municipality: (code) => municipalities.get(code), specialDistrict: (n) => districts.get(n) };
}

/** Keeps the first problems of one kind in file order (cut at the report's limit), counting all. */
class ErrorList {
	readonly first: ImportError[] = [];
	count = 0;
	add(error: ImportError): void {
		this.count++;
		if (this.first.length < IMPORT_ERROR_REPORT_LIMIT) this.first.push(error);
	}
	addProblems(problems: LineProblems, make: (line: number, otherLine: number | null) => ImportError): void {
		this.count += problems.total;
		for (const p of problems.lines) if (this.first.length < IMPORT_ERROR_REPORT_LIMIT) this.first.push(make(p.line, p.other_line));
	}
}

/**
 * Reads the file: the header, then each row checked on its own and staged if it passes.
 * Returns how many voter rows the file has; problems go to `errors`.
 */
async function readAndStage(
	db: Db,
	row: VoterImportRow,
	today: string,
	errors: ErrorList,
	progress: (done: number, total: number) => Promise<void>
): Promise<number> {
	if (!row.file_path) throw new Error('The file of this import is no longer stored.');
	const lists = await loadLists(db);
	const total = Number(row.file_size);
	const parser = new CsvParser();
	const decoder = new TextDecoder('utf-8', { fatal: true });
	let header: CsvRecord | undefined;
	let headerChecked = false;
	let rowCount = 0;
	let batch: StagedVoter[] = [];
	let bytes = 0;
	let fatal = false;
	let inFlight: Promise<void> = Promise.resolve();
	let stagingError: unknown = null;
	// Caught at once (an unhandled rejection would end the process), rethrown when awaited.
	const stage = (rows: StagedVoter[]) =>
		insertImportRows(db, row.id, rows).catch((cause: unknown) => {
			stagingError ??= cause;
		});

	const take = async (records: CsvRecord[]) => {
		for (const record of records) {
			if (!headerChecked) {
				header = record;
				headerChecked = true;
				const problem = checkHeader(header);
				if (problem) {
					errors.add(problem);
					fatal = true;
					return;
				}
				continue;
			}
			rowCount++;
			const checked = checkVoterRow(record, lists, today);
			if (!checked.ok) {
				for (const e of checked.errors) errors.add(e);
				continue;
			}
			const v = checked.voter;
			batch.push({
				line: v.line,
				import_key: importKey(voterIdentity(v)),
				municipal_office_id: v.municipalOfficeId,
				special_district_office_id: v.specialDistrictOfficeId,
				given_name: v.givenName,
				family_name: v.familyName,
				birth_date: v.birthDate,
				address_line: v.addressLine,
				city: v.city,
				postal_code: v.postalCode,
				country_code: v.countryCode,
				eid_subject: v.eidSubject
			});
			if (batch.length >= STAGE_BATCH) {
				// One batch in flight while the next is parsed: the database and the parser work at once.
				await inFlight;
				if (stagingError) throw stagingError;
				inFlight = stage(batch);
				batch = [];
			}
		}
	};

	const stream = createReadStream(row.file_path, { highWaterMark: 1 << 20 });
	try {
		for await (const chunk of stream as AsyncIterable<Buffer>) {
			bytes += chunk.length;
			let text: string;
			try {
				text = decoder.decode(chunk, { stream: true });
			} catch {
				errors.add({ line: parser.lineNumber, field: null, code: 'encoding' });
				fatal = true;
				break;
			}
			await take(parser.push(text));
			if (fatal) break;
			await progress(bytes, total);
		}
		if (!fatal) {
			let rest = '';
			try {
				rest = decoder.decode();
			} catch {
				errors.add({ line: parser.lineNumber, field: null, code: 'encoding' });
				fatal = true;
			}
			if (!fatal) await take(parser.push(rest));
		}
		if (!fatal) await take(parser.end());
	} finally {
		stream.destroy();
		await inFlight;
	}
	if (stagingError) throw stagingError;
	if (!fatal) {
		if (!headerChecked) errors.add({ line: 1, field: null, code: 'header' });
		else if (rowCount === 0) errors.add({ line: 0, field: null, code: 'no-rows' });
	}
	await insertImportRows(db, row.id, batch);
	await progress(total, total);
	return rowCount;
}

/**
 * Runs one import from its stored file to its end (done, rejected or failed). Claims the
 * import first, so two runs never work on one import; a run whose process died is taken over
 * after IMPORT_STALE_SECONDS. `now` is read for each timestamp of a run that lasts minutes.
 */
export async function runVoterImport(
	db: Db,
	input: { importId: string },
	actor: ImportActor,
	now: Clock,
	options: RunImportOptions = {}
): Promise<RunImportResult> {
	if (!mayManageVoterList(actor)) return FORBIDDEN;
	if (!UUID.test(input.importId)) return { kind: 'not-found' };
	const started = now();
	const attempt = await claimVoterImport(db, input.importId, toDate(started), toDate(started.subtract({ seconds: IMPORT_STALE_SECONDS })));
	if (attempt === undefined) {
		return (await findVoterImportById(db, input.importId)) ? { kind: 'not-claimed', importId: input.importId } : { kind: 'not-found' };
	}
	const row = (await findVoterImportById(db, input.importId))!;
	const importId = row.id;
	const today = started.toZonedDateTimeISO(PRAGUE).toPlainDate().toString();
	let lost = false;
	/** This run wrote the import's end (done, rejected or failed): its scratch rows and upload may go. */
	let ended = false;
	const heartbeat = setInterval(() => {
		updateVoterImportHeartbeat(db, importId, attempt, toDate(now())).then(
			(alive) => (lost ||= !alive),
			(cause: unknown) => log.warn({ err: String(cause), importId }, 'voter import heartbeat failed')
		);
	}, HEARTBEAT_MS);
	heartbeat.unref?.();

	let lastReport = 0;
	const progress = async (phase: VoterImportPhase, done: number, total: number, force = false) => {
		options.onProgress?.(phase, done, total);
		const at = Date.now();
		if (!force && at - lastReport < 500) return;
		lastReport = at;
		if (lost || !(await updateVoterImportProgress(db, importId, attempt, { phase, done, total }, toDate(now())))) {
			lost = true;
			throw new ClaimLost();
		}
	};

	try {
		// A run taken over from a crashed process starts from the file again.
		await deleteImportRows(db, importId);
		const errors = new ErrorList();
		const rowCount = await readAndStage(db, row, today, errors, (done, total) => progress('reading', done, total));

		const outcome = await db.transaction().execute(async (trx) => {
			await setLongStatementTimeout(trx);
			await lockVoterImports(trx);
			// Lines, not rows: quoted line breaks and blank lines make the last line exceed the row count.
			const last = await findImportLastLine(trx, importId);
			await progress('checking', 0, rowCount, true);
			for (let from = 1; from <= last; from += LINE_CHUNK) {
				await updateImportRowMatches(trx, importId, from, from + LINE_CHUNK - 1);
				await progress('checking', Math.min(from + LINE_CHUNK - 1, last), last);
			}
			const duplicates = new ErrorList();
			duplicates.addProblems(await listImportDuplicateRows(trx, importId, IMPORT_ERROR_REPORT_LIMIT), (line, other) => ({
				line,
				field: null,
				code: 'duplicate-voter',
				...(other ? { otherLine: other } : {})
			}));
			const eids = new ErrorList();
			eids.addProblems(await listImportDuplicateEids(trx, importId, IMPORT_ERROR_REPORT_LIMIT), (line, other) => ({
				line,
				field: 'eid_subject',
				code: 'duplicate-eid',
				...(other ? { otherLine: other } : {})
			}));
			const taken = new ErrorList();
			taken.addProblems(await listImportTakenEids(trx, importId, IMPORT_ERROR_REPORT_LIMIT), (line) => ({ line, field: 'eid_subject', code: 'eid-taken' }));
			const errorCount = errors.count + duplicates.count + eids.count + taken.count;
			if (errorCount > 0) {
				return {
					kind: 'rejected' as const,
					rowCount,
					errorCount,
					errors: firstErrors([errors.first, duplicates.first, eids.first, taken.first])
				};
			}

			const existing = await countImportRowsMatched(trx, importId);
			const at = now();
			let added = 0;
			await progress('importing', 0, last, true);
			for (let from = 1; from <= last; from += LINE_CHUNK) {
				added += await insertVotersFromImport(trx, importId, from, from + LINE_CHUNK - 1, toDate(at));
				await progress('importing', Math.min(from + LINE_CHUNK - 1, last), last);
			}
			const finished = now();
			if (!(await updateVoterImportEnded(trx, importId, attempt, { status: 'done', rowCount, added, existing }, toDate(finished)))) throw new ClaimLost();
			await appendAudit(trx, {
				actor: auditActor(actor),
				action: 'voter-import.done',
				entityType: 'voter_import',
				entityId: importId,
				before: { status: 'running' },
				after: { status: 'done', rows: rowCount, added, existing },
				at: finished
			});
			return { kind: 'done' as const, rowCount, added, existing };
		});

		if (outcome.kind === 'done') {
			ended = true;
			return { kind: 'done', importId, rowCount: outcome.rowCount, added: outcome.added, existing: outcome.existing };
		}

		const finished = now();
		ended = await db.transaction().execute(async (trx) => {
			const ok = await updateVoterImportEnded(
				trx,
				importId,
				attempt,
				{ status: 'rejected', rowCount: outcome.rowCount, errorCount: outcome.errorCount, errors: outcome.errors },
				toDate(finished)
			);
			if (ok) {
				await appendAudit(trx, {
					actor: auditActor(actor),
					action: 'voter-import.rejected',
					entityType: 'voter_import',
					entityId: importId,
					before: { status: 'running' },
					after: { status: 'rejected', rows: outcome.rowCount, errors: outcome.errorCount },
					at: finished
				});
			}
			return ok;
		});
		if (!ended) return { kind: 'not-claimed', importId };
		return { kind: 'rejected', importId, rowCount: outcome.rowCount, errorCount: outcome.errorCount, errors: outcome.errors };
	} catch (error) {
		if (error instanceof ClaimLost) {
			lost = true;
			return { kind: 'not-claimed', importId };
		}
		const message = error instanceof Error ? error.message : String(error);
		log.error({ err: message, importId, attempt }, 'voter import failed');
		const finished = now();
		await db
			.transaction()
			.execute(async (trx) => {
				if (await updateVoterImportEnded(trx, importId, attempt, { status: 'failed', failure: message.slice(0, 1000) }, toDate(finished))) {
					ended = true;
					await appendAudit(trx, {
						actor: auditActor(actor),
						action: 'voter-import.failed',
						entityType: 'voter_import',
						entityId: importId,
						before: { status: 'running' },
						after: { status: 'failed', attempt },
						at: finished
					});
				}
			})
			.catch((cause: unknown) => log.error({ err: String(cause), importId }, 'voter import: recording the failure failed'));
		return { kind: 'failed', importId, message };
	} finally {
		clearInterval(heartbeat);
		if (ended) await cleanUp(db, importId);
	}
}

/** Scratch rows go; an upload is deleted once its import has ended. */
async function cleanUp(db: Db, importId: string): Promise<void> {
	try {
		await deleteImportRows(db, importId);
		const row = await findVoterImportById(db, importId);
		if (row && row.status !== 'running' && row.status !== 'queued' && row.file_path && row.owns_file) {
			await rm(row.file_path, { force: true });
			await updateVoterImportFileRemoved(db, importId);
		}
	} catch (cause) {
		log.warn({ err: String(cause), importId }, 'voter import: clean-up failed');
	}
}

/** Imports this process is running now, so that a status poll does not start a second run. */
const runningHere = new Map<string, Promise<RunImportResult>>();

/** Starts an import in the background of this process, unless this process is at it already. */
export function startVoterImport(db: Db, importId: string, actor: ImportActor, now: Clock): Promise<RunImportResult> {
	const running = runningHere.get(importId);
	if (running) return running;
	const job = runVoterImport(db, { importId }, actor, now)
		.catch((error: unknown): RunImportResult => {
			log.error({ err: error instanceof Error ? error.message : String(error), importId }, 'voter import crashed');
			return { kind: 'failed', importId, message: String(error) };
		})
		.finally(() => runningHere.delete(importId));
	runningHere.set(importId, job);
	return job;
}

// ---------------------------------------------------------------------------------------
// Status

export interface ImportView {
	id: string;
	createdAt: string;
	createdBy: string | null;
	fileName: string;
	fileSize: number;
	status: VoterImportStatus;
	phase: VoterImportPhase | null;
	/** 0–100 over the three phases (reading 0–40, checking 40–60, importing 60–100). */
	percent: number;
	rowCount: number | null;
	errorCount: number;
	errors: ImportError[];
	added: number | null;
	existing: number | null;
	failure: string | null;
	finishedAt: string | null;
}

const PHASE_SPAN: Record<VoterImportPhase, [number, number]> = { reading: [0, 40], checking: [40, 60], importing: [60, 100] };

export function importPercent(status: VoterImportStatus, phase: VoterImportPhase | null, done: number, total: number): number {
	if (status === 'done' || status === 'rejected' || status === 'failed') return 100;
	if (status === 'queued' || !phase) return 0;
	const [from, to] = PHASE_SPAN[phase];
	const share = total > 0 ? Math.min(1, done / total) : 0;
	return Math.floor(from + (to - from) * share);
}

function importView(row: VoterImportRow): ImportView {
	return {
		id: row.id,
		createdAt: fromDate(row.created_at).toString(),
		createdBy: row.created_by_name,
		fileName: row.file_name,
		fileSize: Number(row.file_size),
		status: row.status,
		phase: row.phase,
		percent: importPercent(row.status, row.phase, Number(row.progress_done), Number(row.progress_total)),
		rowCount: row.row_count,
		errorCount: row.error_count,
		errors: (Array.isArray(row.errors) ? row.errors : []) as ImportError[],
		added: row.added_count,
		existing: row.existing_count,
		failure: row.failure,
		finishedAt: row.finished_at ? fromDate(row.finished_at).toString() : null
	};
}

export type ImportStatusResult = { kind: 'ok'; view: ImportView } | { kind: 'not-found' } | Forbidden;

/**
 * An import's status for its page and the progress poll. A queued import, or a running one
 * not run by this process and silent for IMPORT_STALE_SECONDS (its process died), is
 * (re)started here.
 */
export async function getVoterImportStatus(db: Db, input: { importId: string }, actor: ImportActor, now: Clock): Promise<ImportStatusResult> {
	if (!mayManageVoterList(actor)) return FORBIDDEN;
	if (!UUID.test(input.importId)) return { kind: 'not-found' };
	const row = await findVoterImportById(db, input.importId);
	if (!row) return { kind: 'not-found' };
	if (!runningHere.has(row.id) && row.file_path) {
		const heartbeat = row.heartbeat_at ? fromDate(row.heartbeat_at) : null;
		const stale = !heartbeat || Temporal.Instant.compare(heartbeat, now().subtract({ seconds: IMPORT_STALE_SECONDS })) < 0;
		if (row.status === 'queued' || (row.status === 'running' && stale)) void startVoterImport(db, row.id, actor, now);
	}
	return { kind: 'ok', view: importView(row) };
}

export async function listRecentVoterImports(db: Db, actor: ImportActor, limit = 10): Promise<{ kind: 'ok'; imports: ImportView[] } | Forbidden> {
	if (!mayManageVoterList(actor)) return FORBIDDEN;
	return { kind: 'ok', imports: (await listVoterImports(db, limit)).map(importView) };
}

// ---------------------------------------------------------------------------------------
// Export

const EXPORT_PAGE = 5_000;

export type ExportResult = { kind: 'ok'; filename: string; body: ReadableStream<Uint8Array> } | { kind: 'not-found' } | Forbidden;

/**
 * The voter list as the import reads it (one office's lists, or all), streamed page by page
 * with a byte order mark so that spreadsheet programs read it as UTF-8. The export is
 * recorded in the audit log before the first byte leaves.
 */
export async function exportVoterList(db: Db, input: { officeCode: string | null }, actor: ImportActor, now: Temporal.Instant): Promise<ExportResult> {
	if (!mayManageVoterList(actor)) return FORBIDDEN;
	let officeId: string | null = null;
	if (input.officeCode) {
		const office = await findStatisticsOfficeByCode(db, input.officeCode);
		if (!office) return { kind: 'not-found' };
		officeId = office.id;
	}
	await db.transaction().execute((trx) =>
		appendAudit(trx, {
			actor: auditActor(actor),
			action: 'voter-list.export',
			entityType: 'office',
			entityId: officeId,
			after: { officeId },
			at: now
		})
	);
	const encoder = new TextEncoder();
	let after: string | null = null;
	let started = false;
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			if (!started) {
				started = true;
				controller.enqueue(encoder.encode(`\uFEFF${VOTER_CSV_HEADER}`));
				return;
			}
			const page = await listVotersForExport(db, { officeId, after, limit: EXPORT_PAGE });
			if (page.length === 0) {
				controller.close();
				return;
			}
			after = page[page.length - 1]!.id;
			let text = '';
			for (const v of page) {
				text += voterCsvRow({
					givenName: v.given_name,
					familyName: v.family_name,
					birthDate: v.birth_date,
					addressLine: v.address_line,
					city: v.city,
					postalCode: v.postal_code,
					countryCode: v.country_code.trim(),
					municipalityCode: v.municipality_code,
					specialDistrict: v.special_district_number,
					eidSubject: v.eid_subject
				});
			}
			controller.enqueue(encoder.encode(text));
		}
	});
	const day = now.toZonedDateTimeISO(PRAGUE).toPlainDate().toString();
	return { kind: 'ok', filename: `seznam-volicu-${input.officeCode ?? 'vse'}-${day}.csv`, body };
}
