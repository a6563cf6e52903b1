import { error, json } from '@sveltejs/kit';
import { Temporal } from 'temporal-polyfill';
import { ENVELOPE_CODE_RANDOM_BYTES, generateEnvelopeCode } from '$lib/domain/envelopes';
import { config } from '$lib/server/config';
import { db } from '$lib/server/db/runtime';
import { replaceCandidateLists } from '$lib/server/db/queries/district-results';
import { insertCommissionClosure } from '$lib/server/db/queries/envelopes';
import { DEMO_CHAMBER_LISTS } from '$lib/server/db/seed-data';
import { createElection } from '$lib/server/services/elections';
import { roundKey } from '$lib/server/staff-pages/envelopes';
import type { RequestHandler } from './$types';

/**
 * Test-only (APP_ENV=test): the end-to-end test of issue 17 (tests/e2e/district-results.spec.ts)
 * gets a European Parliament election of its own (other specs look for the seeded Chamber one), held before the demo data's FIXED_NOW, with the demo
 * candidate lists and the Berlin commission's ballot box already opened (§57d(6)), so that
 * the chair and a member can enter the record of the result at once. Absent otherwise: 404.
 */
export const POST: RequestHandler = async () => {
	if (config().APP_ENV !== 'test') error(404, 'Not found');
	const database = db();
	const berlin = await database.selectFrom('office').select('id').where('code', '=', 'zu-berlin').executeTakeFirst();
	const chair = berlin && (await database.selectFrom('staff_user').select('id').where('office_id', '=', berlin.id).where('role', '=', 'commission-chair').executeTakeFirst());
	if (!berlin || !chair) error(400, 'No Berlin embassy or chair');
	const suffix = generateEnvelopeCode(crypto.getRandomValues(new Uint8Array(ENVELOPE_CODE_RANDOM_BYTES))).slice(0, 5);
	const titleCs = `Zkušební volby výsledku ${suffix}`;
	const created = await createElection(
		database,
		{
			type: 'european',
			announcedOn: '2026-07-04',
			rounds: [{ round: 1, firstDay: '2026-10-02' }],
			titleCs,
			titleEn: `Result test election ${suffix}`
		},
		{ kind: 'system' },
		Temporal.Instant.from('2026-01-01T00:00:00Z')
	);
	if (!created.ok) error(400, JSON.stringify(created.errors));
	await database.transaction().execute(async (trx) => {
		await replaceCandidateLists(trx, created.id, DEMO_CHAMBER_LISTS);
		await insertCommissionClosure(trx, { officeId: berlin.id, electionId: created.id, round: 1, at: new Date('2026-10-03T14:00:00Z'), by: chair.id });
	});
	return json({ electionId: created.id, key: roundKey(created.id, 1), titleCs });
};
