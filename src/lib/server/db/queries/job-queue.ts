/** graphile-worker's queue seen from outside (metrics.ts): its private table, read only. */
import { sql } from 'kysely';
import type { DbOrTrx } from '../index';

/** Jobs due and not taken by a runner, and jobs that have used up their attempts. */
export async function countQueuedJobs(db: DbOrTrx): Promise<{ ready: number; failed: number }> {
	const { rows } = await sql<{ ready: string; failed: string }>`
		SELECT count(*) FILTER (WHERE attempts < max_attempts AND run_at <= now() AND locked_at IS NULL) AS ready,
		       count(*) FILTER (WHERE attempts >= max_attempts) AS failed
		FROM graphile_worker._private_jobs
	`.execute(db);
	return { ready: Number(rows[0]?.ready ?? 0), failed: Number(rows[0]?.failed ?? 0) };
}
