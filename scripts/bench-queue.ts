/**
 * npm run bench:queue [-- --requests 100000 --voters 150000]
 *
 * Fills the database named by DATABASE_URL (a scratch database: it adds voters and requests
 * and removes nothing) with generated requests, then prints EXPLAIN ANALYZE of the staff
 * queue's queries (src/lib/server/db/queries/queue.ts) for the office with the most requests:
 * first page by each sort, a deep page by cursor, filters, the three searches and the counts
 * per state. A measurement, not a test: it asserts nothing about time.
 */
import { sql, type CompiledQuery } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Db } from '../src/lib/server/db/index';
import {
	countQueueStates,
	findOfficeRequestIdByReference,
	listQueuePage,
	queuePageQuery,
	queueStateCountsQuery,
	type QueuePageQuery
} from '../src/lib/server/db/queries/queue';
import { insertGeneratedVoters, isDatabaseEmpty, seedDemoData } from '../src/lib/server/db/seed';
import { openCliDatabase, progressBar, run, UsageError } from './cli';

function option(name: string, fallback: number, max: number): number {
	const i = process.argv.indexOf(`--${name}`);
	if (i < 0) return fallback;
	const value = Number(process.argv[i + 1]);
	if (!Number.isInteger(value) || value < 1 || value > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}`);
	return value;
}

async function count(db: Db, table: 'voter' | 'request'): Promise<number> {
	const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db);
	return rows[0]?.n ?? 0;
}

async function ensureVoters(db: Db, target: number): Promise<void> {
	if (await isDatabaseEmpty(db)) await seedDemoData(db, { now: Temporal.Instant.from('2026-11-20T08:00:00Z'), voters: 0 });
	const missing = target - (await count(db, 'voter'));
	if (missing <= 0) return;
	const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM voter WHERE import_key LIKE 'seed:%'`.execute(db);
	await insertGeneratedVoters(db, { count: missing, startIndex: rows[0]?.n ?? 0, batchSize: 10_000, onProgress: progressBar('voters') });
}

/**
 * One request per voter (so that no "one live request per round" constraint is hit), at the
 * voter's own office: municipal voters ask for voter cards, special-district voters for
 * packages, cards or a registration; receipts spread over 60 days, states mixed.
 */
async function ensureRequests(db: Db, target: number): Promise<void> {
	const missing = target - (await count(db, 'request'));
	if (missing <= 0) return;
	console.log(`adding ${missing} generated requests`);
	await sql`
		WITH elections AS (
			SELECT array_agg(id ORDER BY type) AS ids FROM election WHERE type IN ('chamber', 'president')
		), candidates AS (
			SELECT v.id AS voter_id,
				coalesce(v.special_district_office_id, v.municipal_office_id) AS office_id,
				v.special_district_office_id IS NOT NULL AS abroad,
				row_number() OVER (ORDER BY v.id) AS n
			FROM voter v
			WHERE NOT EXISTS (SELECT 1 FROM request r WHERE r.voter_id = v.id)
			LIMIT ${missing}
		), shaped AS (
			SELECT c.*, random() AS r_kind, random() AS r_state, random() AS r_channel, random() AS r_election, random() AS r_time,
				(SELECT ids FROM elections) AS ids
			FROM candidates c
		), typed AS (
			SELECT s.*,
				CASE WHEN NOT abroad THEN 'voter-card'
					WHEN r_kind < 0.15 THEN 'special-district-registration'
					WHEN r_kind < 0.75 THEN 'correspondence-package'
					ELSE 'voter-card' END AS kind,
				CASE WHEN r_election < 0.6 THEN ids[1] ELSE ids[2] END AS election_id
			FROM shaped s
		)
		INSERT INTO request (reference, kind, voter_id, election_id, round, office_id, channel, state, received_at, refusal_reason, delivery)
		SELECT
			'BQ-' || lpad(to_hex(n::int), 8, '0'),
			kind,
			voter_id,
			CASE WHEN kind = 'special-district-registration' THEN NULL ELSE election_id END,
			CASE WHEN kind = 'special-district-registration' THEN NULL
				WHEN election_id = ids[2] AND r_kind > 0.5 THEN 2 ELSE 1 END,
			office_id,
			CASE WHEN r_channel < 0.7 THEN 'portal' WHEN r_channel < 0.85 THEN 'in-person' WHEN r_channel < 0.97 THEN 'data-box' ELSE 'verified-letter' END,
			CASE WHEN r_state < 0.3 THEN 'received' WHEN r_state < 0.5 THEN 'accepted' WHEN r_state < 0.75 THEN 'issued'
				WHEN r_state < 0.85 THEN 'completed' WHEN r_state < 0.95 THEN 'refused' ELSE 'cancelled' END,
			date_trunc('milliseconds', timestamptz '2026-09-21 08:00:00+00' + r_time * interval '60 days'),
			CASE WHEN r_state >= 0.85 AND r_state < 0.95 THEN 'deadline-passed' END,
			CASE WHEN kind = 'special-district-registration' THEN NULL ELSE 'post' END
		FROM typed
	`.execute(db);
	// As autovacuum would: statistics, and the visibility map that lets counts read the index alone.
	await sql`VACUUM ANALYZE request`.execute(db);
	await sql`VACUUM ANALYZE voter`.execute(db);
}

async function explain(db: Db, label: string, compiled: CompiledQuery): Promise<void> {
	const { rows } = await db.executeQuery<{ 'QUERY PLAN': string }>({
		...compiled,
		sql: `EXPLAIN (ANALYZE, BUFFERS) ${compiled.sql}`
	});
	const plan = rows.map((r) => r['QUERY PLAN']);
	const execution = plan.find((line) => line.startsWith('Execution Time'));
	console.log(`\n=== ${label}: ${execution ?? ''}`);
	if (process.argv.includes('--plans')) for (const line of plan) console.log(`  ${line}`);
	else console.log(`  ${plan[0]}\n  ${plan.filter((l) => /Index|Seq Scan|Bitmap/.test(l)).map((l) => l.trim()).join('\n  ')}`);
}

async function main() {
	const requests = option('requests', 100_000, 2_000_000);
	const voters = option('voters', Math.ceil(requests * 1.5), 5_000_000);
	const { db, close } = await openCliDatabase();
	try {
		await ensureVoters(db, voters);
		await ensureRequests(db, requests);
		const { rows: top } = await sql<{ office_id: string; election_id: string; n: number }>`
			SELECT office_id, election_id, count(*)::int AS n FROM request WHERE election_id IS NOT NULL
			GROUP BY 1, 2 ORDER BY n DESC LIMIT 1`.execute(db);
		const busiest = top[0];
		if (!busiest) throw new Error('no requests');
		console.log(`requests: ${await count(db, 'request')}, voters: ${await count(db, 'voter')}`);
		console.log(`busiest office and election: ${busiest.n} requests`);

		const base: QueuePageQuery = { officeId: busiest.office_id, electionId: busiest.election_id, sort: 'deadline' };
		const first = await listQueuePage(db, base);
		const deep = await (async () => {
			let page = first;
			for (let i = 0; i < 100 && page.hasNext; i++) page = await listQueuePage(db, { ...base, after: { at: page.rows.at(-1)!.cursor_at, id: page.rows.at(-1)!.id } });
			return page;
		})();
		const sample = (await db.selectFrom('request').innerJoin('voter', 'voter.id', 'request.voter_id')
			.select(['request.reference', 'voter.family_name', 'voter.given_name', 'voter.birth_date'])
			.where('request.office_id', '=', busiest.office_id).where('request.election_id', '=', busiest.election_id)
			.orderBy('request.received_at').offset(1234).limit(1).executeTakeFirstOrThrow());
		const cursorOf = (row: { cursor_at: string; id: string }) => ({ at: row.cursor_at, id: row.id });

		const variants: [string, QueuePageQuery][] = [
			['first page, §77 deadline order', base],
			['first page, newest first', { ...base, sort: 'newest' }],
			['page 101 by cursor (after 5,000 rows)', { ...base, after: cursorOf(deep.rows[0]!) }],
			['previous page by cursor', { ...base, before: cursorOf(deep.rows[0]!) }],
			['state received, deadline order', { ...base, state: 'received' }],
			['channel verified-letter (3 %)', { ...base, channel: 'verified-letter' }],
			['kind + state + channel + round', { ...base, kind: 'voter-card', state: 'received', channel: 'data-box', round: 1 }],
			['search: date of birth', { ...base, search: { kind: 'birth-date', date: sample.birth_date } }],
			['search: family name prefix', { ...base, search: { kind: 'name', words: [sample.family_name.slice(0, 4)] } }],
			['search: given + family name', { ...base, search: { kind: 'name', words: [sample.given_name, sample.family_name] } }]
		];
		for (const [label, q] of variants) await explain(db, label, queuePageQuery(db, q).compile());
		await explain(
			db,
			'reference (straight to the request)',
			db.selectFrom('request').select('id').where('office_id', '=', busiest.office_id).where('reference', '=', sample.reference).compile()
		);
		if (!(await findOfficeRequestIdByReference(db, busiest.office_id, sample.reference))) throw new Error('reference not found');
		await explain(db, 'counts per state', queueStateCountsQuery(db, base).compile());
		await explain(db, 'counts per state, name search', queueStateCountsQuery(db, { ...base, search: { kind: 'name', words: [sample.family_name.slice(0, 4)] } }).compile());
		console.log('\ncounts', await countQueueStates(db, base));
	} finally {
		await close();
	}
}

run(main);
