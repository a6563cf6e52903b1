import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * One interface per table, mirroring migrations/. Columns keep their SQL names so
 * that what a query says is what the database runs.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** `date` columns are read as 'YYYY-MM-DD' strings (see the pg type parser in db/index.ts). */
type DateOnly = ColumnType<string, string, string>;
/** A timestamp with a database default that code may also set (Generated<Timestamp> would refuse a Date). */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type ElectionTypeColumn = 'chamber' | 'president' | 'european' | 'senate' | 'regional' | 'municipal';
export type OfficeKind = 'municipal' | 'embassy';
export type RequestKind = 'voter-card' | 'special-district-registration' | 'correspondence-package' | 'voter-list-correction';
/** The data of §23(2) a voter may ask to have corrected (migration 0015). */
export type CorrectionField = 'name' | 'birth-date' | 'address';
export type RequestChannel = 'portal' | 'in-person' | 'data-box' | 'verified-letter';
export type Delivery = 'post' | 'in-person' | 'proxy';
/** The portal's two languages; a request keeps the one it was filed in (migration 0016). */
export type RequestLocale = 'cs' | 'en';
export type RequestState = 'received' | 'accepted' | 'issued' | 'completed' | 'refused' | 'cancelled';
export type StaffRole =
	| 'municipal-clerk'
	| 'embassy-clerk'
	| 'embassy-head'
	| 'commission-member'
	| 'commission-chair'
	| 'administrator';
export type RefusalReasonColumn =
	| 'not-on-voter-list'
	| 'deadline-passed'
	| 'card-already-issued'
	| 'correspondence-package-already-issued'
	| 'wrong-office'
	| 'address-outside-jurisdiction'
	| 'excluded-country'
	| 'proxy-limit'
	| 'other';
export type SetAsideGround = 'a' | 'b' | 'c' | 'd' | 'e';

export interface ElectionTable {
	id: Generated<string>;
	type: ElectionTypeColumn;
	title_cs: string;
	title_en: string;
	announced_on: DateOnly;
	voting_abroad: boolean;
	correspondence_allowed: boolean;
	excluded_countries: ColumnType<string[], string[] | undefined, string[]>;
	earliest_voter_card_issue_days: number | null;
	results_declared_on: DateOnly | null;
	under_court_challenge: Generated<boolean>;
	retention_days: Generated<number>;
	created_at: Generated<Timestamp>;
	updated_at: Generated<Timestamp>;
	/** When the retention job removed the election's voter data (§22(6), migration 0009). */
	personal_data_removed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
	/** A rehearsal election (migration 0011): never real, runs on its own clock. */
	rehearsal: Generated<boolean>;
	/** The rehearsal's clock: the portal's clock plus this offset; always 0 for a real election (CHECK). */
	clock_offset_seconds: Generated<number>;
	rehearsal_of: string | null;
	/** Until when media may register (migration 0013); null: domain/media.ts's default. */
	media_registration_deadline: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
	/** The administrator's switch that the real processing has begun (migration 0013). */
	real_processing_started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** The offices taking part in a rehearsal (migration 0011). */
export interface RehearsalOfficeTable {
	election_id: string;
	office_id: string;
}

export interface ElectionRoundTable {
	election_id: string;
	round: number;
	first_day: DateOnly;
}

export interface OfficeTable {
	id: Generated<string>;
	kind: OfficeKind;
	code: string;
	name_cs: string;
	name_en: string;
	address: string;
	municipality_code: string | null;
	municipality_name: string | null;
	region_code: string | null;
	senate_constituency: number | null;
	special_district_number: number | null;
	country_code: string | null;
	countries: ColumnType<string[], string[] | undefined, string[]>;
	time_zone: Generated<string>;
	created_at: Generated<Timestamp>;
}

export interface EmbassyVotingWindowTable {
	election_id: string;
	round: number;
	office_id: string;
	window_no: number;
	/** Local wall-clock time of the embassy, 'YYYY-MM-DDTHH:mm:ss' (see the pg type parser). */
	starts_local: ColumnType<string, string, string>;
	ends_local: ColumnType<string, string, string>;
}

export interface VoterTable {
	id: Generated<string>;
	municipal_office_id: string | null;
	special_district_office_id: string | null;
	given_name: string;
	family_name: string;
	birth_date: DateOnly;
	address_line: string;
	city: string;
	postal_code: string;
	country_code: string;
	eid_subject: string | null;
	email: string | null;
	email_confirmed_at: Timestamp | null;
	/** An address given for notifications, waiting for the voter to open the link sent to it (migration 0003). */
	email_pending: string | null;
	/** SHA-256 of the confirmation link's token; the token itself is never stored. */
	email_token_hash: Uint8Array | null;
	email_token_expires_at: Timestamp | null;
	source: Generated<'import' | 'seed' | 'commission' | 'staff'>;
	import_key: string | null;
	anonymised_at: Timestamp | null;
	/** When the voter last left a special district's list on their request (§56(4), migration 0008). */
	special_district_left_at: Timestamp | null;
	/** The list import that added the voter (migration 0010). */
	import_id: ColumnType<string | null, string | null | undefined, string | null>;
	/** The eID identity is a test identity: only such voters see rehearsals (migration 0011). */
	test_identity: Generated<boolean>;
	/** The language the voter last used on the portal, for their e-mail; NULL: Czech (migration 0016). */
	locale: ColumnType<'cs' | 'en' | null, 'cs' | 'en' | null | undefined, 'cs' | 'en' | null>;
	created_at: Generated<Timestamp>;
	updated_at: DefaultedTimestamp;
}

export interface StaffUserTable {
	id: Generated<string>;
	username: string;
	display_name: string;
	email: string | null;
	password_hash: string;
	role: StaffRole;
	office_id: string | null;
	totp_key: Uint8Array | null;
	totp_enrolled_at: Timestamp | null;
	totp_last_used_step: ColumnType<string | null, number | string | null, number | string | null>;
	/** An authenticator key shown while the staff member sets up an app, until a code confirms it (migration 0006). */
	totp_pending_key: ColumnType<Uint8Array | null, Uint8Array | null | undefined, Uint8Array | null>;
	must_change_password: Generated<boolean>;
	password_changed_at: Timestamp | null;
	disabled_at: Timestamp | null;
	created_at: Generated<Timestamp>;
}

/** Rate-limit counters shared by all processes (migration 0012_cluster_shared_state; UNLOGGED). */
export interface RateLimitHitTable {
	bucket: string;
	key: string;
	/** The fixed window's start, epoch milliseconds. */
	window_start: ColumnType<string, string | number, string | number>;
	hits: number;
}

/** The open-data snapshot's data as last built by any process (migration 0012_cluster_shared_state). */
export interface OpenDataBuildTable {
	cache_key: string;
	data: ColumnType<unknown, string, string>;
	built_at: Timestamp;
	builds: ColumnType<string, number | string, number | string>;
}

export interface StaffRecoveryCodeTable {
	staff_id: string;
	code_hash: Uint8Array;
	used_at: Timestamp | null;
}

export interface SessionTable {
	id: string;
	secret_hash: Uint8Array;
	voter_id: string | null;
	staff_id: string | null;
	eid_subject: string | null;
	two_factor_verified: Generated<boolean>;
	created_at: DefaultedTimestamp;
	last_seen_at: DefaultedTimestamp;
	expires_at: Timestamp;
	absolute_expires_at: Timestamp;
	/** The level of assurance the eID reported at login (migration 0002). */
	eid_acr: string | null;
	/** For a person on no voter list: the eID's name, date of birth and address (migration 0002). */
	eid_claims: ColumnType<EidClaimsColumn | null, string | null | undefined, string | null>;
}

/** session.eid_claims: what the eID reported, in the portal's names. */
export interface EidClaimsColumn {
	givenName: string;
	familyName: string;
	/** YYYY-MM-DD, or null when the eID did not give it. */
	birthDate: string | null;
	address: { street: string | null; locality: string | null; postalCode: string | null; country: string | null } | null;
}

export interface EidLoginTable {
	state: string;
	nonce: string;
	code_verifier: string;
	return_to: string | null;
	created_at: DefaultedTimestamp;
	consumed_at: Timestamp | null;
}

export interface ProxyTable {
	id: Generated<string>;
	office_id: string;
	election_id: string;
	full_name: string;
	birth_date: DateOnly | null;
	identity_document: string | null;
	created_at: Generated<Timestamp>;
	/** When the retention job removed the proxy's name and identity (§22(6), migration 0009). */
	anonymised_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface RequestTable {
	id: Generated<string>;
	reference: string;
	kind: RequestKind;
	voter_id: string;
	election_id: string | null;
	round: number | null;
	office_id: string;
	channel: RequestChannel;
	delivery: Delivery | null;
	delivery_address_line: string | null;
	delivery_city: string | null;
	delivery_postal_code: string | null;
	delivery_country_code: string | null;
	proxy_name: string | null;
	proxy_id: string | null;
	power_of_attorney_note: string | null;
	/** The proxy's date of birth from the power of attorney, where a clerk entered it (migration 0007). */
	proxy_birth_date: ColumnType<string | null, string | null | undefined, string | null>;
	state: Generated<RequestState>;
	received_at: Timestamp;
	deadline_key: string | null;
	deadline_at: Timestamp | null;
	decided_at: Timestamp | null;
	decided_by: string | null;
	refusal_reason: RefusalReasonColumn | null;
	refusal_text: string | null;
	cancelled_at: Timestamp | null;
	entered_by: string | null;
	idempotency_key: string | null;
	/** The language the voter filed in (migration 0016): what is printed for them follows it. */
	locale: ColumnType<RequestLocale, RequestLocale | undefined, RequestLocale>;
	created_at: Generated<Timestamp>;
	updated_at: DefaultedTimestamp;
}

export interface OfficeCounterTable {
	office_id: string;
	counter: string;
	next_value: Generated<number>;
}

export interface VoterCardTable {
	id: Generated<string>;
	office_id: string;
	serial: number;
	request_id: string;
	voter_id: string;
	election_id: string;
	round: number;
	issued_at: Timestamp;
	issued_by: string;
	handover_method: Delivery | null;
	handed_over_at: Timestamp | null;
	handed_over_by: string | null;
	handed_over_to: string | null;
	invalidated_at: Timestamp | null;
	invalidation_reason: 'lost' | 'destroyed' | null;
	invalidated_by: string | null;
	/** The clerk's note at a hand-over to a proxy: the power of attorney (migration 0007). */
	handed_over_note: ColumnType<string | null, string | null | undefined, string | null>;
	/** The proxy's date of birth at a hand-over to a proxy (migration 0007). */
	handed_over_proxy_birth_date: ColumnType<string | null, string | null | undefined, string | null>;
	/** How the loss or destruction was reported (migration 0007). */
	invalidation_note: ColumnType<string | null, string | null | undefined, string | null>;
	/** A card of a rehearsal, numbered by the rehearsal's own counter (§23(3), migration 0011). */
	rehearsal: Generated<boolean>;
}

export interface PackageBatchTable {
	id: Generated<string>;
	office_id: string;
	election_id: string;
	created_at: Timestamp;
	created_by: string;
	package_count: Generated<number>;
	/** Rendering of the batch PDF after the packages were issued (migration 0008). */
	status: Generated<PackageBatchStatus>;
	rendered_count: Generated<number>;
	render_attempts: Generated<number>;
	render_heartbeat_at: Timestamp | null;
	rendered_at: Timestamp | null;
	render_error: string | null;
}

export type PackageBatchStatus = 'pending' | 'rendering' | 'ready' | 'failed';

/** The rendered PDF of a package batch (migration 0008). */
export interface PackageBatchPdfTable {
	batch_id: string;
	pdf: Uint8Array;
	byte_size: number;
	created_at: Timestamp;
}

export interface CorrespondencePackageTable {
	id: Generated<string>;
	office_id: string;
	request_id: string;
	voter_id: string;
	election_id: string;
	round: number;
	id_slip_number: number;
	envelope_code: string;
	batch_id: string | null;
	issued_at: Timestamp;
	issued_by: string;
	dispatch_method: Delivery | null;
	dispatched_at: Timestamp | null;
	dispatched_by: string | null;
	proxy_id: string | null;
}

export interface EnvelopeHandoverTable {
	id: Generated<string>;
	office_id: string;
	election_id: string;
	round: number;
	envelope_count: number;
	created_at: Timestamp;
	created_by: string;
	head_confirmed_at: Timestamp | null;
	head_confirmed_by: string | null;
	chair_confirmed_at: Timestamp | null;
	chair_confirmed_by: string | null;
}

export interface ReturnEnvelopeTable {
	id: Generated<string>;
	package_id: string;
	office_id: string;
	election_id: string;
	round: number;
	received_at: Timestamp;
	received_by: string;
	late: boolean;
	storage_batch: string | null;
	handover_id: string | null;
	outcome: 'accepted' | 'set-aside' | null;
	set_aside_ground: SetAsideGround | null;
	processed_at: Timestamp | null;
	processed_by: string | null;
	/** The order of scans (migration 0005); bigint, read as a string. */
	scan_no: Generated<string>;
	/** When the clerk scanned it, as the station reported it (migration 0012_scan_station). */
	scanned_at: Timestamp | null;
	/** Scanned before the close of voting, received after it: the head of the embassy decides (issue 13). */
	late_review: 'pending' | 'on-time' | 'late' | null;
	late_reviewed_by: string | null;
	late_reviewed_at: Timestamp | null;
}

/** One scan sent by the envelope station, keyed by the browser's id: its first outcome (migration 0012_scan_station). */
export interface EnvelopeScanTable {
	scan_id: string;
	office_id: string;
	staff_id: string;
	election_id: string | null;
	round: number | null;
	code: string;
	kind: string;
	result: ColumnType<unknown, string | undefined, string>;
	envelope_id: string | null;
	received_at: Timestamp;
	scanned_at: Timestamp | null;
}

export interface CommissionClosureTable {
	office_id: string;
	election_id: string;
	round: number;
	ballot_box_opened_at: Timestamp;
	opened_by: string;
}

export interface VotingMarkTable {
	voter_id: string;
	election_id: string;
	round: number;
	method: 'correspondence' | 'in-person';
	marked_at: Timestamp;
	marked_by: string | null;
}

export interface AuditLogTable {
	id: Generated<string>;
	at: Timestamp;
	actor_kind: 'voter' | 'staff' | 'system';
	actor_id: string | null;
	office_id: string | null;
	action: string;
	entity_type: string;
	entity_id: string | null;
	before: unknown;
	after: unknown;
	tx_id: Generated<string>;
	prev_hash: Uint8Array | null;
	hash: Uint8Array | null;
	/** Set by a trigger when the entry is about a rehearsal (migration 0011). */
	rehearsal_election_id: Generated<string | null>;
}

/** A request to correct the voter list (§23(5), migration 0015): one field per request. */
export interface VoterListCorrectionTable {
	request_id: string;
	field: CorrectionField;
	statement: string;
	requested: ColumnType<Record<string, string>, string, string>;
	before_values: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
	after_values: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
}

export interface EmailOutboxTable {
	id: Generated<string>;
	voter_id: string | null;
	to_address: string;
	subject: string;
	body: string;
	created_at: Generated<Timestamp>;
	attempts: Generated<number>;
	last_error: string | null;
	sent_at: Timestamp | null;
	/** The HTML part beside the plain-text body; NULL: text only (migration 0016). */
	body_html: ColumnType<string | null, string | null | undefined, string | null>;
	/** At most one unsent message per key ('request:<reference>'): later changes rewrite it. */
	coalesce_key: ColumnType<string | null, string | null | undefined, string | null>;
	/** When the message may go out (its job's run_at). */
	send_after: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Failed staff logins per username and client address (migration 0011, auth/login-throttle.ts). */
export interface StaffLoginThrottleTable {
	username: string;
	address: string;
	failures: number;
	last_failure_at: Timestamp;
}

/** A username locked for everyone after failures from many addresses (migration 0011). */
export interface StaffLoginLockTable {
	username: string;
	locked_at: Timestamp;
	locked_until: Timestamp;
	failures: number;
	addresses: string[];
}

/** A confirmation e-mail sent to an address a voter typed (migration 0011, mail/confirmation-limit.ts). */
export interface EmailConfirmationSentTable {
	id: Generated<string>;
	voter_id: string;
	address_hash: Uint8Array;
	sent_at: Timestamp;
}

export type RequestDraftFlow = 'voter-card' | 'special-district-registration' | 'correspondence-package';

/** The answers of one request flow between its pages, per session (migration 0003). */
export interface RequestDraftTable {
	session_id: string;
	flow: RequestDraftFlow;
	voter_id: string;
	answers: ColumnType<Record<string, unknown>, string, string>;
	idempotency_key: string | null;
	created_at: Timestamp;
	updated_at: Timestamp;
}

/** A clerk entering a request on a voter's behalf: the answers between pages, per staff session (migration 0007). */
export interface StaffEntryDraftTable {
	session_id: string;
	office_id: string;
	voter_id: string;
	answers: ColumnType<Record<string, unknown>, string, string>;
	idempotency_key: string | null;
	created_at: Timestamp;
	updated_at: Timestamp;
}

export type VoterImportStatus = 'queued' | 'running' | 'rejected' | 'done' | 'failed';
export type VoterImportPhase = 'reading' | 'checking' | 'importing';

/** One voter list file and how far its import got (migration 0010). */
export interface VoterImportTable {
	id: Generated<string>;
	created_at: Timestamp;
	created_by: string | null;
	file_name: string;
	/** bigint, read as a string */
	file_size: ColumnType<string, number | string, number | string>;
	file_path: string | null;
	owns_file: boolean;
	status: Generated<VoterImportStatus>;
	phase: VoterImportPhase | null;
	progress_done: ColumnType<string, number | string | undefined, number | string>;
	progress_total: ColumnType<string, number | string | undefined, number | string>;
	attempt: Generated<number>;
	heartbeat_at: Timestamp | null;
	started_at: Timestamp | null;
	finished_at: Timestamp | null;
	row_count: number | null;
	error_count: Generated<number>;
	/** The first errors in file order: { line, field, code, otherLine? }[] */
	errors: ColumnType<unknown, string | undefined, string>;
	added_count: number | null;
	existing_count: number | null;
	failure: string | null;
}

/** A row of an import's file that passed its own checks, staged for the checks across rows (migration 0010). */
export interface VoterImportRowTable {
	import_id: string;
	line: number;
	import_key: string;
	municipal_office_id: string | null;
	special_district_office_id: string | null;
	given_name: string;
	family_name: string;
	birth_date: DateOnly;
	address_line: string;
	city: string;
	postal_code: string;
	country_code: string;
	eid_subject: string | null;
	voter_id: string | null;
}

/** Candidate lists of an election with their drawn numbers (migration 0012, issue 17). */
export interface CandidateListTable {
	election_id: string;
	number: number;
	name: string;
}

/** Candidates of a list who may receive preferential votes (migration 0012). */
export interface CandidateTable {
	election_id: string;
	list_number: number;
	number: number;
	name: string;
}

/** The figures of a record of the result, as domain/results.ts ResultRecord (jsonb). */
export type ResultFiguresColumn = ColumnType<unknown, string, string>;

/** One of the two independent entries of a special district's record (migration 0012). */
export interface DistrictResultEntryTable {
	office_id: string;
	election_id: string;
	round: number;
	side: 'chair' | 'member';
	figures: ResultFiguresColumn;
	entered_by: string;
	entered_at: Timestamp;
}

/** A closed record of the result; a correction is a new version, never an update (migration 0012). */
export interface DistrictResultTable {
	id: Generated<string>;
	office_id: string;
	election_id: string;
	round: number;
	version: number;
	figures: ResultFiguresColumn;
	chair_entered_by: string;
	member_entered_by: string;
	closed_by: string;
	closed_at: Timestamp;
	correction_reason: string | null;
}

/** A registered media organisation of an election (migration 0013, issue 17). */
export interface MediaOrganisationTable {
	id: Generated<string>;
	election_id: string;
	name: string;
	email: string;
	phone: string;
	production_addresses: string[];
	test_addresses: string[];
	token_hash: Uint8Array;
	registered_at: Timestamp;
	registered_by: string;
	/** Revoked (migration 0016): the token is never accepted again; the three are set together. */
	revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
	revoked_by: ColumnType<string | null, string | null | undefined, string | null>;
	revoke_reason: ColumnType<string | null, string | null | undefined, string | null>;
	token_rotated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type OfficeBatchAction = 'accept' | 'issue-voter-cards' | 'dispatch-voter-cards' | 'dispatch-packages';
export type OfficeBatchStatus = 'draft' | 'running' | 'done';
export type OfficeBatchOutcome = 'pending' | 'done' | 'skipped';

/** One batch action of a clerk over a selection of requests (migration 0012, services/batches). */
export interface OfficeBatchTable {
	id: Generated<string>;
	office_id: string;
	election_id: string | null;
	action: OfficeBatchAction;
	status: Generated<OfficeBatchStatus>;
	created_at: Timestamp;
	created_by: string;
	confirmed_at: Timestamp | null;
	finished_at: Timestamp | null;
	selected_count: Generated<number>;
	done_count: Generated<number>;
	skipped_count: Generated<number>;
	/** The voter cards' PDF job (migration 0016): NULL until first claimed. */
	pdf_status: PackageBatchStatus | null;
	pdf_total: Generated<number>;
	pdf_rendered: Generated<number>;
	pdf_attempts: Generated<number>;
	pdf_heartbeat_at: Timestamp | null;
	pdf_rendered_at: Timestamp | null;
	pdf_bytes: number | null;
	pdf_error: string | null;
}

/** A part of a batch's voter-card PDF as streamed, in order (migration 0016). */
export interface OfficeBatchPdfPartTable {
	batch_id: string;
	attempt: number;
	seq: number;
	bytes: Uint8Array;
}

/** One selected request of a batch, in the batch's order, with its outcome (migration 0012). */
export interface OfficeBatchItemTable {
	batch_id: string;
	position: number;
	request_id: string;
	outcome: Generated<OfficeBatchOutcome>;
	reason: string | null;
	detail: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
	consignment_number: string | null;
	processed_at: Timestamp | null;
}

/** Consignment numbers (UPU S10) a postal operator allotted to an office (migration 0012). */
export interface ConsignmentRangeTable {
	id: Generated<string>;
	office_id: string;
	service: string;
	country: string;
	first_serial: number;
	last_serial: number;
	next_serial: number;
	created_at: Timestamp;
	created_by: string;
}

/** The consignment number of a recorded dispatch by registered post (migration 0012). */
export interface ConsignmentTable {
	number: string;
	office_id: string;
	request_id: string;
	batch_id: string | null;
	recorded_at: Timestamp;
	recorded_by: string;
}

export interface Database {
	election: ElectionTable;
	election_round: ElectionRoundTable;
	rehearsal_office: RehearsalOfficeTable;
	office: OfficeTable;
	embassy_voting_window: EmbassyVotingWindowTable;
	voter: VoterTable;
	staff_user: StaffUserTable;
	staff_recovery_code: StaffRecoveryCodeTable;
	session: SessionTable;
	eid_login: EidLoginTable;
	proxy: ProxyTable;
	request: RequestTable;
	voter_list_correction: VoterListCorrectionTable;
	office_counter: OfficeCounterTable;
	voter_card: VoterCardTable;
	package_batch: PackageBatchTable;
	package_batch_pdf: PackageBatchPdfTable;
	correspondence_package: CorrespondencePackageTable;
	office_batch: OfficeBatchTable;
	office_batch_item: OfficeBatchItemTable;
	office_batch_pdf_part: OfficeBatchPdfPartTable;
	consignment_range: ConsignmentRangeTable;
	consignment: ConsignmentTable;
	envelope_handover: EnvelopeHandoverTable;
	return_envelope: ReturnEnvelopeTable;
	envelope_scan: EnvelopeScanTable;
	commission_closure: CommissionClosureTable;
	voting_mark: VotingMarkTable;
	audit_log: AuditLogTable;
	email_outbox: EmailOutboxTable;
	email_confirmation_sent: EmailConfirmationSentTable;
	staff_login_throttle: StaffLoginThrottleTable;
	staff_login_lock: StaffLoginLockTable;
	request_draft: RequestDraftTable;
	staff_entry_draft: StaffEntryDraftTable;
	voter_import: VoterImportTable;
	voter_import_row: VoterImportRowTable;
	candidate_list: CandidateListTable;
	candidate: CandidateTable;
	district_result_entry: DistrictResultEntryTable;
	district_result: DistrictResultTable;
	media_organisation: MediaOrganisationTable;
	rate_limit_hit: RateLimitHitTable;
	open_data_build: OpenDataBuildTable;
}

export type Election = Selectable<ElectionTable>;
export type NewElection = Insertable<ElectionTable>;
export type Office = Selectable<OfficeTable>;
export type Voter = Selectable<VoterTable>;
export type NewVoter = Insertable<VoterTable>;
export type VoterUpdate = Updateable<VoterTable>;
export type Request = Selectable<RequestTable>;
export type StaffUser = Selectable<StaffUserTable>;
export type Session = Selectable<SessionTable>;
