/**
 * What the benchmarks that drive the production build share (npm run bench, npm run
 * bench:scan): free ports, waiting for a server, the built portal copied aside, the bench's own
 * PostgreSQL with its million generated voters, and the production portal's environment.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import { systemClock } from '../../src/lib/server/clock';
import type { Db } from '../../src/lib/server/db/index';
import { insertGeneratedVoters, isDatabaseEmpty, seedDemoData } from '../../src/lib/server/db/seed';
import { progressBar, repoRoot, UsageError } from '../cli';
import { BenchPostgres } from './postgres';

export const BENCH_DIR = path.join(repoRoot, '.data', 'bench');

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
export const BENCH_DATABASE = 'volebni_portal_bench';

/** Ports the bench never takes: the e2e server and dev eID, the shared PostgreSQL, the dev server. */
const RESERVED_PORTS = new Set([3000, 3001, 4173, 4174, 5432, 54329]);

/** A free loopback port from the kernel's ephemeral range, never one of RESERVED_PORTS. */
export async function freePort(): Promise<number> {
	for (;;) {
		const port = await anyFreePort();
		if (!RESERVED_PORTS.has(port)) return port;
	}
}

function anyFreePort(): Promise<number> {
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

/** The generated voters (seed:…), at least `target` of them; an empty database gets the demo offices first. */
export async function ensureSeedVoters(db: Db, target: number): Promise<number> {
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

/**
 * Builds the portal (unless `build` is false) and copies build/ to .data/bench/`dirName`: the
 * portal runs from the copy, so that a build made meanwhile (the end-to-end tests rebuild
 * build/) cannot swap its lazily loaded chunks under it (a 500 "Cannot find module").
 */
export async function preparePortalBuild(build: boolean, dirName: string): Promise<string> {
	if (build) {
		console.log('building the portal (npm run build)…');
		const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
		if (built.status !== 0) throw new Error('npm run build failed');
	}
	if (!existsSync(path.join(repoRoot, 'build', 'index.js'))) throw new UsageError('build/index.js is missing: run without --no-build');
	const buildDir = path.join(BENCH_DIR, dirName);
	await rm(buildDir, { recursive: true, force: true });
	await mkdir(BENCH_DIR, { recursive: true });
	await cp(path.join(repoRoot, 'build'), buildDir, { recursive: true });
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
	await pg.ensureDatabase(BENCH_DATABASE);
	return pg;
}

/** The production portal's environment on 127.0.0.1:`port` (no FIXED_NOW: the real clock). */
export function productionPortalEnv(o: { databaseUrl: string; port: number; pool: number; smtpPort: number }): Record<string, string> {
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
		// Production needs the national eID; no login happens in the benchmarks (sessions are made directly).
		EID_ISSUER: 'https://eid.bench.invalid',
		EID_CLIENT_ID: 'bench',
		EID_CLIENT_SECRET: 'bench',
		SMTP_URL: `smtp://127.0.0.1:${o.smtpPort}`,
		LOG_LEVEL: 'warn'
	};
	delete env.FIXED_NOW;
	return env;
}
