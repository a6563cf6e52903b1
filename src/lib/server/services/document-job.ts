/**
 * A document rendered by a background job while the clerk watches its progress (issue 5's
 * package batch, issue 12's voter cards of a batch): one shape for every such document.
 *
 * The job's state lives on a row (status, rendered of total, attempt, heartbeat); a page reads
 * it and, through the status endpoint, polls it. Rendering claims the row first (a new or
 * failed job, or one whose renderer has been silent for RENDER_STALE_SECONDS: a crashed
 * process), so two renderers never work on one document; every write of progress or result
 * names the attempt, so an older renderer that wakes up late writes nothing. A document is
 * rendered from stored rows only, so rendering it again gives the same document: a re-run
 * after a crash is safe, and a ready document is never rendered again.
 *
 * The job runs in the background of the process that serves the page (no request waits for
 * it); a page or poll that finds a job not started, or abandoned by a crashed process,
 * starts it again (jobNeedsStart).
 */
import { json } from '@sveltejs/kit';
import { Temporal } from 'temporal-polyfill';
import { toDate } from '../clock';
import { log } from '../log';

export type DocumentJobStatus = 'pending' | 'rendering' | 'ready' | 'failed';

/** A renderer silent for this long is taken for dead (a crashed process) and its job is claimed again. */
export const RENDER_STALE_SECONDS = 60;

/** What a page and the status endpoint show of a job. `status` null: not started yet. */
export interface DocumentJobProgress {
	status: DocumentJobStatus;
	rendered: number;
	total: number;
}

export interface DocumentJobState {
	status: DocumentJobStatus | null;
	rendered: number;
	total: number;
	heartbeatAt: Temporal.Instant | null;
}

// --- Pure rules ---

/** Whether a job is to be (re)started: never started, pending, or rendering with no sign of life for `staleSeconds`. */
export function jobNeedsStart(state: Pick<DocumentJobState, 'status' | 'heartbeatAt'>, now: Temporal.Instant, staleSeconds = RENDER_STALE_SECONDS): boolean {
	if (state.status === null || state.status === 'pending') return true;
	if (state.status !== 'rendering') return false;
	return state.heartbeatAt === null || Temporal.Instant.compare(state.heartbeatAt, now.subtract({ seconds: staleSeconds })) < 0;
}

/** The progress to show: a job not yet claimed is pending; a ready one is complete; never more than the total. */
export function progressOf(state: Pick<DocumentJobState, 'status' | 'rendered' | 'total'>): DocumentJobProgress {
	const status = state.status ?? 'pending';
	const total = Math.max(0, state.total);
	const rendered = status === 'ready' ? total : Math.min(Math.max(0, state.rendered), total);
	return { status, rendered, total };
}

export function isBuilding(status: DocumentJobStatus): boolean {
	return status === 'pending' || status === 'rendering';
}

/** Progress is written every `every` items (and not for the last: the result is written then). */
export function progressDue(done: number, total: number, every: number): boolean {
	return done > 0 && done < total && done % every === 0;
}

/** The status endpoint's answer, the same for every job: { status, rendered, total }, never cached. */
export function progressResponse(progress: DocumentJobProgress): Response {
	return json(progress, { headers: { 'cache-control': 'no-store' } });
}

// --- Running ---

export interface DocumentJob<T> {
	/** One render per key at a time in this process. */
	key: string;
	/** What the log names. */
	name: string;
	/** Claims the job (see the module comment); the attempt number, or undefined if not claimed. */
	claim(at: Date, staleBefore: Date): Promise<number | undefined>;
	/** Renders the document for this attempt, reporting the items done as it goes. */
	render(attempt: number, progress: (done: number, total: number) => Promise<void>): Promise<T>;
	/** Writes the progress of this attempt (and its heartbeat). */
	progress(attempt: number, done: number, at: Date): Promise<void>;
	/** Stores the result (with its audit entry); false when the attempt no longer holds the claim. */
	finish(attempt: number, result: T, at: Temporal.Instant): Promise<boolean>;
	/** Marks this attempt failed with the reason, to be rendered again. */
	fail(attempt: number, message: string, at: Date): Promise<void>;
}

export type DocumentJobResult = { kind: 'ready' } | { kind: 'failed'; message: string } | { kind: 'not-claimed' };

/** Progress is written at least this often (items), so the bar moves and the heartbeat stays fresh. */
export const PROGRESS_EVERY = 5;

/** Claims, renders and stores one document; a failure marks the job failed (never throws). */
export async function runDocumentJob<T>(job: DocumentJob<T>, now: () => Temporal.Instant, options: { staleSeconds?: number; every?: number } = {}): Promise<DocumentJobResult> {
	const started = now();
	const staleSeconds = options.staleSeconds ?? RENDER_STALE_SECONDS;
	const attempt = await job.claim(toDate(started), toDate(started.subtract({ seconds: staleSeconds })));
	if (attempt === undefined) return { kind: 'not-claimed' };
	try {
		const every = options.every ?? PROGRESS_EVERY;
		const result = await job.render(attempt, async (done, total) => {
			if (progressDue(done, total, every)) await job.progress(attempt, done, toDate(now()));
		});
		return (await job.finish(attempt, result, now())) ? { kind: 'ready' } : { kind: 'not-claimed' };
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		log.error({ err: message, job: job.name, attempt }, 'document rendering failed');
		await job.fail(attempt, message, toDate(now())).catch(() => undefined);
		return { kind: 'failed', message };
	}
}

/** Jobs this process is running now, so that a page or a poll does not start a second renderer. */
const runningHere = new Map<string, Promise<unknown>>();

/** Runs `run` in the background of this process under `key`, unless it runs already: returns the running one. */
export function startOnce<R>(key: string, run: () => Promise<R>, crashed: (error: unknown) => R): Promise<R> {
	const running = runningHere.get(key);
	if (running) return running as Promise<R>;
	const started = run()
		.catch((error: unknown) => {
			log.error({ err: error instanceof Error ? error.message : String(error), job: key }, 'document rendering crashed');
			return crashed(error);
		})
		.finally(() => runningHere.delete(key));
	runningHere.set(key, started);
	return started;
}

/** Starts a job in the background of this process, unless this process runs it already; returns the running job. */
export function startDocumentJob<T>(job: DocumentJob<T>, now: () => Temporal.Instant): Promise<DocumentJobResult> {
	return startOnce(job.key, () => runDocumentJob(job, now), (error): DocumentJobResult => ({ kind: 'failed', message: String(error) }));
}

export function isRunningHere(key: string): boolean {
	return runningHere.has(key);
}

/**
 * What a page or poll does with a job's state: (re)starts it in the background when it needs
 * a start and this process does not run it already; answers the progress to show.
 */
export function watchDocumentJob<T>(state: DocumentJobState, job: () => DocumentJob<T>, key: string, now: () => Temporal.Instant): DocumentJobProgress {
	if (!isRunningHere(key) && jobNeedsStart(state, now())) void startDocumentJob(job(), now);
	return progressOf(state);
}
