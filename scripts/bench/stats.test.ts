import { describe, expect, it } from 'vitest';
import { countWhere, cpuSecondsOfTree, ms, percentile, statuses, summarise } from './stats';

describe('percentile (nearest rank)', () => {
	const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

	it('takes the value at the rank, not an interpolation', () => {
		expect(percentile(hundred, 50)).toBe(50);
		expect(percentile(hundred, 95)).toBe(95);
		expect(percentile(hundred, 99)).toBe(99);
		expect(percentile(hundred, 100)).toBe(100);
	});

	it('rounds the rank up on small samples', () => {
		expect(percentile([10, 20, 30], 50)).toBe(20);
		expect(percentile([10, 20, 30], 99)).toBe(30);
		expect(percentile([10, 20, 30], 1)).toBe(10);
		expect(percentile([7], 99)).toBe(7);
	});

	it('is NaN without samples', () => {
		expect(percentile([], 50)).toBeNaN();
	});
});

describe('summarise', () => {
	it('sorts a copy and reports count, p50, p95, p99 and max', () => {
		const latencies = [5, 1, 4, 2, 3];
		expect(summarise(latencies)).toEqual({ count: 5, p50: 3, p95: 5, p99: 5, max: 5 });
		expect(latencies).toEqual([5, 1, 4, 2, 3]);
	});

	it('keeps a slow tail visible at p99', () => {
		const latencies = [...Array.from({ length: 990 }, () => 10), ...Array.from({ length: 10 }, () => 900)];
		const s = summarise(latencies);
		expect(s.p50).toBe(10);
		expect(s.p95).toBe(10);
		expect(s.p99).toBe(10);
		expect(summarise([...latencies, 900]).p99).toBe(900);
		expect(s.max).toBe(900);
	});

	it('is empty without samples', () => {
		const s = summarise([]);
		expect(s.count).toBe(0);
		expect(s.p50).toBeNaN();
		expect(s.max).toBeNaN();
	});
});

describe('formatting', () => {
	it('prints milliseconds with one decimal below 10 ms and a dash for no value', () => {
		expect(ms(4.26)).toBe('4.3 ms');
		expect(ms(123.6)).toBe('124 ms');
		expect(ms(NaN)).toBe('–');
	});

	it('lists statuses in order', () => {
		expect(statuses({ '503': 2, '201': 10, 'error:timeout': 1 })).toBe('201×10 503×2 error:timeout×1');
		expect(statuses({})).toBe('–');
	});

	it('counts the statuses that match', () => {
		const byStatus = { '201': 10, '500': 1, '503': 4, 'error:ECONNRESET': 2 };
		expect(countWhere(byStatus, (k) => /^5\d\d$/.test(k))).toBe(5);
		expect(countWhere(byStatus, (k) => k.startsWith('error:'))).toBe(2);
	});
});

describe('cpuSecondsOfTree', () => {
	it('counts this process, and nothing for no process', () => {
		const until = Date.now() + 50;
		while (Date.now() < until) {
			/* burn some CPU */
		}
		expect(cpuSecondsOfTree(process.pid)).toBeGreaterThan(0);
		expect(cpuSecondsOfTree(undefined)).toBe(0);
	});
});
