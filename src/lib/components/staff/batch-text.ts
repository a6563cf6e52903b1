import { m } from '$lib/paraglide/messages';
import { stateName } from './staff-text';

/** What a batch does, as its page's heading says. */
export function batchActionName(action: string, count: number): string {
	const n = String(count);
	switch (action) {
		case 'accept':
			return m.batch_action_accept({ count: n });
		case 'issue-voter-cards':
			return m.batch_action_issue({ count: n });
		case 'dispatch-packages':
			return m.batch_action_dispatch_packages({ count: n });
		default:
			return m.batch_action_dispatch({ count: n });
	}
}

/** Why an item was skipped, in words (issue 12: named on the result page). */
export function skipReasonText(item: { reason: string | null; stateThen: string | null; card: string | null; rule: string | null }): string {
	switch (item.reason) {
		case 'changed-meanwhile':
			return item.card === 'handed-over'
				? m.batch_skip_dispatched_meanwhile()
				: m.batch_skip_changed({ state: item.stateThen ? stateName(item.stateThen as Parameters<typeof stateName>[0]) : '' });
		case 'wrong-state':
			return m.batch_skip_wrong_state({ state: item.stateThen ? stateName(item.stateThen as Parameters<typeof stateName>[0]) : '' });
		case 'rule':
			return item.rule ?? m.batch_skip_rule();
		case 'invalidated':
			return m.batch_skip_invalidated();
		case 'wrong-method':
			return m.batch_skip_wrong_method();
		case 'number-missing':
			return m.batch_skip_number_missing();
		case 'number-invalid':
			return m.batch_number_error_check_digit();
		case 'number-used':
			return m.batch_number_error_used();
		default:
			return m.batch_skip_other();
	}
}

/** A consignment number's error on its row. */
export function numberErrorText(code: string | undefined): string | undefined {
	switch (code) {
		case 'format':
			return m.batch_number_error_format();
		case 'check-digit':
			return m.batch_number_error_check_digit();
		case 'used':
			return m.batch_number_error_used();
		case 'duplicate':
			return m.batch_number_error_duplicate();
		default:
			return undefined;
	}
}
