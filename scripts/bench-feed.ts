/**
 * npm run bench:feed [-- options] (issue 17): the results feed under election-night polling
 * while voters file. Prints figures and writes .data/bench/feed.json; a benchmark, not a timed
 * test: it asserts nothing about time.
 *
 * 1. Builds the portal (--no-build: use build/ as it is) and starts its own PostgreSQL
 *    (embedded, in $TMPDIR/volebni-portal-bench-feed: as root PostgreSQL runs as 'postgres', which
 *    cannot enter the private .data; with pg_stat_statements) with the demo offices and
 *    generated voters; creates an election of this run with the demo candidate lists, a
 *    closed record of the result for every special district, and --media registered media
 *    organisations whose production address is 127.0.0.1 (rows written directly, as the seed
 *    writes its rehearsals).
 * 2. Starts the production server and the load generator of npm run bench (scripts/bench/).
 * 3. Submissions alone: voter card requests at --submit-rate per second for --seconds.
 * 3a. A warm-up of 20 s of submissions first, not counted (a fresh process is slower at first).
 * 4. The same submissions while --clients public clients poll vysledky_zahranici.xml every
 *    30 s (with If-None-Match, as a well-behaved client does) and --media tokens poll every 5 s.
 *    Figures: the feed's p99, the statements the feed ran per snapshot interval
 *    (pg_stat_statements; one set per interval and tier whatever the number of clients), and
 *    the submissions' p99 before and during.
 *
 * Options: --clients 5000 --media 20 --seconds 120 --submit-rate 100 --pool 10 --no-build
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import type { ResultRecord } from '../src/lib/domain/results';
import { systemClock } from '../src/lib/server/clock';
import { createDb, type Db } from '../src/lib/server/db/index';
import { migrateToLatest, providerFromFolder } from '../src/lib/server/db/migrate';
import { replaceCandidateLists } from '../src/lib/server/db/queries/district-results';
import { DEMO_CHAMBER_LISTS } from '../src/lib/server/db/seed-data';
import { mediaTokenHash, MEDIA_TOKEN_PREFIX } from '../src/lib/server/services/media';
import {
	BENCH_DIR,
	createBenchElection,
	DATABASE,
	ensureVoters,
	freePort,
	httpStatus,
	intOption,
	LoadGenerator,
	loadVoterPool,
	pickVoters,
	plan,
	PortalLog,
	portalEntry,
	prepareBuild,
	printLog,
	productionPortalEnv,
	sleep,
	waitFor
} from './bench/harness';
import { BenchPostgres } from './bench/postgres';
import { ms, statuses, summarise, type LatencySummary } from './bench/stats';
import type { LoadResult } from './bench/types';
import { migrationsFolder, run, UsageError } from './cli';

const OPTIONS = {
	clients: intOption('clients', 5_000, 0, 100_000),
	media: intOption('media', 20, 0, 1_000),
	seconds: intOption('seconds', 120, 5, 3_600),
	submitRate: intOption('submit-rate', 100, 1, 2_000),
	pool: intOption('pool', 10, 2, 100),
	build: !process.argv.includes('--no-build')
};
const PUBLIC_INTERVAL = 30;
const WARM_UP_SECONDS = 20;
const MEDIA_INTERVAL = 5;
const FEED_DIR = path.join(BENCH_DIR, 'feed');

// --- Data -----------------------------------------------------------------------------------

/** A consistent record (domain/results.ts checks) with votes spread over the lists. */
function benchRecord(seed: number): ResultRecord {
	const listVotes: Record<number, number> = {};
	let valid = 0;
	for (const l of DEMO_CHAMBER_LISTS) {
		const votes = ((seed * 37 + l.number * 101) % 90) + 5;
		listVotes[l.number] = votes;
		valid += votes;
	}
	const invalid = seed % 7;
	return {
		votersOnList: valid + invalid + 200,
		envelopesIssued: valid + invalid + 20,
		envelopesReceived: valid + invalid + 3,
		envelopesCounted: valid + invalid,
		validVotes: valid,
		invalidVotes: invalid,
		listVotes,
		preferentialVotes: Object.fromEntries(DEMO_CHAMBER_LISTS.map((l) => [l.number, Object.fromEntries(l.candidates.map((c) => [c.number, 1]))]))
	};
}

/**
 * Every special district of the election closed, and the media registered, written directly
 * (benchmark data: the administrator stands in for the commissions' chairs and members).
 */
async function seedFeed(db: Db, electionId: string, media: number): Promise<{ districts: number; tokens: string[] }> {
	const admin = await db.selectFrom('staff_user').select('id').where('role', '=', 'administrator').executeTakeFirstOrThrow();
	const offices = await db.selectFrom('embassy_voting_window').select('office_id').distinct().where('election_id', '=', electionId).execute();
	const at = new Date();
	await db.transaction().execute(async (trx) => {
		await replaceCandidateLists(trx, electionId, DEMO_CHAMBER_LISTS);
		for (const [i, o] of offices.entries()) {
			await trx.insertInto('commission_closure').values({ office_id: o.office_id, election_id: electionId, round: 1, ballot_box_opened_at: at, opened_by: admin.id }).execute();
			await trx
				.insertInto('district_result')
				.values({
					office_id: o.office_id,
					election_id: electionId,
					round: 1,
					version: 1,
					figures: JSON.stringify(benchRecord(i)),
					chair_entered_by: admin.id,
					member_entered_by: admin.id,
					closed_by: admin.id,
					closed_at: at
				})
				.execute();
		}
	});
	const tokens = Array.from({ length: media }, () => `${MEDIA_TOKEN_PREFIX}${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')}`);
	if (tokens.length) {
		await db
			.insertInto('media_organisation')
			.values(
				tokens.map((token, i) => ({
					election_id: electionId,
					name: `Redakce ${i + 1}`,
					email: `redakce${i + 1}@example.cz`,
					phone: '+420 200 000 000',
					production_addresses: ['127.0.0.1/32'],
					test_addresses: [],
					token_hash: mediaTokenHash(token),
					registered_at: at,
					registered_by: admin.id
				}))
			)
			.execute();
	}
	return { districts: offices.length, tokens };
}

// --- Pollers --------------------------------------------------------------------------------

interface PollFigures {
	public: number[];
	media: number[];
	statuses: Record<string, number>;
	errors: number;
}

/**
 * The pollers share this machine's two cores with the portal: node:http with keep-alive costs
 * them a fraction of what fetch (undici's streams and Headers) does, so that less of what the
 * submissions feel is the simulated clients' own work (on election night they are elsewhere).
 */
const pollAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });
function get(url: string, headers: Record<string, string>): Promise<{ status: number; etag: string | undefined }> {
	return new Promise((resolve, reject) => {
		const req = http.get(url, { agent: pollAgent, headers, timeout: 10_000 }, (res) => {
			res.resume();
			res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: res.headers.etag }));
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', reject);
	});
}

/**
 * `clients` public pollers every 30 s and one poller per media token every 5 s, each with its
 * own phase and ETag, for `seconds`.
 */
async function poll(url: string, clients: number, tokens: readonly string[], seconds: number): Promise<PollFigures> {
	const figures: PollFigures = { public: [], media: [], statuses: {}, errors: 0 };
	const end = performance.now() + seconds * 1000;
	const client = async (phaseMs: number, everyMs: number, into: number[], token?: string) => {
		await sleep(phaseMs);
		let etag: string | null = null;
		while (performance.now() < end) {
			const started = performance.now();
			try {
				const headers: Record<string, string> = {};
				if (etag) headers['if-none-match'] = etag;
				if (token) headers.authorization = `Bearer ${token}`;
				const res = await get(url, headers);
				etag = res.etag ?? etag;
				into.push(performance.now() - started);
				figures.statuses[res.status] = (figures.statuses[res.status] ?? 0) + 1;
			} catch {
				figures.errors++;
			}
			await sleep(Math.max(0, everyMs - (performance.now() - started)));
		}
	};
	await Promise.all([
		...Array.from({ length: clients }, (_, i) => client((i / Math.max(1, clients)) * PUBLIC_INTERVAL * 1000, PUBLIC_INTERVAL * 1000, figures.public)),
		...tokens.map((token, i) => client((i / tokens.length) * MEDIA_INTERVAL * 1000, MEDIA_INTERVAL * 1000, figures.media, token))
	]);
	return figures;
}

/** The feed's statements since the reset (pg_stat_statements): every statement of a snapshot and how many snapshots. */
async function feedStatements(db: Db): Promise<{ statements: number; snapshots: number }> {
	const { rows } = await sql<{ query: string; calls: string }>`SELECT query, calls::text AS calls FROM pg_stat_statements`.execute(db);
	let statements = 0;
	let snapshots = 0;
	for (const r of rows) {
		const q = r.query;
		const calls = Number(r.calls);
		// listLatestDistrictResults: once per snapshot, and nothing else reads district_result.
		const latest = /from "district_result" as "r"/i.test(q) && /not exists/i.test(q);
		const ofFeed =
			latest ||
			/from "candidate_list"/i.test(q) ||
			/from "candidate"/i.test(q) ||
			(/from "embassy_voting_window" as "w"/i.test(q) && /distinct/i.test(q)) ||
			/tx_id::text AS tx_id, hash FROM audit_log/i.test(q) ||
			/count\(\*\) AS n FROM audit_log WHERE hash IS NOT NULL/i.test(q);
		if (ofFeed) statements += calls;
		if (latest) snapshots += calls;
	}
	return { statements, snapshots };
}

function line(label: string, s: LatencySummary): string {
	return `${label}: ${s.count} answers, p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}, max ${ms(s.max)}`;
}

function submissionSummary(result: LoadResult): LatencySummary {
	return summarise(result.submissions.latencies);
}

// --- Main -----------------------------------------------------------------------------------

run(async () => {
	const startedAt = new Date();
	console.log(`npm run bench:feed — ${startedAt.toISOString()} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
	console.log(`options: ${JSON.stringify(OPTIONS)}`);
	const buildDir = await prepareBuild(OPTIONS.build, FEED_DIR);
	const pg = new BenchPostgres({
		dataDir: path.join(os.tmpdir(), 'volebni-portal-bench-feed', 'postgres'),
		port: await freePort(),
		settings: { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' }
	});
	await pg.start();
	await pg.ensureDatabase(DATABASE);
	const databaseUrl = pg.url(DATABASE);
	const { db } = createDb({ connectionString: databaseUrl, max: 4, onPoolError: () => {} });
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
	try {
		await migrateToLatest(db, providerFromFolder(migrationsFolder));
		const needed = OPTIONS.submitRate * (OPTIONS.seconds * 2 + WARM_UP_SECONDS) + 1_000;
		await ensureVoters(db, needed);
		await sql`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`.execute(db);
		const election = await createBenchElection(db, systemClock.now());
		const pool = await loadVoterPool(db, election.firstDay);
		if (pool < needed - 1_000) throw new Error(`only ${pool} voters may file, ${needed - 1_000} needed`);
		const { districts, tokens } = await seedFeed(db, election.id, OPTIONS.media);
		console.log(`election ${election.id}: ${districts} special districts closed, ${tokens.length} media registered`);

		const smtpPort = await freePort();
		await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
		const port = await freePort();
		const origin = `http://127.0.0.1:${port}`;
		const env = productionPortalEnv({
			databaseUrl,
			pool: OPTIONS.pool,
			port,
			smtpPort,
			extra: {
				OPEN_DATA_INTERVAL_SECONDS: String(PUBLIC_INTERVAL),
				MEDIA_INTERVAL_SECONDS: String(MEDIA_INTERVAL),
				// Every simulated client polls from 127.0.0.1: the per-address budget would stop all but a few.
				RESULTS_FEED_RATE_LIMIT: '1000000'
			}
		});
		portal = spawn(process.execPath, [portalEntry(buildDir)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		portalLog.attach(portal.stdout);
		portalLog.attach(portal.stderr);
		await waitFor(async () => (await httpStatus(`${origin}/health`)).status === 200, 60_000, 'the portal');
		const feedUrl = `${origin}/api/open-data/results/${election.id}/vysledky_zahranici.xml`;
		const first = await httpStatus(feedUrl);
		if (first.status !== 200) throw new Error(`the feed answered ${first.status}: ${first.body.slice(0, 200)}`);
		console.log(`feed: ${feedUrl} (${first.body.length} bytes)`);

		load = new LoadGenerator();
		await load.ready;
		const submissions = async (seconds = OPTIONS.seconds) =>
			load!.run({
				baseUrl: origin,
				target: 'portal',
				mode: 'open',
				rate: OPTIONS.submitRate,
				maxSeconds: seconds,
				planned: await plan(db, pickVoters(OPTIONS.submitRate * seconds), election.id, true),
				readStatus: 'none',
				timeoutMs: 10_000
			});

		// A freshly started portal compiles and loads as it goes: its first seconds are slower
		// than any later ones, and were the "before" figure's tail in the first runs.
		console.log(`\nwarm-up: submissions at ${OPTIONS.submitRate}/s for ${WARM_UP_SECONDS} s (not counted)…`);
		await submissions(WARM_UP_SECONDS);
		console.log(`\nsubmissions alone: ${OPTIONS.submitRate}/s for ${OPTIONS.seconds} s…`);
		const before = await submissions();
		const submitBefore = submissionSummary(before);
		console.log(line('submissions', submitBefore), statuses(before.submissions.byStatus));
		printLog(portalLog.drain());

		await sleep(2_000);
		console.log(`\nsubmissions while ${OPTIONS.clients} clients poll every ${PUBLIC_INTERVAL} s and ${tokens.length} media every ${MEDIA_INTERVAL} s…`);
		await sql`SELECT pg_stat_statements_reset()`.execute(db);
		const [during, polled] = await Promise.all([submissions(), poll(feedUrl, OPTIONS.clients, tokens, OPTIONS.seconds)]);
		const statements = await feedStatements(db);
		const submitDuring = submissionSummary(during);
		const publicFeed = summarise(polled.public);
		const mediaFeed = summarise(polled.media);
		const allFeed = summarise([...polled.public, ...polled.media]);
		// One snapshot set per interval and tier: the public tier's and the media tier's.
		const intervals = OPTIONS.seconds / PUBLIC_INTERVAL + (tokens.length ? OPTIONS.seconds / MEDIA_INTERVAL : 0);
		const queriesPerInterval = intervals > 0 ? statements.statements / intervals : 0;
		console.log(line('submissions', submitDuring), statuses(during.submissions.byStatus));
		console.log(line('feed, public', publicFeed));
		console.log(line('feed, media', mediaFeed));
		console.log(`feed answers: ${statuses(polled.statuses)}, ${polled.errors} failed`);
		console.log(
			`feed statements: ${statements.statements} in ${statements.snapshots} snapshots over ${intervals.toFixed(1)} intervals (both tiers): ${queriesPerInterval.toFixed(1)} per interval, ${(statements.statements / Math.max(1, statements.snapshots)).toFixed(1)} per snapshot`
		);
		const change = submitBefore.p99 > 0 ? ((submitDuring.p99 - submitBefore.p99) / submitBefore.p99) * 100 : 0;
		console.log(`submissions' p99: ${ms(submitBefore.p99)} before, ${ms(submitDuring.p99)} during (${change >= 0 ? '+' : ''}${change.toFixed(1)} %; the issue asks for at most +10 %)`);
		printLog(portalLog.drain());

		const out = {
			feedP99Ms: Math.round(allFeed.p99 * 10) / 10,
			queriesPerInterval: Math.round(queriesPerInterval * 10) / 10,
			submitP99MsBefore: Math.round(submitBefore.p99 * 10) / 10,
			submitP99MsDuring: Math.round(submitDuring.p99 * 10) / 10,
			details: {
				startedAt: startedAt.toISOString(),
				options: OPTIONS,
				loadAverage: os.loadavg(),
				feedPublic: publicFeed,
				feedMedia: mediaFeed,
				feedStatuses: polled.statuses,
				feedErrors: polled.errors,
				snapshots: statements.snapshots,
				feedStatements: statements.statements,
				intervals,
				submitChangePercent: Math.round(change * 10) / 10
			}
		};
		await mkdir(BENCH_DIR, { recursive: true });
		await writeFile(path.join(BENCH_DIR, 'feed.json'), `${JSON.stringify(out, null, 2)}\n`);
		console.log(`\nwritten: ${path.join(BENCH_DIR, 'feed.json')}`);
	} finally {
		load?.stop();
		pollAgent.destroy();
		if (portal && portal.exitCode === null) {
			// The portal first, so that its workers do not log PostgreSQL going away.
			const exited = new Promise((resolve) => portal!.once('exit', resolve));
			portal.kill('SIGTERM');
			await Promise.race([exited, sleep(10_000)]);
		}
		smtp.close();
		await db.destroy();
		await pg.stop();
	}
});
