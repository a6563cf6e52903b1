/** What a staff action answered when it did not succeed (staff-pages/request-detail.ts actionProblem), as words. */
import { m } from '$lib/paraglide/messages';
import type { RefusalView, RequestKindName } from '$lib/forms/refusal';
import { refusalText } from '$lib/forms/refusal-messages';
import { wallClock } from '$lib/components/format';
import { stateName, type RequestStateName } from './staff-text';

export type ActionProblemView =
	| { kind: 'already-decided'; state: RequestStateName; card: 'handed-over' | 'invalidated' | null; by?: string | null }
	| { kind: 'wrong-state'; state: RequestStateName; card: null }
	| { kind: 'invalidated'; state: null; card: null }
	| { kind: 'rule'; refusal: RefusalView; suggestedReason: string | null }
	| { kind: 'invalid'; field: string };

/**
 * A rule of the law that refused a clerk's step, in the third person (the voter's pages say
 * "you"): the section, and for a deadline its date and time in Prague (§78(3)).
 */
export function staffRefusalText(refusal: RefusalView, kind: RequestKindName, locale: string): string {
	const section = refusal.section ?? '';
	switch (refusal.code) {
		case 'deadline-passed': {
			if (!refusal.deadline) break;
			const { date, time } = wallClock(refusal.deadline.at, locale);
			const s = refusal.deadline.section;
			if (refusal.deadline.key === 'voter-card-post-dispatch') return m.dec_rule_hand_over_post_passed({ date, time, section: s });
			if (refusal.deadline.key === 'voter-card-pickup') return m.dec_rule_hand_over_pickup_passed({ date, time, section: s });
			return m.dec_rule_filing_passed({ date, time, section: s });
		}
		case 'too-early': {
			if (!refusal.deadline) break;
			const { date, time } = wallClock(refusal.deadline.at, locale);
			return m.dec_rule_too_early({ date, time, section: refusal.deadline.section });
		}
		case 'not-on-voter-list':
			return m.dec_rule_not_on_voter_list({ section });
		case 'card-already-issued':
			return m.dec_rule_card_already_issued({ section });
		case 'correspondence-package-already-issued':
			return kind === 'voter-card' ? m.dec_rule_package_issued_no_card({ section }) : m.dec_rule_package_already_issued({ section });
		case 'wrong-office':
			return m.dec_rule_wrong_office({ section });
		case 'address-outside-jurisdiction':
			return m.dec_rule_address_outside({ section });
		case 'excluded-country':
			return m.dec_rule_excluded_country({ section });
		case 'proxy-limit':
			return m.dec_rule_proxy_limit({ section });
		case 'not-registered-at-embassy':
			return m.dec_rule_not_registered({ section });
		case 'under-age':
			return m.dec_rule_under_age();
		case 'already-filed':
			return m.dec_rule_already_filed({ references: (refusal.references ?? []).join(', ') });
		default:
			break;
	}
	return refusalText(refusal, kind, locale);
}

export function problemText(problem: ActionProblemView | undefined | null, kind: RequestKindName, locale: string): string | null {
	if (!problem) return null;
	switch (problem.kind) {
		case 'already-decided':
			if (problem.card === 'handed-over') return m.dec_problem_card_handed_over();
			if (problem.card === 'invalidated') return m.dec_problem_card_invalidated();
			if (problem.by) return m.dec_problem_already_issued_by({ by: problem.by, state: stateName(problem.state) });
			return m.dec_problem_already_decided({ state: stateName(problem.state) });
		case 'wrong-state':
			return m.dec_problem_wrong_state({ state: stateName(problem.state) });
		case 'invalidated':
			return m.dec_problem_invalidated();
		case 'rule':
			return staffRefusalText(problem.refusal, kind, locale);
		case 'invalid':
			return m.dec_problem_invalid();
	}
}
