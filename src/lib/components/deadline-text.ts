import { m } from '$lib/paraglide/messages';
import type { DeadlineView } from '$lib/forms/views';
import { wallClock } from './format';

/** A deadline as one sentence for a hint (§78(1)(c): 16:00 Prague). */
export function deadlineSentence(deadline: DeadlineView, locale: string): string {
	const { date, time } = wallClock(deadline.at, locale);
	return deadline.open
		? m.req_deadline_notice({ date, time, section: deadline.section })
		: m.req_deadline_passed({ date, time, section: deadline.section });
}

/** The deadline of a kind for the rounds asked for; for several, the earliest (the binding one). */
export function bindingDeadline(deadlines: readonly DeadlineView[]): DeadlineView | undefined {
	return [...deadlines].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
}
