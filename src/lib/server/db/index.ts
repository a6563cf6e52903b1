import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { isDatabaseUnavailable, isUnstorableInput } from './errors';
import { handlePoolErrors } from './pool-errors';
import type { Database } from './schema';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Query functions take either the database or a transaction first, so boundaries stay visible. */
export type DbOrTrx = Db | Trx;

const DATE_OID = 1082;
const TIMESTAMP_OID = 1114;

/**
 * Calendar dates stay 'YYYY-MM-DD' strings and local wall-clock timestamps stay
 * 'YYYY-MM-DDTHH:mm:ss': turning them into JS Dates would attach the server's zone.
 */
const typeParsers = {
	getTypeParser(oid: number, format?: 'text' | 'binary') {
		if (oid === DATE_OID) return (value: string) => value;
		if (oid === TIMESTAMP_OID) return (value: string) => value.replace(' ', 'T');
		return pg.types.getTypeParser(oid, format ?? 'text');
	}
};

export interface CreateDbOptions {
	connectionString: string;
	max?: number;
	/** The longest a query waits for a free connection of the pool (5 s unless set). */
	connectionTimeoutMillis?: number;
	onPoolError?: (error: Error) => void;
	/**
	 * Maps an error that means "the database cannot be reached" (restart, network) to
	 * what the caller should throw instead; the server turns it into a 503 page.
	 */
	mapUnavailable?: (error: unknown) => unknown;
	/** Maps PostgreSQL's refusal of a value the client sent (errors.ts isUnstorableInput), e.g. to a 400. */
	mapInvalidInput?: (error: unknown) => unknown;
	/**
	 * Runs queries as named prepared statements (see `PreparedNames`), so that PostgreSQL parses
	 * and plans each query text once per connection instead of at every execution. For the
	 * server, whose schema does not change while it runs; not with mapUnavailable unset.
	 */
	prepareStatements?: boolean;
}

const MAX_PREPARED_TEXT = 8_192;

/**
 * Names for prepared statements, one per distinct query text: npm run bench found PostgreSQL
 * spending about three times the bare handler's CPU per submission on statements that took
 * about as long to execute; the rest is per statement, and parsing and planning the portal's
 * longer statements (the session look-up, the filing's read and write) is part of it. Only data statements up to 8 KiB are named
 * (not a bulk insert of thousands of rows), and at most `limit` texts (lists of varying length
 * make new texts), so what each connection keeps prepared stays bounded; past the limit a text
 * runs unnamed as before.
 */
export class PreparedNames {
	readonly #names = new Map<string, string>();
	constructor(readonly limit = 500) {}

	nameFor(text: string): string | undefined {
		const known = this.#names.get(text);
		if (known !== undefined) return known;
		if (this.#names.size >= this.limit || text.length > MAX_PREPARED_TEXT || !/^\s*(select|insert|update|delete|with)\b/i.test(text)) return undefined;
		const name = `vp_${this.#names.size}`;
		this.#names.set(text, name);
		return name;
	}
}

type PoolClient = pg.PoolClient;

/**
 * A client whose connection failed under a query must not go back to the pool. Kysely releases
 * without an error, and when PostgreSQL ends the backend (pg_terminate_backend, a restart) the
 * query fails on the FATAL message a moment before the socket closes: pg still thinks the client
 * queryable, the pool keeps it, and the next query on it — often the voter's retry — fails with
 * "Connection terminated unexpectedly" (faults.db.test.ts caught it one run in many). Noting the
 * error and releasing with it makes the pool destroy the client instead.
 */
export function brokenConnectionGuard(client: PoolClient): { note: (error: unknown) => void; release: (err?: Error | boolean) => void } {
	let broken: Error | undefined;
	return {
		note(error) {
			if (!broken && isDatabaseUnavailable(error)) broken = error instanceof Error ? error : new Error(String(error));
		},
		release(err) {
			client.release(err || broken);
		}
	};
}

/**
 * Wraps the pool so that connection failures and broken connections surface as `mapUnavailable`,
 * and values PostgreSQL cannot store as `mapInvalidInput`.
 */
function guardedPool(
	pool: pg.Pool,
	mapUnavailable: (error: unknown) => unknown,
	mapInvalidInput: (error: unknown) => unknown,
	prepared: PreparedNames | undefined
) {
	const map = (error: unknown) => {
		if (isDatabaseUnavailable(error)) throw mapUnavailable(error);
		throw isUnstorableInput(error) ? mapInvalidInput(error) : error;
	};
	return {
		async connect() {
			const client: PoolClient = await pool.connect().catch(map);
			const query = client.query as (...a: unknown[]) => Promise<unknown>;
			const broken = brokenConnectionGuard(client);
			return {
				query: (...args: unknown[]) => {
					// Kysely sends (text, parameters); a cursor or a config object passes through as it is.
					const [text, values] = args;
					const name = prepared && typeof text === 'string' && Array.isArray(values) ? prepared.nameFor(text) : undefined;
					return (name ? query.call(client, { name, text, values }) : query.apply(client, args)).catch((error: unknown) => {
						broken.note(error);
						return map(error);
					});
				},
				release: broken.release
			};
		},
		end: () => pool.end()
	};
}

export function createDb(options: CreateDbOptions): { db: Db; pool: pg.Pool } {
	const pool = new pg.Pool({
		connectionString: options.connectionString,
		max: options.max ?? 10,
		connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
		idleTimeoutMillis: 30_000,
		// A statement that runs for longer than this is a bug or an outage; fail it.
		statement_timeout: 30_000,
		types: typeParsers
	});
	// A dropped connection, idle or checked out, must not crash the process (pool-errors.ts).
	handlePoolErrors(pool, options.onPoolError ?? ((error) => console.warn(`database connection lost: ${error.message}`)));
	// Always through the guard, so a client that died under a query is dropped (brokenConnectionGuard);
	// scripts and tests, which set no mapping, see pg's own errors.
	const mapUnavailable = options.mapUnavailable;
	const same = (error: unknown) => error;
	const prepared = mapUnavailable && options.prepareStatements ? new PreparedNames() : undefined;
	const dialectPool = guardedPool(pool, mapUnavailable ?? same, options.mapInvalidInput ?? same, prepared) as unknown as pg.Pool;
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: dialectPool }) });
	return { db, pool };
}
