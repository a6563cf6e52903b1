import { sql } from 'kysely';
import type { DbOrTrx } from '../index';
import type { RefusalReasonColumn, RequestChannel, RequestKind } from '../schema';

/**
 * What the written notice of a refusal shows (§77). Two ways in, each scoped: the office's
 * staff find only their office's refused requests, a voter only their own; anything else
 * (another office's, another voter's, a request not refused) is not found.
 */
export interface RefusalNoticeRow {
	id: string;
	reference: string;
	kind: RequestKind;
	round: number | null;
	channel: RequestChannel;
	received_at: Date;
	deadline_key: string | null;
	deadline_at: Date | null;
	decided_at: Date | null;
	refusal_reason: RefusalReasonColumn | null;
	refusal_text: string | null;
	election_title_cs: string | null;
	election_title_en: string | null;
	election_round_count: number | null;
	office_kind: 'municipal' | 'embassy';
	office_name_cs: string;
	office_name_en: string;
	office_address: string;
	office_region_code: string | null;
	given_name: string;
	family_name: string;
	birth_date: string;
	address_line: string;
	city: string;
	postal_code: string;
	country_code: string;
	official_name: string | null;
}

function noticeQuery(db: DbOrTrx) {
	return db
		.selectFrom('request')
		.innerJoin('voter', 'voter.id', 'request.voter_id')
		.innerJoin('office', 'office.id', 'request.office_id')
		.leftJoin('election', 'election.id', 'request.election_id')
		.leftJoin('staff_user', 'staff_user.id', 'request.decided_by')
		.select([
			'request.id',
			'request.reference',
			'request.kind',
			'request.round',
			'request.channel',
			'request.received_at',
			'request.deadline_key',
			'request.deadline_at',
			'request.decided_at',
			'request.refusal_reason',
			'request.refusal_text',
			'election.title_cs as election_title_cs',
			'election.title_en as election_title_en',
			sql<number | null>`(SELECT count(*)::int FROM election_round er WHERE er.election_id = request.election_id)`.as(
				'election_round_count'
			),
			'office.kind as office_kind',
			'office.name_cs as office_name_cs',
			'office.name_en as office_name_en',
			'office.address as office_address',
			'office.region_code as office_region_code',
			'voter.given_name',
			'voter.family_name',
			'voter.birth_date',
			'voter.address_line',
			'voter.city',
			'voter.postal_code',
			'voter.country_code',
			'staff_user.display_name as official_name'
		])
		.where('request.state', '=', 'refused');
}

/** A refused request of the office, for its staff. */
export async function findRefusalNoticeOfOffice(db: DbOrTrx, officeId: string, requestId: string): Promise<RefusalNoticeRow | undefined> {
	return noticeQuery(db).where('request.office_id', '=', officeId).where('request.id', '=', requestId).executeTakeFirst();
}

/** A refused request of the voter, by its reference, for the voter themself. */
export async function findRefusalNoticeOfVoter(db: DbOrTrx, voterId: string, reference: string): Promise<RefusalNoticeRow | undefined> {
	return noticeQuery(db).where('request.voter_id', '=', voterId).where('request.reference', '=', reference).executeTakeFirst();
}
