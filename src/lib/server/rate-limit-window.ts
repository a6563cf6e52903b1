/**
 * The sliding-window rule of the rate limits (two fixed windows, the previous one weighted by
 * how much of it still overlaps the last window's length): pure, shared by the in-memory
 * limiter and the PostgreSQL one (rate-limit.ts, db/queries/rate-limits.ts).
 */
export interface RateLimitRule {
	/** Requests allowed per window. */
	limit: number;
	windowSeconds: number;
}

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** The fixed window `nowMs` falls in, and how far into it (0..1). */
export function windowOf(rule: RateLimitRule, nowMs: number): { windowMs: number; windowStart: number; elapsed: number } {
	const windowMs = rule.windowSeconds * 1000;
	const windowStart = Math.floor(nowMs / windowMs) * windowMs;
	return { windowMs, windowStart, elapsed: (nowMs - windowStart) / windowMs };
}

/**
 * The sliding-window rule over the current and the previous window's counts (before this
 * attempt): allowed, or how long to wait until enough of the previous window has slid out.
 */
export function slidingWindowVerdict(rule: RateLimitRule, nowMs: number, current: number, previous: number): RateLimitVerdict {
	const { windowMs, windowStart, elapsed } = windowOf(rule, nowMs);
	const weighted = previous * (1 - elapsed) + current;
	if (weighted + 1 <= rule.limit) return { allowed: true };
	const needed = previous > 0 ? (weighted + 1 - rule.limit) / previous : 1;
	const waitMs = Math.min(windowMs, Math.max(1000, (elapsed + needed) * windowMs - (nowMs - windowStart)));
	return { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) };
}

/** The portal's limits (issue 8): generous for people, tight for scripts. Here, apart from the limiter, so that the tests can read them without the database. */
export const PORTAL_RATE_LIMITS = {
	'eid-login': { limit: 30, windowSeconds: 60 },
	'staff-login': { limit: 10, windowSeconds: 300 },
	totp: { limit: 10, windowSeconds: 300 },
	submission: { limit: 30, windowSeconds: 60 }
} satisfies Record<string, RateLimitRule>;

export type PortalBucket = keyof typeof PORTAL_RATE_LIMITS;
