import { type Kysely, sql } from 'kysely';

/**
 * The voter cards of an office batch as one PDF, rendered by a background job (issue 12).
 * Frozen in time: never import application code here.
 *
 * - office_batch.pdf_*: the job's state, as package_batch has it for an embassy's packages
 *   (migration 0008): NULL until the batch is done and the job first claims it, then
 *   'rendering' → 'ready' or 'failed'. pdf_attempts fences an older renderer's writes;
 *   pdf_heartbeat_at tells a live renderer from a crashed one.
 * - office_batch_pdf_part: the PDF as it was streamed, a part of at most a few hundred KiB at
 *   a time, per attempt, in order (seq). Neither rendering nor the download holds the whole
 *   PDF in memory, whatever the batch's size; the parts of an attempt that did not finish
 *   are deleted when another attempt is ready.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		ALTER TABLE office_batch
			ADD COLUMN pdf_status text CHECK (pdf_status IN ('pending', 'rendering', 'ready', 'failed')),
			ADD COLUMN pdf_total integer NOT NULL DEFAULT 0 CHECK (pdf_total >= 0),
			ADD COLUMN pdf_rendered integer NOT NULL DEFAULT 0 CHECK (pdf_rendered >= 0),
			ADD COLUMN pdf_attempts integer NOT NULL DEFAULT 0 CHECK (pdf_attempts >= 0),
			ADD COLUMN pdf_heartbeat_at timestamptz,
			ADD COLUMN pdf_rendered_at timestamptz,
			ADD COLUMN pdf_bytes integer CHECK (pdf_bytes > 0),
			ADD COLUMN pdf_error text,
			ADD CONSTRAINT office_batch_pdf_ready CHECK ((pdf_status = 'ready') = (pdf_rendered_at IS NOT NULL AND pdf_bytes IS NOT NULL));

		CREATE TABLE office_batch_pdf_part (
			batch_id uuid NOT NULL REFERENCES office_batch(id) ON DELETE CASCADE,
			attempt integer NOT NULL CHECK (attempt > 0),
			seq integer NOT NULL CHECK (seq >= 0),
			bytes bytea NOT NULL,
			PRIMARY KEY (batch_id, attempt, seq)
		);
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		DROP TABLE office_batch_pdf_part;
		ALTER TABLE office_batch
			DROP CONSTRAINT office_batch_pdf_ready,
			DROP COLUMN pdf_error,
			DROP COLUMN pdf_bytes,
			DROP COLUMN pdf_rendered_at,
			DROP COLUMN pdf_heartbeat_at,
			DROP COLUMN pdf_attempts,
			DROP COLUMN pdf_rendered,
			DROP COLUMN pdf_total,
			DROP COLUMN pdf_status;
	`.execute(db);
}
