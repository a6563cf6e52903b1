/**
 * Rate-limit counters shared by every portal process (issue 16; the rule: rate-limit.ts).
 * One row per bucket, key and fixed window; the table is UNLOGGED (migration
 * 0012_cluster_shared_state): a counter is worth no WAL, and after a crash it starts again at 0.
 */
import { sql } from 'kysely';
import type { DbOrTrx } from '../index';
import { slidingWindowVerdict, windowOf, type RateLimitRule, type RateLimitVerdict } from '../../rate-limit-window';

/**
 * Counts one attempt if the sliding window allows it, in one statement: the insert or the
 * increment happens only when the weighted count of the previous and the current window stays
 * within the limit. Concurrent attempts on one key serialise on its row (ON CONFLICT), so that
 * of 31 at the same moment exactly 30 are counted. Refused: the counts, to tell how long to wait.
 */
export async function countRateLimitHit(
	db: DbOrTrx,
	input: { bucket: string; key: string; rule: RateLimitRule; nowMs: number }
): Promise<RateLimitVerdict> {
	const { bucket, key, rule, nowMs } = input;
	const { windowMs, windowStart, elapsed } = windowOf(rule, nowMs);
	const previousStart = windowStart - windowMs;
	// What may still be counted in the current window, given the previous one's weight.
	const previousWeight = 1 - elapsed;
	const counted = await sql<{ hits: number }>`
		INSERT INTO rate_limit_hit AS r (bucket, key, window_start, hits)
		SELECT ${bucket}, ${key}, ${windowStart}::bigint, 1
		WHERE 1 + coalesce((SELECT p.hits FROM rate_limit_hit p WHERE p.bucket = ${bucket} AND p.key = ${key} AND p.window_start = ${previousStart}::bigint), 0) * ${previousWeight}::float8 <= ${rule.limit}
		ON CONFLICT (bucket, key, window_start) DO UPDATE SET hits = r.hits + 1
		WHERE r.hits + 1 + coalesce((SELECT p.hits FROM rate_limit_hit p WHERE p.bucket = ${bucket} AND p.key = ${key} AND p.window_start = ${previousStart}::bigint), 0) * ${previousWeight}::float8 <= ${rule.limit}
		RETURNING r.hits
	`.execute(db);
	if (counted.rows.length > 0) return { allowed: true };
	const rows = await db
		.selectFrom('rate_limit_hit')
		.select(['window_start', 'hits'])
		.where('bucket', '=', bucket)
		.where('key', '=', key)
		.where('window_start', 'in', [String(windowStart), String(previousStart)])
		.execute();
	const hitsAt = (start: number) => rows.find((r) => Number(r.window_start) === start)?.hits ?? 0;
	const verdict = slidingWindowVerdict(rule, nowMs, hitsAt(windowStart), hitsAt(previousStart));
	// Counted as refused even if a window just slid past between the two statements.
	return verdict.allowed ? { allowed: false, retryAfterSeconds: 1 } : verdict;
}

/** Forgets a key in a bucket (a successful login). */
export async function deleteRateLimitHits(db: DbOrTrx, bucket: string, key: string): Promise<void> {
	await db.deleteFrom('rate_limit_hit').where('bucket', '=', bucket).where('key', '=', key).execute();
}

/** Windows that no rule looks at any more. */
export async function deleteRateLimitHitsBefore(db: DbOrTrx, beforeMs: number): Promise<void> {
	await db.deleteFrom('rate_limit_hit').where('window_start', '<', String(Math.floor(beforeMs))).execute();
}
