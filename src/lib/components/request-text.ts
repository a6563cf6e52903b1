import { m } from '$lib/paraglide/messages';
import type { RequestKindName } from '$lib/forms/refusal';

export function requestKindName(kind: RequestKindName): string {
	switch (kind) {
		case 'voter-card':
			return m.req_kind_voter_card();
		case 'special-district-registration':
			return m.req_kind_registration();
		case 'correspondence-package':
			return m.req_kind_correspondence();
		case 'voter-list-correction':
			return m.req_kind_correction();
	}
}

/** §57d(2)(a)-(e): why a return envelope was set aside, in words. */
export function setAsideGroundText(ground: 'a' | 'b' | 'c' | 'd' | 'e'): string {
	switch (ground) {
		case 'a':
			return m.req_set_aside_a();
		case 'b':
			return m.req_set_aside_b();
		case 'c':
			return m.req_set_aside_c();
		case 'd':
			return m.req_set_aside_d();
		case 'e':
			return m.req_set_aside_e();
	}
}

/** The refusal reasons an office records (request.refusal_reason), in words. */
export function decisionReasonText(reason: string | null): string | null {
	switch (reason) {
		case 'not-on-voter-list':
			return m.req_decision_not_on_voter_list();
		case 'deadline-passed':
			return m.req_decision_deadline_passed();
		case 'card-already-issued':
			return m.req_decision_card_already_issued();
		case 'correspondence-package-already-issued':
			return m.req_decision_package_already_issued();
		case 'wrong-office':
			return m.req_decision_wrong_office();
		case 'address-outside-jurisdiction':
			return m.req_decision_address_outside_jurisdiction();
		case 'excluded-country':
			return m.req_decision_excluded_country();
		case 'proxy-limit':
			return m.req_decision_proxy_limit();
		case 'other':
			return m.req_decision_other();
		default:
			return null;
	}
}
