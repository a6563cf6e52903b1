/**
 * npm run seed:voters -- --count 1000000: add N generated voters (for load tests), after
 * the ones already generated. Needs the demo offices (npm run seed).
 */
import { sql } from 'kysely';
import { insertGeneratedVoters } from '../src/lib/server/db/seed';
import { openCliDatabase, progressBar, run, UsageError } from './cli';

run(async () => {
	const arg = process.argv.indexOf('--count');
	const count = arg >= 0 ? Number(process.argv[arg + 1]) : NaN;
	if (!Number.isInteger(count) || count < 1 || count > 10_000_000) throw new UsageError('Usage: npm run seed:voters -- --count N   (1 ≤ N ≤ 10,000,000)');
	const { db, close } = await openCliDatabase();
	try {
		const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM voter WHERE import_key LIKE 'seed:%'`.execute(db);
		const startIndex = rows[0]?.n ?? 0;
		const started = performance.now();
		const inserted = await insertGeneratedVoters(db, { count, startIndex, batchSize: 10_000, onProgress: progressBar('voters') });
		const seconds = (performance.now() - started) / 1000;
		console.log(`inserted ${inserted} voters in ${seconds.toFixed(1)} s (${Math.round(inserted / seconds)}/s)`);
	} finally {
		await close();
	}
});
