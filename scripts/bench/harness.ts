/**
 * What the benchmarks share (npm run bench, npm run bench:feed): free ports, waiting for a
 * server, the child processes (the load generator), the portal's log, the database's demo data
 * and generated voters, the benchmark election and the planned submissions with their sessions,
 * the production build and the production portal's environment. Moved out of scripts/bench.ts.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import net from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { createSession } from '../../src/lib/server/auth/session';
import { LOA } from '../../src/lib/server/auth/settings';
import { systemClock } from '../../src/lib/server/clock';
import type { Db } from '../../src/lib/server/db/index';
import { insertGeneratedVoters, isDatabaseEmpty, seedDemoData } from '../../src/lib/server/db/seed';
import { createElection } from '../../src/lib/server/services/elections';
import { progressBar, repoRoot, UsageError } from '../cli';
import { BenchPostgres } from './postgres';
import type { LoadResult, LoadSpec, Planned } from './types';

export const BENCH_DIR = path.join(repoRoot, '.data', 'bench');
export const DATABASE = 'volebni_portal_bench';

/** The value after `--name` on the command line. */
export function argOption(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

/** A whole-number option `--name N`, from `min` to `max`. */
export function intOption(name: string, fallback: number, min: number, max: number): number {
	const raw = argOption(name);
	if (raw === undefined) return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
	return value;
}

// --- Processes ------------------------------------------------------------------------------

/** Ports the bench never takes: the e2e server and dev eID, the shared PostgreSQL, the dev server. */
export const RESERVED_PORTS = new Set([3000, 3001, 4173, 4174, 5432, 54329]);

/** A free loopback port from the kernel's ephemeral range, never one of RESERVED_PORTS. */
export async function freePort(): Promise<number> {
	for (;;) {
		const port = await anyFreePort();
		if (!RESERVED_PORTS.has(port)) return port;
	}
}

export function anyFreePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		if (await check().catch(() => false)) return;
		await sleep(200);
	}
	throw new Error(`timed out waiting for ${what}`);
}

export async function httpStatus(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
	const res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(5_000) });
	return { status: res.status, body: await res.text() };
}

export function forkTs(file: string, env: Record<string, string> = {}): ChildProcess {
	const child = fork(path.join(repoRoot, file), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	// A message to a child that has just ended (Ctrl-C reaches the whole process group) is an EPIPE: nothing to do.
	child.on('error', () => {});
	return child;
}

export function once<T>(child: ChildProcess, type: string): Promise<T> {
	return new Promise((resolve, reject) => {
		const cleanup = () => {
			child.off('message', onMessage);
			child.off('exit', onExit);
		};
		const onMessage = (m: { type: string; result?: T; error?: string }) => {
			if (m.type === 'error') {
				cleanup();
				reject(new Error(m.error));
			} else if (m.type === type) {
				cleanup();
				resolve(m.result as T);
			}
		};
		const onExit = (code: number | null) => {
			cleanup();
			reject(new Error(`child exited (${code}) before ${type}`));
		};
		child.on('message', onMessage);
		child.once('exit', onExit);
	});
}

export class LoadGenerator {
	private readonly child = forkTs('scripts/bench/loadgen.ts');
	readonly ready = once<void>(this.child, 'ready');
	get pid() {
		return this.child.pid;
	}
	async run(spec: LoadSpec): Promise<LoadResult> {
		const result = once<LoadResult>(this.child, 'result');
		this.child.send({ type: 'run', spec });
		return result;
	}
	stop() {
		if (this.child.connected && this.child.exitCode === null) this.child.send({ type: 'exit' });
	}
	kill() {
		if (this.child.exitCode === null) this.child.kill('SIGTERM');
	}
}

/**
 * The portal's log (pino JSON lines on stdout): an outage makes thousands of identical
 * warnings, so they are counted by message and each error message is printed once.
 */
export class PortalLog {
	private counts = new Map<string, number>();
	private printed = new Set<string>();
	attach(stream: NodeJS.ReadableStream | null) {
		if (stream) createInterface({ input: stream }).on('line', (line) => this.line(line));
	}
	private line(text: string) {
		let entry: { level?: number; msg?: string; err?: unknown; error?: unknown } | undefined;
		try {
			entry = JSON.parse(text) as typeof entry;
		} catch {
			entry = undefined;
		}
		if (!entry || typeof entry.level !== 'number') {
			if (text.trim()) console.log(`portal: ${text}`);
			return;
		}
		const level = entry.level >= 50 ? 'error' : entry.level >= 40 ? 'warn' : 'info';
		// Numbers vary (ports, retry delays): one key for "trying again in 338ms" and "… in 597ms".
		const key = `${level} "${String(entry.msg ?? '').replace(/\d+/g, 'N').slice(0, 100)}"`;
		this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
		if (level === 'error' && !this.printed.has(key)) {
			this.printed.add(key);
			const cause = entry.err ?? entry.error;
			const detail = typeof cause === 'string' ? cause : ((cause as { message?: string } | undefined)?.message ?? '');
			console.log(`portal log, error (printed once): ${entry.msg}${detail ? `: ${detail.slice(0, 200)}` : ''}`);
		}
	}
	/** The log lines since the last call, counted by level and message. */
	drain(): Record<string, number> {
		const out = Object.fromEntries(this.counts);
		this.counts = new Map();
		return out;
	}
}

export function printLog(counts: Record<string, number>) {
	const entries = Object.entries(counts);
	console.log(`portal log: ${entries.length ? entries.map(([k, n]) => `${n}× ${k}`).join('; ') : 'nothing above info'}`);
}

// --- Data -----------------------------------------------------------------------------------

export async function ensureVoters(db: Db, target: number): Promise<number> {
	const count = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM voter WHERE import_key LIKE 'seed:%'`.execute(db)).rows[0]?.n ?? 0);
	if (await isDatabaseEmpty(db)) {
		console.log('empty database: seeding the demo offices, elections and staff');
		await seedDemoData(db, { now: systemClock.now(), voters: 0 });
	}
	const existing = await count();
	if (existing < target) {
		console.log(`adding ${target - existing} generated voters`);
		await insertGeneratedVoters(db, { count: target - existing, startIndex: existing, batchSize: 10_000, onProgress: progressBar('voters') });
		await sql`ANALYZE`.execute(db);
	}
	return count();
}

/** A Chamber election of this run, open for voter card requests by post and in person (§57(3)). */
export async function createBenchElection(db: Db, now: Temporal.Instant): Promise<{ id: string; firstDay: string }> {
	const today = now.toZonedDateTimeISO('Europe/Prague').toPlainDate();
	let firstDay = today.add({ days: 60 });
	while (firstDay.dayOfWeek !== 5) firstDay = firstDay.add({ days: 1 });
	const stamp = now.toString().slice(0, 19);
	const created = await createElection(
		db,
		{ type: 'chamber', announcedOn: today.subtract({ days: 1 }).toString(), rounds: [{ round: 1, firstDay: firstDay.toString() }], titleCs: `Zátěžový test ${stamp}`, titleEn: `Load test ${stamp}` },
		{ kind: 'system' },
		now
	);
	if (!created.ok) throw new Error(`benchmark election is invalid: ${JSON.stringify(created.errors)}`);
	return { id: created.id, firstDay: firstDay.toString() };
}

/** Voters of this run, in random order, handed out once each. */
let voterPool: string[] = [];
let poolNext = 0;

/** Generated voters of age on D and on a voter list (none has filed for this run's new election). */
export async function loadVoterPool(db: Db, firstDay: string): Promise<number> {
	const adultBy = Temporal.PlainDate.from(firstDay).subtract({ years: 18 }).toString();
	const { rows } = await sql<{ id: string }>`
		SELECT v.id FROM voter v
		WHERE v.import_key LIKE 'seed:%' AND v.anonymised_at IS NULL AND v.birth_date <= ${adultBy}::date
			AND (v.municipal_office_id IS NOT NULL OR v.special_district_office_id IS NOT NULL)
		ORDER BY random()`.execute(db);
	voterPool = rows.map((r) => r.id);
	poolNext = 0;
	return voterPool.length;
}

export function pickVoters(n: number): string[] {
	if (poolNext + n > voterPool.length) throw new Error(`only ${voterPool.length - poolNext} voters left, ${n} needed`);
	poolNext += n;
	return voterPool.slice(poolNext - n, poolNext);
}

export const ADDRESS = { line: 'Benchmarková 1', city: 'Praha', postalCode: '110 00', country: 'CZ' };

export function newKey(): string {
	return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64url');
}

export function bodyFor(electionId: string, i: number): Record<string, unknown> {
	// Half by post (with an address to validate), half collected in person (§57(2)).
	return i % 2 === 0
		? { kind: 'voter-card', electionId, delivery: 'post', address: ADDRESS }
		: { kind: 'voter-card', electionId, delivery: 'in-person' };
}

/** Every planned submission to the portal, for a retry with its key. */
export const plannedByVoter = new Map<string, Planned>();

/** One session per voter, as an eID login opens it (auth/session.ts). */
export async function plan(db: Db, voterIds: string[], electionId: string, withSessions: boolean): Promise<Planned[]> {
	const now = systemClock.now();
	const out: Planned[] = new Array(voterIds.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: 8 }, async () => {
			for (let i = next++; i < voterIds.length; i = next++) {
				const voterId = voterIds[i]!;
				const token = withSessions
					? (await createSession(db, { kind: 'eid', voterId, eidSubject: `bench:${voterId}`, eidAcr: LOA.substantial, eidClaims: null }, now)).token
					: undefined;
				out[i] = { voterId, token, key: newKey(), body: bodyFor(electionId, i) };
				if (withSessions) plannedByVoter.set(voterId, out[i]!);
			}
		})
	);
	return out;
}

// --- The production portal ------------------------------------------------------------------

/**
 * Builds the portal (unless `build` is false) and copies build/ under `benchDir`: a build made
 * meanwhile (the end-to-end tests rebuild build/) would otherwise swap its lazily loaded
 * chunks under the running portal (a 500 "Cannot find module"). Returns the copy's folder.
 */
export async function prepareBuild(build: boolean, benchDir: string): Promise<string> {
	if (build) {
		console.log('building the portal (npm run build)…');
		const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
		if (built.status !== 0) throw new Error('npm run build failed');
	}
	if (!existsSync(path.join(repoRoot, 'build', 'index.js'))) throw new UsageError('build/index.js is missing: run without --no-build');
	const buildDir = path.join(benchDir, 'build');
	await rm(buildDir, { recursive: true, force: true });
	await mkdir(benchDir, { recursive: true });
	await cp(path.join(repoRoot, 'build'), buildDir, { recursive: true });
	// With its server (the admission gate in front of SvelteKit), as npm start runs it.
	await mkdir(path.join(benchDir, 'scripts'), { recursive: true });
	await cp(path.join(repoRoot, 'scripts', 'serve.mjs'), portalEntry(buildDir));
	return buildDir;
}

/** The bench's PostgreSQL (data kept in .data/bench/postgres between runs; `fresh` starts anew), with its database. */
export async function startBenchPostgres(fresh: boolean): Promise<BenchPostgres> {
	if (fresh) await rm(path.join(BENCH_DIR, 'postgres'), { recursive: true, force: true });
	await mkdir(BENCH_DIR, { recursive: true });
	const pg = new BenchPostgres({
		dataDir: path.join(BENCH_DIR, 'postgres'),
		port: await freePort(),
		// The portal's database would be tuned for its machine; these fit this one's memory.
		settings: {
			shared_buffers: '1GB',
			effective_cache_size: '8GB',
			max_wal_size: '4GB',
			checkpoint_timeout: '15min',
			// Statements per submission, portal against bare handler (statementsPerSubmission).
			shared_preload_libraries: 'pg_stat_statements',
			'pg_stat_statements.track': 'all'
		}
	});
	await pg.start();
	await pg.ensureDatabase(DATABASE);
	return pg;
}

/** The portal's server of a copy made by prepareBuild (scripts/serve.mjs beside the build). */
export function portalEntry(buildDir: string): string {
	return path.join(path.dirname(buildDir), 'scripts', 'serve.mjs');
}

/** The environment of the production portal of a benchmark (no eID login happens: sessions are made directly). */
export function productionPortalEnv(o: { databaseUrl: string; pool: number; port: number; smtpPort: number; extra?: Record<string, string> }): Record<string, string> {
	const origin = `http://127.0.0.1:${o.port}`;
	const env: Record<string, string> = {
		...(process.env as Record<string, string>),
		NODE_ENV: 'production',
		APP_ENV: 'production',
		DATABASE_URL: o.databaseUrl,
		DATABASE_POOL_MAX: String(o.pool),
		HOST: '127.0.0.1',
		PORT: String(o.port),
		ORIGIN: origin,
		PUBLIC_ORIGIN: origin,
		EID_ISSUER: 'https://eid.bench.invalid',
		EID_CLIENT_ID: 'bench',
		EID_CLIENT_SECRET: 'bench',
		// Production needs the key of the staff authenticator keys (issue 16); none is stored here.
		TOTP_ENCRYPTION_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64'),
		SMTP_URL: `smtp://127.0.0.1:${o.smtpPort}`,
		LOG_LEVEL: 'warn',
		...o.extra
	};
	delete env.FIXED_NOW;
	return env;
}
