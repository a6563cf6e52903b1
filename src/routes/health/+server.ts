import { json } from '@sveltejs/kit';
import { isDatabaseHealthy } from '$lib/server/db/runtime';
import type { RequestHandler } from './$types';

/** Liveness and readiness: 200 when the database answers, 503 when it does not. */
export const GET: RequestHandler = async () => {
	const database = await isDatabaseHealthy();
	return json(
		{ status: database ? 'ok' : 'unavailable', database: database ? 'ok' : 'unavailable' },
		{ status: database ? 200 : 503, headers: { 'Cache-Control': 'no-store' } }
	);
};
