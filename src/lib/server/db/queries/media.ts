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
		// A revoked registration's token is never accepted again.
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
}

export async function listMediaOrganisations(db: DbOrTrx, electionId: string) {
	return db
		.selectFrom('media_organisation')
		.select(['id', 'name', 'email', 'phone', 'production_addresses', 'test_addresses', 'registered_at', 'revoked_at', 'revoke_reason', 'token_rotated_at'])
		.where('election_id', '=', electionId)
		.orderBy('name')
		.execute();
}

export interface MediaOrganisationRow {
	id: string;
	election_id: string;
	name: string;
	email: string;
	phone: string;
	production_addresses: string[];
	test_addresses: string[];
	registered_at: Date;
	revoked_at: Date | null;
	revoke_reason: string | null;
	token_rotated_at: Date | null;
}

/** One registration of the election (another election's id is not found). */
export async function findMediaOrganisation(
	db: DbOrTrx,
	electionId: string,
	organisationId: string,
	opts: { forUpdate?: boolean } = {}
): Promise<MediaOrganisationRow | undefined> {
	let query = db
		.selectFrom('media_organisation')
		.select(['id', 'election_id', 'name', 'email', 'phone', 'production_addresses', 'test_addresses', 'registered_at', 'revoked_at', 'revoke_reason', 'token_rotated_at'])
		.where('id', '=', organisationId)
		.where('election_id', '=', electionId);
	if (opts.forUpdate) query = query.forUpdate();
	return query.executeTakeFirst();
}

/** Whether another registration of the election has this name. */
export async function mediaNameTaken(db: DbOrTrx, electionId: string, name: string, exceptId: string): Promise<boolean> {
	const row = await db.selectFrom('media_organisation').select('id').where('election_id', '=', electionId).where('name', '=', name).where('id', '!=', exceptId).executeTakeFirst();
	return row !== undefined;
}

export async function updateMediaOrganisation(
	db: DbOrTrx,
	id: string,
	m: { name: string; email: string; phone: string; production: string[]; test: string[] }
): Promise<void> {
	await db
		.updateTable('media_organisation')
		.set({ name: m.name, email: m.email, phone: m.phone, production_addresses: m.production, test_addresses: m.test })
		.where('id', '=', id)
		.execute();
}

export async function revokeMediaOrganisation(db: DbOrTrx, id: string, r: { at: Date; by: string; reason: string }): Promise<void> {
	await db.updateTable('media_organisation').set({ revoked_at: r.at, revoked_by: r.by, revoke_reason: r.reason }).where('id', '=', id).execute();
}

export async function replaceMediaToken(db: DbOrTrx, id: string, tokenHash: Uint8Array, at: Date): Promise<void> {
	await db.updateTable('media_organisation').set({ token_hash: tokenHash, token_rotated_at: at }).where('id', '=', id).execute();
}

/** The election's own media registration deadline; null: the default of domain/media.ts. */
export async function setMediaRegistrationDeadlineRow(db: DbOrTrx, electionId: string, deadline: Date | null): Promise<void> {
	await db.updateTable('election').set({ media_registration_deadline: deadline }).where('id', '=', electionId).execute();
}

export async function setRealProcessingStarted(db: DbOrTrx, electionId: string, at: Date | null): Promise<void> {
	await db.updateTable('election').set({ real_processing_started_at: at }).where('id', '=', electionId).execute();
}
