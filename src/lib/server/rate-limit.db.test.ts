/**
 * The rate limits counted in PostgreSQL (issue 16): they hold across processes (here: separate
 * limiters and pools, as separate processes have), concurrent attempts are counted exactly, and
 * what one attempt costs is measured and printed.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from './db/test-support';
import { PgRateLimiter, RateLimiter } from './rate-limit';

const db = openTestDb();
const other = openTestDb();
afterAll(() => Promise.all([db.destroy(), other.destroy()]));
beforeEach(() => resetDb(db));

const RULES = { login: { limit: 30, windowSeconds: 60 }, slow: { limit: 2, windowSeconds: 300 } };
const t0 = Date.UTC(2026, 10, 20, 9, 0, 10);

describe('PgRateLimiter', () => {
	it('30 login starts a minute from one address across three processes: the 31st is refused', async () => {
		const processes = [new PgRateLimiter(RULES, () => db), new PgRateLimiter(RULES, () => other), new PgRateLimiter(RULES, () => db)];
		const verdicts = [];
		for (let i = 0; i < 31; i++) verdicts.push(await processes[i % 3]!.hit('login', '192.0.2.1', t0 + i * 100));
		expect(verdicts.slice(0, 30).every((v) => v.allowed)).toBe(true);
		expect(verdicts[30]).toMatchObject({ allowed: false, retryAfterSeconds: expect.any(Number) });
		// Another address is not affected.
		expect((await processes[0]!.hit('login', '192.0.2.2', t0 + 4_000)).allowed).toBe(true);
	});

	it('of 40 attempts at the same moment from two pools, exactly 30 are counted', async () => {
		const a = new PgRateLimiter(RULES, () => db);
		const b = new PgRateLimiter(RULES, () => other);
		const verdicts = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).hit('login', 'race', t0)));
		expect(verdicts.filter((v) => v.allowed)).toHaveLength(30);
		const row = await db.selectFrom('rate_limit_hit').select('hits').where('key', '=', 'race').executeTakeFirstOrThrow();
		expect(row.hits).toBe(30);
	});

	it('decides exactly as the in-memory limiter over a sliding window, and forgets a key on reset', async () => {
		const pg = new PgRateLimiter(RULES, () => db);
		const memory = new RateLimiter(RULES);
		const times = [0, 1_000, 2_000, 150_000, 299_000, 310_000, 320_000, 330_000, 450_000, 700_000].map((d) => t0 + d);
		for (const at of times) expect(await pg.hit('slow', 'k', at)).toEqual(memory.hit('slow', 'k', at));
		await pg.reset('slow', 'k');
		expect((await pg.hit('slow', 'k', t0 + 700_001)).allowed).toBe(true);
	});

	it('costs one statement per attempt: measured', async () => {
		const pg = new PgRateLimiter({ login: { limit: 1_000_000, windowSeconds: 60 } }, () => db);
		for (let i = 0; i < 50; i++) await pg.hit('login', `warm-${i}`, t0);
		const n = 1_000;
		const started = performance.now();
		for (let i = 0; i < n; i++) await pg.hit('login', `addr-${i % 200}`, t0 + i);
		const perHit = (performance.now() - started) / n;
		console.log(`PgRateLimiter: ${perHit.toFixed(3)} ms per counted attempt, sequential, one connection (${n} attempts)`);
		expect(perHit).toBeGreaterThan(0);
	});
});
