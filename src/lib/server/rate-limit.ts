/**
 * In-process rate limits with a sliding window (two fixed windows weighted), keyed by
 * a bucket name and a key (client address, username, session). One portal process
 * holds them in memory; behind several processes each enforces its own share.
 */
export interface RateLimitRule {
	/** Requests allowed per window. */
	limit: number;
	windowSeconds: number;
}

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

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
		const windowMs = rule.windowSeconds * 1000;
		const windowStart = Math.floor(nowMs / windowMs) * windowMs;
		const id = `${bucket}\u0000${key}`;
		let c = this.counters.get(id);
		if (!c || c.windowStart < windowStart - windowMs) c = { windowStart, current: 0, previous: 0 };
		else if (c.windowStart < windowStart) c = { windowStart, current: 0, previous: c.current };
		const elapsed = (nowMs - windowStart) / windowMs;
		const weighted = c.previous * (1 - elapsed) + c.current;
		if (weighted + 1 > rule.limit) {
			this.counters.set(id, c);
			// Until enough of the previous window has slid out, or the current one ends.
			const needed = c.previous > 0 ? (weighted + 1 - rule.limit) / c.previous : 1;
			const waitMs = Math.min(windowMs, Math.max(1000, (elapsed + needed) * windowMs - (nowMs - windowStart)));
			return { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) };
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

/** The portal's limits (issue 8): generous for people, tight for scripts. */
export const PORTAL_RATE_LIMITS = {
	'eid-login': { limit: 30, windowSeconds: 60 },
	'staff-login': { limit: 10, windowSeconds: 300 },
	totp: { limit: 10, windowSeconds: 300 },
	submission: { limit: 30, windowSeconds: 60 }
} satisfies Record<string, RateLimitRule>;

export type PortalBucket = keyof typeof PORTAL_RATE_LIMITS;

export const rateLimiter = new RateLimiter(PORTAL_RATE_LIMITS);
