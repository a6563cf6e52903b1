import { error, json } from '@sveltejs/kit';
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { config } from '$lib/server/config';
import { db } from '$lib/server/db/runtime';
import { newReference } from '$lib/server/reference';
import { createElection } from '$lib/server/services/elections';
import { insertFixtureVoters, issueFixturePackages } from '$lib/server/services/envelope-fixtures';
import type { RequestHandler } from './$types';

/**
 * Test-only (APP_ENV=test): one row of every kind that a staff route names by id, owned by
 * the office `{ "office": "<code>" }`, for tests/e2e/access-matrix.spec.ts: staff of every
 * other office must be refused each of them. In an election of its own, held before the demo
 * data's FIXED_NOW, so that no other test's lists change. Absent in development and production: 404.
 */
const body = z.strictObject({ office: z.string().min(1).max(64) });

export const POST: RequestHandler = async ({ request }) => {
	if (config().APP_ENV !== 'test') error(404, 'Not found');
	const parsed = body.safeParse(await request.json().catch(() => null));
	if (!parsed.success) error(400, 'Body must be {"office": "<office code>"}');
	const database = db();
	const office = await database.selectFrom('office').select(['id', 'kind']).where('code', '=', parsed.data.office).executeTakeFirst();
	if (!office) error(400, `No office ${parsed.data.office}`);
	const staff = await database.selectFrom('staff_user').select('id').where('office_id', '=', office.id).orderBy('role').executeTakeFirst();
	if (!staff) error(400, `No staff at ${parsed.data.office}`);

	const suffix = crypto.randomUUID().slice(0, 5);
	const firstDay = Temporal.PlainDate.from('2026-09-04');
	const created = await createElection(
		database,
		{
			type: 'european',
			announcedOn: firstDay.subtract({ days: 90 }).toString(),
			rounds: [{ round: 1, firstDay: firstDay.toString() }],
			titleCs: `Zkušební volby přístupu ${suffix}`,
			titleEn: `Access test election ${suffix}`
		},
		{ kind: 'system' },
		Temporal.Instant.from('2026-01-01T00:00:00Z')
	);
	if (!created.ok) error(400, JSON.stringify(created.errors));
	const electionId = created.id;
	const at = new Date('2026-08-01T10:00:00Z');

	// A voter on the office's list with a pending request there.
	const [voterId] =
		office.kind === 'embassy'
			? await insertFixtureVoters(database, { officeId: office.id, count: 1 })
			: [
					(
						await database
							.insertInto('voter')
							.values({
								municipal_office_id: office.id,
								given_name: 'Přístup',
								family_name: `Cizí ${suffix}`,
								birth_date: '1980-01-01',
								address_line: 'Testovací 2',
								city: 'Praha',
								postal_code: '110 00',
								country_code: 'CZ'
							})
							.returning('id')
							.executeTakeFirstOrThrow()
					).id
				];
	const filed = await database
		.insertInto('request')
		.values({
			reference: newReference(office.kind === 'embassy' ? 'correspondence-package' : 'voter-card'),
			kind: office.kind === 'embassy' ? 'correspondence-package' : 'voter-card',
			voter_id: voterId!,
			election_id: electionId,
			round: 1,
			office_id: office.id,
			channel: 'portal',
			delivery: 'in-person',
			received_at: at
		})
		.returning(['id', 'reference'])
		.executeTakeFirstOrThrow();
	if (office.kind !== 'embassy') return json({ officeId: office.id, electionId, voterId, requestId: filed.id, reference: filed.reference });

	// Embassy: an issued package in a batch, its return envelope, handed over to the commission.
	const [packageVoter] = await insertFixtureVoters(database, { officeId: office.id, count: 1 });
	const [pkg] = await issueFixturePackages(database, { officeId: office.id, electionId, round: 1, voterIds: [packageVoter!], issuedBy: staff.id, at });
	const batch = await database
		.insertInto('package_batch')
		.values({ office_id: office.id, election_id: electionId, created_at: at, created_by: staff.id, package_count: 1 })
		.returning('id')
		.executeTakeFirstOrThrow();
	await database.updateTable('correspondence_package').set({ batch_id: batch.id }).where('id', '=', pkg!.packageId).execute();
	const handover = await database
		.insertInto('envelope_handover')
		.values({ office_id: office.id, election_id: electionId, round: 1, envelope_count: 1, created_at: at, created_by: staff.id })
		.returning('id')
		.executeTakeFirstOrThrow();
	const envelope = await database
		.insertInto('return_envelope')
		.values({
			package_id: pkg!.packageId,
			office_id: office.id,
			election_id: electionId,
			round: 1,
			received_at: at,
			received_by: staff.id,
			late: false,
			handover_id: handover.id
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return json({
		officeId: office.id,
		electionId,
		voterId,
		requestId: filed.id,
		reference: filed.reference,
		packageId: pkg!.packageId,
		packageVoterId: packageVoter,
		envelopeCode: pkg!.code,
		batchId: batch.id,
		handoverId: handover.id,
		envelopeId: envelope.id
	});
};
