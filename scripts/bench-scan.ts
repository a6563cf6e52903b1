/**
 * npm run bench:scan [-- --scans 300 --voters 1000000 --packages 50000 --interval 150 --no-build]
 *
 * The envelope station at scanner speed (issue 13), in a real browser against the production
 * build: Playwright types each code into the station's field and presses Enter, `--interval` ms
 * apart, as a handheld scanner does, on a database of `--voters` generated voters with
 * `--packages` packages issued at one embassy. Half the scans are of new envelopes; the other
 * half are refusals, 10 % of each kind: already recorded, unknown code, another embassy's
 * envelope, another election's, mistyped. (A late arrival cannot be among them: it needs the
 * station's election closed, and then every scan is late; the tests cover it.)
 *
 * Prints the time from Enter to the outcome shown in the list (p50/p95/p99, measured in the
 * page), scans per minute sustained, and the server's p99 for the endpoint (time to first byte
 * of its answers, from the browser's resource timing). Then the same number of scans again with
 * the portal killed (SIGKILL) for 10 s in the middle and started again: every scan must end
 * recorded or refused correctly, none lost, none twice. A benchmark, not a timed test: it exits
 * non-zero only when a scan is lost or recorded twice. Writes .data/bench/scan.json.
 *
 * Reuses npm run bench's PostgreSQL (.data/bench/postgres, with its generated voters) and its
 * build copy helpers (scripts/bench/harness.ts); not at the same time as npm run bench.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { sql } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { ENVELOPE_CODE_RANDOM_BYTES, formatEnvelopeCode, generateEnvelopeCode } from '../src/lib/domain/envelopes';
import { createSession } from '../src/lib/server/auth/session';
import { SESSION_COOKIE } from '../src/lib/server/auth/cookies';
import { systemClock } from '../src/lib/server/clock';
import { createDb, type Db } from '../src/lib/server/db/index';
import { migrateToLatest, providerFromFolder } from '../src/lib/server/db/migrate';
import { createElection } from '../src/lib/server/services/elections';
import { insertFixtureEmbassy, insertFixtureStaff, issueFixturePackages } from '../src/lib/server/services/envelope-fixtures';
import { chromiumArgs, chromiumExecutablePath } from '../tests/support/chromium';
import {
	DATABASE,
	BENCH_DIR,
	ensureVoters,
	freePort,
	httpStatus,
	intOption,
	portalEntry,
	prepareBuild,
	productionPortalEnv,
	sleep,
	startBenchPostgres,
	waitFor
} from './bench/harness';
import { summarise } from './bench/stats';
import { migrationsFolder, repoRoot, run } from './cli';

const OPTIONS = {
	scans: intOption('scans', 300, 10, 5_000),
	voters: intOption('voters', 1_000_000, 10_000, 5_000_000),
	packages: intOption('packages', 50_000, 1_000, 500_000),
	interval: intOption('interval', 150, 20, 5_000),
	build: !process.argv.includes('--no-build')
};
const OUTAGE_MS = 10_000;

type Kind = 'recorded' | 'duplicate' | 'unknown' | 'other-embassy' | 'wrong-election' | 'invalid';

interface Setup {
	embassyId: string;
	otherEmbassyId: string;
	electionId: string;
	otherElectionId: string;
	staffIds: string[];
	/** Unscanned codes of the station's election, of another embassy, of another election. */
	fresh: string[];
	otherEmbassy: string[];
	otherElection: string[];
}

/** A Chamber election whose voting is weeks ahead, so that every scan is on time (§57c(4)). */
async function benchElection(db: Db, weeks: number, label: string): Promise<string> {
	const today = systemClock.now().toZonedDateTimeISO('Europe/Prague').toPlainDate();
	let firstDay = today.add({ weeks });
	while (firstDay.dayOfWeek !== 5) firstDay = firstDay.add({ days: 1 });
	const created = await createElection(
		db,
		{ type: 'chamber', announcedOn: today.subtract({ days: 1 }).toString(), rounds: [{ round: 1, firstDay: firstDay.toString() }], titleCs: `Skenovací stanice ${label}`, titleEn: `Scan station ${label}` },
		{ kind: 'system' },
		systemClock.now()
	);
	if (!created.ok) throw new Error(`benchmark election is invalid: ${JSON.stringify(created.errors)}`);
	return created.id;
}

async function setUp(db: Db, packages: number): Promise<Setup> {
	const stamp = Date.now().toString(36);
	const embassy = await insertFixtureEmbassy(db, { timeZone: 'Europe/Berlin', code: `zu-scan-${stamp}` });
	const other = await insertFixtureEmbassy(db, { timeZone: 'Europe/Vienna', code: `zu-scan-o-${stamp}` });
	const electionId = await benchElection(db, 8, stamp);
	const otherElectionId = await benchElection(db, 12, `${stamp}-2`);
	const head = await insertFixtureStaff(db, { officeId: embassy.id, role: 'embassy-head' });
	const otherHead = await insertFixtureStaff(db, { officeId: other.id, role: 'embassy-head' });
	const voters = await db
		.selectFrom('voter')
		.select('id')
		.where('import_key', 'like', 'seed:%')
		.where('anonymised_at', 'is', null)
		.orderBy(sql`random()`)
		.limit(packages + 2_000)
		.execute();
	if (voters.length < packages + 2_000) throw new Error(`only ${voters.length} generated voters for ${packages} packages`);
	const ids = voters.map((v) => v.id);
	console.log(`issuing ${packages} packages at the station's embassy…`);
	const mine = await issueFixturePackages(db, { officeId: embassy.id, electionId, round: 1, voterIds: ids.slice(0, packages), issuedBy: head.id });
	const theirs = await issueFixturePackages(db, { officeId: other.id, electionId, round: 1, voterIds: ids.slice(packages, packages + 1_000), issuedBy: otherHead.id });
	const otherRound = await issueFixturePackages(db, { officeId: embassy.id, electionId: otherElectionId, round: 1, voterIds: ids.slice(packages + 1_000), issuedBy: head.id });
	await sql`ANALYZE correspondence_package`.execute(db);
	return {
		embassyId: embassy.id,
		otherEmbassyId: other.id,
		electionId,
		otherElectionId,
		staffIds: [head.id],
		fresh: mine.map((p) => p.code),
		otherEmbassy: theirs.map((p) => p.code),
		otherElection: otherRound.map((p) => p.code)
	};
}

async function tearDown(db: Db, s: Setup): Promise<void> {
	const offices = [s.embassyId, s.otherEmbassyId];
	await db.transaction().execute(async (trx) => {
		await trx.deleteFrom('envelope_scan').where('office_id', 'in', offices).execute();
		await trx.deleteFrom('return_envelope').where('office_id', 'in', offices).execute();
		await trx.deleteFrom('correspondence_package').where('office_id', 'in', offices).execute();
		await trx.deleteFrom('request').where('office_id', 'in', offices).execute();
		await trx.deleteFrom('session').where('staff_id', 'in', trx.selectFrom('staff_user').select('id').where('office_id', 'in', offices)).execute();
		await trx.deleteFrom('election').where('id', 'in', [s.electionId, s.otherElectionId]).execute();
		await trx.deleteFrom('staff_user').where('office_id', 'in', offices).execute();
		await trx.deleteFrom('embassy_voting_window').where('office_id', 'in', offices).execute();
		await trx.deleteFrom('office_counter').where('office_id', 'in', offices).execute();
		await trx.deleteFrom('office').where('id', 'in', offices).execute();
	});
}

interface Planned {
	code: string;
	expect: Kind;
}

function freshCode(): string {
	return generateEnvelopeCode(crypto.getRandomValues(new Uint8Array(ENVELOPE_CODE_RANDOM_BYTES)));
}

/** `n` scans: half new envelopes, 10 % of each refusal, shuffled; a duplicate only after its first scan. */
function plan(s: Setup, n: number): Planned[] {
	const refusals: Kind[] = ['duplicate', 'unknown', 'other-embassy', 'wrong-election', 'invalid'];
	const kinds: Kind[] = [];
	for (let i = 0; i < n; i++) kinds.push(i % 10 < 5 ? 'recorded' : refusals[i % 10 - 5]!);
	for (let i = kinds.length - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
	}
	const recorded: string[] = [];
	const out: Planned[] = [];
	for (const kind of kinds) {
		switch (kind) {
			case 'recorded': {
				const code = s.fresh.pop()!;
				recorded.push(code);
				out.push({ code, expect: 'recorded' });
				break;
			}
			case 'duplicate':
				// Before any new envelope, an envelope recorded by an earlier run's scan: fresh then, recorded now.
				if (recorded.length === 0) {
					const code = s.fresh.pop()!;
					recorded.push(code);
					out.push({ code, expect: 'recorded' });
				} else out.push({ code: recorded[Math.floor(Math.random() * recorded.length)]!, expect: 'duplicate' });
				break;
			case 'unknown':
				out.push({ code: freshCode(), expect: 'unknown' });
				break;
			case 'other-embassy':
				out.push({ code: s.otherEmbassy.pop()!, expect: 'other-embassy' });
				break;
			case 'wrong-election':
				out.push({ code: s.otherElection.pop()!, expect: 'wrong-election' });
				break;
			case 'invalid': {
				const code = s.fresh[0]!;
				const last = code.at(-1) === 'A' ? 'B' : 'A';
				out.push({ code: `${code.slice(0, 11)}${last}`, expect: 'invalid' });
				break;
			}
		}
	}
	return out;
}

/** In the page: Enter times in order, and when each line of the list first shows an outcome. */
const INSTRUMENT = `(() => {
	const m = { enters: [], shown: [], outcomes: [], added: 0 };
	window.__scanBench = m;
	document.addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.target && e.target.id === 'kod') m.enters.push(performance.now()); }, true);
	const settle = (li) => {
		const kind = li.dataset.scan;
		if (li.__i === undefined || m.shown[li.__i] !== undefined || kind === 'queued') return;
		m.shown[li.__i] = performance.now();
		m.outcomes[li.__i] = { kind, code: li.dataset.code };
	};
	const watch = () => {
		const list = document.getElementById('seznam-skenu');
		if (!list) return setTimeout(watch, 50);
		new MutationObserver((records) => {
			for (const r of records) {
				if (r.type === 'childList') for (const n of r.addedNodes) { if (n.nodeType === 1 && n.tagName === 'LI' && n.__i === undefined) { n.__i = m.added++; settle(n); } }
				else if (r.type === 'attributes' && r.target.tagName === 'LI') settle(r.target);
			}
		}).observe(list, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-scan'] });
	};
	watch();
})()`;

interface PageFigures {
	enters: number[];
	shown: (number | null)[];
	outcomes: ({ kind: string; code: string } | null)[];
	serverMs: number[];
}

async function readFigures(page: Page): Promise<PageFigures> {
	return page.evaluate(() => {
		const m = (window as unknown as { __scanBench: { enters: number[]; shown: (number | undefined)[]; outcomes: ({ kind: string; code: string } | undefined)[] } }).__scanBench;
		const serverMs = performance
			.getEntriesByType('resource')
			.filter((e) => e.name.includes('/obalky/sken'))
			.map((e) => (e as PerformanceResourceTiming).responseStart - (e as PerformanceResourceTiming).requestStart)
			.filter((v) => v > 0);
		return {
			enters: m.enters,
			shown: Array.from({ length: m.enters.length }, (_, i) => m.shown[i] ?? null),
			outcomes: Array.from({ length: m.enters.length }, (_, i) => m.outcomes[i] ?? null),
			serverMs
		};
	});
}

interface RunResult {
	scans: number;
	latencies: number[];
	perMinute: number;
	serverP99Ms: number;
	lost: number;
	wrong: number;
	duplicates: number;
	byKind: Record<string, number>;
}

/** Compares what the page showed and what the database holds with the plan. */
async function verify(db: Db, s: Setup, planned: Planned[], figures: PageFigures, startedAtMs: number): Promise<Omit<RunResult, 'latencies' | 'perMinute' | 'serverP99Ms' | 'scans'>> {
	const byKind: Record<string, number> = {};
	// A scan is lost when the page never showed its outcome, or when it was a new envelope the database does not hold.
	const lost = new Set<number>();
	let wrong = 0;
	planned.forEach((p, i) => {
		const o = figures.outcomes[i];
		if (!o) {
			lost.add(i);
			return;
		}
		byKind[o.kind] = (byKind[o.kind] ?? 0) + 1;
		if (o.kind !== p.expect) wrong++;
	});
	const rows = await db
		.selectFrom('return_envelope as e')
		.innerJoin('correspondence_package as p', 'p.id', 'e.package_id')
		.select(['p.envelope_code', (eb) => eb.fn.countAll<number>().as('n')])
		.where('e.office_id', '=', s.embassyId)
		.where('e.received_at', '>=', new Date(startedAtMs))
		.groupBy('p.envelope_code')
		.execute();
	const recordedInDb = new Map(rows.map((r) => [r.envelope_code, Number(r.n)]));
	const newCodes = new Set(planned.filter((p) => p.expect === 'recorded').map((p) => p.code));
	planned.forEach((p, i) => {
		if (p.expect === 'recorded' && !recordedInDb.has(p.code)) lost.add(i);
	});
	// Recorded twice: a package with two envelopes, or an envelope recorded for a code that was not a new one.
	const duplicates = [...recordedInDb].filter(([code, n]) => n > 1 || !newCodes.has(code)).length;
	return { byKind, lost: lost.size, wrong, duplicates };
}

async function scanAll(page: Page, planned: Planned[], interval: number, during?: (i: number) => void): Promise<void> {
	let next = performance.now();
	for (const [i, p] of planned.entries()) {
		during?.(i);
		const wait = next - performance.now();
		if (wait > 0) await sleep(wait);
		next += interval;
		// A scanner types the whole code in a few milliseconds, then Enter.
		await page.keyboard.insertText(formatEnvelopeCode(p.code).replace(/-/g, ''));
		await page.keyboard.press('Enter');
	}
}

run(async () => {
	const startedAt = new Date();
	console.log(`npm run bench:scan — ${startedAt.toISOString()} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
	console.log(`options: ${JSON.stringify(OPTIONS)}`);
	const buildDir = await prepareBuild(OPTIONS.build, path.join(BENCH_DIR, 'scan'));
	const pg = await startBenchPostgres(false);
	const databaseUrl = pg.url(DATABASE);
	const { db } = createDb({ connectionString: databaseUrl, max: 4, onPoolError: () => {} });
	let portal: ChildProcess | undefined;
	const browser = await chromium.launch({ executablePath: chromiumExecutablePath(), args: [...chromiumArgs] });
	let setup: Setup | undefined;
	const stopPortal = () => {
		if (portal && portal.exitCode === null) portal.kill('SIGKILL');
	};
	process.once('SIGINT', stopPortal);
	process.once('SIGTERM', stopPortal);
	try {
		await migrateToLatest(db, providerFromFolder(migrationsFolder));
		const voters = await ensureVoters(db, OPTIONS.voters);
		console.log(`PostgreSQL on port ${pg.port}, ${voters} generated voters`);
		setup = await setUp(db, OPTIONS.packages);
		const s = setup;
		const port = await freePort();
		const origin = `http://127.0.0.1:${port}`;
		// No mail is sent (generated voters have no confirmed address): the SMTP port stays closed.
		const env = productionPortalEnv({ databaseUrl, port, pool: 10, smtpPort: await freePort() });
		const startPortal = async () => {
			portal = spawn(process.execPath, [portalEntry(buildDir)], { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'inherit'] });
			await waitFor(async () => (await httpStatus(`${origin}/health`)).status === 200, 60_000, 'the portal');
		};
		await startPortal();
		const { token } = await createSession(db, { kind: 'staff', staffId: s.staffIds[0]!, twoFactorVerified: true }, Temporal.Now.instant());

		const runOnce = async (label: string, outage: boolean): Promise<RunResult> => {
			const context = await browser.newContext({ baseURL: origin, locale: 'cs-CZ' });
			await context.addCookies([{ name: SESSION_COOKIE, value: token, domain: '127.0.0.1', path: '/', httpOnly: true, secure: false, sameSite: 'Lax' }]);
			await context.addInitScript(INSTRUMENT);
			const page = await context.newPage();
			await page.goto(`/urad/zastupitelsky-urad/obalky?volby=${s.electionId}-1`);
			await page.locator('[data-station]').waitFor();
			await page.locator('#kod').focus();
			const planned = plan(s, OPTIONS.scans);
			const startedMs = Date.now();
			let restarting: Promise<void> | undefined;
			await scanAll(page, planned, OPTIONS.interval, (i) => {
				if (outage && i === Math.floor(planned.length / 3)) {
					console.log(`${label}: killing the portal for ${OUTAGE_MS / 1000} s at scan ${i}`);
					stopPortal();
					restarting = sleep(OUTAGE_MS).then(startPortal);
				}
			});
			await restarting;
			await waitFor(async () => (await page.locator('[data-waiting="0"]').count()) === 1, 180_000, 'the queue to empty');
			await waitFor(async () => (await readFigures(page)).shown.every((v) => v !== null), 30_000, 'every outcome').catch(() => undefined);
			const figures = await readFigures(page);
			await context.close();
			const latencies = figures.enters.map((t, i) => (figures.shown[i] ?? NaN) - t).filter((v) => Number.isFinite(v));
			const firstEnter = figures.enters[0] ?? 0;
			const lastShown = Math.max(...figures.shown.map((v) => v ?? 0));
			const checked = await verify(db, s, planned, figures, startedMs - 1_000);
			const server = summarise(figures.serverMs);
			return {
				scans: planned.length,
				latencies,
				perMinute: (latencies.length / Math.max(1, lastShown - firstEnter)) * 60_000,
				serverP99Ms: server.p99,
				...checked
			};
		};

		const steady = await runOnce('steady', false);
		const lat = summarise(steady.latencies);
		console.log(`steady: ${steady.scans} scans ${OPTIONS.interval} ms apart; Enter → outcome shown p50 ${lat.p50.toFixed(0)} ms, p95 ${lat.p95.toFixed(0)} ms, p99 ${lat.p99.toFixed(0)} ms, max ${lat.max.toFixed(0)} ms`);
		console.log(`steady: ${steady.perMinute.toFixed(0)} scans per minute; server p99 (time to first byte) ${steady.serverP99Ms.toFixed(1)} ms`);
		console.log(`steady: outcomes ${JSON.stringify(steady.byKind)}; lost ${steady.lost}, recorded twice ${steady.duplicates}, unexpected outcome ${steady.wrong}`);
		const outage = await runOnce('outage', true);
		console.log(`outage: ${outage.scans} scans, portal killed for ${OUTAGE_MS / 1000} s; outcomes ${JSON.stringify(outage.byKind)}; lost ${outage.lost}, recorded twice ${outage.duplicates}, unexpected outcome ${outage.wrong}`);

		const result = {
			scans: steady.scans,
			p50Ms: Math.round(lat.p50),
			p95Ms: Math.round(lat.p95),
			p99Ms: Math.round(lat.p99),
			perMinute: Math.round(steady.perMinute),
			lost: steady.lost,
			duplicates: steady.duplicates,
			outage: { scans: outage.scans, lost: outage.lost, duplicates: outage.duplicates, unexpected: outage.wrong, byKind: outage.byKind },
			serverP99Ms: Math.round(steady.serverP99Ms * 10) / 10,
			unexpected: steady.wrong,
			byKind: steady.byKind,
			intervalMs: OPTIONS.interval,
			voters,
			packages: OPTIONS.packages,
			machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? '?', loadAverageAtStart: os.loadavg() },
			startedAt: startedAt.toISOString()
		};
		const out = path.join(BENCH_DIR, 'scan.json');
		await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
		console.log(`written ${path.relative(repoRoot, out)}`);
		if (steady.lost + steady.duplicates + outage.lost + outage.duplicates > 0) process.exitCode = 1;
	} finally {
		await browser.close().catch(() => {});
		stopPortal();
		if (setup) await tearDown(db, setup).catch((e: unknown) => console.error(`tear-down failed: ${String(e)}`));
		await db.destroy();
		await pg.stop();
	}
});
