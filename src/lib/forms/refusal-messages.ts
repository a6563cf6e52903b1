/** Every reason for not filing a request, as a sentence in the page's language (§78(3): naming the deadline). */
import { m } from '$lib/paraglide/messages';
import { formatDay, wallClock } from '$lib/components/format';
import type { RefusalView, RequestKindName } from './refusal';

export function refusalText(refusal: RefusalView, kind: RequestKindName, locale: string): string {
	const section = refusal.section ?? '';
	const references = (refusal.references ?? []).join(', ');
	switch (refusal.code) {
		case 'deadline-passed': {
			if (!refusal.deadline) return m.req_refusal_deadline_passed_generic({ section });
			const { date, time } = wallClock(refusal.deadline.at, locale);
			return m.req_refusal_deadline_passed({ date, time, section: refusal.deadline.section });
		}
		case 'too-early': {
			if (!refusal.deadline) return m.req_refusal_too_early_generic({ section });
			const { date, time } = wallClock(refusal.deadline.at, locale);
			return m.req_refusal_too_early({ date, time, section });
		}
		case 'not-yet-open':
			return m.req_refusal_not_yet_open({ date: refusal.opensAt ? formatDay(refusal.opensAt, locale) : '', section });
		case 'not-on-voter-list':
			return m.req_refusal_not_on_voter_list({ section });
		case 'card-already-issued':
			return m.req_refusal_card_already_issued({ section });
		case 'correspondence-package-already-issued':
			return kind === 'voter-card'
				? m.req_refusal_package_issued_no_card({ section })
				: m.req_refusal_package_already_issued({ section });
		case 'wrong-office':
			return m.req_refusal_wrong_office({ section });
		case 'address-outside-jurisdiction':
			return m.req_refusal_address_outside_jurisdiction({ section });
		case 'excluded-country':
			return m.req_refusal_excluded_country({ section });
		case 'proxy-limit':
			return m.req_refusal_proxy_limit({ section });
		case 'election-has-no-voter-cards':
			return m.req_refusal_no_voter_cards({ section });
		case 'not-voting-abroad':
			return m.req_refusal_not_voting_abroad({ section });
		case 'correspondence-not-allowed':
			return m.req_refusal_correspondence_not_allowed({ section });
		case 'not-registered-at-embassy':
			return m.req_refusal_not_registered_at_embassy({ section });
		case 'under-age':
			return m.req_refusal_under_age();
		case 'round-not-in-election':
			return m.req_refusal_round_not_in_election({ section });
		case 'already-filed':
			return kind === 'correspondence-package'
				? m.req_refusal_already_filed_package({ references })
				: m.req_refusal_already_filed_card({ references });
		case 'registration-pending':
			return m.req_refusal_registration_pending({ references });
		case 'already-registered':
			return m.req_refusal_already_registered({ section });
		case 'voter-not-found':
			return m.req_refusal_voter_not_found();
		case 'election-not-found':
			return m.req_refusal_election_not_found();
		case 'embassy-not-found':
			return m.req_refusal_embassy_not_found();
		case 'request-not-found':
			return m.req_refusal_request_not_found();
		case 'not-cancellable':
			return m.req_refusal_not_cancellable({ section });
		case 'invalid-input':
			return m.req_refusal_invalid_input();
	}
}
