/**
 * The scan station's queue in the browser (issue 13): every scan waits here until the server
 * has answered it, in the order it was scanned, across a reload (localStorage) and a network
 * drop. Each scan carries the id the browser gave it once, so that a retry after a timeout is
 * recognised by the server and recorded once. Pure apart from what is injected (send, storage,
 * timers): ScanStation.svelte wires it to fetch and localStorage; scan-queue.test.ts to fakes.
 */

export interface QueuedScan<P = Record<string, unknown>> {
	/** crypto.randomUUID(), drawn once at the scan: a retry sends the same. */
	id: string;
	/** What the server needs besides the id and the times (the code, the station's round...). */
	payload: P;
	/** Browser time of the scan (ms since the epoch). */
	scannedAt: number;
	/** Sends tried so far without an answer. */
	attempts: number;
}

/** Adds a scan at the end; a scan whose id is already queued is not added twice. */
export function enqueue<P>(queue: readonly QueuedScan<P>[], scan: QueuedScan<P>): QueuedScan<P>[] {
	if (queue.some((q) => q.id === scan.id)) return [...queue];
	return [...queue, scan];
}

export function removeScan<P>(queue: readonly QueuedScan<P>[], id: string): QueuedScan<P>[] {
	return queue.filter((q) => q.id !== id);
}

export function countAttempt<P>(queue: readonly QueuedScan<P>[], id: string): QueuedScan<P>[] {
	return queue.map((q) => (q.id === id ? { ...q, attempts: q.attempts + 1 } : q));
}

/** Where the queue survives a reload. */
export interface QueueStore<P> {
	load(): QueuedScan<P>[];
	save(queue: readonly QueuedScan<P>[]): void;
}

function isQueuedScan(value: unknown): value is QueuedScan<Record<string, unknown>> {
	if (typeof value !== 'object' || value === null) return false;
	const v = value as Record<string, unknown>;
	return typeof v.id === 'string' && typeof v.scannedAt === 'number' && typeof v.attempts === 'number' && typeof v.payload === 'object' && v.payload !== null;
}

/** A queue in Web Storage under `key`; a missing or unreadable storage keeps it in memory only. */
export function webStorageQueue(key: string, storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null): QueueStore<Record<string, unknown>> {
	let memory: QueuedScan<Record<string, unknown>>[] = [];
	return {
		load() {
			try {
				const raw = storage?.getItem(key);
				if (!raw) return [...memory];
				const parsed: unknown = JSON.parse(raw);
				return Array.isArray(parsed) ? parsed.filter(isQueuedScan) : [];
			} catch {
				return [...memory];
			}
		},
		save(queue) {
			memory = [...queue];
			try {
				if (queue.length === 0) storage?.removeItem(key);
				else storage?.setItem(key, JSON.stringify(queue));
			} catch {
				// A full or forbidden storage: the queue still lives in memory for this page.
			}
		}
	};
}

/**
 * What one send came to: an answer (the scan leaves the queue), a failure to try again with
 * the same id (no connection, a timeout, the server restarting), or a refusal of the request
 * itself that no retry can change (the scan leaves the queue, marked failed).
 */
export type SendResult<R> = { kind: 'answered'; value: R } | { kind: 'retry'; reason: string } | { kind: 'failed'; reason: string };

export interface ScanSenderOptions<P, R> {
	store: QueueStore<P>;
	send: (scan: QueuedScan<P>) => Promise<SendResult<R>>;
	onAnswer: (scan: QueuedScan<P>, value: R) => void;
	onFailed: (scan: QueuedScan<P>, reason: string) => void;
	/** Called with what is still waiting whenever that changes, and when a send is retried. */
	onChange: (waiting: readonly QueuedScan<P>[], lastProblem: string | null) => void;
	/** Delay before the next try after `attempts` failures. */
	retryDelay?: (attempts: number) => number;
	setTimer?: (fn: () => void, ms: number) => unknown;
	clearTimer?: (handle: unknown) => void;
}

export const defaultRetryDelay = (attempts: number) => Math.min(5_000, 250 * 2 ** Math.max(0, attempts - 1));

/**
 * Sends the queue one scan at a time, oldest first, so that the server receives the scans in
 * the order they were made. A failure to try again stops the round and schedules the next;
 * `wake()` (the browser is online again, a new scan) starts one at once.
 */
export class ScanSender<P, R> {
	private queue: QueuedScan<P>[];
	private current: Promise<void> | null = null;
	private timer: unknown = null;
	private again = false;
	private readonly o: Required<ScanSenderOptions<P, R>>;

	constructor(options: ScanSenderOptions<P, R>) {
		this.o = {
			retryDelay: defaultRetryDelay,
			setTimer: (fn, ms) => setTimeout(fn, ms),
			clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
			...options
		};
		this.queue = options.store.load();
	}

	get waiting(): readonly QueuedScan<P>[] {
		return this.queue;
	}

	add(scan: QueuedScan<P>): void {
		this.queue = enqueue(this.queue, scan);
		this.o.store.save(this.queue);
		this.o.onChange(this.queue, null);
		void this.flush();
	}

	wake(): void {
		if (this.timer !== null) {
			this.o.clearTimer(this.timer);
			this.timer = null;
		}
		void this.flush();
	}

	/** Sends until the queue is empty or a send must wait; resolves when this round ends. */
	flush(): Promise<void> {
		if (this.current) {
			this.again = true;
			return this.current;
		}
		this.current = this.round().finally(() => {
			this.current = null;
		});
		return this.current;
	}

	private async round(): Promise<void> {
		do {
			this.again = false;
			while (this.queue.length > 0) {
				const scan = this.queue[0]!;
				const result = await this.o.send(scan).catch((e: unknown): SendResult<R> => ({ kind: 'retry', reason: String(e) }));
				if (result.kind === 'retry') {
					this.queue = countAttempt(this.queue, scan.id);
					this.o.store.save(this.queue);
					this.o.onChange(this.queue, result.reason);
					if (this.timer === null) {
						this.timer = this.o.setTimer(() => {
							this.timer = null;
							void this.flush();
						}, this.o.retryDelay(this.queue[0]?.attempts ?? 1));
					}
					return;
				}
				this.queue = removeScan(this.queue, scan.id);
				this.o.store.save(this.queue);
				if (result.kind === 'answered') this.o.onAnswer(scan, result.value);
				else this.o.onFailed(scan, result.reason);
				this.o.onChange(this.queue, null);
			}
		} while (this.again);
	}
}

/** How the station shows an outcome: the page that uses the station words it. */
export interface OutcomeView {
	/** ok: done, nothing to look at; warning: recorded but to be kept apart; refused: nothing recorded. */
	tone: 'ok' | 'warning' | 'refused';
	title: string;
	lines: string[];
}

/** The answer the station reads from its endpoint. */
export interface StationAnswer<O> {
	outcome: O;
	repeat: boolean;
	today: Record<string, number> | null;
}

/** crypto.randomUUID where the browser has it (a secure context), else the same from getRandomValues. */
export function newScanId(): string {
	if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
	const b = crypto.getRandomValues(new Uint8Array(16));
	b[6] = (b[6]! & 0x0f) | 0x40;
	b[8] = (b[8]! & 0x3f) | 0x80;
	const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
