import { Temporal } from 'temporal-polyfill';
import { describe, expect, it, vi } from 'vitest';
import { jobNeedsStart, progressDue, progressOf, runDocumentJob, startOnce, type DocumentJob } from './document-job';

const NOW = Temporal.Instant.from('2027-01-05T09:00:00Z');

describe('jobNeedsStart', () => {
	it('starts a job never started or pending, and one whose renderer went silent; never a ready or failed one', () => {
		expect(jobNeedsStart({ status: null, heartbeatAt: null }, NOW)).toBe(true);
		expect(jobNeedsStart({ status: 'pending', heartbeatAt: null }, NOW)).toBe(true);
		expect(jobNeedsStart({ status: 'rendering', heartbeatAt: NOW.subtract({ seconds: 59 }) }, NOW)).toBe(false);
		expect(jobNeedsStart({ status: 'rendering', heartbeatAt: NOW.subtract({ seconds: 60 }) }, NOW)).toBe(false);
		expect(jobNeedsStart({ status: 'rendering', heartbeatAt: NOW.subtract({ seconds: 61 }) }, NOW)).toBe(true);
		expect(jobNeedsStart({ status: 'rendering', heartbeatAt: null }, NOW)).toBe(true);
		expect(jobNeedsStart({ status: 'rendering', heartbeatAt: NOW.subtract({ seconds: 10 }) }, NOW, 5)).toBe(true);
		expect(jobNeedsStart({ status: 'ready', heartbeatAt: null }, NOW)).toBe(false);
		expect(jobNeedsStart({ status: 'failed', heartbeatAt: null }, NOW)).toBe(false);
	});
});

describe('progressOf', () => {
	it('shows a job not claimed as pending, a ready one complete, never beyond the total', () => {
		expect(progressOf({ status: null, rendered: 0, total: 7 })).toEqual({ status: 'pending', rendered: 0, total: 7 });
		expect(progressOf({ status: 'ready', rendered: 3, total: 7 })).toEqual({ status: 'ready', rendered: 7, total: 7 });
		expect(progressOf({ status: 'rendering', rendered: 9, total: 7 })).toEqual({ status: 'rendering', rendered: 7, total: 7 });
		expect(progressOf({ status: 'failed', rendered: -1, total: 7 })).toEqual({ status: 'failed', rendered: 0, total: 7 });
	});
});

describe('progressDue', () => {
	it('every n items, but not at zero and not at the end (the result is written then)', () => {
		expect([0, 1, 4, 5, 6, 10, 15].map((d) => progressDue(d, 15, 5))).toEqual([false, false, false, true, false, true, false]);
	});
});

function fakeJob(render: DocumentJob<string>['render'], claimed: number | null = 1) {
	const calls: string[] = [];
	const job: DocumentJob<string> = {
		key: 'k',
		name: 'test',
		claim: async () => claimed ?? undefined,
		render,
		progress: async (attempt, done) => void calls.push(`progress ${attempt} ${done}`),
		finish: async (attempt, result) => (calls.push(`finish ${attempt} ${result}`), true),
		fail: async (attempt, message) => void calls.push(`fail ${attempt} ${message}`)
	};
	return { job, calls };
}

describe('runDocumentJob', () => {
	it('claims, renders with progress, finishes', async () => {
		const { job, calls } = fakeJob(async (_attempt, progress) => {
			for (let i = 1; i <= 12; i++) await progress(i, 12);
			return 'pdf';
		});
		expect(await runDocumentJob(job, () => NOW)).toEqual({ kind: 'ready' });
		expect(calls).toEqual(['progress 1 5', 'progress 1 10', 'finish 1 pdf']);
	});

	it('does nothing without the claim, and marks a failure failed', async () => {
		const render = vi.fn(async () => 'pdf');
		const unclaimed = fakeJob(render, null);
		expect(await runDocumentJob(unclaimed.job, () => NOW)).toEqual({ kind: 'not-claimed' });
		expect(render).not.toHaveBeenCalled();
		const failing = fakeJob(async () => {
			throw new Error('disk full');
		});
		expect(await runDocumentJob(failing.job, () => NOW)).toEqual({ kind: 'failed', message: 'disk full' });
		expect(failing.calls).toEqual(['fail 1 disk full']);
	});
});

describe('startOnce', () => {
	it('runs one job per key in this process; a crash becomes its result', async () => {
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const first = startOnce('same', async () => (await gate, 'one'), () => 'crashed');
		expect(startOnce('same', async () => 'two', () => 'crashed')).toBe(first);
		release();
		expect(await first).toBe('one');
		expect(await startOnce('same', async () => 'three', () => 'crashed')).toBe('three');
		expect(await startOnce('boom', async () => Promise.reject(new Error('x')), () => 'crashed')).toBe('crashed');
	});
});
