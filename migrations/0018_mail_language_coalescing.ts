import { type Kysely, sql } from 'kysely';

/**
 * Voter e-mail in the voter's language, as text and HTML, coalesced per request (issue 15).
 * Frozen in time: never import application code here.
 *
 * - voter.locale: the language the voter last used on the portal ('cs' or 'en'); NULL until
 *   they use it (imported voters), read as Czech.
 * - email_outbox.body_html: the HTML part beside the plain-text `body` (NULL: text only).
 * - email_outbox.coalesce_key ('request:<reference>'): at most one UNSENT message per key; a
 *   later change of the same request rewrites that message (services/notifications.ts), so
 *   several changes within the window become one e-mail with the latest state.
 * - email_outbox.send_after: when the message may go out (database time: delivery is not an
 *   election deadline). The send-email job runs at it; the job of a rewritten message keeps
 *   its time (the window counts from the first change, so a busy request is never held back
 *   for ever) and is re-armed, should it have failed for good meanwhile.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		ALTER TABLE voter ADD COLUMN locale text CHECK (locale IN ('cs','en'));

		ALTER TABLE email_outbox
			ADD COLUMN body_html text,
			ADD COLUMN coalesce_key text,
			ADD COLUMN send_after timestamptz NOT NULL DEFAULT now();

		CREATE UNIQUE INDEX email_outbox_pending_coalesce_key ON email_outbox (coalesce_key)
			WHERE sent_at IS NULL AND coalesce_key IS NOT NULL;

		CREATE OR REPLACE FUNCTION email_outbox_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF to_regprocedure('graphile_worker.add_job(text, json, text, timestamptz, integer, text, integer, text[], text)') IS NOT NULL THEN
				PERFORM graphile_worker.add_job(
					'send-email',
					json_build_object('id', NEW.id),
					run_at := NEW.send_after,
					max_attempts := 25,
					job_key := 'email:' || NEW.id::text,
					job_key_mode := CASE WHEN TG_OP = 'UPDATE' THEN 'preserve_run_at' ELSE 'replace' END
				);
			END IF;
			RETURN NULL;
		END $$;

		CREATE TRIGGER email_outbox_reenqueue AFTER UPDATE OF body ON email_outbox
			FOR EACH ROW WHEN (NEW.sent_at IS NULL) EXECUTE FUNCTION email_outbox_enqueue();
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		DROP TRIGGER email_outbox_reenqueue ON email_outbox;
		CREATE OR REPLACE FUNCTION email_outbox_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF to_regprocedure('graphile_worker.add_job(text, json, text, timestamptz, integer, text, integer, text[], text)') IS NOT NULL THEN
				PERFORM graphile_worker.add_job(
					'send-email',
					json_build_object('id', NEW.id),
					max_attempts := 25,
					job_key := 'email:' || NEW.id::text
				);
			END IF;
			RETURN NULL;
		END $$;
		DROP INDEX email_outbox_pending_coalesce_key;
		ALTER TABLE email_outbox DROP COLUMN send_after, DROP COLUMN coalesce_key, DROP COLUMN body_html;
		ALTER TABLE voter DROP COLUMN locale;
	`.execute(db);
}
