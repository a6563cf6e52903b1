/**
 * The benchmark's load generator: a child process of scripts/bench.ts (so that its CPU is
 * its own, as a second machine's would be), driving HTTP/1.1 keep-alive connections on
 * loopback with node:http (autocannon is not a dependency).
 *
 * - open: submissions start at a fixed rate whatever the answers do (an open model, as
 *   voters arrive); each voter then reads the status of what they filed. Latency is counted
 *   from the moment a request was written to its last byte back.
 * - closed: `concurrency` virtual voters submit one after another as fast as answers come
 *   back: the saturation throughput.
 * - retry (either mode): a submission answered 502/503/504, or whose connection failed, is
 *   sent again with the same idempotency key, as a careful client would: after a pause that
 *   doubles each time (with full jitter, up to a cap) and heeds Retry-After; with
 *   heedRetryAfter, exactly after Retry-After (the overload steps: the portal's admission
 *   control already spreads it, as the busy page's countdown does).
 *
 * Messages: the parent sends { type: 'run', spec }, the child answers { type: 'result', result }.
 */
import http from 'node:http';
import { ADMISSION_REFUSED, type LoadResult, type LoadSpec, type Outcome, type Planned } from './types';

/** Keep-alive connections; a new pool for each run, so that none has idled out on the server meanwhile. */
let agent = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 1024 });

interface HttpAnswer {
	status: number;
	body: string;
	error?: string;
	retryAfter?: number;
}

function send(url: URL, method: string, headers: Record<string, string>, body: string | null, timeoutMs: number): Promise<HttpAnswer> {
	return new Promise((resolve) => {
		let settled = false;
		const done = (a: HttpAnswer) => {
			if (!settled) {
				settled = true;
				resolve(a);
			}
		};
		const req = http.request(
			url,
			{ method, agent, headers: body === null ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), retryAfter: Number(res.headers['retry-after']) || undefined }));
				res.on('error', (e) => done({ status: 0, body: '', error: e.message }));
			}
		);
		req.setTimeout(timeoutMs, () => {
			req.destroy(new Error('timeout'));
		});
		req.on('error', (e: NodeJS.ErrnoException) => done({ status: 0, body: '', error: e.message === 'timeout' ? 'timeout' : (e.code ?? e.message) }));
		if (body !== null) req.write(body);
		req.end();
	});
}

function statusKey(a: HttpAnswer): string {
	return a.status ? String(a.status) : `error:${a.error ?? 'unknown'}`;
}

class Counter {
	readonly byStatus: Record<string, number> = {};
	readonly latencies: number[] = [];
	readonly latenciesByStatus: Record<string, number[]> = {};
	add(a: HttpAnswer, ms: number) {
		const k = statusKey(a);
		this.byStatus[k] = (this.byStatus[k] ?? 0) + 1;
		// Not a status: how many of the 503s were the admission bound's refusals (issue 20), not failures.
		if (a.status === 503 && a.body.includes('"overloaded"')) this.byStatus[ADMISSION_REFUSED] = (this.byStatus[ADMISSION_REFUSED] ?? 0) + 1;
		this.latencies.push(ms);
		(this.latenciesByStatus[k] ??= []).push(ms);
	}
}

function submissionRequest(spec: LoadSpec, p: Planned): { url: URL; headers: Record<string, string>; body: string } {
	const body = JSON.stringify(p.body);
	const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': p.key };
	if (spec.target === 'portal') {
		headers.cookie = `vp_session=${p.token}`;
		return { url: new URL('/api/voter/requests', spec.baseUrl), headers, body };
	}
	headers['x-voter-id'] = p.voterId;
	return { url: new URL('/requests', spec.baseUrl), headers, body };
}

const RETRYABLE = new Set([0, 502, 503, 504]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(spec: LoadSpec): Promise<LoadResult> {
	agent.destroy();
	agent = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 1024 });
	const submissions = new Counter();
	const reads = new Counter();
	const outcomes: Outcome[] = [];
	const timeline: Record<number, Record<string, number>> = {};
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	const wallStart = Date.now();
	let late = 0;
	const stopAt = spec.maxSeconds ? t0 + spec.maxSeconds * 1000 : Infinity;

	const mark = (a: HttpAnswer) => {
		const second = Math.floor((performance.now() - t0) / 1000);
		const bucket = (timeline[second] ??= {});
		const k = statusKey(a);
		bucket[k] = (bucket[k] ?? 0) + 1;
	};

	async function voter(p: Planned): Promise<void> {
		const { url, headers, body } = submissionRequest(spec, p);
		let attempts = 0;
		let answer: HttpAnswer;
		for (;;) {
			attempts++;
			const started = performance.now();
			answer = await send(url, 'POST', headers, body, spec.timeoutMs);
			submissions.add(answer, performance.now() - started);
			mark(answer);
			const retry = spec.retry;
			if (!retry || !RETRYABLE.has(answer.status) || attempts >= retry.maxAttempts) break;
			if (retry.heedRetryAfter && answer.retryAfter) {
				await sleep(answer.retryAfter * 1000);
				continue;
			}
			// Exponential backoff with full jitter, capped, and no sooner than the server asks (within the cap).
			const backoff = Math.min(retry.maxDelayMs, retry.delayMs * 2 ** (attempts - 1)) * Math.random();
			await sleep(Math.max(backoff, Math.min(retry.maxDelayMs, (answer.retryAfter ?? 0) * 1000) * Math.random()));
		}
		const outcome: Outcome = { voterId: p.voterId, key: p.key, status: answer.status, error: answer.error, attempts };
		if (answer.status === 200 || answer.status === 201) {
			try {
				const parsed = JSON.parse(answer.body) as { requests: { reference: string }[]; replayed: boolean };
				outcome.references = parsed.requests.map((r) => r.reference);
				outcome.replayed = parsed.replayed;
			} catch {
				outcome.error = 'unparseable success body';
			}
		} else if (answer.body) {
			outcome.body = answer.body.slice(0, 300);
		}
		outcomes.push(outcome);
		if (spec.readStatus !== 'none' && outcome.references?.[0] && p.token) {
			const path = spec.readStatus === 'json' ? `/api/voter/requests/${outcome.references[0]}` : `/zadosti/${outcome.references[0]}`;
			const accept = spec.readStatus === 'json' ? 'application/json' : 'text/html';
			const started = performance.now();
			const read = await send(new URL(path, spec.baseUrl), 'GET', { cookie: `vp_session=${p.token}`, accept }, null, spec.timeoutMs);
			reads.add(read, performance.now() - started);
		}
	}

	const inFlight = new Set<Promise<void>>();
	if (spec.mode === 'open') {
		const interval = 1000 / spec.rate!;
		for (let i = 0; i < spec.planned.length; i++) {
			const due = t0 + i * interval;
			if (due > stopAt) break;
			let now = performance.now();
			if (due > now) {
				await sleep(Math.max(1, due - now));
				now = performance.now();
			}
			if (now - due > 10) late++;
			const p = voter(spec.planned[i]!).finally(() => inFlight.delete(p));
			inFlight.add(p);
		}
	} else {
		let next = 0;
		await Promise.all(
			Array.from({ length: spec.concurrency! }, async () => {
				while (next < spec.planned.length && performance.now() < stopAt) await voter(spec.planned[next++]!);
			})
		);
	}
	await Promise.all(inFlight);
	const elapsedSeconds = (performance.now() - t0) / 1000;
	const cpu = process.cpuUsage(cpu0);
	return {
		startedAt: new Date(wallStart).toISOString(),
		elapsedSeconds,
		submissions: { byStatus: submissions.byStatus, latencies: submissions.latencies, latenciesByStatus: submissions.latenciesByStatus },
		reads: { byStatus: reads.byStatus, latencies: reads.latencies },
		outcomes,
		timeline,
		lateStarts: late,
		cpuSeconds: (cpu.user + cpu.system) / 1e6
	};
}

process.on('message', (message: { type: 'run'; spec: LoadSpec } | { type: 'exit' }) => {
	if (message.type === 'exit') {
		agent.destroy();
		process.exit(0);
	}
	run(message.spec).then(
		(result) => process.send!({ type: 'result', result }),
		(error: unknown) => process.send!({ type: 'error', error: error instanceof Error ? error.stack : String(error) })
	);
});
process.send!({ type: 'ready' });
// The parent is gone (killed or crashed): so is its load.
process.on('disconnect', () => process.exit(0));
