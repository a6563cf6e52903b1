import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { setTestFilingLimit } from '$lib/server/admission-handle';
import { SESSION_COOKIE } from '$lib/server/auth/cookies';
import { config } from '$lib/server/config';
import type { RequestHandler } from './$types';

/**
 * Test-only (APP_ENV=test): the admission bound of new filings for the caller's session —
 * `{"filings": 0}` refuses every filing of that session with the busy page, `{"filings": null}`
 * lifts it. Scoped to one session so that parallel end-to-end tests do not see it. Absent in
 * development and production: 404.
 */
const body = z.object({ filings: z.number().int().min(0).max(10_000).nullable() });

export const POST: RequestHandler = async ({ request, cookies }) => {
	if (config().APP_ENV !== 'test') error(404, 'Not found');
	const parsed = body.safeParse(await request.json().catch(() => null));
	if (!parsed.success) error(400, 'Body must be {"filings": <integer ≥ 0> | null}');
	const token = cookies.get(SESSION_COOKIE);
	if (!token) error(401, 'A session is needed');
	setTestFilingLimit(token, parsed.data.filings);
	return json({ filings: parsed.data.filings });
};
