/**
 * npm run bench:envelopes [-- --scans 10000 --concurrency 4 --voters 1000000]
 *
 * Records return-envelope scans (§57c(3)) through the real service, recordEnvelopeScan,
 * against the database named by DATABASE_URL holding (at least) a million voters, and
 * prints the scan-to-acknowledgement latency (p50, p99) and scans per second. A benchmark,
 * not a test: it asserts nothing about time.
 *
 * Missing voters are generated first (demo offices are seeded into an empty database). The
 * embassy, election, staff, packages and envelopes it creates are removed afterwards; the
 * audit entries of the scans stay, because the audit log is append-only.
 */
import { sql } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { config } from '../src/lib/server/config';
import { createDb, type Db } from '../src/lib/server/db/index';
import { migrateToLatest, providerFromFolder } from '../src/lib/server/db/migrate';
import { insertGeneratedVoters, isDatabaseEmpty, seedDemoData } from '../src/lib/server/db/seed';
import {
	insertFixtureEmbassy,
	insertFixtureStaff,
	issueFixturePackages,
	type FixtureEmbassy
} from '../src/lib/server/services/envelope-fixtures';
import { createElection } from '../src/lib/server/services/elections';
import { recordEnvelopeScan, type RecordEnvelopeScanResult } from '../src/lib/server/services/envelopes';
import type { StaffActor } from '../src/lib/server/services/staff-actor';
import { migrationsFolder, progressBar, run, UsageError } from './cli';

function option(name: string, fallback: number, max: number): number {
	const i = process.argv.indexOf(`--${name}`);
	if (i < 0) return fallback;
	const value = Number(process.argv[i + 1]);
	if (!Number.isInteger(value) || value < 1 || value > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}`);
	return value;
}

function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
	return sorted[Math.max(0, index)]!;
}

async function ensureVoters(db: Db, target: number): Promise<number> {
	const count = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM voter`.execute(db)).rows[0]?.n ?? 0);
	const existing = await count();
	if (existing >= target) return existing;
	if (await isDatabaseEmpty(db)) {
		console.log('empty database: seeding the demo offices first');
		await seedDemoData(db, { now: Temporal.Now.instant(), voters: 0 });
	}
	const missing = target - (await count());
	const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM voter WHERE import_key LIKE 'seed:%'`.execute(db);
	console.log(`adding ${missing} generated voters (npm run seed:voters does the same)`);
	await insertGeneratedVoters(db, { count: missing, startIndex: rows[0]?.n ?? 0, batchSize: 10_000, onProgress: progressBar('voters') });
	return count();
}

interface BenchSetup {
	embassy: FixtureEmbassy;
	electionId: string;
	clerks: StaffActor[];
	codes: string[];
	at: Temporal.Instant;
}

async function setUp(db: Db, scans: number, concurrency: number): Promise<BenchSetup> {
	const embassy = await insertFixtureEmbassy(db, { timeZone: 'America/New_York', code: `zu-bench-${Date.now().toString(36)}` });
	// A Chamber election far enough ahead not to clash with the demo ones; every embassy gets its windows (§2(3)).
	const created = await createElection(
		db,
		{ type: 'chamber', announcedOn: '2031-01-03', rounds: [{ round: 1, firstDay: '2031-04-04' }], titleCs: 'Benchmark obálek', titleEn: 'Envelope benchmark' },
		{ kind: 'system' },
		Temporal.Now.instant()
	);
	if (!created.ok) throw new Error(`benchmark election is invalid: ${JSON.stringify(created.errors)}`);
	const head = await insertFixtureStaff(db, { officeId: embassy.id, role: 'embassy-head' });
	const clerks: StaffActor[] = [];
	for (let i = 0; i < concurrency; i++) clerks.push(await insertFixtureStaff(db, { officeId: embassy.id, role: 'embassy-clerk' }));
	// Any voters will do: the packages only need distinct ones.
	const voters = await db.selectFrom('voter').select('id').where('anonymised_at', 'is', null).limit(scans).execute();
	if (voters.length < scans) throw new Error(`only ${voters.length} voters for ${scans} packages`);
	const packages = await issueFixturePackages(db, {
		officeId: embassy.id,
		electionId: created.id,
		round: 1,
		voterIds: voters.map((v) => v.id),
		issuedBy: head.id
	});
	// Before the close of voting in New York (Friday 4 April 2031, 14:00 local): every scan is on time.
	return { embassy, electionId: created.id, clerks, codes: packages.map((p) => p.code), at: Temporal.Instant.from('2031-04-04T12:00:00-04:00') };
}

async function tearDown(db: Db, s: BenchSetup): Promise<void> {
	await db.transaction().execute(async (trx) => {
		await trx.deleteFrom('return_envelope').where('office_id', '=', s.embassy.id).execute();
		await trx.deleteFrom('correspondence_package').where('office_id', '=', s.embassy.id).execute();
		await trx.deleteFrom('request').where('office_id', '=', s.embassy.id).execute();
		await trx.deleteFrom('election').where('id', '=', s.electionId).execute();
		await trx.deleteFrom('staff_user').where('office_id', '=', s.embassy.id).execute();
		await trx.deleteFrom('office').where('id', '=', s.embassy.id).execute();
	});
}

run(async () => {
	const url = config().DATABASE_URL;
	if (!url) throw new UsageError('Set DATABASE_URL to the database to benchmark against, e.g. postgres://postgres@127.0.0.1:5432/vp_bench_env');
	const scans = option('scans', 10_000, 1_000_000);
	const concurrency = option('concurrency', 4, 64);
	const targetVoters = option('voters', 1_000_000, 10_000_000);

	const { db } = createDb({ connectionString: url, max: concurrency + 2 });
	try {
		await migrateToLatest(db, providerFromFolder(migrationsFolder));
		const voters = await ensureVoters(db, targetVoters);
		console.log(`voters in the database: ${voters}`);
		const setup = await setUp(db, scans, concurrency);
		try {
			const latencies: number[] = [];
			const kinds = new Map<RecordEnvelopeScanResult['kind'], number>();
			let next = 0;
			const bar = progressBar('scans');
			const started = performance.now();
			await Promise.all(
				setup.clerks.map(async (clerk) => {
					for (let i = next++; i < setup.codes.length; i = next++) {
						const t0 = performance.now();
						const result = await recordEnvelopeScan(db, { code: setup.codes[i]!, storageBatch: `B-${Math.floor(i / 500)}` }, clerk, setup.at);
						latencies.push(performance.now() - t0);
						kinds.set(result.kind, (kinds.get(result.kind) ?? 0) + 1);
						bar(latencies.length, setup.codes.length);
					}
				})
			);
			const seconds = (performance.now() - started) / 1000;
			latencies.sort((a, b) => a - b);
			const ms = (v: number) => `${v.toFixed(2)} ms`;
			console.log(`scans: ${latencies.length} with ${concurrency} parallel scanners against ${voters} voters`);
			console.log(`outcomes: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
			console.log(`latency p50 ${ms(percentile(latencies, 50))}, p90 ${ms(percentile(latencies, 90))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies.at(-1) ?? NaN)}`);
			console.log(`throughput: ${Math.round(latencies.length / seconds)} scans/s (${seconds.toFixed(1)} s in all)`);
			if (kinds.get('recorded') !== scans) throw new Error(`expected ${scans} envelopes recorded on time`);
		} finally {
			await tearDown(db, setup);
		}
	} finally {
		await db.destroy();
	}
});
