/**
 * How one item of a batch ended (issue 12), from the result of the SAME single-item service
 * a clerk uses on one request: done, or skipped with a reason the result page names. Pure.
 */
import type { RefusalView } from '../../../forms/refusal';
import type { RequestState } from '../../db/schema';

/** Why an item was skipped: what a colleague did meanwhile, or what a rule says now. */
export type SkipReason =
	/** A colleague decided, issued, dispatched or the voter cancelled meanwhile. */
	| 'changed-meanwhile'
	/** The request is not (or no longer) in the state this action needs. */
	| 'wrong-state'
	/** A rule of the law refuses it now (deadline, card after a package, hand-over window, proxy limit). */
	| 'rule'
	/** The card was invalidated as lost or destroyed (§23(3)). */
	| 'invalidated'
	/** The request asked for collection, not the post (§57(2), §57a(4)). */
	| 'wrong-method'
	| 'number-missing'
	| 'number-invalid'
	/** The consignment number was recorded for another item meanwhile. */
	| 'number-used'
	| 'not-found'
	| 'forbidden'
	| 'invalid';

export type ItemDetail = {
	state?: RequestState;
	serial?: number;
	card?: 'handed-over' | 'invalidated';
	refusal?: RefusalView;
	number?: string;
	field?: string;
};

export type ItemOutcome = { outcome: 'done'; detail: ItemDetail } | { outcome: 'skipped'; reason: SkipReason; detail: ItemDetail };

/** The results the single-item services answer with (decisions, voter cards, packages). */
export type SingleItemResult =
	| { kind: 'done'; state?: RequestState; serial?: number }
	| { kind: 'dispatched' }
	| { kind: 'already-decided'; state: RequestState; card?: 'handed-over' | 'invalidated' }
	| { kind: 'already-dispatched' }
	| { kind: 'wrong-state'; state: RequestState }
	| { kind: 'rule'; refusal: RefusalView }
	| { kind: 'refused'; refusal: RefusalView }
	| { kind: 'invalidated' }
	| { kind: 'wrong-method' }
	| { kind: 'number-used'; number: string }
	| { kind: 'number-missing' }
	| { kind: 'undo-too-late' }
	| { kind: 'invalid'; field: string }
	| { kind: 'invalid-proxy' }
	| { kind: 'not-found' }
	| { kind: 'forbidden' }
	| { kind: 'correspondence-not-allowed' };

function skipped(reason: SkipReason, detail: ItemDetail = {}): ItemOutcome {
	return { outcome: 'skipped', reason, detail };
}

export function classifyOutcome(result: SingleItemResult): ItemOutcome {
	switch (result.kind) {
		case 'done':
			return {
				outcome: 'done',
				detail: { ...(result.state ? { state: result.state } : {}), ...(result.serial !== undefined ? { serial: result.serial } : {}) }
			};
		case 'dispatched':
			return { outcome: 'done', detail: {} };
		case 'already-decided':
			return skipped('changed-meanwhile', { state: result.state, ...(result.card ? { card: result.card } : {}) });
		case 'already-dispatched':
			return skipped('changed-meanwhile', { card: 'handed-over' });
		case 'wrong-state':
			return skipped('wrong-state', { state: result.state });
		case 'rule':
		case 'refused':
			return skipped('rule', { refusal: result.refusal });
		case 'invalidated':
			return skipped('invalidated');
		case 'wrong-method':
			return skipped('wrong-method');
		case 'number-used':
			return skipped('number-used', { number: result.number });
		case 'number-missing':
			return skipped('number-missing');
		case 'undo-too-late':
			return skipped('wrong-state');
		case 'invalid':
			if (result.field === 'consignmentNumber') return skipped('number-invalid');
			// §57(2): by post only to the address the voter asked for; none means collection.
			if (result.field === 'method') return skipped('wrong-method');
			return skipped('invalid', { field: result.field });
		case 'invalid-proxy':
			return skipped('invalid', { field: 'proxy' });
		case 'forbidden':
			return skipped('forbidden');
		case 'not-found':
		case 'correspondence-not-allowed':
			return skipped('not-found');
	}
}
