import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { delayAfter, STAFF_LOGIN_THROTTLE } from '$lib/server/auth/login-throttle';
import { hashPassword } from '$lib/server/auth/password';
import { loginWithPassword } from '$lib/server/auth/staff';
import { clock } from '$lib/server/clock';
import { config } from '$lib/server/config';
import { db } from '$lib/server/db/runtime';
import { insertFixtureStaff } from '$lib/server/services/envelope-fixtures';
import type { RequestHandler } from './$types';

/**
 * Test-only (APP_ENV=test): the end-to-end server sees every browser at 127.0.0.1, so a lock
 * for everyone (failures from many addresses, auth/login-throttle.ts) cannot come from the
 * browser. This creates a municipal clerk `username` (if new) and drives the real login
 * service with wrong passwords from 10 documentation addresses (198.51.100.1–10), each as
 * soon as its wait allows, starting at the request's clock, until the account is locked.
 * Absent in development and production: 404.
 */
const body = z.object({ username: z.string().regex(/^[a-z0-9._-]{3,64}$/) });

export const POST: RequestHandler = async ({ request }) => {
	if (config().APP_ENV !== 'test') error(404, 'Not found');
	const parsed = body.safeParse(await request.json().catch(() => ({})));
	if (!parsed.success) error(400, parsed.error.message);
	const { username } = parsed.data;
	const database = db();
	const office = await database.selectFrom('office').select('id').where('kind', '=', 'municipal').orderBy('code').executeTakeFirstOrThrow();
	const existing = await database.selectFrom('staff_user').select('id').where('username', '=', username).executeTakeFirst();
	const staffId =
		existing?.id ?? (await insertFixtureStaff(database, { officeId: office.id, role: 'municipal-clerk', username, passwordHash: await hashPassword('Demo-heslo-2026') })).id;

	const addresses = Array.from({ length: STAFF_LOGIN_THROTTLE.accountAddresses }, (_, i) => `198.51.100.${i + 1}`);
	let at = clock().now();
	for (let round = 1; round <= 100; round++) {
		for (const clientAddress of addresses) {
			const result = await loginWithPassword(database, { username, password: 'wrong-password', clientAddress, previousSessionId: null, securityAt: at }, at);
			if (result.kind === 'locked') return json({ staffId, lockedUntil: result.until.toString() });
		}
		at = at.add({ seconds: delayAfter(round) });
	}
	// Unreachable with the policy in force; said plainly if the policy ever changes.
	error(500, 'no lock after 100 rounds');
};
