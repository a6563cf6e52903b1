import { sql } from 'kysely';
import type { DbOrTrx } from '../index';
import type { Delivery, RequestChannel, RequestKind } from '../schema';

export interface RequestReceiptRow {
	reference: string;
	kind: RequestKind;
	round: number | null;
	channel: RequestChannel;
	delivery: Delivery | null;
	delivery_address_line: string | null;
	delivery_city: string | null;
	delivery_postal_code: string | null;
	delivery_country_code: string | null;
	proxy_name: string | null;
	received_at: Date;
	deadline_key: string | null;
	deadline_at: Date | null;
	election_title_cs: string | null;
	election_title_en: string | null;
	election_round_count: number | null;
	office_name_cs: string;
	office_name_en: string;
	office_address: string;
	given_name: string;
	family_name: string;
	birth_date: string;
}

/**
 * One request of one voter, with what its receipt shows. Filtering by the voter as well as
 * the reference means a guessed reference of someone else's request finds nothing.
 */
export async function findRequestReceipt(db: DbOrTrx, voterId: string, reference: string): Promise<RequestReceiptRow | undefined> {
	return db
		.selectFrom('request')
		.innerJoin('voter', 'voter.id', 'request.voter_id')
		.innerJoin('office', 'office.id', 'request.office_id')
		.leftJoin('election', 'election.id', 'request.election_id')
		.select([
			'request.reference',
			'request.kind',
			'request.round',
			'request.channel',
			'request.delivery',
			'request.delivery_address_line',
			'request.delivery_city',
			'request.delivery_postal_code',
			'request.delivery_country_code',
			'request.proxy_name',
			'request.received_at',
			'request.deadline_key',
			'request.deadline_at',
			'election.title_cs as election_title_cs',
			'election.title_en as election_title_en',
			sql<number | null>`(SELECT count(*)::int FROM election_round er WHERE er.election_id = request.election_id)`.as(
				'election_round_count'
			),
			'office.name_cs as office_name_cs',
			'office.name_en as office_name_en',
			'office.address as office_address',
			'voter.given_name',
			'voter.family_name',
			'voter.birth_date'
		])
		.where('request.voter_id', '=', voterId)
		.where('request.reference', '=', reference)
		.executeTakeFirst();
}
