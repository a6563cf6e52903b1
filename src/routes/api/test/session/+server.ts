import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { createSession } from '$lib/server/auth/session';
import { LOA } from '$lib/server/auth/settings';
import { setSessionCookie } from '$lib/server/auth/cookies';
import { clock } from '$lib/server/clock';
import { config } from '$lib/server/config';
import { db } from '$lib/server/db/runtime';
import { encryptTotpSecret } from '$lib/server/auth/totp-crypto';
import type { RequestHandler } from './$types';

/**
 * Test-only (APP_ENV=test): a session without the eID or the staff login, for the end-to-end
 * tests of issue 8 that need many principals at once (tests/e2e/access-matrix.spec.ts,
 * security.spec.ts, fuzz.spec.ts):
 *
 * - `{ "staff": "<username>" }`: a demo staff member's session, second factor passed;
 * - `{ "newStaff": { "office": "<office code>" | null, "role": "<role>", "enrolled": true }, "pending": true }`: a new
 *   staff member of the test's own, whose session is past the password only (`pending`) or
 *   past the second factor too (no password: they can never log in by the pages);
 * - `{ "voter": { "office": "<office code>", "birthDate": "YYYY-MM-DD" } }`: a new voter on that
 *   office's list (municipal office or embassy), logged in as by the eID with substantial
 *   assurance (§23(5)) — a voter of the test's own, whom no other test touches; born on
 *   1980-01-01 unless `birthDate` says otherwise, with a family name of their own.
 *
 * Answers `{ token, ... }` (a voter's with their name and date of birth) and sets the session cookie. Absent in development and production: 404.
 */
const ROLES = ['municipal-clerk', 'embassy-clerk', 'embassy-head', 'commission-member', 'commission-chair', 'administrator'] as const;

const body = z.union([
	z.strictObject({ staff: z.string().min(1).max(64) }),
	z.strictObject({
		newStaff: z.strictObject({ office: z.string().min(1).max(64).nullable(), role: z.enum(ROLES), enrolled: z.boolean().default(false) }),
		pending: z.boolean().default(false)
	}),
	z.strictObject({ voter: z.strictObject({ office: z.string().min(1).max(64), birthDate: z.iso.date().optional() }) })
]);

export const POST: RequestHandler = async ({ request, cookies }) => {
	if (config().APP_ENV !== 'test') error(404, 'Not found');
	const parsed = body.safeParse(await request.json().catch(() => null));
	if (!parsed.success) error(400, 'Body must be {"staff": "<username>"}, {"newStaff": {"office", "role"}, "pending"} or {"voter": {"office": "<code>"}}');
	const now = clock().now();
	const database = db();
	if ('newStaff' in parsed.data) {
		const { office: code, role, enrolled } = parsed.data.newStaff;
		const office = code ? await database.selectFrom('office').select('id').where('code', '=', code).executeTakeFirst() : null;
		if (code && !office) error(400, `No office ${code}`);
		const staff = await database
			.insertInto('staff_user')
			.values({
				username: `test.${crypto.randomUUID().slice(0, 12)}`,
				display_name: 'Test',
				role,
				office_id: office?.id ?? null,
				password_hash: 'test-no-login',
				// An authenticator app with a key nobody knows: every code is wrong.
				totp_key: enrolled ? encryptTotpSecret(crypto.getRandomValues(new Uint8Array(20))) : null,
				totp_enrolled_at: enrolled ? new Date(now.epochMilliseconds) : null
			})
			.returning(['id', 'username'])
			.executeTakeFirstOrThrow();
		const session = await createSession(database, { kind: 'staff', staffId: staff.id, twoFactorVerified: !parsed.data.pending }, now);
		setSessionCookie(cookies, session.token, config());
		return json({ token: session.token, staffId: staff.id, username: staff.username, role, officeId: office?.id ?? null });
	}
	if ('staff' in parsed.data) {
		const staff = await database.selectFrom('staff_user').select(['id', 'role', 'office_id']).where('username', '=', parsed.data.staff).executeTakeFirst();
		if (!staff) error(400, `No staff member ${parsed.data.staff}`);
		const session = await createSession(database, { kind: 'staff', staffId: staff.id, twoFactorVerified: true }, now);
		setSessionCookie(cookies, session.token, config());
		return json({ token: session.token, staffId: staff.id, role: staff.role, officeId: staff.office_id });
	}
	const office = await database.selectFrom('office').select(['id', 'kind', 'country_code']).where('code', '=', parsed.data.voter.office).executeTakeFirst();
	if (!office) error(400, `No office ${parsed.data.voter.office}`);
	const suffix = crypto.randomUUID().slice(0, 8);
	const birthDate = parsed.data.voter.birthDate ?? '1980-01-01';
	const voter = await database
		.insertInto('voter')
		.values({
			municipal_office_id: office.kind === 'municipal' ? office.id : null,
			special_district_office_id: office.kind === 'embassy' ? office.id : null,
			given_name: 'Test',
			family_name: `Volič ${suffix}`,
			birth_date: birthDate,
			address_line: 'Testovací 1',
			city: office.kind === 'municipal' ? 'Praha' : 'Berlin',
			postal_code: office.kind === 'municipal' ? '110 00' : '10117',
			country_code: office.kind === 'municipal' ? 'CZ' : (office.country_code ?? 'DE'),
			eid_subject: `test-session:${suffix}`
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const session = await createSession(
		database,
		{ kind: 'eid', voterId: voter.id, eidSubject: `test-session:${suffix}`, eidAcr: LOA.substantial, eidClaims: null },
		now
	);
	setSessionCookie(cookies, session.token, config());
	return json({ token: session.token, voterId: voter.id, officeId: office.id, givenName: 'Test', familyName: `Volič ${suffix}`, birthDate });
};
