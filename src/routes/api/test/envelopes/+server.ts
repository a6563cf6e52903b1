import { error, json } from '@sveltejs/kit';
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { returnEnvelopeDeadline } from '$lib/domain';
import { ENVELOPE_CODE_RANDOM_BYTES, generateEnvelopeCode } from '$lib/domain/envelopes';
import { config } from '$lib/server/config';
import { db } from '$lib/server/db/runtime';
import { insertVotingMark, listVotingWindowsOfRound } from '$lib/server/db/queries/envelopes';
import { createElection } from '$lib/server/services/elections';
import { insertFixtureVoters, issueFixturePackages, issueFixtureVoterCard } from '$lib/server/services/envelope-fixtures';
import { votingOfRound } from '$lib/server/services/envelopes';
import type { RequestHandler } from './$types';

/**
 * Test-only (APP_ENV=test): the end-to-end test of issue 6 (tests/e2e/envelopes.spec.ts)
 * gets an election of its own, so that no other spec's data meets its envelopes: a European
 * Parliament election held before the demo data's FIXED_NOW, with windows for every embassy
 * (§2(3)), and issued, dispatched correspondence packages of one embassy for new voters on
 * its list and, if asked, for a test identity of the development eID. One of the voters has
 * a voter card (§57d(2)(d)), another is already marked as having voted in person
 * (§57d(2)(e)). Absent in development and production: 404.
 */
const body = z.object({
	office: z.string().min(1).default('zu-berlin'),
	voters: z.number().int().min(0).max(50).default(10),
	/** Test identities (accountId) on the embassy's list who also get a package. */
	identities: z.array(z.string().min(1)).max(5).default([]),
	/** D, a Friday; default 2 October 2026, before FIXED_NOW. */
	firstDay: z.iso.date().default('2026-10-02')
});

export const POST: RequestHandler = async ({ request }) => {
	if (config().APP_ENV !== 'test') error(404, 'Not found');
	const parsed = body.safeParse(await request.json().catch(() => ({})));
	if (!parsed.success) error(400, parsed.error.message);
	const input = parsed.data;
	const database = db();

	const office = await database.selectFrom('office').select(['id', 'time_zone']).where('code', '=', input.office).where('kind', '=', 'embassy').executeTakeFirst();
	if (!office) error(400, `No embassy ${input.office}`);
	const head = await database
		.selectFrom('staff_user')
		.select('id')
		.where('office_id', '=', office.id)
		.where('role', 'in', ['embassy-head', 'embassy-clerk'])
		.orderBy('role', 'desc')
		.executeTakeFirst();
	if (!head) error(400, `No staff at ${input.office}`);

	// A unique title, so that the election is easy to pick in the staff pages' select.
	const suffix = generateEnvelopeCode(crypto.getRandomValues(new Uint8Array(ENVELOPE_CODE_RANDOM_BYTES))).slice(0, 5);
	const firstDay = Temporal.PlainDate.from(input.firstDay);
	const created = await createElection(
		database,
		{
			type: 'european',
			announcedOn: firstDay.subtract({ days: 90 }).toString(),
			rounds: [{ round: 1, firstDay: firstDay.toString() }],
			titleCs: `Zkušební volby obálek ${suffix}`,
			titleEn: `Envelope test election ${suffix}`
		},
		{ kind: 'system' },
		Temporal.Instant.from('2026-01-01T00:00:00Z')
	);
	if (!created.ok) error(400, JSON.stringify(created.errors));
	const electionId = created.id;

	const identityVoters = input.identities.length
		? await database
				.selectFrom('voter')
				.select(['id', 'import_key'])
				.where(
					'import_key',
					'in',
					input.identities.map((a) => `test-identity:${a}`)
				)
				.where('special_district_office_id', '=', office.id)
				.execute()
		: [];
	if (identityVoters.length !== input.identities.length) error(400, 'A test identity is not on the embassy list');
	const voterIds = await insertFixtureVoters(database, { officeId: office.id, count: input.voters });
	const packages = await issueFixturePackages(database, {
		officeId: office.id,
		electionId,
		round: 1,
		voterIds: [...voterIds, ...identityVoters.map((v) => v.id)],
		issuedBy: head.id,
		at: new Date(firstDay.subtract({ days: 30 }).toZonedDateTime('Europe/Prague').epochMilliseconds)
	});
	const generated = packages.slice(0, voterIds.length);
	if (generated[0]) {
		await issueFixtureVoterCard(database, { officeId: office.id, voterId: generated[0].voterId, electionId, round: 1, issuedBy: head.id });
	}
	if (generated[1]) {
		await insertVotingMark(database, { voterId: generated[1].voterId, electionId, round: 1, method: 'in-person', at: new Date(), by: null });
	}
	const stored = await listVotingWindowsOfRound(database, office.id, electionId, 1);
	const voting = stored ? votingOfRound(stored.time_zone, 1, stored.windows) : null;
	if (!voting) error(500, 'The embassy has no voting windows');

	const requests = await database
		.selectFrom('request')
		.select(['id', 'reference'])
		.where(
			'id',
			'in',
			packages.map((p) => p.requestId)
		)
		.execute();
	const referenceOf = new Map(requests.map((r) => [r.id, r.reference]));
	return json({
		electionId,
		key: `${electionId}-1`,
		titleCs: `Zkušební volby obálek ${suffix}`,
		votingClosesAt: returnEnvelopeDeadline(voting).toInstant().toString(),
		/** In the order of the voters: [0] has a voter card, [1] already voted in person. */
		packages: generated.map((p) => ({ code: p.code, reference: referenceOf.get(p.requestId) })),
		identities: Object.fromEntries(
			input.identities.map((accountId) => {
				const voter = identityVoters.find((v) => v.import_key === `test-identity:${accountId}`)!;
				const pkg = packages.find((p) => p.voterId === voter.id)!;
				return [accountId, { code: pkg.code, reference: referenceOf.get(pkg.requestId) }];
			})
		)
	});
};
