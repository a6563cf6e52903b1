/**
 * Prometheus metrics (issue 16), served on their own listener, never the public port:
 * 127.0.0.1:METRICS_PORT (9464 unless set; scripts/serve.mjs). Under `--processes N` every
 * worker keeps its own and the cluster's primary adds them up (prom-client's
 * AggregatorRegistry), so one scrape sees the whole machine.
 *
 * Kept on globalThis: a module reloaded by Vite in development must not register the metrics
 * a second time (prom-client refuses that).
 */
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, register } from 'prom-client';
import { portalRole } from './cluster';
import type pg from 'pg';

const STATE = Symbol.for('volebni-portal.metrics');

function create() {
	// A cluster worker answers the primary's requests for its metrics: prom-client listens for
	// them once an AggregatorRegistry has been made in the worker.
	if (portalRole() === 'worker') new AggregatorRegistry();
	// The process's CPU, memory, event-loop lag and garbage collection (process_*, nodejs_*).
	collectDefaultMetrics();
	return {
		register,
		httpRequests: new Counter({
			name: 'portal_http_requests_total',
			help: 'Requests answered, by SvelteKit route id (or "unmatched"), method and status.',
			labelNames: ['route', 'method', 'status'] as const
		}),
		httpDuration: new Histogram({
			name: 'portal_http_request_duration_seconds',
			help: 'Time from the first hook to the response, by route id and method.',
			labelNames: ['route', 'method'] as const,
			buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
		}),
		rateLimitRefusals: new Counter({
			name: 'portal_rate_limit_refusals_total',
			help: 'Requests refused with 429 by a rate-limit bucket.',
			labelNames: ['bucket'] as const
		}),
		admissionRefusals: new Counter({
			name: 'portal_admission_refusals_total',
			help: 'Requests refused with 503 by admission control (issue 20), by class.',
			labelNames: ['class'] as const
		}),
		filings: new Counter({
			name: 'portal_filings_total',
			help: 'Requests filed (not replays of an idempotency key), by election and kind.',
			labelNames: ['election', 'kind'] as const
		}),
		jobFailures: new Counter({
			name: 'portal_job_failures_total',
			help: 'Background jobs (graphile-worker) that failed an attempt, by task.',
			labelNames: ['task'] as const
		}),
		openDataBuilds: new Counter({
			name: 'portal_open_data_builds_total',
			help: 'Open-data snapshots built by this process (one per interval across all processes).'
		})
	};
}

export type PortalMetrics = ReturnType<typeof create>;

export function metrics(): PortalMetrics {
	const g = globalThis as typeof globalThis & { [STATE]?: PortalMetrics };
	g[STATE] ??= create();
	return g[STATE];
}

const POOLS = Symbol.for('volebni-portal.metrics.pools');

/** Gauges of a pg pool's connections (in use, idle, waiting), read at each scrape. */
export function observePool(name: string, pool: pg.Pool): void {
	const g = globalThis as typeof globalThis & { [POOLS]?: Map<string, pg.Pool> };
	const first = !g[POOLS];
	g[POOLS] ??= new Map();
	g[POOLS].set(name, pool);
	if (!first) return;
	const pools = g[POOLS];
	new Gauge({
		name: 'portal_db_pool_connections',
		help: 'Database pool connections by pool and state (in_use, idle, waiting = queries waiting for a connection).',
		labelNames: ['pool', 'state'] as const,
		collect() {
			for (const [poolName, p] of pools) {
				this.set({ pool: poolName, state: 'in_use' }, p.totalCount - p.idleCount);
				this.set({ pool: poolName, state: 'idle' }, p.idleCount);
				this.set({ pool: poolName, state: 'waiting' }, p.waitingCount);
			}
		}
	});
}

const QUEUE = Symbol.for('volebni-portal.metrics.queue');

/** The job queue's depth, where the job runner runs (one process of the cluster). */
export function observeQueue(depth: () => Promise<{ ready: number; failed: number }>): void {
	const g = globalThis as typeof globalThis & { [QUEUE]?: boolean };
	if (g[QUEUE]) return;
	g[QUEUE] = true;
	new Gauge({
		name: 'portal_job_queue_depth',
		help: 'Jobs waiting in the queue (ready: due and not locked; failed: out of attempts).',
		labelNames: ['state'] as const,
		async collect() {
			try {
				const d = await depth();
				this.set({ state: 'ready' }, d.ready);
				this.set({ state: 'failed' }, d.failed);
			} catch {
				// The database is away: the gauge keeps its last value; the pool gauges tell.
			}
		}
	});
}
