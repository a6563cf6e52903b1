import { error } from '@sveltejs/kit';
import { renderProtocolPdf } from '$lib/server/documents/protocol';
import { findEmbassyById, findElectionById } from '$lib/server/db/queries/elections';
import { closedResultVersions } from '$lib/server/services/district-results';
import { commissionProtocolFacts, COMMISSION_GROUP, envelopePageContext } from '$lib/server/staff-pages/envelopes';
import type { RequestHandler } from './$types';

/** §57d: the commission's protocol as a PDF (preliminary until the ballot box is open, §57d(6)). */
export const GET: RequestHandler = async (event) => {
	const ctx = await envelopePageContext(event, COMMISSION_GROUP);
	const selected = ctx.selected;
	if (!selected) error(404, 'Not found');
	const [result, embassy, election, closed] = await Promise.all([
		commissionProtocolFacts(ctx.db, { electionId: selected.electionId, round: selected.round }, ctx.actor),
		findEmbassyById(ctx.db, ctx.officeId),
		findElectionById(ctx.db, selected.electionId),
		closedResultVersions(ctx.db, { electionId: selected.electionId, round: selected.round }, ctx.actor)
	]);
	const latest = closed?.versions.at(-1);
	if (result.kind === 'forbidden') error(403, 'Forbidden');
	if (result.kind === 'not-found' || !embassy || !election) error(404, 'Not found');
	const pdf = await renderProtocolPdf(
		{
			embassy: { nameCs: embassy.name_cs, nameEn: embassy.name_en, specialDistrictNumber: embassy.special_district_number, timeZone: embassy.time_zone },
			election: { titleCs: election.title_cs, titleEn: election.title_en, round: selected.round, roundCount: election.rounds.length, rehearsal: election.rehearsal },
			...result.facts,
			result: latest && closed ? { shape: closed.shape, ...latest } : null,
			generatedAt: ctx.now
		},
		ctx.locale
	);
	return new Response(new Uint8Array(pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `inline; filename="protokol-komise-${selected.key}.pdf"`,
			'cache-control': 'no-store'
		}
	});
};
