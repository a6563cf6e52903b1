import { type Kysely, sql } from 'kysely';

/**
 * Mass processing at offices (issue 12). Frozen in time: never import application code here.
 *
 * - office_batch: one batch action of a clerk (accept, issue voter cards, dispatch by
 *   registered post) over a selection: who, when, what was selected, what was done, what was
 *   skipped. A batch is a 'draft' until the clerk confirms it, 'running' while its items are
 *   processed and 'done' after.
 * - office_batch_item: one selected request of a batch, in the batch's (postal sheet) order,
 *   with its outcome. Each item is processed in its own transaction, which also marks it
 *   done, so a batch interrupted by a crash is re-run from its pending items without
 *   duplicates. The consignment number planned for a dispatch sits on the item until the
 *   dispatch is recorded.
 * - consignment_range: the consignment numbers (UPU S10) a postal operator allotted to an
 *   office; next_serial is the next free one.
 * - consignment: the consignment number of a recorded dispatch by registered post; the
 *   primary key makes a number usable once across all offices. Undoing the dispatch deletes
 *   the row (the audit log keeps the number).
 */
export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		CREATE TABLE office_batch (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			office_id uuid NOT NULL REFERENCES office(id),
			election_id uuid REFERENCES election(id) ON DELETE CASCADE,
			action text NOT NULL CHECK (action IN ('accept', 'issue-voter-cards', 'dispatch-voter-cards', 'dispatch-packages')),
			status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'running', 'done')),
			created_at timestamptz NOT NULL,
			created_by uuid NOT NULL REFERENCES staff_user(id),
			confirmed_at timestamptz,
			finished_at timestamptz,
			selected_count integer NOT NULL DEFAULT 0 CHECK (selected_count >= 0),
			done_count integer NOT NULL DEFAULT 0 CHECK (done_count >= 0),
			skipped_count integer NOT NULL DEFAULT 0 CHECK (skipped_count >= 0),
			CONSTRAINT office_batch_finished CHECK ((status = 'done') = (finished_at IS NOT NULL))
		);
		CREATE INDEX office_batch_office_idx ON office_batch (office_id, created_at DESC, id);

		CREATE TABLE office_batch_item (
			batch_id uuid NOT NULL REFERENCES office_batch(id) ON DELETE CASCADE,
			position integer NOT NULL CHECK (position > 0),
			request_id uuid NOT NULL REFERENCES request(id) ON DELETE CASCADE,
			outcome text NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'done', 'skipped')),
			reason text,
			detail jsonb,
			consignment_number text CHECK (consignment_number ~ '^[A-Z]{2}[0-9]{9}[A-Z]{2}$'),
			processed_at timestamptz,
			PRIMARY KEY (batch_id, request_id),
			UNIQUE (batch_id, position),
			CONSTRAINT office_batch_item_reason CHECK ((outcome = 'skipped') = (reason IS NOT NULL))
		);
		CREATE INDEX office_batch_item_request_idx ON office_batch_item (request_id);
		CREATE UNIQUE INDEX office_batch_item_number_idx ON office_batch_item (batch_id, consignment_number);

		CREATE TABLE consignment_range (
			id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
			office_id uuid NOT NULL REFERENCES office(id) ON DELETE CASCADE,
			service text NOT NULL CHECK (service ~ '^[A-Z]{2}$'),
			country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
			first_serial integer NOT NULL CHECK (first_serial BETWEEN 0 AND 99999999),
			last_serial integer NOT NULL CHECK (last_serial BETWEEN 0 AND 99999999),
			next_serial integer NOT NULL,
			created_at timestamptz NOT NULL,
			created_by uuid NOT NULL REFERENCES staff_user(id),
			CONSTRAINT consignment_range_order CHECK (first_serial <= last_serial),
			CONSTRAINT consignment_range_next CHECK (next_serial BETWEEN first_serial AND last_serial + 1)
		);
		CREATE INDEX consignment_range_office_idx ON consignment_range (office_id, created_at);

		CREATE TABLE consignment (
			number text PRIMARY KEY CHECK (number ~ '^[A-Z]{2}[0-9]{9}[A-Z]{2}$'),
			office_id uuid NOT NULL REFERENCES office(id),
			request_id uuid NOT NULL REFERENCES request(id) ON DELETE CASCADE,
			batch_id uuid REFERENCES office_batch(id) ON DELETE SET NULL,
			recorded_at timestamptz NOT NULL,
			recorded_by uuid NOT NULL REFERENCES staff_user(id)
		);
		CREATE UNIQUE INDEX consignment_request_idx ON consignment (request_id);
		CREATE INDEX consignment_batch_idx ON consignment (batch_id);
	`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`
		DROP TABLE consignment;
		DROP TABLE consignment_range;
		DROP TABLE office_batch_item;
		DROP TABLE office_batch;
	`.execute(db);
}
