/**
 * Queries of correspondence packages (§57b), their batch PDFs and proxies (§57b(1)). Every
 * query that reads or changes a package, a batch, a request or a proxy takes the embassy's
 * office id and filters by it, so that another office's ids behave exactly like unknown ids.
 */
import { sql } from 'kysely';
import type { DbOrTrx } from '../index';
import type { Delivery, PackageBatchStatus, RequestChannel, RequestLocale } from '../schema';

// --- Issuing (one transaction: lock, number, insert) ---

export interface IssuableRequestRow {
	id: string;
	reference: string;
	voter_id: string;
	round: number;
	channel: RequestChannel;
	delivery: Delivery | null;
}

/**
 * Locks the accepted correspondence requests of one embassy and election that have no package
 * yet (all of them, or those of `requestIds`), in id order so that two batches built at once
 * lock in the same order and never deadlock. A request that a concurrent batch issued while
 * this one waited for its lock no longer matches 'accepted' and drops out (READ COMMITTED
 * re-checks the row it waited for).
 *
 *   SELECT id, reference, voter_id, round, channel, delivery FROM request
 *   WHERE office_id = $1 AND election_id = $2 AND kind = 'correspondence-package'
 *     AND state = 'accepted' [AND id = ANY($3)]
 *     AND NOT EXISTS (SELECT 1 FROM correspondence_package p WHERE p.request_id = request.id)
 *   ORDER BY id FOR UPDATE
 */
export async function lockIssuableRequests(
	db: DbOrTrx,
	officeId: string,
	electionId: string,
	requestIds: readonly string[] | null
): Promise<IssuableRequestRow[]> {
	let query = db
		.selectFrom('request')
		.select(['request.id', 'request.reference', 'request.voter_id', 'request.round', 'request.channel', 'request.delivery'])
		.where('request.office_id', '=', officeId)
		.where('request.election_id', '=', electionId)
		.where('request.kind', '=', 'correspondence-package')
		.where('request.state', '=', 'accepted')
		.where(({ not, exists, selectFrom }) =>
			not(exists(selectFrom('correspondence_package as p').select('p.id').whereRef('p.request_id', '=', 'request.id')))
		);
	if (requestIds !== null) {
		if (requestIds.length === 0) return [];
		query = query.where('request.id', 'in', [...requestIds]);
	}
	const rows = await query.orderBy('request.id').forUpdate().execute();
	return rows.map((r) => ({ ...r, round: r.round ?? 1 }));
}

/** accepted → issued, only for rows still 'accepted'; returns the ids changed. */
export async function updateRequestsIssued(db: DbOrTrx, officeId: string, ids: readonly string[], at: Date): Promise<string[]> {
	if (ids.length === 0) return [];
	const rows = await db
		.updateTable('request')
		.set({ state: 'issued', updated_at: at })
		.where('office_id', '=', officeId)
		.where('id', 'in', [...ids])
		.where('state', '=', 'accepted')
		.returning('id')
		.execute();
	return rows.map((r) => r.id);
}

/**
 * Takes `count` consecutive serial numbers of one office's counter and returns the first.
 * The row's lock is held to the end of the transaction, so two transactions never draw the
 * same number, and a rolled-back transaction leaves the counter as it was.
 *
 *   INSERT INTO office_counter (office_id, counter, next_value) VALUES ($1, $2, 1 + $3)
 *   ON CONFLICT (office_id, counter) DO UPDATE SET next_value = office_counter.next_value + $3
 *   RETURNING next_value - $3
 */
export async function takeCounterValues(db: DbOrTrx, officeId: string, counter: string, count: number): Promise<number> {
	if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
	const row = await db
		.insertInto('office_counter')
		.values({ office_id: officeId, counter, next_value: 1 + count })
		.onConflict((oc) =>
			oc.columns(['office_id', 'counter']).doUpdateSet({ next_value: sql<number>`office_counter.next_value + ${count}` })
		)
		.returning(sql<number>`next_value - ${count}`.as('first'))
		.executeTakeFirstOrThrow();
	return Number(row.first);
}

export async function insertPackageBatch(
	db: DbOrTrx,
	row: { officeId: string; electionId: string; createdAt: Date; createdBy: string; packageCount: number }
): Promise<string> {
	const inserted = await db
		.insertInto('package_batch')
		.values({
			office_id: row.officeId,
			election_id: row.electionId,
			created_at: row.createdAt,
			created_by: row.createdBy,
			package_count: row.packageCount
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return inserted.id;
}

export interface NewPackageRow {
	office_id: string;
	request_id: string;
	voter_id: string;
	election_id: string;
	round: number;
	id_slip_number: number;
	envelope_code: string;
	batch_id: string;
	issued_at: Date;
	issued_by: string;
}

/**
 * Inserts packages; a row whose envelope code (or request) is already taken is skipped, not
 * raised, so that the caller can draw a fresh code for it without aborting the transaction.
 */
export async function insertPackages(
	db: DbOrTrx,
	rows: readonly NewPackageRow[]
): Promise<{ id: string; request_id: string; envelope_code: string; id_slip_number: number }[]> {
	if (rows.length === 0) return [];
	return db
		.insertInto('correspondence_package')
		.values([...rows])
		// Only a clashing envelope code is skipped (and drawn again); any other unique key
		// (a package for the voter and round already) is an error the service words (issue 16).
		.onConflict((oc) => oc.column('envelope_code').doNothing())
		.returning(['id', 'request_id', 'envelope_code', 'id_slip_number'])
		.execute();
}

// --- The overview page ---

export interface AcceptedRequestRow {
	id: string;
	reference: string;
	round: number;
	channel: RequestChannel;
	delivery: Delivery | null;
	received_at: Date;
	given_name: string;
	family_name: string;
	birth_date: string;
}

/** Accepted correspondence requests of the embassy and election still without a package, oldest first. */
export async function listAcceptedWithoutPackage(
	db: DbOrTrx,
	officeId: string,
	electionId: string,
	limit: number
): Promise<AcceptedRequestRow[]> {
	const rows = await db
		.selectFrom('request')
		.innerJoin('voter', 'voter.id', 'request.voter_id')
		.select([
			'request.id',
			'request.reference',
			'request.round',
			'request.channel',
			'request.delivery',
			'request.received_at',
			'voter.given_name',
			'voter.family_name',
			'voter.birth_date'
		])
		.where('request.office_id', '=', officeId)
		.where('request.election_id', '=', electionId)
		.where('request.kind', '=', 'correspondence-package')
		.where('request.state', '=', 'accepted')
		.where(({ not, exists, selectFrom }) =>
			not(exists(selectFrom('correspondence_package as p').select('p.id').whereRef('p.request_id', '=', 'request.id')))
		)
		.orderBy('request.received_at')
		.orderBy('request.id')
		.limit(limit)
		.execute();
	return rows.map((r) => ({ ...r, round: r.round ?? 1 }));
}

export interface PackageCounts {
	acceptedWithoutPackage: number;
	/** Issued, not yet sent or handed over, per round. */
	waitingByRound: { round: number; count: number }[];
	dispatched: number;
	issued: number;
}

export async function countPackageWork(db: DbOrTrx, officeId: string, electionId: string): Promise<PackageCounts> {
	const accepted = await db
		.selectFrom('request')
		.select((eb) => eb.fn.countAll<string>().as('n'))
		.where('request.office_id', '=', officeId)
		.where('request.election_id', '=', electionId)
		.where('request.kind', '=', 'correspondence-package')
		.where('request.state', '=', 'accepted')
		.where(({ not, exists, selectFrom }) =>
			not(exists(selectFrom('correspondence_package as p').select('p.id').whereRef('p.request_id', '=', 'request.id')))
		)
		.executeTakeFirstOrThrow();
	const packages = await db
		.selectFrom('correspondence_package')
		.select((eb) => [
			'round',
			eb.fn.countAll<string>().as('issued'),
			eb.fn.count<string>('dispatched_at').as('dispatched')
		])
		.where('office_id', '=', officeId)
		.where('election_id', '=', electionId)
		.groupBy('round')
		.orderBy('round')
		.execute();
	return {
		acceptedWithoutPackage: Number(accepted.n),
		waitingByRound: packages.map((p) => ({ round: p.round, count: Number(p.issued) - Number(p.dispatched) })),
		dispatched: packages.reduce((sum, p) => sum + Number(p.dispatched), 0),
		issued: packages.reduce((sum, p) => sum + Number(p.issued), 0)
	};
}

export type PackageListFilter = 'waiting' | 'dispatched' | 'all';

export interface PackageListRow {
	id: string;
	id_slip_number: number;
	envelope_code: string;
	round: number;
	issued_at: Date;
	dispatch_method: Delivery | null;
	dispatched_at: Date | null;
	batch_id: string | null;
	reference: string;
	delivery: Delivery | null;
	channel: RequestChannel;
	given_name: string;
	family_name: string;
	birth_date: string;
}

/** One page of the embassy's packages of an election, by ID-slip number. */
export async function listPackagesOfOffice(
	db: DbOrTrx,
	officeId: string,
	electionId: string,
	opts: { filter: PackageListFilter; limit: number; offset: number }
): Promise<{ rows: PackageListRow[]; total: number }> {
	let base = db
		.selectFrom('correspondence_package as p')
		.innerJoin('request as r', 'r.id', 'p.request_id')
		.innerJoin('voter as v', 'v.id', 'p.voter_id')
		.where('p.office_id', '=', officeId)
		.where('p.election_id', '=', electionId);
	if (opts.filter === 'waiting') base = base.where('p.dispatched_at', 'is', null);
	if (opts.filter === 'dispatched') base = base.where('p.dispatched_at', 'is not', null);
	const [rows, total] = await Promise.all([
		base
			.select([
				'p.id',
				'p.id_slip_number',
				'p.envelope_code',
				'p.round',
				'p.issued_at',
				'p.dispatch_method',
				'p.dispatched_at',
				'p.batch_id',
				'r.reference',
				'r.delivery',
				'r.channel',
				'v.given_name',
				'v.family_name',
				'v.birth_date'
			])
			.orderBy('p.id_slip_number')
			.limit(opts.limit)
			.offset(opts.offset)
			.execute(),
		base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
	]);
	return { rows, total: Number(total.n) };
}

// --- Batches ---

export interface BatchRow {
	id: string;
	election_id: string;
	created_at: Date;
	created_by_name: string;
	package_count: number;
	status: PackageBatchStatus;
	rendered_count: number;
	render_attempts: number;
	render_heartbeat_at: Date | null;
	rendered_at: Date | null;
	render_error: string | null;
	first_slip: number | null;
	last_slip: number | null;
}

function batchQuery(db: DbOrTrx, officeId: string) {
	return db
		.selectFrom('package_batch as b')
		.innerJoin('staff_user as s', 's.id', 'b.created_by')
		.select((eb) => [
			'b.id',
			'b.election_id',
			'b.created_at',
			's.display_name as created_by_name',
			'b.package_count',
			'b.status',
			'b.rendered_count',
			'b.render_attempts',
			'b.render_heartbeat_at',
			'b.rendered_at',
			'b.render_error',
			eb
				.selectFrom('correspondence_package as p')
				.select((e) => e.fn.min('p.id_slip_number').as('n'))
				.whereRef('p.batch_id', '=', 'b.id')
				.as('first_slip'),
			eb
				.selectFrom('correspondence_package as p')
				.select((e) => e.fn.max('p.id_slip_number').as('n'))
				.whereRef('p.batch_id', '=', 'b.id')
				.as('last_slip')
		])
		.where('b.office_id', '=', officeId);
}

export async function findBatchOfOffice(db: DbOrTrx, officeId: string, batchId: string): Promise<BatchRow | undefined> {
	return batchQuery(db, officeId).where('b.id', '=', batchId).executeTakeFirst();
}

export async function listBatchesOfOffice(db: DbOrTrx, officeId: string, electionId: string, limit: number): Promise<BatchRow[]> {
	return batchQuery(db, officeId)
		.where('b.election_id', '=', electionId)
		.orderBy('b.created_at', 'desc')
		.orderBy('b.id', 'desc')
		.limit(limit)
		.execute();
}

/**
 * Claims the rendering of a batch: a pending or failed batch, or one whose renderer has
 * given no sign of life since `staleBefore` (a crashed process). Returns the attempt number,
 * which fences the progress and result writes of an older renderer.
 */
export async function claimBatchRendering(
	db: DbOrTrx,
	officeId: string,
	batchId: string,
	at: Date,
	staleBefore: Date
): Promise<number | undefined> {
	const row = await db
		.updateTable('package_batch')
		.set((eb) => ({
			status: 'rendering',
			render_attempts: eb('render_attempts', '+', 1),
			rendered_count: 0,
			render_heartbeat_at: at,
			render_error: null
		}))
		.where('id', '=', batchId)
		.where('office_id', '=', officeId)
		.where((eb) =>
			eb.or([
				eb('status', 'in', ['pending', 'failed']),
				eb.and([eb('status', '=', 'rendering'), eb.or([eb('render_heartbeat_at', 'is', null), eb('render_heartbeat_at', '<', staleBefore)])])
			])
		)
		.returning('render_attempts')
		.executeTakeFirst();
	return row?.render_attempts;
}

export async function updateBatchProgress(db: DbOrTrx, batchId: string, attempt: number, rendered: number, at: Date): Promise<void> {
	await db
		.updateTable('package_batch')
		.set({ rendered_count: sql<number>`least(${rendered}::integer, package_count)`, render_heartbeat_at: at })
		.where('id', '=', batchId)
		.where('render_attempts', '=', attempt)
		.where('status', '=', 'rendering')
		.execute();
}

/** rendering → ready with the PDF; only for the attempt that still holds the claim. */
export async function updateBatchReady(db: DbOrTrx, batchId: string, attempt: number, pdf: Uint8Array, at: Date): Promise<boolean> {
	const row = await db
		.updateTable('package_batch')
		.set((eb) => ({ status: 'ready', rendered_at: at, rendered_count: eb.ref('package_count'), render_heartbeat_at: at }))
		.where('id', '=', batchId)
		.where('render_attempts', '=', attempt)
		.where('status', '=', 'rendering')
		.returning('id')
		.executeTakeFirst();
	if (!row) return false;
	await db
		.insertInto('package_batch_pdf')
		.values({ batch_id: batchId, pdf, byte_size: pdf.byteLength, created_at: at })
		.onConflict((oc) => oc.column('batch_id').doUpdateSet({ pdf, byte_size: pdf.byteLength, created_at: at }))
		.execute();
	return true;
}

export async function updateBatchFailed(db: DbOrTrx, batchId: string, attempt: number, message: string, at: Date): Promise<void> {
	await db
		.updateTable('package_batch')
		.set({ status: 'failed', render_error: message.slice(0, 500), render_heartbeat_at: at })
		.where('id', '=', batchId)
		.where('render_attempts', '=', attempt)
		.where('status', '=', 'rendering')
		.execute();
}

export async function findBatchPdf(db: DbOrTrx, officeId: string, batchId: string): Promise<Uint8Array | undefined> {
	const row = await db
		.selectFrom('package_batch_pdf as f')
		.innerJoin('package_batch as b', 'b.id', 'f.batch_id')
		.select('f.pdf')
		.where('b.office_id', '=', officeId)
		.where('f.batch_id', '=', batchId)
		.where('b.status', '=', 'ready')
		.executeTakeFirst();
	return row?.pdf;
}

// --- What the documents print (§57b(3), §57b(4)) ---

export interface PackageDocumentRow {
	id: string;
	office_id: string;
	id_slip_number: number;
	envelope_code: string;
	election_id: string;
	round: number;
	issued_at: Date;
	issued_by_name: string;
	voter_given_name: string;
	voter_family_name: string;
	voter_birth_date: string;
	voter_address_line: string;
	voter_city: string;
	voter_postal_code: string;
	voter_country_code: string;
	request_delivery: Delivery | null;
	request_address_line: string | null;
	request_city: string | null;
	request_postal_code: string | null;
	request_country_code: string | null;
	/** The language the voter filed the request in (migration 0016): the instructions sheet's. */
	request_locale: RequestLocale;
	/** The address abroad of the voter's latest accepted registration at this embassy (§57(6)). */
	registration_address_line: string | null;
	registration_city: string | null;
	registration_postal_code: string | null;
	registration_country_code: string | null;
	office_name_cs: string;
	office_name_en: string;
	office_address: string;
	office_time_zone: string;
	special_district_number: number | null;
}

function documentQuery(db: DbOrTrx, officeId: string) {
	return db
		.selectFrom('correspondence_package as p')
		.innerJoin('request as r', 'r.id', 'p.request_id')
		.innerJoin('voter as v', 'v.id', 'p.voter_id')
		.innerJoin('office as o', 'o.id', 'p.office_id')
		.innerJoin('staff_user as s', 's.id', 'p.issued_by')
		.leftJoinLateral(
			(eb) =>
				eb
					.selectFrom('request as reg')
					.select([
						'reg.delivery_address_line as registration_address_line',
						'reg.delivery_city as registration_city',
						'reg.delivery_postal_code as registration_postal_code',
						'reg.delivery_country_code as registration_country_code'
					])
					.whereRef('reg.voter_id', '=', 'p.voter_id')
					.whereRef('reg.office_id', '=', 'p.office_id')
					.where('reg.kind', '=', 'special-district-registration')
					.where('reg.state', 'in', ['accepted', 'completed'])
					.orderBy('reg.decided_at', 'desc')
					.limit(1)
					.as('reg'),
			(join) => join.onTrue()
		)
		.select([
			'p.id',
			'p.office_id',
			'p.id_slip_number',
			'p.envelope_code',
			'p.election_id',
			'p.round',
			'p.issued_at',
			's.display_name as issued_by_name',
			'v.given_name as voter_given_name',
			'v.family_name as voter_family_name',
			'v.birth_date as voter_birth_date',
			'v.address_line as voter_address_line',
			'v.city as voter_city',
			'v.postal_code as voter_postal_code',
			'v.country_code as voter_country_code',
			'r.delivery as request_delivery',
			'r.delivery_address_line as request_address_line',
			'r.locale as request_locale',
			'r.delivery_city as request_city',
			'r.delivery_postal_code as request_postal_code',
			'r.delivery_country_code as request_country_code',
			'reg.registration_address_line',
			'reg.registration_city',
			'reg.registration_postal_code',
			'reg.registration_country_code',
			'o.name_cs as office_name_cs',
			'o.name_en as office_name_en',
			'o.address as office_address',
			'o.time_zone as office_time_zone',
			'o.special_district_number'
		])
		.where('p.office_id', '=', officeId);
}

/** Every package of a batch with what its documents print, by ID-slip number. */
export async function listBatchPackageDocuments(db: DbOrTrx, officeId: string, batchId: string): Promise<PackageDocumentRow[]> {
	return documentQuery(db, officeId).where('p.batch_id', '=', batchId).orderBy('p.id_slip_number').execute();
}

export async function findPackageDocument(db: DbOrTrx, officeId: string, packageId: string): Promise<PackageDocumentRow | undefined> {
	return documentQuery(db, officeId).where('p.id', '=', packageId).executeTakeFirst();
}

// --- One package: detail, dispatch and hand-over ---

export interface PackageDetailRow {
	id: string;
	id_slip_number: number;
	envelope_code: string;
	election_id: string;
	round: number;
	batch_id: string | null;
	issued_at: Date;
	issued_by_name: string;
	dispatch_method: Delivery | null;
	dispatched_at: Date | null;
	dispatched_by_name: string | null;
	proxy_name: string | null;
	request_id: string;
	reference: string;
	request_state: string;
	channel: RequestChannel;
	delivery: Delivery | null;
	request_proxy_name: string | null;
	delivery_address_line: string | null;
	delivery_city: string | null;
	delivery_postal_code: string | null;
	delivery_country_code: string | null;
	voter_id: string;
	given_name: string;
	family_name: string;
	birth_date: string;
}

export async function findPackageOfOffice(db: DbOrTrx, officeId: string, packageId: string): Promise<PackageDetailRow | undefined> {
	return db
		.selectFrom('correspondence_package as p')
		.innerJoin('request as r', 'r.id', 'p.request_id')
		.innerJoin('voter as v', 'v.id', 'p.voter_id')
		.innerJoin('staff_user as s', 's.id', 'p.issued_by')
		.leftJoin('staff_user as d', 'd.id', 'p.dispatched_by')
		.leftJoin('proxy as x', 'x.id', 'p.proxy_id')
		.select([
			'p.id',
			'p.id_slip_number',
			'p.envelope_code',
			'p.election_id',
			'p.round',
			'p.batch_id',
			'p.issued_at',
			's.display_name as issued_by_name',
			'p.dispatch_method',
			'p.dispatched_at',
			'd.display_name as dispatched_by_name',
			'x.full_name as proxy_name',
			'r.id as request_id',
			'r.reference',
			'r.state as request_state',
			'r.channel',
			'r.delivery',
			'r.proxy_name as request_proxy_name',
			'r.delivery_address_line',
			'r.delivery_city',
			'r.delivery_postal_code',
			'r.delivery_country_code',
			'v.id as voter_id',
			'v.given_name',
			'v.family_name',
			'v.birth_date'
		])
		.where('p.office_id', '=', officeId)
		.where('p.id', '=', packageId)
		.executeTakeFirst();
}

/** Locks one package of the embassy with its request's channel, for dispatch or hand-over. */
export async function lockPackageOfOffice(db: DbOrTrx, officeId: string, packageId: string) {
	return db
		.selectFrom('correspondence_package as p')
		.innerJoin('request as r', 'r.id', 'p.request_id')
		.select([
			'p.id',
			'p.election_id',
			'p.round',
			'p.voter_id',
			'p.request_id',
			'p.dispatch_method',
			'p.dispatched_at',
			'r.reference',
			'r.channel',
			'r.delivery',
			'r.state as request_state'
		])
		.where('p.office_id', '=', officeId)
		.where('p.id', '=', packageId)
		.forUpdate('p')
		.executeTakeFirst();
}

/** Records how the package left the embassy; only while it has not left yet. */
export async function updatePackageDispatched(
	db: DbOrTrx,
	officeId: string,
	packageId: string,
	values: { method: Delivery; at: Date; by: string; proxyId: string | null }
): Promise<boolean> {
	const row = await db
		.updateTable('correspondence_package')
		.set({ dispatch_method: values.method, dispatched_at: values.at, dispatched_by: values.by, proxy_id: values.proxyId })
		.where('id', '=', packageId)
		.where('office_id', '=', officeId)
		.where('dispatched_at', 'is', null)
		.returning('id')
		.executeTakeFirst();
	return !!row;
}

/** issued → completed, only while 'issued'. */
export async function updateRequestCompleted(db: DbOrTrx, officeId: string, requestId: string, at: Date): Promise<boolean> {
	const row = await db
		.updateTable('request')
		.set({ state: 'completed', updated_at: at })
		.where('id', '=', requestId)
		.where('office_id', '=', officeId)
		.where('state', '=', 'issued')
		.returning('id')
		.executeTakeFirst();
	return !!row;
}

// --- Proxies (§57b(1)) ---

/**
 * The proxy row of one embassy, election and person (name, date of birth), created on first
 * use. Served by the unique partial index proxy_identity_idx (proxies not anonymised, 0009).
 *
 *   INSERT INTO proxy (office_id, election_id, full_name, birth_date, identity_document) VALUES (...)
 *   ON CONFLICT (office_id, election_id, lower(full_name), coalesce(birth_date, '0001-01-01')) WHERE anonymised_at IS NULL
 *   DO UPDATE SET identity_document = coalesce(EXCLUDED.identity_document, proxy.identity_document)
 *   RETURNING id
 */
export async function upsertProxy(
	db: DbOrTrx,
	row: { officeId: string; electionId: string; fullName: string; birthDate: string | null; identityDocument: string | null }
): Promise<string> {
	const result = await sql<{ id: string }>`
		INSERT INTO proxy (office_id, election_id, full_name, birth_date, identity_document)
		VALUES (${row.officeId}, ${row.electionId}, ${row.fullName}, ${row.birthDate}::date, ${row.identityDocument})
		ON CONFLICT (office_id, election_id, lower(full_name), coalesce(birth_date, '0001-01-01')) WHERE anonymised_at IS NULL
		DO UPDATE SET identity_document = coalesce(EXCLUDED.identity_document, proxy.identity_document)
		RETURNING id`.execute(db);
	const id = result.rows[0]?.id;
	if (!id) throw new Error('proxy upsert returned no row');
	return id;
}

/** Locks the proxy row, so that two hand-overs to one proxy are counted one after the other. */
export async function lockProxy(db: DbOrTrx, officeId: string, proxyId: string): Promise<{ id: string; full_name: string } | undefined> {
	return db
		.selectFrom('proxy')
		.select(['id', 'full_name'])
		.where('id', '=', proxyId)
		.where('office_id', '=', officeId)
		.forUpdate()
		.executeTakeFirst();
}

/** §57b(1): the distinct voters whose packages were already handed to this proxy, other than `voterId`. */
export async function countOtherVotersOfProxy(db: DbOrTrx, proxyId: string, voterId: string): Promise<number> {
	const row = await db
		.selectFrom('correspondence_package')
		.select(sql<string>`count(DISTINCT voter_id)`.as('n'))
		.where('proxy_id', '=', proxyId)
		.where('voter_id', '!=', voterId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export interface IssuedPackageRow {
	reference: string;
	office_name_cs: string;
	office_name_en: string;
	issued_by: string | null;
	issued_at: Date;
}

/**
 * The packages already issued to these voters for the election and their rounds (§57(1): one
 * per voter and round), with the office and the staff member who issued them: for the answer
 * "already issued by …" when a batch would issue a second one.
 */
export async function findPackagesIssuedToVoters(
	db: DbOrTrx,
	electionId: string,
	voters: readonly { voter_id: string; round: number }[]
): Promise<IssuedPackageRow[]> {
	if (voters.length === 0) return [];
	return db
		.selectFrom('correspondence_package as p')
		.innerJoin('request as r', 'r.id', 'p.request_id')
		.innerJoin('office as o', 'o.id', 'p.office_id')
		.leftJoin('staff_user as s', 's.id', 'p.issued_by')
		.select(['r.reference', 'o.name_cs as office_name_cs', 'o.name_en as office_name_en', 's.display_name as issued_by', 'p.issued_at'])
		.where('p.election_id', '=', electionId)
		.where((eb) => eb.or(voters.map((v) => eb.and([eb('p.voter_id', '=', v.voter_id), eb('p.round', '=', v.round)]))))
		.orderBy('r.reference')
		.limit(20)
		.execute();
}
