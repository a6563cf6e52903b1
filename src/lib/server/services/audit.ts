import type { Temporal } from 'temporal-polyfill';
import { toDate } from '../clock';
import type { Trx } from '../db/index';

export type Actor =
	| { kind: 'voter'; id: string }
	| { kind: 'staff'; id: string; officeId: string | null }
	| { kind: 'system'; id?: null };

export interface AuditEntry {
	actor: Actor;
	action: string;
	entityType: string;
	entityId: string | null;
	officeId?: string | null;
	before?: unknown;
	after?: unknown;
	at: Temporal.Instant;
}

/**
 * Every state change writes one audit entry in the same transaction as the change.
 * Only ids and states go in: no personal data, so that retention never has to touch the log.
 */
export async function appendAudit(trx: Trx, entry: AuditEntry): Promise<void> {
	await trx
		.insertInto('audit_log')
		.values({
			at: toDate(entry.at),
			actor_kind: entry.actor.kind,
			actor_id: entry.actor.id ?? null,
			office_id: entry.officeId ?? (entry.actor.kind === 'staff' ? entry.actor.officeId : null),
			action: entry.action,
			entity_type: entry.entityType,
			entity_id: entry.entityId,
			before: entry.before === undefined ? null : JSON.stringify(entry.before),
			after: entry.after === undefined ? null : JSON.stringify(entry.after)
		})
		.execute();
}
