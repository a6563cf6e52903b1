import type pg from 'pg';

/**
 * Every pg Pool of the portal, its job queue and its scripts goes through this (issue 20):
 * - an idle client losing its connection (PostgreSQL restarted, or it closed an idle
 *   connection) makes the pool emit 'error'; without a listener that is an uncaught exception;
 * - a client checked out when its connection drops emits 'error' on itself, with no listener of
 *   the pool's attached: the same crash. The query in flight fails by itself; the pool drops the
 *   client at release because it is no longer queryable. Found by npm run bench and faults.db.test.ts.
 * graphile-worker checks for both listeners ('error' and 'connect') and warns at start-up
 * ("Your pool doesn't have all of the error handlers") when one is missing.
 */
export function handlePoolErrors(pool: pg.Pool, onError: (error: Error) => void): pg.Pool {
	pool.on('error', onError);
	pool.on('connect', (client) => {
		client.on('error', () => {});
	});
	return pool;
}
