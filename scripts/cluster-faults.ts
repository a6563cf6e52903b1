/**
 * npm run test:cluster — the multi-process portal under faults (issue 16). Run by CI after the
 * build; under three minutes. Exits non-zero when a check fails.
 *
 * Starts `npm start -- --processes 3` (scripts/start.sh → scripts/serve.mjs, node:cluster) with
 * APP_ENV=test on a throwaway database of the PostgreSQL named by DATABASE_URL (default: the
 * machine's, postgres://postgres@127.0.0.1:5432/postgres), then checks:
 *
 *   1. a session made through one process is valid on all of them;
 *   2. the eID login limit holds across processes: of 31 starts from one address in a minute,
 *      spread over the 3 processes, the 31st is refused (429);
 *   3. the open-data snapshot is built once per interval for all processes (builds counted in
 *      open_data_build);
 *   4. under load, `kill -9` of one worker: no request answered 2xx is lost, none is filed
 *      twice, the others keep serving, and the primary forks a new worker;
 *   5. /metrics on its own listener counts requests, filings and refusals of all workers;
 *   6. a rolling restart (SIGHUP to the primary) under load: 0 failed requests;
 *   7. SIGTERM stops the primary and every worker.
 *
 * With `--front` (npm run test:cluster -- --front) the portal runs behind its front (issue 20:
 * admission and refusals in the primary, workers on Unix sockets) and the same checks apply.
 *
 * Ports: PORT 4700 (CLUSTER_TEST_PORT), its dev eID PORT+1, metrics 9470 (CLUSTER_TEST_METRICS_PORT).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { createSession } from '../src/lib/server/auth/session';
import { LOA } from '../src/lib/server/auth/settings';
import { systemClock } from '../src/lib/server/clock';
import { createDb, type Db } from '../src/lib/server/db/index';
import { migrateToLatest, providerFromFolder } from '../src/lib/server/db/migrate';
import { countOpenDataBuilds } from '../src/lib/server/db/queries/open-data-builds';
import { seedDemoData } from '../src/lib/server/db/seed';
import { createElection } from '../src/lib/server/services/elections';
import { startTestServer } from '../tests/setup/test-database';
import { migrationsFolder, repoRoot, run } from './cli';

const PORT = Number(process.env.CLUSTER_TEST_PORT ?? 4700);
const METRICS_PORT = Number(process.env.CLUSTER_TEST_METRICS_PORT ?? 9470);
const PROCESSES = 3;
/** `npm run test:cluster -- --front`: the same checks with the front in the primary (issue 20, src/lib/server/front.ts). */
const FRONT = process.argv.slice(2).includes('--front');
const OPEN_DATA_INTERVAL = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const failures: string[] = [];
function check(name: string, ok: boolean, detail: string): void {
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
	if (!ok) failures.push(name);
}

interface Answer {
	status: number;
	pid: string | null;
	body: string;
}

/** One request on a new connection (no keep-alive: each may land on another worker). */
function request(method: string, pathname: string, options: { headers?: Record<string, string>; body?: string; port?: number } = {}): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			{ host: '127.0.0.1', port: options.port ?? PORT, method, path: pathname, agent: false, headers: { connection: 'close', ...options.headers }, timeout: 15_000 },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, pid: (res.headers['x-portal-process'] as string | undefined) ?? null, body: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', reject);
			}
		);
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', reject);
		req.end(options.body);
	});
}

function workerPids(primary: number): number[] {
	const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(primary)], { encoding: 'utf8' }).stdout;
	return out
		.split('\n')
		.map((l) => Number(l.trim()))
		.filter((n) => n > 0);
}

async function waitFor(what: string, timeoutMs: number, test: () => Promise<boolean> | boolean): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (Date.now() < end) {
		if (await Promise.resolve().then(test).catch(() => false)) return;
		await sleep(200);
	}
	throw new Error(`timed out waiting for ${what}`);
}

// --- Load ----------------------------------------------------------------------------------

interface Filing {
	voterId: string;
	token: string;
	key: string;
	body: string;
}

interface LoadOutcome {
	filing: Filing;
	/** The final answer (after retries of connection errors and 503s with the same key). */
	status: number;
	reference: string | null;
	pid: string | null;
	answeredAt: number;
	/** Attempts that failed: a connection error or a non-2xx answer. */
	failedAttempts: number;
}

async function fileAll(filings: Filing[], concurrency: number): Promise<LoadOutcome[]> {
	const out: LoadOutcome[] = [];
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			for (let i = next++; i < filings.length; i = next++) {
				const filing = filings[i]!;
				let failedAttempts = 0;
				for (let attempt = 0; ; attempt++) {
					try {
						const a = await request('POST', '/api/voter/requests', {
							headers: { cookie: `vp_session=${filing.token}`, 'content-type': 'application/json', 'idempotency-key': filing.key, accept: 'application/json' },
							body: filing.body
						});
						if (a.status === 200 || a.status === 201 || attempt >= 20) {
							if (a.status >= 300) failedAttempts++;
							const reference = a.status < 300 ? ((JSON.parse(a.body) as { requests?: { reference: string }[] }).requests?.[0]?.reference ?? null) : null;
							out.push({ filing, status: a.status, reference, pid: a.pid, answeredAt: Date.now(), failedAttempts });
							break;
						}
						failedAttempts++;
					} catch {
						// The worker died with the request (kill -9): sent again with the same key.
						failedAttempts++;
					}
					await sleep(100);
				}
			}
		})
	);
	return out;
}

async function verifyFiled(db: Db, outcomes: LoadOutcome[], label: string): Promise<void> {
	const ok = outcomes.filter((o) => o.status === 200 || o.status === 201);
	const voterIds = outcomes.map((o) => o.filing.voterId);
	const rows = await db.selectFrom('request').select(['voter_id', 'reference', 'idempotency_key']).where('voter_id', 'in', voterIds).execute();
	const byVoter = new Map<string, typeof rows>();
	for (const r of rows) byVoter.set(r.voter_id, [...(byVoter.get(r.voter_id) ?? []), r]);
	let lost = 0;
	let twice = 0;
	for (const o of ok) {
		const found = byVoter.get(o.filing.voterId) ?? [];
		if (!found.some((r) => r.reference === o.reference && r.idempotency_key === o.filing.key)) lost++;
	}
	for (const list of byVoter.values()) if (list.length > 1) twice++;
	check(`${label}: every 2xx-answered filing is in the database`, lost === 0, `${ok.length} answered 2xx of ${outcomes.length}, ${lost} lost`);
	check(`${label}: none filed twice`, twice === 0, `${rows.length} requests for ${byVoter.size} voters, ${twice} voters with more than one`);
}

// --- The run --------------------------------------------------------------------------------

async function main(): Promise<void> {
	const started = Date.now();
	const buildIndex = path.join(repoRoot, 'build', 'index.js');
	if (!existsSync(buildIndex)) console.log('build/index.js is missing: npm start builds it first');
	process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
	const server = await startTestServer();
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'volebni-portal-cluster-'));
	const logFile = path.join(dataDir, 'portal.log');
	let portal: ChildProcess | undefined;
	let db: Db | undefined;
	try {
		const databaseUrl = await server.createDatabase('vp_cluster');
		db = createDb({ connectionString: databaseUrl, max: 4 }).db;
		await migrateToLatest(db, providerFromFolder(migrationsFolder));
		const now = systemClock.now();
		await seedDemoData(db, { now, voters: 1500 });
		const election = await createTestElection(db, now);
		const voterIds = await adultVoters(db, election.firstDay);
		console.log(`database ready: ${voterIds.length} voters, election ${election.id} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

		const origin = `http://127.0.0.1:${PORT}`;
		portal = spawn('bash', [path.join(repoRoot, 'scripts', 'start.sh'), '--processes', String(PROCESSES), ...(FRONT ? ['--front'] : [])], {
			cwd: repoRoot,
			detached: true,
			stdio: ['ignore', 'inherit', 'inherit'],
			env: {
				...process.env,
				APP_ENV: 'test',
				DATABASE_URL: databaseUrl,
				SEED_DEMO_DATA: 'false',
				HOST: '127.0.0.1',
				PORT: String(PORT),
				ORIGIN: origin,
				DEV_EID_PORT: String(PORT + 1),
				DEV_SMTP_PORT: '0',
				METRICS_PORT: String(METRICS_PORT),
				DATA_DIR: dataDir,
				LOG_FILE: logFile,
				LOG_LEVEL: 'info',
				OPEN_DATA_INTERVAL_SECONDS: String(OPEN_DATA_INTERVAL),
				SHUTDOWN_TIMEOUT: '10',
				FIXED_NOW: ''
			}
		});
		const primary = portal.pid!;
		await waitFor('the portal to answer /health', 120_000, async () => (await request('GET', '/health')).status === 200);
		await waitFor(`${PROCESSES} workers listening`, 60_000, () => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('portal workers listening'));
		console.log(`portal up${FRONT ? ' behind the front' : ''}: primary ${primary}, workers ${workerPids(primary).join(', ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

		// 1. A session made through one process, used on all.
		const made = await request('POST', '/api/test/session', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ voter: { office: 'mu-554782' } }) });
		const token = made.status === 200 ? (JSON.parse(made.body) as { token: string }).token : '';
		const uses: Answer[] = [];
		for (let i = 0; i < 9; i++) uses.push(await request('GET', '/muj-zaznam', { headers: { cookie: `vp_session=${token}`, accept: 'text/html' } }));
		const usedOn = new Set(uses.map((u) => u.pid));
		check(
			'a session made on one process is valid on the others',
			made.status === 200 && uses.every((u) => u.status === 200) && usedOn.size === PROCESSES,
			`made on ${made.pid} (${made.status}); ${uses.filter((u) => u.status === 200).length}/9 answered 200 on ${usedOn.size} processes`
		);

		// 2. 31 eID login starts from one address, spread over the processes.
		const starts: Answer[] = [];
		for (let i = 0; i < 31; i++) starts.push(await request('GET', '/prihlaseni', { headers: { accept: 'text/html' } }));
		const refusedAt = starts.findIndex((s) => s.status === 429);
		check(
			'the 31st eID login start of a minute from one address is refused across processes',
			refusedAt === 30,
			`first 429 at start ${refusedAt + 1}; statuses ${[...new Set(starts.map((s) => s.status))].join('/')}; spread over ${new Set(starts.map((s) => s.pid)).size} processes`
		);

		// 3. The open-data snapshot: once per interval for all processes.
		const feed = `/api/open-data/elections/${election.id}.json`;
		const feedStart = Date.now();
		let feedAnswers = 0;
		await Promise.all(
			Array.from({ length: 6 }, async () => {
				while (Date.now() - feedStart < 6_000) {
					const a = await request('GET', feed);
					if (a.status === 200) feedAnswers++;
					await sleep(50);
				}
			})
		);
		const seconds = (Date.now() - feedStart) / 1000;
		const builds = await countOpenDataBuilds(db, `real:${election.id}`);
		const most = Math.ceil(seconds / OPEN_DATA_INTERVAL) + 1;
		check(
			'the open-data snapshot is built once per interval across processes',
			builds >= 1 && builds <= most,
			`${builds} builds in ${seconds.toFixed(1)} s at a ${OPEN_DATA_INTERVAL} s interval (at most ${most}; per process it would be up to ${most * PROCESSES}); ${feedAnswers} answers 200`
		);

		// 4. kill -9 of one worker under load.
		const sessions = await makeFilings(db, voterIds.slice(0, 600), election.id);
		const killAt = { at: 0, pid: 0 };
		const load = fileAll(sessions, 12);
		await sleep(1_500);
		// Not the worker that counted the refusal of step 2: its metrics are checked in step 5.
		killAt.pid = workerPids(primary).find((p) => String(p) !== starts[30]?.pid) ?? workerPids(primary)[0]!;
		killAt.at = Date.now();
		process.kill(killAt.pid, 'SIGKILL');
		const outcomes = await load;
		await verifyFiled(db, outcomes, 'kill -9 under load');
		// Answers read in full a moment after the kill (one read just before it may end just after).
		const afterKill = outcomes.filter((o) => o.answeredAt > killAt.at + 500 && o.status < 300);
		const byKilled = afterKill.filter((o) => o.pid === String(killAt.pid)).length;
		check(
			'the others keep serving after kill -9',
			afterKill.length > 0 && byKilled === 0,
			`${afterKill.length} filed from 0.5 s after the kill on ${new Set(afterKill.map((o) => o.pid)).size} processes, ${byKilled} by the killed ${killAt.pid}`
		);
		await waitFor('the primary to fork a new worker', 20_000, () => workerPids(primary).length === PROCESSES && !workerPids(primary).includes(killAt.pid));
		const replaced = workerPids(primary);
		check('the primary forks a new worker for the killed one', replaced.length === PROCESSES, `workers now ${replaced.join(', ')}`);

		// 5. Metrics on their own listener, added up over the workers (before the rolling restart,
		// which starts every counter again at 0).
		const metrics = await request('GET', '/metrics', { port: METRICS_PORT });
		const value = (name: string) =>
			metrics.body
				.split('\n')
				.filter((l) => l.startsWith(name))
				.reduce((n, l) => n + Number(l.split(' ').pop()), 0);
		check(
			'/metrics counts requests, filings and refusals across processes',
			metrics.status === 200 && value('portal_filings_total') >= 100 && value('portal_rate_limit_refusals_total') >= 1 && value('portal_http_requests_total') > 500,
			`status ${metrics.status}${metrics.status === 200 ? '' : ` (${metrics.body.slice(0, 200)})`}; filings ${value('portal_filings_total')}, rate-limit refusals ${value('portal_rate_limit_refusals_total')}, requests ${value('portal_http_requests_total')}`
		);
		const publicMetrics = await request('GET', '/metrics');
		check('/metrics is not on the public port', publicMetrics.status === 404, `public port answered ${publicMetrics.status}`);

		// 6. A rolling restart under load: nothing fails.
		const before = new Set(workerPids(primary));
		const rolling = fileAll(await makeFilings(db, voterIds.slice(600, 1100), election.id), 8);
		await sleep(800);
		process.kill(primary, 'SIGHUP');
		await waitFor('the rolling restart', 90_000, () => readFileSync(logFile, 'utf8').includes('rolling restart done'));
		const rolled = await rolling;
		const after = workerPids(primary);
		const failed = rolled.reduce((n, o) => n + o.failedAttempts, 0);
		check(
			'a rolling restart of all processes under load fails no request',
			failed === 0 && rolled.every((o) => o.status < 300) && after.length === PROCESSES && after.every((p) => !before.has(p)),
			`${rolled.length} filings, ${failed} failed attempts; workers ${[...before].join(', ')} → ${after.join(', ')}`
		);
		await verifyFiled(db, rolled, 'rolling restart');

		// 7. SIGTERM: everything stops.
		const workers = workerPids(primary);
		const stopStart = Date.now();
		process.kill(primary, 'SIGTERM');
		await waitFor('the portal to stop', 40_000, () => portal!.exitCode !== null || portal!.signalCode !== null);
		const left = workers.filter((p) => {
			try {
				process.kill(p, 0);
				return true;
			} catch {
				return false;
			}
		});
		check('SIGTERM stops the primary and its workers', left.length === 0, `stopped in ${((Date.now() - stopStart) / 1000).toFixed(1)} s, exit ${portal.exitCode ?? portal.signalCode}`);
		portal = undefined;
	} finally {
		if (portal?.pid && portal.exitCode === null) {
			try {
				process.kill(-portal.pid, 'SIGKILL');
			} catch {
				// Gone already.
			}
		}
		await db?.destroy();
		await server.stop();
		if (failures.length) console.log(`the portal's log: ${logFile}`);
		else await rm(dataDir, { recursive: true, force: true });
	}
	console.log(`\n${failures.length ? `FAILED: ${failures.join('; ')}` : 'all checks passed'} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
	if (failures.length) process.exitCode = 1;
}

async function createTestElection(db: Db, now: Temporal.Instant): Promise<{ id: string; firstDay: string }> {
	const today = now.toZonedDateTimeISO('Europe/Prague').toPlainDate();
	let firstDay = today.add({ days: 60 });
	while (firstDay.dayOfWeek !== 5) firstDay = firstDay.add({ days: 1 });
	const created = await createElection(
		db,
		{ type: 'chamber', announcedOn: today.subtract({ days: 1 }).toString(), rounds: [{ round: 1, firstDay: firstDay.toString() }], titleCs: 'Zkouška clusteru', titleEn: 'Cluster test' },
		{ kind: 'system' },
		now
	);
	if (!created.ok) throw new Error(`test election is invalid: ${JSON.stringify(created.errors)}`);
	return { id: created.id, firstDay: firstDay.toString() };
}

async function adultVoters(db: Db, firstDay: string): Promise<string[]> {
	const adultBy = Temporal.PlainDate.from(firstDay).subtract({ years: 18 }).toString();
	const { rows } = await sql<{ id: string }>`
		SELECT v.id FROM voter v
		WHERE v.anonymised_at IS NULL AND v.birth_date <= ${adultBy}::date
			AND (v.municipal_office_id IS NOT NULL OR v.special_district_office_id IS NOT NULL)
		ORDER BY v.id`.execute(db);
	if (rows.length < 1100) throw new Error(`only ${rows.length} voters of age; 1100 needed`);
	return rows.map((r) => r.id);
}

async function makeFilings(db: Db, voterIds: string[], electionId: string): Promise<Filing[]> {
	const now = systemClock.now();
	return Promise.all(
		voterIds.map(async (voterId, i) => ({
			voterId,
			token: (await createSession(db, { kind: 'eid', voterId, eidSubject: `cluster:${voterId}`, eidAcr: LOA.substantial, eidClaims: null }, now)).token,
			key: Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64url'),
			body: JSON.stringify(
				i % 2 === 0
					? { kind: 'voter-card', electionId, delivery: 'post', address: { line: 'Clusterová 1', city: 'Praha', postalCode: '110 00', country: 'CZ' } }
					: { kind: 'voter-card', electionId, delivery: 'in-person' }
			)
		}))
	);
}

run(main);
