/** Figures for npm run bench: percentiles, CPU time of a process tree, formatting. */
import { readdirSync, readFileSync } from 'node:fs';

export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
	return sorted[Math.max(0, index)]!;
}

export interface LatencySummary {
	count: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
}

export function summarise(latencies: readonly number[]): LatencySummary {
	const sorted = [...latencies].sort((a, b) => a - b);
	return { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
}

export const ms = (v: number) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(1) : Math.round(v)} ms` : '–');

export function statuses(byStatus: Record<string, number>): string {
	const entries = Object.entries(byStatus).sort(([a], [b]) => a.localeCompare(b));
	return entries.length ? entries.map(([k, n]) => `${k}×${n}`).join(' ') : '–';
}

export function countWhere(byStatus: Record<string, number>, test: (status: string) => boolean): number {
	return Object.entries(byStatus).reduce((n, [k, v]) => (test(k) ? n + v : n), 0);
}

const TICKS_PER_SECOND = 100;

/**
 * User + system CPU seconds used so far by a process and all its descendants, living or ended
 * (Linux /proc; an ended child counts once its parent has reaped it, as PostgreSQL does).
 */
export function cpuSecondsOfTree(rootPid: number | undefined): number {
	if (!rootPid) return 0;
	const parent = new Map<number, number>();
	const ticks = new Map<number, number>();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			// comm may contain spaces: the fields after it start behind the last ')'.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			parent.set(Number(name), Number(fields[1]));
			// utime + stime, and cutime + cstime: the children it has reaped (PostgreSQL's ended backends).
			ticks.set(Number(name), Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]));
		} catch {
			/* the process ended meanwhile */
		}
	}
	let total = 0;
	for (const [pid, t] of ticks) {
		for (let p: number | undefined = pid, depth = 0; p && depth < 10; p = parent.get(p), depth++) {
			if (p === rootPid) {
				total += t;
				break;
			}
		}
	}
	return total / TICKS_PER_SECOND;
}
