/**
 * The refusal reasons an office gives (request.refusal_reason), in words. Relative imports,
 * so that the services (and scripts) can use it as well as the pages.
 */
import { m } from '../paraglide/messages.js';
import type { RefusalReasonName } from './decisions';

export function refusalReasonName(reason: RefusalReasonName, locale?: 'cs' | 'en'): string {
	const t = locale ? { locale } : undefined;
	switch (reason) {
		case 'not-on-voter-list':
			return m.dec_reason_not_on_voter_list({}, t);
		case 'deadline-passed':
			return m.dec_reason_deadline_passed({}, t);
		case 'card-already-issued':
			return m.dec_reason_card_already_issued({}, t);
		case 'correspondence-package-already-issued':
			return m.dec_reason_package_already_issued({}, t);
		case 'wrong-office':
			return m.dec_reason_wrong_office({}, t);
		case 'address-outside-jurisdiction':
			return m.dec_reason_address_outside({}, t);
		case 'excluded-country':
			return m.dec_reason_excluded_country({}, t);
		case 'proxy-limit':
			return m.dec_reason_proxy_limit({}, t);
		case 'other':
			return m.dec_reason_other({}, t);
	}
}
