/** Registered media organisations (issue 17). */
import type { DbOrTrx } from '../index';

export interface MediaElectionRow {
	id: string;
	rehearsal: boolean;
	clock_offset_seconds: number;
	media_registration_deadline: Date | null;
	real_processing_started_at: Date | null;
	first_day: string | null;
}

/** The election with what registration and the cut-off need: its deadline, switch and first day of voting. */
export async function findMediaElection(db: DbOrTrx, electionId: string, opts: { forUpdate?: boolean } = {}): Promise<MediaElectionRow | undefined> {
	let query = db
		.selectFrom('election as e')
		.select((eb) => [
			'e.id',
			'e.rehearsal',
			'e.clock_offset_seconds',
			'e.media_registration_deadline',
			'e.real_processing_started_at',
			eb.selectFrom('election_round as r').select('r.first_day').whereRef('r.election_id', '=', 'e.id').orderBy('r.round').limit(1).as('first_day')
		])
		.where('e.id', '=', electionId);
	if (opts.forUpdate) query = query.forUpdate('e');
	return query.executeTakeFirst();
}

export async function insertMediaOrganisation(
	db: DbOrTrx,
	m: { electionId: string; name: string; email: string; phone: string; production: string[]; test: string[]; tokenHash: Uint8Array; at: Date; by: string }
): Promise<string | undefined> {
	const row = await db
		.insertInto('media_organisation')
		.values({
			election_id: m.electionId,
			name: m.name,
			email: m.email,
			phone: m.phone,
			production_addresses: m.production,
			test_addresses: m.test,
			token_hash: m.tokenHash,
			registered_at: m.at,
			registered_by: m.by
		})
		.onConflict((oc) => oc.columns(['election_id', 'name']).doNothing())
		.returning('id')
		.executeTakeFirst();
	return row?.id;
}

export interface MediaTokenRow {
	id: string;
	election_id: string;
	name: string;
	production_addresses: string[];
	test_addresses: string[];
}

export async function findMediaOrganisationByTokenHash(db: DbOrTrx, tokenHash: Uint8Array): Promise<MediaTokenRow | undefined> {
	return db
		.selectFrom('media_organisation')
		.select(['id', 'election_id', 'name', 'production_addresses', 'test_addresses'])
		.where('token_hash', '=', tokenHash)
		.executeTakeFirst();
}

export async function listMediaOrganisations(db: DbOrTrx, electionId: string) {
	return db
		.selectFrom('media_organisation')
		.select(['id', 'name', 'email', 'phone', 'production_addresses', 'test_addresses', 'registered_at'])
		.where('election_id', '=', electionId)
		.orderBy('name')
		.execute();
}

export async function setRealProcessingStarted(db: DbOrTrx, electionId: string, at: Date | null): Promise<void> {
	await db.updateTable('election').set({ real_processing_started_at: at }).where('id', '=', electionId).execute();
}
