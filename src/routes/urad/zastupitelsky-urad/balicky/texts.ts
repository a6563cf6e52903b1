/**
 * Texts of the package pages that depend on a service's answer: refusals that name the
 * deadline and section (§78(3)), states and ways of delivery. Server-side, in the page's language.
 */
import { PROXY_VOTER_LIMIT } from '$lib/domain';
import { wallClock, formatInstant } from '$lib/components/format';
import type { RefusalView } from '$lib/forms/refusal';
import { m } from '$lib/paraglide/messages';
import { formatSection } from '$lib/server/documents/format';
import type { Delivery, RequestChannel } from '$lib/server/db/schema';

type Locale = 'cs' | 'en';

export function handOverRefusalText(refusal: RefusalView, locale: Locale): string {
	const section = refusal.section ? formatSection(refusal.section, locale) : '';
	switch (refusal.code) {
		case 'deadline-passed': {
			if (!refusal.deadline) return m.pkg_refusal_other({ section });
			const { date, time } = wallClock(refusal.deadline.at, locale);
			return m.pkg_refusal_deadline({ date, time, section: formatSection(refusal.deadline.section, locale) });
		}
		case 'proxy-limit':
			return m.pkg_refusal_proxy_limit({ limit: PROXY_VOTER_LIMIT, section });
		default:
			return m.pkg_refusal_other({ section });
	}
}

export function deliveryText(delivery: Delivery | null): string {
	switch (delivery) {
		case 'post':
			return m.pkg_delivery_post();
		case 'proxy':
			return m.pkg_delivery_proxy();
		default:
			return m.pkg_delivery_in_person();
	}
}

export function channelText(channel: RequestChannel): string {
	switch (channel) {
		case 'portal':
			return m.pkg_channel_portal();
		case 'in-person':
			return m.pkg_channel_in_person();
		case 'data-box':
			return m.pkg_channel_data_box();
		case 'verified-letter':
			return m.pkg_channel_verified_letter();
	}
}

/** The short state of a package in lists. */
export function packageStateText(dispatchMethod: Delivery | null): string {
	switch (dispatchMethod) {
		case null:
			return m.pkg_state_waiting();
		case 'post':
			return m.pkg_state_sent();
		case 'in-person':
			return m.pkg_state_handed_in_person();
		case 'proxy':
			return m.pkg_state_handed_proxy();
	}
}

export function instantText(value: Date | string, locale: Locale): string {
	return formatInstant(value, locale);
}

export function localeOf(value: string): Locale {
	return value === 'en' ? 'en' : 'cs';
}

/** Why a dispatch or hand-over did not go through, for the error summary. */
export function handOverErrorText(
	result:
		| { kind: 'already-dispatched'; at: string }
		| { kind: 'wrong-method'; delivery: Delivery | null }
		| { kind: 'refused'; refusal: RefusalView },
	locale: Locale
): string {
	switch (result.kind) {
		case 'already-dispatched':
			return m.pkg_error_already_dispatched({ datetime: formatInstant(result.at, locale) });
		case 'wrong-method':
			return result.delivery === 'post' ? m.pkg_error_wrong_method_post() : m.pkg_error_wrong_method_collect();
		case 'refused':
			return handOverRefusalText(result.refusal, locale);
	}
}
