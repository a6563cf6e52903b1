/**
 * §23(3): the office's evidence of voter cards: every card it issued, by serial, with the date
 * of issue, how it was handed over and any loss or destruction. Only the office's own cards.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { listElections } from '../db/queries/elections';
import { listOfficeVoterCards } from '../db/queries/staff-requests';
import { isUuid } from '../services/requests';
import { staffContext, type StaffGroup } from './context';

export const CARDS_PER_PAGE = 50;

export async function loadVoterCardEvidence(event: RequestEvent, group: StaffGroup) {
	const ctx = await staffContext(event, group);
	const electionParam = event.url.searchParams.get('volby');
	const electionId = electionParam && isUuid(electionParam) ? electionParam : null;
	const after = Number(event.url.searchParams.get('po') ?? '');
	const afterSerial = Number.isInteger(after) && after > 0 ? after : null;
	const [rows, elections] = await Promise.all([
		listOfficeVoterCards(ctx.db, ctx.officeId, { electionId, afterSerial, limit: CARDS_PER_PAGE + 1 }),
		listElections(ctx.db, { officeId: ctx.officeId })
	]);
	const page = rows.slice(0, CARDS_PER_PAGE);
	return {
		base: group.base,
		officeName: ctx.locale === 'en' ? ctx.office.name_en : ctx.office.name_cs,
		electionId,
		elections: elections.map((e) => ({ id: e.id, title: ctx.locale === 'en' ? e.title_en : e.title_cs })),
		cards: page.map((c) => ({
			requestId: c.request_id,
			serial: c.serial,
			reference: c.reference,
			electionTitle: ctx.locale === 'en' ? c.election_title_en : c.election_title_cs,
			round: c.round,
			voterName: `${c.voter_given_name} ${c.voter_family_name}`,
			voterBirthDate: c.voter_birth_date,
			issuedAt: c.issued_at.toISOString(),
			handoverMethod: c.handover_method,
			handedOverAt: c.handed_over_at?.toISOString() ?? null,
			invalidationReason: c.invalidation_reason,
			invalidatedAt: c.invalidated_at?.toISOString() ?? null
		})),
		next: rows.length > CARDS_PER_PAGE ? (page.at(-1)?.serial ?? null) : null,
		first: afterSerial === null
	};
}
