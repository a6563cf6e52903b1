import path from 'node:path';
import { sql } from 'kysely';
import { config } from '../config';
import { log } from '../log';
import { createDb, type Db } from './index';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';
import { migrateToLatest } from './migrate';
import { bundledMigrations } from './migrations-bundled';
import { isDatabaseEmpty, seedDemoData } from './seed';
import { clock } from '../clock';
import { observePool } from '../metrics';
import { error as httpError, isHttpError } from '@sveltejs/kit';

/** SvelteKit's HttpError with status 503, made by its own `error()` helper (which throws it). */
function unavailableError(): unknown {
	try {
		httpError(503, 'Služba je dočasně nedostupná. / The service is temporarily unavailable.');
	} catch (e) {
		if (isHttpError(e)) return e;
		throw e;
	}
}

/** A 400 for a value PostgreSQL refused (a NUL character, a string longer than any column allows). */
function invalidInputError(): unknown {
	try {
		httpError(400, 'Údaje obsahují znaky nebo délku, které nelze uložit. / The data contains characters or a length that cannot be stored.');
	} catch (e) {
		if (isHttpError(e)) return e;
		throw e;
	}
}

let current: { db: Db; embedded?: EmbeddedDatabase; connectionString: string } | undefined;
let starting: Promise<Db> | undefined;

/**
 * Connects to DATABASE_URL or, when it is unset, starts the embedded PostgreSQL in
 * DATA_DIR/postgres; then migrates, and seeds demo data into an empty embedded database.
 */
export function startDatabase(): Promise<Db> {
	starting ??= (async () => {
		const cfg = config();
		let embedded: EmbeddedDatabase | undefined;
		let connectionString = cfg.DATABASE_URL;
		let started: Db | undefined;
		try {
			if (!connectionString) {
				const preferred = path.join(cfg.DATA_DIR, 'postgres');
				embedded = await startEmbeddedPostgres({
					dataDir: preferred,
					port: cfg.EMBEDDED_POSTGRES_PORT,
					onLog: (message) => log.debug({ postgres: message.trim() }, 'embedded postgres'),
					onRelocated: (dataDir, reason) => log.info({ dataDir, reason }, 'embedded PostgreSQL data lives outside the checkout (README: "Where the data lives")')
				});
				if (embedded.port !== cfg.EMBEDDED_POSTGRES_PORT) {
					log.info({ taken: cfg.EMBEDDED_POSTGRES_PORT, port: embedded.port }, `port ${cfg.EMBEDDED_POSTGRES_PORT} is taken: the embedded PostgreSQL listens on ${embedded.port}`);
				}
				log.info({ dataDir: embedded.dataDir, port: embedded.port }, 'embedded PostgreSQL started');
				connectionString = embedded.connectionString;
			}
			const { db, pool } = createDb({
				connectionString,
				max: cfg.DATABASE_POOL_MAX,
				// The wait for a connection is bounded too (admission control, issue 20): past it, 503.
				connectionTimeoutMillis: cfg.ADMISSION_DB_WAIT_MS,
				// Parse and plan each query text once per connection (npm run bench: docs/RELIABILITY.md).
				prepareStatements: true,
				onPoolError: (error) => log.warn({ err: error.message }, 'database connection lost'),
				// While the database is unreachable, pages answer 503 with a clear message.
				mapUnavailable: (cause) => {
					log.warn({ err: String(cause) }, 'database unavailable');
					return unavailableError();
				},
				mapInvalidInput: (cause) => {
					log.info({ err: String(cause) }, 'input refused by the database');
					return invalidInputError();
				}
			});
			started = db;
			observePool('portal', pool);
			const applied = await migrateToLatest(db, bundledMigrations);
			if (applied.length) log.info({ applied }, 'migrations applied');
			const seed = cfg.SEED_DEMO_DATA ?? !cfg.DATABASE_URL;
			if (seed && (await isDatabaseEmpty(db))) {
				log.info({ voters: cfg.SEED_VOTERS }, 'seeding demo data');
				const summary = await seedDemoData(db, { now: clock().now(), voters: cfg.SEED_VOTERS, rehearsals: true });
				log.info(summary, 'demo data seeded');
			}
			current = { db, embedded, connectionString };
			return db;
		} catch (cause) {
			// Nothing of a failed start stays behind: the pool closes and the embedded server stops.
			starting = undefined;
			await started?.destroy().catch(() => {});
			await embedded?.stop().catch(() => {});
			throw cause;
		}
	})();
	return starting;
}

export function db(): Db {
	if (!current) throw new Error('The database has not been started (startDatabase).');
	return current.db;
}

/** The started database's connection URL, for graphile-worker's own connections. */
export function databaseConnectionString(): string {
	if (!current) throw new Error('The database has not been started (startDatabase).');
	return current.connectionString;
}

export async function isDatabaseHealthy(timeoutMs = 2_000): Promise<boolean> {
	if (!current) return false;
	try {
		await Promise.race([
			sql`SELECT 1`.execute(current.db),
			new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref())
		]);
		return true;
	} catch {
		return false;
	}
}

export async function stopDatabase(): Promise<void> {
	const state = current;
	current = undefined;
	starting = undefined;
	if (!state) return;
	await state.db.destroy();
	if (state.embedded) {
		log.info('stopping embedded PostgreSQL');
		await state.embedded.stop();
	}
}
