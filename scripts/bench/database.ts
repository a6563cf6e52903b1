/**
 * The benchmarks' shared database and data (npm run bench, npm run bench:batch): the folder
 * kept between runs, free ports, the generated voters and an election of the run.
 */
import net from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import type { Temporal } from 'temporal-polyfill';
import { systemClock } from '../../src/lib/server/clock';
import type { Db } from '../../src/lib/server/db/index';
import { insertGeneratedVoters, isDatabaseEmpty, seedDemoData } from '../../src/lib/server/db/seed';
import { createElection } from '../../src/lib/server/services/elections';
import { progressBar, repoRoot } from '../cli';

export const BENCH_DIR = path.join(repoRoot, '.data', 'bench');
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

