import type { Runner } from 'graphile-worker';
import { clock } from '../clock';
import { config } from '../config';
import { createDb, type Db } from '../db/index';
import { log } from '../log';
import { startMailCatcher, type MailCatcher } from '../mail/catcher';
import { createSmtpSender, type MailSender } from '../mail/sender';
import { CRONTAB, createTaskList, sweepOutbox } from './tasks';
import { migrateJobQueue, startJobRunner } from './worker';
import { metrics, observeQueue } from '../metrics';
import { countQueuedJobs } from '../db/queries/job-queue';

interface BackgroundServices {
	db: Db;
	catcher?: MailCatcher;
	sender?: MailSender;
	runner?: Runner;
}

/**
 * Kept on globalThis so that a module reloaded by Vite in development finds the services the
 * first instance started, instead of starting a second worker and catcher.
 */
const STATE = Symbol.for('volebni-portal.background-services');
type GlobalWithState = typeof globalThis & {
	[STATE]?: { starting?: Promise<void>; running?: BackgroundServices; stopping?: Promise<void> };
};
function state() {
	const g = globalThis as GlobalWithState;
	g[STATE] ??= {};
	return g[STATE];
}

export interface BackgroundServicesOptions {
	/** The portal's database (DATABASE_URL or the embedded one); graphile-worker keeps its schema there. */
	connectionString: string;
}

async function start(options: BackgroundServicesOptions): Promise<void> {
	const cfg = config();
	const services: BackgroundServices = {
		// A pool of its own: a send holds its connection while SMTP answers, never a request's.
		db: createDb({
			connectionString: options.connectionString,
			max: 3,
			onPoolError: (error) => log.warn({ err: error.message }, 'jobs: database connection lost')
		}).db
	};
	state().running = services;

	if (cfg.SMTP_URL) {
		services.sender = createSmtpSender({ url: cfg.SMTP_URL }, cfg.MAIL_FROM);
		log.info({ smtp: new URL(cfg.SMTP_URL).host }, 'e-mail goes out over SMTP');
	} else if (cfg.APP_ENV !== 'production') {
		const catcher = await startMailCatcher({
			port: cfg.DEV_SMTP_PORT,
			now: () => clock().now(),
			onError: (error) => log.warn({ err: error.message }, 'mail catcher error')
		});
		services.catcher = catcher;
		services.sender = createSmtpSender({ host: catcher.host, port: catcher.port }, cfg.MAIL_FROM);
		log.info({ port: catcher.port }, 'e-mail is caught in-process: see /dev/posta');
	} else {
		// Nothing is lost: messages wait in the outbox, with their jobs, until SMTP_URL is set.
		log.error('SMTP_URL is not set: e-mail stays in the outbox and is not sent');
		return;
	}

	await migrateJobQueue(options.connectionString);
	const enqueued = await sweepOutbox(services.db);
	if (enqueued) log.info({ enqueued }, 'e-mail waiting from before the job queue was enqueued');
	const sender = services.sender;
	services.runner = await startJobRunner({
		connectionString: options.connectionString,
		taskList: createTaskList({ db: services.db, sender, now: () => clock().now() }),
		crontab: CRONTAB,
		concurrency: 2
	});
	services.runner.events.on('job:failed', ({ job }) => metrics().jobFailures.inc({ task: job.task_identifier }));
	const queueDb = services.db;
	observeQueue(() => countQueuedJobs(queueDb));
	log.info('job queue started');
}

/**
 * Starts the job queue (graphile-worker, which sends the outbox's e-mail) and, in
 * development and test without SMTP_URL, the in-process mail catcher. Call once the
 * database is up and migrated. Calling it again while it runs does nothing.
 *
 * A failure to start is logged, not thrown: the portal keeps serving, and e-mail waits in
 * the outbox until the next start.
 */
export async function startBackgroundServices(options: BackgroundServicesOptions): Promise<void> {
	const s = state();
	if (s.stopping) await s.stopping;
	s.starting ??= start(options).catch(async (error: unknown) => {
		log.error({ err: error instanceof Error ? error.message : String(error) }, 'background services failed to start');
		await stopServices();
	});
	await s.starting;
}

async function stopServices(): Promise<void> {
	const s = state();
	const services = s.running;
	s.running = undefined;
	s.starting = undefined;
	if (!services) return;
	// The runner first: it finishes the jobs in flight, which still need SMTP and the database.
	await services.runner?.stop().catch((error: unknown) => log.warn({ err: String(error) }, 'job runner did not stop cleanly'));
	services.sender?.close();
	await services.catcher?.stop();
	await services.db.destroy();
}

/** Stops what startBackgroundServices started, gracefully; safe to call any number of times. */
export async function stopBackgroundServices(): Promise<void> {
	const s = state();
	if (s.starting) await s.starting;
	s.stopping ??= stopServices().finally(() => {
		s.stopping = undefined;
	});
	await s.stopping;
	log.debug('background services stopped');
}

/** The port of the running mail catcher, if any (for tests and the start-up log). */
export function mailCatcherPort(): number | undefined {
	return state().running?.catcher?.port;
}
