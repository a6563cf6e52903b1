/**
 * Reads of the envelope pages (issue 6) that the services of envelopes.ts and commission.ts
 * do not need: the late envelopes kept apart (§57c(5)) and who the commission's protocol
 * names (§57d). Every query filters by the office, so another office's ids behave exactly
 * like unknown ids.
 */
import { sql } from 'kysely';
import type { DbOrTrx } from '../index';

/**
 * §57c(5): the envelopes of an office and election round that arrived after the close of
 * voting, kept apart and never counted: codes and receipt times only (no names).
 */
export async function listLateEnvelopes(db: DbOrTrx, officeId: string, electionId: string, round: number) {
	return db
		.selectFrom('return_envelope as e')
		.innerJoin('correspondence_package as p', 'p.id', 'e.package_id')
		.select(['e.id', 'p.envelope_code', 'e.received_at', 'e.storage_batch'])
		.where('e.office_id', '=', officeId)
		.where('e.election_id', '=', electionId)
		.where('e.round', '=', round)
		.where('e.late', '=', true)
		.orderBy('e.received_at')
		.orderBy('e.scan_no')
		.execute();
}

/** The staff who recorded the commission's outcomes of an office's round (§57d(2)–(4)), with how many each. */
export async function listOutcomeRecorders(db: DbOrTrx, officeId: string, electionId: string, round: number) {
	return db
		.selectFrom('return_envelope as e')
		.innerJoin('staff_user as s', 's.id', 'e.processed_by')
		.select(['s.id', 's.display_name', 's.role', sql<number>`count(*)::int`.as('recorded')])
		.where('e.office_id', '=', officeId)
		.where('e.election_id', '=', electionId)
		.where('e.round', '=', round)
		.groupBy(['s.id', 's.display_name', 's.role'])
		.orderBy('s.display_name')
		.execute();
}

/** §57d(6): when the ballot box of an office's round was opened, and by whom (display name). */
export async function findCommissionClosureWithName(db: DbOrTrx, officeId: string, electionId: string, round: number) {
	return db
		.selectFrom('commission_closure as c')
		.innerJoin('staff_user as s', 's.id', 'c.opened_by')
		.select(['c.ballot_box_opened_at', 's.display_name as opened_by_name'])
		.where('c.office_id', '=', officeId)
		.where('c.election_id', '=', electionId)
		.where('c.round', '=', round)
		.executeTakeFirst();
}
