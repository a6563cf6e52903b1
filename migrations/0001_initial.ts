import { type Kysely, sql } from 'kysely';

/**
 * The data model of DOMAIN.md. Frozen in time: never import application code here.
 * Invariants that the law states are constraints, so that no code path can break them.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		CREATE TABLE election (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			type text NOT NULL CHECK (type IN ('chamber','president','european','senate','regional','municipal')),
			title_cs text NOT NULL,
			title_en text NOT NULL,
			announced_on date NOT NULL,
			-- §2(1): whether voting abroad takes place; §57a(1): whether correspondence voting applies
			voting_abroad boolean NOT NULL,
			correspondence_allowed boolean NOT NULL,
			-- §58(3): countries to which no correspondence package is sent (ISO 3166-1 alpha-2)
			excluded_countries text[] NOT NULL DEFAULT '{}',
			-- §57(4): earliest hand-over of a voter card, in days before D (NULL = none)
			earliest_voter_card_issue_days integer CHECK (earliest_voter_card_issue_days BETWEEN 0 AND 60),
			-- §22(6): retention of voter data after results are declared
			results_declared_on date,
			under_court_challenge boolean NOT NULL DEFAULT false,
			retention_days integer NOT NULL DEFAULT 90 CHECK (retention_days >= 0),
			created_at timestamptz NOT NULL DEFAULT now(),
			updated_at timestamptz NOT NULL DEFAULT now(),
			CHECK (correspondence_allowed = false OR voting_abroad = true)
		);

		CREATE TABLE election_round (
			election_id uuid NOT NULL REFERENCES election(id) ON DELETE CASCADE,
			round smallint NOT NULL CHECK (round IN (1, 2)),
			-- §2(4): the first day of voting in Czechia, always a Friday (ISO day 5)
			first_day date NOT NULL CHECK (extract(isodow FROM first_day) = 5),
			PRIMARY KEY (election_id, round)
		);

		CREATE TABLE office (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			kind text NOT NULL CHECK (kind IN ('municipal','embassy')),
			code text NOT NULL UNIQUE,
			name_cs text NOT NULL,
			name_en text NOT NULL,
			address text NOT NULL,
			-- municipal offices
			municipality_code char(6) UNIQUE CHECK (municipality_code ~ '^[0-9]{6}$'),
			municipality_name text,
			region_code text,
			senate_constituency smallint CHECK (senate_constituency BETWEEN 1 AND 81),
			-- embassies: one special district each (§56(4))
			special_district_number integer UNIQUE CHECK (special_district_number > 0),
			country_code char(2),
			countries text[] NOT NULL DEFAULT '{}',
			time_zone text NOT NULL DEFAULT 'Europe/Prague',
			created_at timestamptz NOT NULL DEFAULT now(),
			CHECK (kind <> 'municipal' OR municipality_code IS NOT NULL),
			CHECK (kind <> 'embassy' OR (special_district_number IS NOT NULL AND cardinality(countries) > 0))
		);

		-- §2(3): each embassy votes in two windows of local time per election round.
		CREATE TABLE embassy_voting_window (
			election_id uuid NOT NULL,
			round smallint NOT NULL,
			office_id uuid NOT NULL REFERENCES office(id) ON DELETE CASCADE,
			window_no smallint NOT NULL CHECK (window_no IN (1, 2)),
			starts_local timestamp NOT NULL,
			ends_local timestamp NOT NULL,
			PRIMARY KEY (election_id, round, office_id, window_no),
			FOREIGN KEY (election_id, round) REFERENCES election_round(election_id, round) ON DELETE CASCADE,
			CHECK (ends_local > starts_local)
		);

		-- The voter list. A voter is kept by a municipal office and, once registered in an
		-- embassy's special district, by that embassy for elections held abroad (§56(4)).
		CREATE TABLE voter (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			municipal_office_id uuid REFERENCES office(id),
			special_district_office_id uuid REFERENCES office(id),
			given_name text NOT NULL,
			family_name text NOT NULL,
			birth_date date NOT NULL,
			address_line text NOT NULL,
			city text NOT NULL,
			postal_code text NOT NULL,
			country_code char(2) NOT NULL,
			eid_subject text UNIQUE,
			email text,
			email_confirmed_at timestamptz,
			-- how the row came to be: list import, seed, or added by a special commission (§57d(5))
			source text NOT NULL DEFAULT 'import' CHECK (source IN ('import','seed','commission','staff')),
			import_key text UNIQUE,
			anonymised_at timestamptz,
			created_at timestamptz NOT NULL DEFAULT now(),
			updated_at timestamptz NOT NULL DEFAULT now(),
			CHECK (municipal_office_id IS NOT NULL OR special_district_office_id IS NOT NULL OR anonymised_at IS NOT NULL)
		);
		CREATE INDEX voter_municipal_office_idx ON voter (municipal_office_id);
		CREATE INDEX voter_special_district_office_idx ON voter (special_district_office_id) WHERE special_district_office_id IS NOT NULL;
		CREATE INDEX voter_name_idx ON voter (lower(family_name), lower(given_name), birth_date);

		CREATE TABLE staff_user (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
			display_name text NOT NULL,
			email text,
			password_hash text NOT NULL,
			role text NOT NULL CHECK (role IN ('municipal-clerk','embassy-clerk','embassy-head','commission-member','commission-chair','administrator')),
			office_id uuid REFERENCES office(id),
			totp_key bytea,
			totp_enrolled_at timestamptz,
			totp_last_used_step bigint,
			failed_attempts integer NOT NULL DEFAULT 0,
			locked_until timestamptz,
			must_change_password boolean NOT NULL DEFAULT false,
			password_changed_at timestamptz,
			disabled_at timestamptz,
			created_at timestamptz NOT NULL DEFAULT now(),
			-- every role but the administrator is bound to exactly one office
			CHECK ((role = 'administrator') = (office_id IS NULL))
		);

		CREATE TABLE staff_recovery_code (
			staff_id uuid NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
			code_hash bytea NOT NULL,
			used_at timestamptz,
			PRIMARY KEY (staff_id, code_hash)
		);

		-- Sessions in Lucia's design: the token is "<id>.<secret>", only SHA-256(secret) is stored.
		CREATE TABLE session (
			id text PRIMARY KEY,
			secret_hash bytea NOT NULL,
			voter_id uuid REFERENCES voter(id) ON DELETE CASCADE,
			staff_id uuid REFERENCES staff_user(id) ON DELETE CASCADE,
			eid_subject text,
			two_factor_verified boolean NOT NULL DEFAULT false,
			created_at timestamptz NOT NULL DEFAULT now(),
			last_seen_at timestamptz NOT NULL DEFAULT now(),
			expires_at timestamptz NOT NULL,
			absolute_expires_at timestamptz NOT NULL,
			CHECK (num_nonnulls(voter_id, staff_id, eid_subject) >= 1)
		);
		CREATE INDEX session_voter_idx ON session (voter_id);
		CREATE INDEX session_staff_idx ON session (staff_id);

		-- OpenID Connect login attempts: state, nonce and PKCE verifier, each usable once.
		CREATE TABLE eid_login (
			state text PRIMARY KEY,
			nonce text NOT NULL,
			code_verifier text NOT NULL,
			return_to text,
			created_at timestamptz NOT NULL DEFAULT now(),
			consumed_at timestamptz
		);

		-- A proxy with a power of attorney with a verified signature (§57(2), §57b(1)).
		CREATE TABLE proxy (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			office_id uuid NOT NULL REFERENCES office(id),
			election_id uuid NOT NULL REFERENCES election(id),
			full_name text NOT NULL,
			birth_date date,
			identity_document text,
			created_at timestamptz NOT NULL DEFAULT now()
		);
		CREATE UNIQUE INDEX proxy_identity_idx ON proxy (office_id, election_id, lower(full_name), coalesce(birth_date, '0001-01-01'));

		-- Requests of all three kinds. A request for a two-round election names one round;
		-- asking for both rounds files one request per round (§57(5), §57b(2)).
		CREATE TABLE request (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			reference text NOT NULL UNIQUE,
			kind text NOT NULL CHECK (kind IN ('voter-card','special-district-registration','correspondence-package')),
			voter_id uuid NOT NULL REFERENCES voter(id),
			election_id uuid REFERENCES election(id),
			round smallint CHECK (round IN (1, 2)),
			-- the competent office (§57(1))
			office_id uuid NOT NULL REFERENCES office(id),
			channel text NOT NULL CHECK (channel IN ('portal','in-person','data-box','verified-letter')),
			delivery text CHECK (delivery IN ('post','in-person','proxy')),
			delivery_address_line text,
			delivery_city text,
			delivery_postal_code text,
			delivery_country_code char(2),
			proxy_name text,
			proxy_id uuid REFERENCES proxy(id),
			power_of_attorney_note text,
			state text NOT NULL DEFAULT 'received' CHECK (state IN ('received','accepted','issued','completed','refused','cancelled')),
			received_at timestamptz NOT NULL,
			-- the deadline the filing was judged against (§78)
			deadline_key text,
			deadline_at timestamptz,
			decided_at timestamptz,
			decided_by uuid REFERENCES staff_user(id),
			refusal_reason text CHECK (refusal_reason IN ('not-on-voter-list','deadline-passed','card-already-issued','correspondence-package-already-issued','wrong-office','address-outside-jurisdiction','excluded-country','proxy-limit','other')),
			refusal_text text,
			cancelled_at timestamptz,
			entered_by uuid REFERENCES staff_user(id),
			idempotency_key text,
			created_at timestamptz NOT NULL DEFAULT now(),
			updated_at timestamptz NOT NULL DEFAULT now(),
			CHECK ((kind = 'special-district-registration') = (election_id IS NULL)),
			CHECK (kind = 'special-district-registration' OR round IS NOT NULL),
			CHECK (state <> 'refused' OR refusal_reason IS NOT NULL),
			CHECK (refusal_reason <> 'other' OR refusal_text IS NOT NULL)
		);
		-- At most one live request of a kind per voter, election and round (§57(1), §57(5)).
		CREATE UNIQUE INDEX request_live_per_round_idx ON request (voter_id, election_id, round, kind)
			WHERE state NOT IN ('refused','cancelled') AND election_id IS NOT NULL;
		CREATE UNIQUE INDEX request_live_registration_idx ON request (voter_id)
			WHERE state IN ('received') AND kind = 'special-district-registration';
		CREATE UNIQUE INDEX request_idempotency_idx ON request (voter_id, idempotency_key, round)
			WHERE idempotency_key IS NOT NULL;
		-- The staff queue: one office, one election, newest or oldest first, keyset-paginated.
		CREATE INDEX request_queue_idx ON request (office_id, election_id, received_at, id);
		CREATE INDEX request_queue_state_idx ON request (office_id, state, received_at, id);
		CREATE INDEX request_voter_idx ON request (voter_id, created_at);

		-- Per-office counters for serial numbers, taken with UPDATE ... RETURNING so that
		-- two clerks can never draw the same number.
		CREATE TABLE office_counter (
			office_id uuid NOT NULL REFERENCES office(id),
			counter text NOT NULL,
			next_value integer NOT NULL DEFAULT 1,
			PRIMARY KEY (office_id, counter)
		);

		-- The evidence of voter cards (§23(3)).
		CREATE TABLE voter_card (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			office_id uuid NOT NULL REFERENCES office(id),
			serial integer NOT NULL,
			request_id uuid NOT NULL UNIQUE REFERENCES request(id),
			voter_id uuid NOT NULL REFERENCES voter(id),
			election_id uuid NOT NULL REFERENCES election(id),
			round smallint NOT NULL CHECK (round IN (1, 2)),
			issued_at timestamptz NOT NULL,
			issued_by uuid NOT NULL REFERENCES staff_user(id),
			handover_method text CHECK (handover_method IN ('post','in-person','proxy')),
			handed_over_at timestamptz,
			handed_over_by uuid REFERENCES staff_user(id),
			handed_over_to text,
			invalidated_at timestamptz,
			invalidation_reason text CHECK (invalidation_reason IN ('lost','destroyed')),
			invalidated_by uuid REFERENCES staff_user(id),
			UNIQUE (office_id, serial),
			-- one voter card per election round (§57(1), §57(5)); a lost card is invalidated, not replaced
			UNIQUE (voter_id, election_id, round),
			CHECK ((handover_method IS NULL) = (handed_over_at IS NULL)),
			CHECK ((invalidated_at IS NULL) = (invalidation_reason IS NULL))
		);

		CREATE TABLE package_batch (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			office_id uuid NOT NULL REFERENCES office(id),
			election_id uuid NOT NULL REFERENCES election(id),
			created_at timestamptz NOT NULL,
			created_by uuid NOT NULL REFERENCES staff_user(id),
			package_count integer NOT NULL DEFAULT 0
		);

		-- Correspondence packages (§57b): ID slip, official envelope, return envelope with an
		-- opaque code that reveals nothing about the voter.
		CREATE TABLE correspondence_package (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			office_id uuid NOT NULL REFERENCES office(id),
			request_id uuid NOT NULL UNIQUE REFERENCES request(id),
			voter_id uuid NOT NULL REFERENCES voter(id),
			election_id uuid NOT NULL REFERENCES election(id),
			round smallint NOT NULL CHECK (round IN (1, 2)),
			id_slip_number integer NOT NULL,
			envelope_code text NOT NULL UNIQUE,
			batch_id uuid REFERENCES package_batch(id),
			issued_at timestamptz NOT NULL,
			issued_by uuid NOT NULL REFERENCES staff_user(id),
			dispatch_method text CHECK (dispatch_method IN ('post','in-person','proxy')),
			dispatched_at timestamptz,
			dispatched_by uuid REFERENCES staff_user(id),
			proxy_id uuid REFERENCES proxy(id),
			UNIQUE (office_id, election_id, id_slip_number),
			UNIQUE (voter_id, election_id, round),
			CHECK ((dispatch_method IS NULL) = (dispatched_at IS NULL)),
			CHECK ((dispatch_method = 'proxy') = (proxy_id IS NOT NULL))
		);
		CREATE INDEX correspondence_package_proxy_idx ON correspondence_package (proxy_id) WHERE proxy_id IS NOT NULL;

		-- §57c(4): the record of envelopes handed to the special commission, confirmed by the
		-- head of the embassy and the commission's chair, two different people.
		CREATE TABLE envelope_handover (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			office_id uuid NOT NULL REFERENCES office(id),
			election_id uuid NOT NULL REFERENCES election(id),
			round smallint NOT NULL CHECK (round IN (1, 2)),
			envelope_count integer NOT NULL CHECK (envelope_count >= 0),
			created_at timestamptz NOT NULL,
			created_by uuid NOT NULL REFERENCES staff_user(id),
			head_confirmed_at timestamptz,
			head_confirmed_by uuid REFERENCES staff_user(id),
			chair_confirmed_at timestamptz,
			chair_confirmed_by uuid REFERENCES staff_user(id),
			CHECK (head_confirmed_by IS NULL OR chair_confirmed_by IS NULL OR head_confirmed_by <> chair_confirmed_by)
		);

		-- Return envelopes as received (§57c(3)) and as dealt with by the commission (§57d).
		CREATE TABLE return_envelope (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			package_id uuid NOT NULL UNIQUE REFERENCES correspondence_package(id),
			office_id uuid NOT NULL REFERENCES office(id),
			election_id uuid NOT NULL REFERENCES election(id),
			round smallint NOT NULL CHECK (round IN (1, 2)),
			received_at timestamptz NOT NULL,
			received_by uuid NOT NULL REFERENCES staff_user(id),
			-- §57c(5): arrived after the close of voting; kept unopened, never counted
			late boolean NOT NULL,
			storage_batch text,
			handover_id uuid REFERENCES envelope_handover(id),
			outcome text CHECK (outcome IN ('accepted','set-aside')),
			-- §57d(2)(a)-(e)
			set_aside_ground text CHECK (set_aside_ground IN ('a','b','c','d','e')),
			processed_at timestamptz,
			processed_by uuid REFERENCES staff_user(id),
			CHECK ((outcome = 'set-aside') = (set_aside_ground IS NOT NULL)),
			CHECK ((outcome IS NULL) = (processed_at IS NULL)),
			CHECK (NOT late OR outcome IS NULL)
		);
		CREATE INDEX return_envelope_office_idx ON return_envelope (office_id, election_id, round, received_at);

		-- §57d(6): the ballot box is opened once every envelope has been dealt with.
		CREATE TABLE commission_closure (
			office_id uuid NOT NULL REFERENCES office(id),
			election_id uuid NOT NULL REFERENCES election(id),
			round smallint NOT NULL CHECK (round IN (1, 2)),
			ballot_box_opened_at timestamptz NOT NULL,
			opened_by uuid NOT NULL REFERENCES staff_user(id),
			PRIMARY KEY (office_id, election_id, round)
		);

		-- The voter list's record that a voter voted (§57d(3)); one per election round.
		CREATE TABLE voting_mark (
			voter_id uuid NOT NULL REFERENCES voter(id),
			election_id uuid NOT NULL REFERENCES election(id),
			round smallint NOT NULL CHECK (round IN (1, 2)),
			method text NOT NULL CHECK (method IN ('correspondence','in-person')),
			marked_at timestamptz NOT NULL,
			marked_by uuid REFERENCES staff_user(id),
			PRIMARY KEY (voter_id, election_id, round)
		);

		-- Append-only audit log; each entry carries the hash of the previous one.
		CREATE TABLE audit_log (
			id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			at timestamptz NOT NULL,
			actor_kind text NOT NULL CHECK (actor_kind IN ('voter','staff','system')),
			actor_id uuid,
			office_id uuid,
			action text NOT NULL,
			entity_type text NOT NULL,
			entity_id text,
			before jsonb,
			after jsonb,
			-- the writing transaction: the hash chain is sealed in (tx_id, id) order, which is
			-- final once every older transaction has ended
			tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
			prev_hash bytea,
			hash bytea
		);
		CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id);
		CREATE INDEX audit_log_chain_idx ON audit_log (tx_id, id);
		CREATE INDEX audit_log_unsealed_idx ON audit_log (tx_id, id) WHERE hash IS NULL;

		-- Nothing may change or remove an entry; the one update allowed is the sealer's,
		-- which sets prev_hash and hash once on an unsealed entry and touches nothing else.
		CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND NEW.hash IS NOT NULL
				AND (NEW.id, NEW.at, NEW.actor_kind, NEW.actor_id, NEW.office_id, NEW.action, NEW.entity_type, NEW.entity_id, NEW.before, NEW.after, NEW.tx_id)
					IS NOT DISTINCT FROM
					(OLD.id, OLD.at, OLD.actor_kind, OLD.actor_id, OLD.office_id, OLD.action, OLD.entity_type, OLD.entity_id, OLD.before, OLD.after, OLD.tx_id)
			THEN
				RETURN NEW;
			END IF;
			RAISE EXCEPTION 'audit_log is append-only';
		END $$;
		CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
			FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

		-- Outgoing e-mail, written in the same transaction as the change it reports, and sent
		-- by the job queue afterwards, so that a failed send never blocks or loses anything.
		CREATE TABLE email_outbox (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			voter_id uuid REFERENCES voter(id) ON DELETE CASCADE,
			to_address text NOT NULL,
			subject text NOT NULL,
			body text NOT NULL,
			created_at timestamptz NOT NULL DEFAULT now(),
			attempts integer NOT NULL DEFAULT 0,
			last_error text,
			sent_at timestamptz
		);
		CREATE INDEX email_outbox_pending_idx ON email_outbox (created_at) WHERE sent_at IS NULL;
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		DROP TABLE email_outbox;
		DROP TRIGGER audit_log_no_update ON audit_log;
		DROP TABLE audit_log;
		DROP FUNCTION audit_log_append_only();
		DROP TABLE voting_mark;
		DROP TABLE commission_closure;
		DROP TABLE return_envelope;
		DROP TABLE envelope_handover;
		DROP TABLE correspondence_package;
		DROP TABLE package_batch;
		DROP TABLE voter_card;
		DROP TABLE office_counter;
		DROP TABLE request;
		DROP TABLE proxy;
		DROP TABLE eid_login;
		DROP TABLE session;
		DROP TABLE staff_recovery_code;
		DROP TABLE staff_user;
		DROP TABLE voter;
		DROP TABLE embassy_voting_window;
		DROP TABLE office;
		DROP TABLE election_round;
		DROP TABLE election;
	`.execute(db);
}
