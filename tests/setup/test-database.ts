/**
 * Throwaway PostgreSQL for tests: a fresh database on the server named by DATABASE_URL
 * (CI: the machine's PostgreSQL), or, when it is unset, a throwaway embedded cluster.
 */
import { chmod, mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/lib/server/db/embedded';

export interface TestServer {
	/** A connection URL to the server's maintenance database, for creating databases. */
	adminUrl: string;
	createDatabase(prefix: string): Promise<string>;
	stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

function withDatabase(url: string, database: string): string {
	const u = new URL(url);
	u.pathname = `/${database}`;
	return u.toString();
}

export async function startTestServer(): Promise<TestServer> {
	const created: string[] = [];
	let adminUrl: string;
	let stopServer = async () => {};
	if (process.env.DATABASE_URL) {
		adminUrl = process.env.DATABASE_URL;
	} else {
		const dataDir = await mkdtemp(path.join(os.tmpdir(), 'volebni-portal-test-pg-'));
		// As root, PostgreSQL runs as the 'postgres' user, which must reach the folder.
		await chmod(dataDir, 0o755);
		const embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'data'), port: await freePort(), persistent: false, database: 'postgres' });
		adminUrl = embedded.connectionString;
		stopServer = () => embedded.stop();
	}
	const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
		const client = new pg.Client({ connectionString: adminUrl });
		await client.connect();
		try {
			return await fn(client);
		} finally {
			await client.end();
		}
	};
	return {
		adminUrl,
		async createDatabase(prefix: string) {
			const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
			await admin((c) => c.query(`CREATE DATABASE "${name}"`));
			created.push(name);
			return withDatabase(adminUrl, name);
		},
		async stop() {
			await admin(async (c) => {
				for (const name of created) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
			}).catch(() => {});
			await stopServer();
		}
	};
}
