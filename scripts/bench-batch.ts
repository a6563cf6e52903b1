/**
 * npm run bench:batch [-- options]: mass processing at a municipal office (issue 12). Prints
 * figures; a benchmark, not a timed test.
 *
 * On the benchmarks' database (scripts/bench/harness.ts: PostgreSQL in .data/bench, reused
 * between runs, 1,000,000 generated voters by default) it files N voter card requests (half by
 * post) with the office that keeps the most voters, then runs the stages a clerk runs, through
 * the same services as the pages: accept (one batch), issue voter cards (one batch), one PDF of
 * all cards (streamed and read to the end), consignment numbers (a range, assigned to the
 * posted ones, the dispatch batch recorded), the postal submission sheet (PDF and CSV, streamed as
 * its download streams them). Seconds per stage and the peak RSS of the process that did the
 * work (also after each stage, with the V8 heap in use then): the stages run in a child
 * process of their own (this script again, with --stages), which holds nothing but what the
 * portal's process would hold for them (the filing and the generated voters stay here), and
 * reports its own high-water mark (VmHWM of /proc/self/status).
 *
 * Options: --voters 1000000  --requests 1000,10000  --fresh (a new database)
 *   --heap MB: the stages' process runs with V8's old space capped at MB (--max-old-space-size),
 *   which shows whether what it holds alive grows with the batch; without it V8 sizes its heap
 *   by its own rules, and the peak RSS also holds the garbage it has not yet collected.
 * Writes .data/bench/batch.json: { runs: [ { requests, totalSeconds, peakRssMb, stages: { accept, issue, pdf, numbers, sheet } } ] }
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { systemClock } from '../src/lib/server/clock';
import { createDb, type Db } from '../src/lib/server/db/index';
import { migrateToLatest, providerFromFolder } from '../src/lib/server/db/migrate';
import { streamBatchVoterCards, streamPostalSheetCsv, streamPostalSheetPdf } from '../src/lib/server/documents/batch';
import { countBatchSheetItems, findBatchOfOffice } from '../src/lib/server/db/queries/batches';
import { findOfficeById } from '../src/lib/server/db/queries/offices';
import { assignBatchNumbersFromRange, createBatch, listPostIssuedOfBatch, runBatch, sheetItems } from '../src/lib/server/services/batches';
import { addConsignmentRange } from '../src/lib/server/services/consignments';
import { submitVoterCardRequest } from '../src/lib/server/services/requests';
import type { StaffActor } from '../src/lib/server/services/staff-actor';
import { argOption, BENCH_DIR, createBenchElection, DATABASE as BENCH_DATABASE, ensureVoters, intOption, startBenchPostgres } from './bench/harness';
import { migrationsFolder, repoRoot, run, UsageError } from './cli';

const voters = intOption('voters', 1_000_000, 1_000, 5_000_000);
const sizes = (argOption('requests') ?? '1000,10000').split(',').map(Number);
const heapMb = argOption('heap') === undefined ? null : intOption('heap', 0, 64, 16_384);
if (!sizes.every((n) => Number.isInteger(n) && n > 0 && n <= 20_000)) throw new UsageError('--requests takes sizes from 1 to 20000, comma-separated');

interface RunFigures {
	requests: number;
	totalSeconds: number;
	peakRssMb: number;
	stages: { accept: number; issue: number; pdf: number; numbers: number; sheet: number };
	done: { accepted: number; issued: number; pdfBytes: number; dispatched: number; sheetRows: number };
}

/** The high-water mark of this process's resident memory (Linux), else the current RSS; MB. */
function peakRssMb(): number {
	try {
		const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
		if (kb) return Math.round(Number(kb) / 1024);
	} catch {
		// not Linux
	}
	return Math.round(process.memoryUsage().rss / 2 ** 20);
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
	const start = performance.now();
	const value = await work();
	return { value, seconds: Math.round((performance.now() - start) / 10) / 100 };
}

async function staff(db: Db, role: 'municipal-clerk' | 'administrator', officeId: string | null): Promise<StaffActor> {
	const username = `bench.batch.${role}.${Date.now().toString(36)}`;
	const row = await db
		.insertInto('staff_user')
		.values({ username, display_name: 'Benchmark', password_hash: 'x', role, office_id: officeId })
		.returning('id')
		.executeTakeFirstOrThrow();
	return { kind: 'staff', id: row.id, officeId, role };
}

/** The office that keeps the most generated voters, and voters of it of age who have not filed for the election. */
async function pickOffice(db: Db): Promise<string> {
	const { rows } = await sql<{ office: string }>`
		SELECT municipal_office_id AS office FROM voter WHERE import_key LIKE 'seed:%' AND municipal_office_id IS NOT NULL
		GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`.execute(db);
	if (!rows[0]) throw new Error('no generated voters on a municipal list');
	return rows[0].office;
}

async function pickVoters(db: Db, officeId: string, firstDay: string, n: number): Promise<string[]> {
	const adultBy = Temporal.PlainDate.from(firstDay).subtract({ years: 18 }).toString();
	const { rows } = await sql<{ id: string }>`
		SELECT v.id FROM voter v
		WHERE v.municipal_office_id = ${officeId}::uuid AND v.anonymised_at IS NULL AND v.birth_date <= ${adultBy}::date
			AND v.import_key LIKE 'seed:%' AND v.special_district_office_id IS NULL
		ORDER BY random() LIMIT ${n}`.execute(db);
	if (rows.length < n) throw new Error(`only ${rows.length} voters of the office are free, ${n} needed: add --voters`);
	return rows.map((r) => r.id);
}

async function fileRequests(db: Db, electionId: string, voterIds: string[], now: Temporal.Instant): Promise<string[]> {
	const ids: string[] = new Array(voterIds.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: 8 }, async () => {
			for (let i = next++; i < voterIds.length; i = next++) {
				const voterId = voterIds[i]!;
				const result = await submitVoterCardRequest(
					db,
					{
						voterId,
						channel: 'portal',
						electionId,
						rounds: [1],
						delivery: i % 2 === 0 ? 'post' : 'in-person',
						address: i % 2 === 0 ? { line: 'Benchmarková 1', city: 'Praha', postalCode: '110 00', country: 'CZ' } : null
					},
					{ kind: 'voter', id: voterId },
					now
				);
				if (!result.ok) throw new Error(`filing refused: ${JSON.stringify(result.refusal)}`);
				ids[i] = result.requests[0]!.id;
			}
		})
	);
	return ids;
}

function created(result: Awaited<ReturnType<typeof createBatch>>): string {
	if (result.kind !== 'created') throw new Error(`batch not created: ${JSON.stringify(result)}`);
	return result.batchId;
}

/** What the parent prepared for one run, handed to the child that runs the stages. */
interface Prepared {
	url: string;
	size: number;
	serialBase: number;
	electionId: string;
	firstDay: string;
	officeId: string;
	clerk: StaffActor;
	admin: StaffActor;
	ids: string[];
}

async function prepare(db: Db, url: string, size: number, serialBase: number): Promise<Prepared> {
	const now = systemClock.now();
	const election = await createBenchElection(db, now);
	const officeId = await pickOffice(db);
	const office = (await findOfficeById(db, officeId))!;
	const clerk = await staff(db, 'municipal-clerk', officeId);
	const admin = await staff(db, 'administrator', null);
	console.log(`\n${size} requests at ${office.name_cs} (election ${election.id}, D ${election.firstDay}): filing…`);
	const ids = await fileRequests(db, election.id, await pickVoters(db, officeId, election.firstDay, size), now);
	return { url, size, serialBase, electionId: election.id, firstDay: election.firstDay, officeId, clerk, admin, ids };
}

/** The stages, in the child process: as the portal's process runs them for a clerk. */
async function stages(db: Db, p: Prepared): Promise<Omit<RunFigures, 'peakRssMb'>> {
	const { officeId, clerk, admin, ids, size, serialBase } = p;
	const office = (await findOfficeById(db, officeId))!;
	const election = { id: p.electionId };
	// §57(3), §57(4): cards go to the post between D−15 and D−7; the dispatch stage runs on D−10.
	const dispatchAt = Temporal.PlainDate.from(p.firstDay).subtract({ days: 10 }).toZonedDateTime({ timeZone: 'Europe/Prague', plainTime: '10:00' }).toInstant();
	const clock = () => systemClock.now();
	const figures = { stages: { accept: 0, issue: 0, pdf: 0, numbers: 0, sheet: 0 }, done: { accepted: 0, issued: 0, pdfBytes: 0, dispatched: 0, sheetRows: 0 } };
	const { stages, done } = figures;
	const total = await timed(async () => {
		const accept = await timed(async () => runBatch(db, { batchId: created(await createBatch(db, { action: 'accept', electionId: election.id, requestIds: ids }, clerk, clock())) }, clerk, clock));
		stages.accept = accept.seconds;
		done.accepted = accept.value.kind === 'ran' ? accept.value.done : 0;
		console.log(`  accept  ${accept.seconds.toFixed(2)} s (${done.accepted} done), peak ${peakRssMb()} MB, heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`);

		let issueBatch = '';
		const issue = await timed(async () => {
			issueBatch = created(await createBatch(db, { action: 'issue-voter-cards', electionId: election.id, requestIds: ids }, clerk, clock()));
			return runBatch(db, { batchId: issueBatch }, clerk, clock);
		});
		stages.issue = issue.seconds;
		done.issued = issue.value.kind === 'ran' ? issue.value.done : 0;
		console.log(`  issue   ${issue.seconds.toFixed(2)} s (${done.issued} cards), peak ${peakRssMb()} MB, heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`);

		const pdf = await timed(async () => {
			let bytes = 0;
			const reader = streamBatchVoterCards(db, { officeId, batchId: issueBatch, now: clock() }).getReader();
			for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.byteLength;
			return bytes;
		});
		stages.pdf = pdf.seconds;
		done.pdfBytes = pdf.value;
		console.log(`  pdf     ${pdf.seconds.toFixed(2)} s (${(pdf.value / 2 ** 20).toFixed(1)} MiB, streamed), peak ${peakRssMb()} MB, heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`);

		let dispatchBatch = '';
		const numbers = await timed(async () => {
			const range = await addConsignmentRange(db, { officeId, service: 'RR', country: 'CZ', first: serialBase, last: serialBase + size }, admin, clock());
			if (range.kind !== 'done') throw new Error(`range refused: ${JSON.stringify(range)}`);
			// As the issue batch's page does ("send by post"): the cards going by post, ids only.
			const posted = await listPostIssuedOfBatch(db, { batchId: issueBatch }, clerk);
			if (posted.kind !== 'ok') throw new Error('issue batch vanished');
			dispatchBatch = created(await createBatch(db, { action: 'dispatch-voter-cards', electionId: election.id, requestIds: posted.ids }, clerk, clock()));
			const assigned = await assignBatchNumbersFromRange(db, { batchId: dispatchBatch }, clerk, clock());
			if (assigned.kind !== 'assigned' || assigned.missing) throw new Error(`numbers not assigned: ${JSON.stringify(assigned)}`);
			return runBatch(db, { batchId: dispatchBatch }, clerk, () => dispatchAt);
		});
		stages.numbers = numbers.seconds;
		done.dispatched = numbers.value.kind === 'ran' ? numbers.value.done : 0;
		console.log(`  numbers ${numbers.seconds.toFixed(2)} s (${done.dispatched} dispatched by registered post), peak ${peakRssMb()} MB, heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`);

		const sheet = await timed(async () => {
			// As the sheet's download does (postalSheetDocument): rows read a chunk at a time, both streams read to the end.
			const batch = await findBatchOfOffice(db, officeId, dispatchBatch);
			if (!batch) throw new Error('dispatch batch vanished');
			const head = { office, batch, count: await countBatchSheetItems(db, officeId, batch.id), now: clock() };
			let bytes = 0;
			for (const stream of [streamPostalSheetPdf(head, sheetItems(db, officeId, batch.id)), streamPostalSheetCsv(head, sheetItems(db, officeId, batch.id))]) {
				const reader = stream.getReader();
				for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.byteLength;
			}
			return { rows: head.count, bytes };
		});
		stages.sheet = sheet.seconds;
		done.sheetRows = sheet.value.rows;
		console.log(`  sheet   ${sheet.seconds.toFixed(2)} s (${sheet.value.rows} rows, PDF + CSV), peak ${peakRssMb()} MB, heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`);
	});
	return { requests: size, totalSeconds: total.seconds, stages, done };
}

/** Runs the stages of one prepared run in a child process; its figures and its peak RSS. */
function runChild(p: Prepared): Promise<RunFigures> {
	return new Promise((resolve, reject) => {
		const execArgv = heapMb === null ? process.execArgv : [...process.execArgv, `--max-old-space-size=${heapMb}`];
		const child = fork(fileURLToPath(import.meta.url), ['--stages'], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		let result: RunFigures | null = null;
		child.on('message', (message: { ready?: true; figures?: RunFigures }) => {
			if (message.ready) child.send(p);
			if (message.figures) result = message.figures;
		});
		child.on('error', reject);
		child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`the stages' process ended with ${code}`))));
	});
}

async function childMain(): Promise<void> {
	const p = await new Promise<Prepared>((resolve) => {
		process.once('message', (message) => resolve(message as Prepared));
		process.send!({ ready: true });
	});
	const { db } = createDb({ connectionString: p.url, max: 8, onPoolError: () => {} });
	try {
		const figures = await stages(db, p);
		const peak = peakRssMb();
		console.log(`  total   ${figures.totalSeconds.toFixed(2)} s, peak RSS of the stages' process ${peak} MB`);
		await new Promise<void>((resolve) => process.send!({ figures: { ...figures, peakRssMb: peak } }, () => resolve()));
	} finally {
		await db.destroy();
	}
}

if (process.argv.includes('--stages')) run(childMain);
else run(async () => {
	const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`;
	console.log(`npm run bench:batch — ${new Date().toISOString()} — ${machine}${heapMb === null ? '' : ` — stages' old space capped at ${heapMb} MB`}`);
	const pg = await startBenchPostgres(process.argv.includes('--fresh'));
	const url = pg.url(BENCH_DATABASE);
	const { db } = createDb({ connectionString: url, max: 8, onPoolError: () => {} });
	try {
		await migrateToLatest(db, providerFromFolder(migrationsFolder));
		console.log(`${await ensureVoters(db, voters)} generated voters`);
		const runs: RunFigures[] = [];
		// Consignment serials of this run: fresh ones above those any earlier run took.
		const used = await sql<{ max: number | null }>`SELECT max(last_serial) AS max FROM consignment_range`.execute(db);
		let serialBase = (used.rows[0]?.max ?? 0) + 1;
		for (const size of sizes) {
			runs.push(await runChild(await prepare(db, url, size, serialBase)));
			serialBase += size + 1;
		}
		await mkdir(BENCH_DIR, { recursive: true });
		const out = path.join(BENCH_DIR, 'batch.json');
		await writeFile(out, `${JSON.stringify({ startedAt: new Date().toISOString(), machine, voters, heapMb, runs }, null, 2)}\n`);
		console.log(`\nfigures written to ${path.relative(repoRoot, out)}`);
	} finally {
		await db.destroy();
		await pg.stop();
	}
});
