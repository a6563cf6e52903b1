/**
 * What a single-item service does when it runs as an item of a batch (issue 12): inside its
 * own transaction it marks the item done, so the item and its effect commit together and a
 * batch re-run after a crash never repeats it.
 */
import type { Trx } from '../../db/index';
import { updateBatchItemOutcome } from '../../db/queries/batches';

export interface BatchItemOptions {
	/** The batch this call is an item of; its audit entry names it. */
	batchId: string;
}

export async function markBatchItemDone(
	trx: Trx,
	options: BatchItemOptions | undefined,
	requestId: string,
	detail: Record<string, unknown>,
	at: Date
): Promise<void> {
	if (!options) return;
	await updateBatchItemOutcome(trx, { batchId: options.batchId, requestId, outcome: 'done', detail, at });
}

/** The batch's id for the audit entry's `after`, or nothing. */
export function batchAudit(options: BatchItemOptions | undefined): { batchId?: string } {
	return options ? { batchId: options.batchId } : {};
}
