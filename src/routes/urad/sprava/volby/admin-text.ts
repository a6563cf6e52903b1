/**
 * Words of the administration's pages (issue 7), in the page's language, and what the server
 * and the pages share about the forms (field order, URL slugs). Client-safe: no server code.
 */
import { m } from '$lib/paraglide/messages';
import { formatDay, formatInstant, wallClock } from '$lib/components/format';
import type { ElectionType } from '$lib/domain';

/** Czech URL slugs of the election types (/urad/sprava/volby/nove/<slug>). */
export const ELECTION_SLUGS: Readonly<Record<ElectionType, string>> = {
	chamber: 'poslanecka-snemovna',
	president: 'prezident',
	european: 'evropsky-parlament',
	senate: 'senat',
	regional: 'kraje',
	municipal: 'obce'
};

export function typeFromSlug(slug: string): ElectionType | null {
	const found = (Object.entries(ELECTION_SLUGS) as [ElectionType, string][]).find(([, s]) => s === slug);
	return found ? found[0] : null;
}

/** The election form's fields in page order, for the error summary. */
export const ELECTION_FIELDS = [
	'titleCs',
	'titleEn',
	'announcedOn',
	'round1',
	'round2',
	'correspondence',
	'earliestIssueDays',
	'excludedCountries',
	'resultsDeclaredOn',
	'retentionDays'
] as const;

/** Fields shown as a GOV.UK date (three boxes): the summary links to the day box. */
const DATE_FIELDS = new Set(['announcedOn', 'round1', 'round2', 'resultsDeclaredOn']);

export function electionTypeName(type: ElectionType): string {
	switch (type) {
		case 'chamber':
			return m.adm_type_chamber();
		case 'president':
			return m.adm_type_president();
		case 'european':
			return m.adm_type_european();
		case 'senate':
			return m.adm_type_senate();
		case 'regional':
			return m.adm_type_regional();
		case 'municipal':
			return m.adm_type_municipal();
	}
}

const ERRORS: Record<string, () => string> = {
	required: m.adm_err_required,
	'too-long': m.adm_err_too_long,
	'invalid-characters': m.adm_err_invalid_characters,
	'date-invalid': m.adm_err_date_invalid,
	'first-day-not-friday': m.adm_err_first_day_not_friday,
	'rounds-out-of-order': m.adm_err_rounds_out_of_order,
	'announcement-not-before-first-day': m.adm_err_announcement_not_before_first_day,
	'correspondence-fixed-by-law': m.adm_err_correspondence_fixed_by_law,
	'number-invalid': m.adm_err_number_invalid,
	'earliest-issue-without-voter-cards': m.adm_err_earliest_issue_without_voter_cards,
	'country-unknown': m.adm_err_country_unknown,
	'retention-days-invalid': m.adm_err_retention_days_invalid,
	'municipality-code-format': m.adm_err_municipality_code_format,
	'municipality-code-taken': m.adm_err_municipality_code_taken,
	'region-unknown': m.adm_err_region_unknown,
	'senate-constituency-range': m.adm_err_senate_constituency_range,
	'special-district-taken': m.adm_err_special_district_taken,
	'country-czechia': m.adm_err_country_czechia,
	'country-taken': m.adm_err_country_taken,
	'time-zone-unknown': m.adm_err_time_zone_unknown,
	'username-format': m.adm_err_username_format,
	'username-taken': m.adm_err_username_taken,
	'email-format': m.adm_err_email_format,
	'role-unknown': m.adm_err_required,
	'office-required': m.adm_err_office_required,
	'office-wrong-kind': m.adm_err_office_wrong_kind,
	'office-not-allowed': m.adm_err_office_not_allowed,
	'invalid-window-time': m.adm_err_window_time,
	'window-end-not-after-start': m.adm_err_window_end_not_after_start,
	'windows-overlap': m.adm_err_windows_overlap,
	'no-windows': m.adm_err_required,
	'invalid-time-zone': m.adm_err_time_zone_unknown,
	'wrong-rounds': m.adm_err_required
};

/** A field's error code as words (in the page's language); undefined for none. */
export function adminErrorText(code: string | undefined): string | undefined {
	if (!code) return undefined;
	return (ERRORS[code] ?? m.adm_err_required)();
}

/** The error summary's items, in the order of the page's fields, each linking to its field. */
export function adminErrorItems(errors: Partial<Record<string, string>> | undefined, fields: readonly string[]): { href: string; text: string }[] {
	if (!errors) return [];
	return fields.flatMap((field) => {
		const text = adminErrorText(errors[field]);
		return text ? [{ href: `#${DATE_FIELDS.has(field) ? `${field}Day` : field}`, text }] : [];
	});
}

/** What a problem of the whole form (not of one field) says. */
export function problemText(problem: string | undefined): string | undefined {
	switch (problem) {
		case 'changed-meanwhile':
			return m.adm_problem_changed_meanwhile();
		case 'self':
			return m.adm_problem_self();
		case 'already-disabled':
			return m.adm_problem_already_disabled();
		case 'already-enabled':
			return m.adm_problem_already_enabled();
		case 'not-locked':
			return m.adm_problem_not_locked();
		default:
			return undefined;
	}
}

export type CalendarKeyName =
	| 'requests-open'
	| 'voter-card-mail-request'
	| 'voter-card-post-dispatch'
	| 'voter-card-pickup-request'
	| 'voter-card-pickup'
	| 'voter-card-earliest-issue'
	| 'special-district-registration'
	| 'correspondence-request-written'
	| 'correspondence-request-in-person'
	| 'correspondence-dispatch'
	| 'return-envelope';

export function calendarKeyName(key: CalendarKeyName): string {
	switch (key) {
		case 'requests-open':
			return m.adm_key_requests_open();
		case 'voter-card-mail-request':
			return m.adm_key_voter_card_mail_request();
		case 'voter-card-post-dispatch':
			return m.adm_key_voter_card_post_dispatch();
		case 'voter-card-pickup-request':
			return m.adm_key_voter_card_pickup_request();
		case 'voter-card-pickup':
			return m.adm_key_voter_card_pickup();
		case 'voter-card-earliest-issue':
			return m.adm_key_voter_card_earliest_issue();
		case 'special-district-registration':
			return m.adm_key_special_district_registration();
		case 'correspondence-request-written':
			return m.adm_key_correspondence_request_written();
		case 'correspondence-request-in-person':
			return m.adm_key_correspondence_request_in_person();
		case 'correspondence-dispatch':
			return m.adm_key_correspondence_dispatch();
		case 'return-envelope':
			return m.adm_key_return_envelope();
	}
}

/** A deadline's Prague wall-clock time as "11. 12. 2026 v 16:00" / "11 December 2026, 16:00". */
export function pragueTime(iso: string, locale: string): string {
	const { date, time } = wallClock(iso, locale);
	return locale === 'en' ? `${date}, ${time}` : `${date} v ${time}`;
}

/** A local wall-clock time of an embassy 'YYYY-MM-DDTHH:mm' as words, with the weekday. */
export function localTime(local: string, locale: string): string {
	const [datePart, timePart] = local.split('T');
	const weekday = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'cs-CZ', { weekday: 'short', timeZone: 'UTC' }).format(new Date(`${datePart}T12:00:00Z`));
	return locale === 'en' ? `${weekday} ${formatDay(datePart!, locale)}, ${timePart}` : `${weekday} ${formatDay(datePart!, locale)} ${timePart}`;
}

export type RetentionView =
	| { kind: 'done'; removedAt: string }
	| { kind: 'results-not-declared' }
	| { kind: 'court-challenge'; dueAt: string | null }
	| { kind: 'kept'; dueAt: string }
	| { kind: 'due'; dueAt: string };

/** §22(6): where an election's voter data stands, as a tag. */
export function retentionTag(status: RetentionView, locale: string): { text: string; tone: 'grey' | 'green' | 'yellow' | 'red' | '' } {
	switch (status.kind) {
		case 'done':
			return { text: m.adm_ret_status_done({ date: formatInstant(status.removedAt, locale) }), tone: 'grey' };
		case 'results-not-declared':
			return { text: m.adm_ret_status_not_declared(), tone: '' };
		case 'court-challenge':
			return { text: m.adm_ret_status_court(), tone: 'yellow' };
		case 'kept':
			return { text: m.adm_ret_status_kept({ date: formatDay(status.dueAt, locale) }), tone: 'green' };
		case 'due':
			return { text: m.adm_ret_status_due(), tone: 'red' };
	}
}

/** One voting window in the embassy's local time (§2(3)): the day once when it starts and ends on the same day. */
export function windowText(w: { start: string; end: string }, locale: string): string {
	const sameDay = w.start.slice(0, 10) === w.end.slice(0, 10);
	return sameDay ? `${localTime(w.start, locale)}–${w.end.slice(11, 16)}` : `${localTime(w.start, locale)} – ${localTime(w.end, locale)}`;
}
