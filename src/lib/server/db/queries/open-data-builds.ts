/**
 * The open-data feed's data as last built by any portal process (issue 16; migration
 * 0012_cluster_shared_state). A `json` column, not `jsonb`: the text comes back in the order
 * it was written, so a snapshot rendered from it is byte for byte the one its builder made.
 */
import { sql } from 'kysely';
import type { DbOrTrx } from '../index';

/** Until the transaction ends, no other process builds this key (the builder of the interval). */
export async function lockOpenDataBuild(db: DbOrTrx, cacheKey: string): Promise<void> {
	await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`open-data:${cacheKey}`}, 0))`.execute(db);
}

/** The data built less than `intervalSeconds` ago (real time: the database's clock), if any. */
export async function findFreshOpenDataBuild(db: DbOrTrx, cacheKey: string, intervalSeconds: number): Promise<{ data: unknown } | undefined> {
	return db
		.selectFrom('open_data_build')
		.select('data')
		.where('cache_key', '=', cacheKey)
		.where('built_at', '>', sql<Date>`clock_timestamp() - make_interval(secs => ${intervalSeconds})`)
		.executeTakeFirst();
}

export async function saveOpenDataBuild(db: DbOrTrx, cacheKey: string, data: unknown): Promise<void> {
	const json = JSON.stringify(data);
	await db
		.insertInto('open_data_build')
		.values({ cache_key: cacheKey, data: json, built_at: sql<Date>`clock_timestamp()`, builds: 1 })
		.onConflict((oc) => oc.column('cache_key').doUpdateSet({ data: json, built_at: sql<Date>`clock_timestamp()`, builds: sql<string>`open_data_build.builds + 1` }))
		.execute();
}

/** How many times a key has been built, by all processes together (tests, the fault script). */
export async function countOpenDataBuilds(db: DbOrTrx, cacheKey: string): Promise<number> {
	const row = await db.selectFrom('open_data_build').select('builds').where('cache_key', '=', cacheKey).executeTakeFirst();
	return Number(row?.builds ?? 0);
}
