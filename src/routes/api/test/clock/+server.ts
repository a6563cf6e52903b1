import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { clock, fixedClock, setClock } from '$lib/server/clock';
import { config } from '$lib/server/config';
import type { RequestHandler } from './$types';

/**
 * Test-only (APP_ENV=test): end-to-end tests move the portal's clock to any instant of an
 * election calendar. Absent in development and production: 404.
 */
const body = z.object({ now: z.iso.datetime({ offset: true }) });

function guard() {
	if (config().APP_ENV !== 'test') error(404, 'Not found');
}

export const GET: RequestHandler = () => {
	guard();
	return json({ now: clock().now().toString() });
};

export const POST: RequestHandler = async ({ request }) => {
	guard();
	const parsed = body.safeParse(await request.json().catch(() => null));
	if (!parsed.success) error(400, 'Body must be {"now": "<ISO 8601 with offset>"}');
	setClock(fixedClock(parsed.data.now));
	return json({ now: clock().now().toString() });
};
