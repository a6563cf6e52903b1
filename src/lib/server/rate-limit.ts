/**
 * Rate limits with a sliding window (two fixed windows weighted), keyed by a bucket name and a
 * key (client address, username, session). The portal counts in PostgreSQL (issue 16:
 * db/queries/rate-limits.ts), so that a limit holds across every process and machine: 30 eID
 * login starts a minute from one address are 30 across all of them. `RateLimiter` is the same
 * rule over one process's memory, for tests and tools.
 */
import type { DbOrTrx } from './db/index';
import { countRateLimitHit, deleteRateLimitHits, deleteRateLimitHitsBefore } from './db/queries/rate-limits';
import { db } from './db/runtime';
import { metrics } from './metrics';
import { PORTAL_RATE_LIMITS, slidingWindowVerdict, windowOf, type RateLimitRule, type RateLimitVerdict } from './rate-limit-window';

export { PORTAL_RATE_LIMITS, slidingWindowVerdict, windowOf, type PortalBucket, type RateLimitRule, type RateLimitVerdict } from './rate-limit-window';

interface Counter {
	windowStart: number;
	current: number;
	previous: number;
}

export class RateLimiter {
	private readonly counters = new Map<string, Counter>();
	private lastSweep = 0;

	constructor(private readonly rules: Record<string, RateLimitRule>) {}

	/** Counts one attempt and says whether it is allowed; `nowMs` comes from the caller. */
	hit(bucket: string, key: string, nowMs: number): RateLimitVerdict {
		const rule = this.rules[bucket];
		if (!rule) throw new Error(`Unknown rate-limit bucket ${bucket}`);
		this.sweep(nowMs);
		const { windowMs, windowStart } = windowOf(rule, nowMs);
		const id = `${bucket}\u0000${key}`;
		let c = this.counters.get(id);
		if (!c || c.windowStart < windowStart - windowMs) c = { windowStart, current: 0, previous: 0 };
		else if (c.windowStart < windowStart) c = { windowStart, current: 0, previous: c.current };
		const verdict = slidingWindowVerdict(rule, nowMs, c.current, c.previous);
		if (!verdict.allowed) {
			this.counters.set(id, c);
			return verdict;
		}
		c.current++;
		this.counters.set(id, c);
		return { allowed: true };
	}

	/** Forgets a key, e.g. after a successful login. */
	reset(bucket: string, key: string): void {
		this.counters.delete(`${bucket}\u0000${key}`);
	}

	private sweep(nowMs: number): void {
		if (nowMs - this.lastSweep < 60_000) return;
		this.lastSweep = nowMs;
		const longest = Math.max(...Object.values(this.rules).map((r) => r.windowSeconds)) * 2000;
		for (const [id, c] of this.counters) if (c.windowStart < nowMs - longest) this.counters.delete(id);
	}
}


/** Keys longer than this are cut (a client address or a session id is far shorter). */
const MAX_KEY_LENGTH = 200;

/**
 * The portal's limits counted in PostgreSQL (table rate_limit_hit, migration
 * 0012_cluster_shared_state): one atomic upsert per attempt, shared by every process.
 */
export class PgRateLimiter {
	#lastSweep = 0;
	constructor(
		private readonly rules: Record<string, RateLimitRule>,
		private readonly database: () => DbOrTrx,
		private readonly onRefused: (bucket: string) => void = () => {}
	) {}

	async hit(bucket: string, key: string, nowMs: number): Promise<RateLimitVerdict> {
		const rule = this.rules[bucket];
		if (!rule) throw new Error(`Unknown rate-limit bucket ${bucket}`);
		const database = this.database();
		await this.#sweep(database, nowMs);
		const k = key.slice(0, MAX_KEY_LENGTH);
		const verdict = await countRateLimitHit(database, { bucket, key: k, rule, nowMs });
		if (!verdict.allowed) this.onRefused(bucket);
		return verdict;
	}

	async reset(bucket: string, key: string): Promise<void> {
		await deleteRateLimitHits(this.database(), bucket, key.slice(0, MAX_KEY_LENGTH));
	}

	/** Once a minute per process: windows older than twice the longest rule's go. */
	async #sweep(database: DbOrTrx, nowMs: number): Promise<void> {
		if (nowMs - this.#lastSweep < 60_000) return;
		this.#lastSweep = nowMs;
		const longest = Math.max(...Object.values(this.rules).map((r) => r.windowSeconds)) * 2000;
		await deleteRateLimitHitsBefore(database, nowMs - longest);
	}
}

export const rateLimiter = new PgRateLimiter(PORTAL_RATE_LIMITS, () => db(), (bucket) => metrics().rateLimitRefusals.inc({ bucket }));

/**
 * The results feed's budgets (issue 17), in each process's memory: the feed is served from a
 * snapshot in memory, and a database write per poll would make its cost grow with the number of
 * clients (one set of queries per interval is the point). N processes allow N × the budget.
 * Registered media have a budget of their own per organisation, apart from the public's per
 * address: a newsroom's production addresses are never slowed down by the public behind them.
 * RESULTS_FEED_RATE_LIMIT and RESULTS_FEED_MEDIA_RATE_LIMIT set them.
 */
export function feedRateLimits(perAddress: number, perOrganisation: number) {
	return {
		// A client polling every 30 s needs 2 a minute; a newsroom's office behind one address, more (default 120).
		'results-feed': { limit: perAddress, windowSeconds: 60 },
		// Every 5 s from up to 5 addresses is 60 a minute; twice that for retries (default 120).
		'results-feed-media': { limit: perOrganisation, windowSeconds: 60 }
	} satisfies Record<string, RateLimitRule>;
}
