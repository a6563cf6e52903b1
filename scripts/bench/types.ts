/** What scripts/bench.ts and its load generator (scripts/bench/loadgen.ts) exchange. */

/** One voter's submission: their session token (portal) or id (bare handler), body and key. */
export interface Planned {
	voterId: string;
	token?: string;
	key: string;
	body: Record<string, unknown>;
}

export interface LoadSpec {
	baseUrl: string;
	target: 'portal' | 'bare';
	mode: 'open' | 'closed';
	/** open: submissions started per second. */
	rate?: number;
	/** closed: virtual voters submitting one after another. */
	concurrency?: number;
	/** Stop starting new submissions after this long. */
	maxSeconds?: number;
	planned: Planned[];
	/** After a successful submission, read its status: as JSON, as the HTML page, or not. */
	readStatus: 'none' | 'json' | 'html';
	timeoutMs: number;
	/** Send again with the same key on 502/503/504 or a failed connection (exponential backoff from delayMs, capped at maxDelayMs). */
	retry?: { delayMs: number; maxDelayMs: number; maxAttempts: number; /** Wait exactly Retry-After when the answer has one (the overload steps: admission control spreads it). */ heedRetryAfter?: boolean };
}

export interface Outcome {
	voterId: string;
	key: string;
	/** The last answer's status; 0 when the connection failed. */
	status: number;
	error?: string;
	references?: string[];
	replayed?: boolean;
	attempts: number;
	body?: string;
}

export interface LoadResult {
	startedAt: string;
	elapsedSeconds: number;
	submissions: { byStatus: Record<string, number>; latencies: number[]; /** The same latencies by status. */ latenciesByStatus: Record<string, number[]> };
	reads: { byStatus: Record<string, number>; latencies: number[] };
	outcomes: Outcome[];
	/** Per second since the start: answers by status. */
	timeline: Record<number, Record<string, number>>;
	/** Submissions started more than 10 ms after their turn (the generator itself was short of CPU). */
	lateStarts: number;
	cpuSeconds: number;
}

/** Not a status: the key under byStatus counting the 503s that were admission refusals (code "overloaded", issue 20). */
export const ADMISSION_REFUSED = 'admission-refused';
