import pg from 'pg';
import { Logger, run, runMigrations, type Runner, type TaskList } from 'graphile-worker';
import { log } from '../log';
import { handlePoolErrors } from '../db/pool-errors';

/** graphile-worker's log lines go to the portal's structured log. */
export const jobLogger = new Logger((scope) => {
	const child = log.child({ component: 'jobs', ...scope });
	return (level: string, message: string, meta?: Record<string, unknown>) => {
		const fields = meta ?? {};
		if (level === 'error') child.error(fields, message);
		else if (level === 'warning') child.warn(fields, message);
		else if (level === 'info') child.info(fields, message);
		else child.debug(fields, message);
	};
});

/** Creates or updates graphile-worker's own schema (`graphile_worker`); safe to run at every start. */
export async function migrateJobQueue(connectionString: string): Promise<void> {
	await runMigrations({ connectionString, logger: jobLogger });
}

export interface JobRunnerOptions {
	connectionString: string;
	taskList: TaskList;
	crontab?: string;
	concurrency?: number;
	pollInterval?: number;
}

/**
 * Starts graphile-worker in this process. `noHandleSignals`: adapter-node owns SIGTERM and
 * SIGINT and stops the runner through stopBackgroundServices after the last request.
 */
export function startJobRunner(options: JobRunnerOptions): Promise<Runner> {
	// Our own pool, so that a connection lost when PostgreSQL stops (shutdown, restart) is an
	// event with a listener rather than a crash; it lets the process exit once idle.
	const pgPool = new pg.Pool({ connectionString: options.connectionString, max: (options.concurrency ?? 2) + 2, allowExitOnIdle: true });
	handlePoolErrors(pgPool, (error) => jobLogger.warn(`jobs: database connection lost: ${error.message}`));
	return run({
		pgPool,
		taskList: options.taskList,
		crontab: options.crontab ?? '',
		concurrency: options.concurrency ?? 2,
		pollInterval: options.pollInterval ?? 2_000,
		noHandleSignals: true,
		logger: jobLogger
	});
}
