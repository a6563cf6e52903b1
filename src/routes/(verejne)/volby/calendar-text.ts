/**
 * Words and times of the published calendar, shared by the pages (server and browser)
 * and the iCalendar export. Times are formatted from epoch milliseconds with Intl, so the
 * browser can show them again in the viewer's own zone without asking the server.
 */
import { m } from '$lib/paraglide/messages';
import type { DeadlineKey } from '$lib/domain';

export type Locale = 'cs' | 'en';

export const PRAGUE_ZONE = 'Europe/Prague';

const intlLocale = (locale: Locale) => (locale === 'en' ? 'en-GB' : 'cs-CZ');

/** E.g. 'pátek 2. října 2026 v 16:00' / 'Friday, 2 October 2026 at 16:00'; with the zone's short name if asked. */
export function formatDateTime(epochMs: number, timeZone: string, locale: Locale, withZoneName = false): string {
	return new Intl.DateTimeFormat(intlLocale(locale), {
		weekday: 'long',
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		timeZone,
		...(withZoneName ? { timeZoneName: 'short' as const } : {})
	}).format(new Date(epochMs));
}

/**
 * The IANA name of a time zone this runtime can both compute with and format, in its
 * canonical spelling; null for anything else (a typo, an offset, a name too long).
 */
export function canonicalTimeZone(value: string | null | undefined): string | null {
	if (!value || value.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return null;
	try {
		return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
	} catch {
		return null;
	}
}

/** Every zone the runtime knows, for the time-zone select. */
export function supportedTimeZones(): string[] {
	return Intl.supportedValuesOf('timeZone');
}

/** 'America/Argentina/Buenos_Aires' → 'America/Argentina/Buenos Aires'. */
export function zoneLabel(zone: string): string {
	return zone.replace(/_/g, ' ');
}

/** What a deadline means, in plain words (DOMAIN.md "Deadlines"). */
export function deadlineMeaning(key: DeadlineKey, locale: Locale, officeName = ''): string {
	const options = { locale };
	switch (key) {
		case 'voter-card-mail-request':
			return m.cal_key_voter_card_mail_request({}, options);
		case 'voter-card-post-dispatch':
			return m.cal_key_voter_card_post_dispatch({}, options);
		case 'voter-card-pickup-request':
			return m.cal_key_voter_card_pickup_request({}, options);
		case 'voter-card-pickup':
			return m.cal_key_voter_card_pickup({}, options);
		case 'voter-card-earliest-issue':
			return m.cal_key_voter_card_earliest_issue({}, options);
		case 'special-district-registration':
			return m.cal_key_special_district_registration({}, options);
		case 'correspondence-request-written':
			return m.cal_key_correspondence_request_written({}, options);
		case 'correspondence-request-in-person':
			return m.cal_key_correspondence_request_in_person({}, options);
		case 'correspondence-dispatch':
			return m.cal_key_correspondence_dispatch({}, options);
		case 'return-envelope':
			return m.cal_key_return_envelope({ office: officeName }, options);
	}
}

/** '3 dny', '12 dní', '2 days': Czech has three plural forms. */
export function daysText(days: number, locale: Locale): string {
	const category = new Intl.PluralRules(intlLocale(locale)).select(days);
	if (category === 'one') return m.cal_days_one({ days }, { locale });
	if (category === 'few') return m.cal_days_few({ days }, { locale });
	return m.cal_days_other({ days }, { locale });
}
