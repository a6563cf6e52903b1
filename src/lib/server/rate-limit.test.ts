import { describe, expect, it } from 'vitest';
import { feedRateLimits, RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
	const t0 = Date.UTC(2026, 10, 20, 9, 0, 0);

	it('allows up to the limit, then refuses with a Retry-After', () => {
		const rl = new RateLimiter({ login: { limit: 3, windowSeconds: 60 } });
		for (let i = 0; i < 3; i++) expect(rl.hit('login', 'ip', t0 + i)).toEqual({ allowed: true });
		const refused = rl.hit('login', 'ip', t0 + 10);
		expect(refused.allowed).toBe(false);
		if (!refused.allowed) {
			expect(refused.retryAfterSeconds).toBeGreaterThan(0);
			expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
		}
	});

	it('keeps keys and buckets apart', () => {
		const rl = new RateLimiter({ a: { limit: 1, windowSeconds: 60 }, b: { limit: 1, windowSeconds: 60 } });
		expect(rl.hit('a', 'x', t0).allowed).toBe(true);
		expect(rl.hit('a', 'y', t0).allowed).toBe(true);
		expect(rl.hit('b', 'x', t0).allowed).toBe(true);
		expect(rl.hit('a', 'x', t0).allowed).toBe(false);
	});

	it('lets attempts through again once the window has slid past', () => {
		const rl = new RateLimiter({ login: { limit: 2, windowSeconds: 60 } });
		rl.hit('login', 'ip', t0);
		rl.hit('login', 'ip', t0);
		expect(rl.hit('login', 'ip', t0 + 1_000).allowed).toBe(false);
		expect(rl.hit('login', 'ip', t0 + 121_000).allowed).toBe(true);
	});

	it('reset forgets a key', () => {
		const rl = new RateLimiter({ login: { limit: 1, windowSeconds: 60 } });
		rl.hit('login', 'ip', t0);
		rl.reset('login', 'ip');
		expect(rl.hit('login', 'ip', t0).allowed).toBe(true);
	});

	it('refuses an unknown bucket loudly (a programming error)', () => {
		const rl = new RateLimiter({});
		expect(() => rl.hit('nope', 'ip', t0)).toThrow(/Unknown rate-limit bucket/);
	});
});

describe('the results feed budgets (issue 17)', () => {
	it("keep a registered organisation's budget apart from the public's of the same address", () => {
		const limiter = new RateLimiter(feedRateLimits(3, 5));
		const now = 1_000_000;
		for (let i = 0; i < 3; i++) expect(limiter.hit('results-feed', '192.0.2.10', now).allowed).toBe(true);
		expect(limiter.hit('results-feed', '192.0.2.10', now)).toMatchObject({ allowed: false });
		// The newsroom at the same address still reads, up to its own budget.
		for (let i = 0; i < 5; i++) expect(limiter.hit('results-feed-media', 'organisation-1', now).allowed).toBe(true);
		expect(limiter.hit('results-feed-media', 'organisation-1', now)).toMatchObject({ allowed: false });
		// Another address of the public is not affected.
		expect(limiter.hit('results-feed', '192.0.2.11', now).allowed).toBe(true);
	});
});
