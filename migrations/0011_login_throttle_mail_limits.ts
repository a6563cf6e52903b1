import { type Kysely, sql } from 'kysely';

/**
 * Hardening (issue 19, points 4 and 6). Frozen in time: never import application code here.
 *
 * - staff_login_throttle: failed staff logins per (username, client address). The address is
 *   the client's IPv4 address or its IPv6 /64 (auth/login-throttle.ts clientAddressKey). Keyed
 *   by username, not account, so that an unknown username is throttled exactly like a real one
 *   (nothing tells whether an account exists). A successful login from an address deletes
 *   that address's row; rows are forgotten a day after their last failure.
 * - staff_login_lock: a username locked for everyone, which only failures from many addresses
 *   cause; with when, until when, and from which addresses, for the administrator's dashboard.
 * - staff_user.failed_attempts / locked_until: the old lock-out (five failures from anywhere
 *   locked the account), replaced by the two tables above.
 * - email_confirmation_sent: every confirmation e-mail sent to an address a voter typed, to
 *   limit them per address (across voters) and per voter. Only a SHA-256 of the normalised
 *   address is kept; rows older than the longest limit's window are deleted as new ones come.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		CREATE TABLE staff_login_throttle (
			username text NOT NULL CHECK (length(username) <= 200),
			address text NOT NULL CHECK (length(address) <= 64),
			failures integer NOT NULL CHECK (failures > 0),
			last_failure_at timestamptz NOT NULL,
			PRIMARY KEY (username, address)
		);
		CREATE INDEX staff_login_throttle_last_failure_idx ON staff_login_throttle (last_failure_at);

		CREATE TABLE staff_login_lock (
			username text PRIMARY KEY CHECK (length(username) <= 200),
			locked_at timestamptz NOT NULL,
			locked_until timestamptz NOT NULL CHECK (locked_until > locked_at),
			failures integer NOT NULL CHECK (failures > 0),
			addresses text[] NOT NULL
		);
		CREATE INDEX staff_login_lock_until_idx ON staff_login_lock (locked_until);

		ALTER TABLE staff_user DROP COLUMN failed_attempts, DROP COLUMN locked_until;

		CREATE TABLE email_confirmation_sent (
			id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
			voter_id uuid NOT NULL REFERENCES voter(id) ON DELETE CASCADE,
			address_hash bytea NOT NULL CHECK (length(address_hash) = 32),
			sent_at timestamptz NOT NULL
		);
		CREATE INDEX email_confirmation_sent_address_idx ON email_confirmation_sent (address_hash, sent_at);
		CREATE INDEX email_confirmation_sent_voter_idx ON email_confirmation_sent (voter_id, sent_at);
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		DROP TABLE email_confirmation_sent;
		ALTER TABLE staff_user
			ADD COLUMN failed_attempts integer NOT NULL DEFAULT 0,
			ADD COLUMN locked_until timestamptz;
		DROP TABLE staff_login_lock;
		DROP TABLE staff_login_throttle;
	`.execute(db);
}
