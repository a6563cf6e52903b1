/** Words of the staff login pages (issue 5): error codes, roles, the lock-out and rate-limit notices. */
import { m } from '$lib/paraglide/messages';
import { formatInstant } from '$lib/components/format';
import { STAFF_PASSWORD_MAX, STAFF_PASSWORD_MIN } from '$lib/forms/staff-auth';

export type StaffRoleName = 'municipal-clerk' | 'embassy-clerk' | 'embassy-head' | 'commission-member' | 'commission-chair' | 'administrator';

export function roleName(role: StaffRoleName): string {
	switch (role) {
		case 'municipal-clerk':
			return m.staff_role_municipal_clerk();
		case 'embassy-clerk':
			return m.staff_role_embassy_clerk();
		case 'embassy-head':
			return m.staff_role_embassy_head();
		case 'commission-member':
			return m.staff_role_commission_member();
		case 'commission-chair':
			return m.staff_role_commission_chair();
		case 'administrator':
			return m.staff_role_administrator();
	}
}

const ERRORS: Record<string, () => string> = {
	username_required: m.staff_error_username_required,
	password_required: m.staff_error_password_required,
	invalid_credentials: m.staff_error_invalid_credentials,
	account_disabled: m.staff_error_account_disabled,
	code_required: m.staff_error_code_required,
	code_format: m.staff_error_code_format,
	code_invalid: m.staff_error_code_invalid,
	code_replayed: m.staff_error_code_replayed,
	recovery_required: m.staff_error_recovery_required,
	recovery_format: m.staff_error_recovery_format,
	recovery_invalid: m.staff_error_recovery_invalid,
	current_required: m.staff_error_current_required,
	current_wrong: m.staff_error_current_wrong,
	new_required: m.staff_error_new_required,
	new_too_short: () => m.staff_error_new_too_short({ min: String(STAFF_PASSWORD_MIN) }),
	new_too_long: () => m.staff_error_new_too_long({ max: String(STAFF_PASSWORD_MAX) }),
	new_is_username: m.staff_error_new_is_username,
	new_same_as_current: m.staff_error_new_same_as_current,
	confirm_required: m.staff_error_confirm_required,
	confirm_mismatch: m.staff_error_confirm_mismatch
};

export function authErrorText(code: string | undefined): string | undefined {
	return code ? (ERRORS[code]?.() ?? code) : undefined;
}

/** What a form post of the login pages may answer besides field errors. */
export interface AuthFormState {
	values?: Record<string, string>;
	errors?: Partial<Record<string, string>>;
	/** This address waits until then (staff-routes.ts heldView). */
	throttledUntil?: string;
	/** The account is locked for everyone until then. */
	lockedUntil?: string;
	rateLimited?: { minutes: number };
}

/**
 * The error summary's items: the lock-out or the rate limit (no field to link to), then each
 * field's message in the page's order, linking to it.
 */
export function authErrorItems(form: AuthFormState | null | undefined, fields: readonly string[], locale: string): { href?: string; text: string }[] {
	if (!form) return [];
	const items: { href?: string; text: string }[] = [];
	if (form.throttledUntil) {
		items.push({ text: `${m.staff_throttled_title()}. ${m.staff_throttled_text({ when: formatInstant(form.throttledUntil, locale) })}` });
	}
	if (form.lockedUntil) {
		items.push({ text: `${m.staff_locked_title()}. ${m.staff_locked_text({ when: formatInstant(form.lockedUntil, locale) })}` });
	}
	if (form.rateLimited) items.push({ text: `${m.staff_rate_limited_title()}. ${m.staff_rate_limited_text({ minutes: String(form.rateLimited.minutes) })}` });
	for (const field of fields) {
		const text = authErrorText(form.errors?.[field]);
		if (text) items.push({ href: `#${field}`, text });
	}
	return items;
}
