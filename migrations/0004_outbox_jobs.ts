import { type Kysely, sql } from 'kysely';

/**
 * Every e-mail written to the outbox gets a `send-email` job of graphile-worker in the same
 * transaction, so the message and its job are committed (or rolled back) together, whatever
 * code path wrote the row. Frozen in time: never import application code here.
 *
 * graphile-worker keeps its own schema, created by the portal at start (src/lib/server/jobs).
 * Where it is absent (a database migrated but not yet started against, the unit tests'
 * database) the trigger does nothing and the `sweep-outbox` task enqueues the row later.
 * The job key `email:<id>` lets that sweep skip rows that already have a job.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		CREATE FUNCTION email_outbox_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
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
		CREATE TRIGGER email_outbox_enqueue AFTER INSERT ON email_outbox
			FOR EACH ROW WHEN (NEW.sent_at IS NULL) EXECUTE FUNCTION email_outbox_enqueue();
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		DROP TRIGGER email_outbox_enqueue ON email_outbox;
		DROP FUNCTION email_outbox_enqueue();
	`.execute(db);
}
