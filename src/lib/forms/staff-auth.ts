/**
 * Staff login forms (issue 5): one zod schema per form; error messages are codes
 * (StaffAuthErrorCode) that the pages turn into text. Passwords never go back to the page.
 */
import { z } from 'zod';

/** A staff password's minimum length; long passphrases are welcome (argon2id hashes any length). */
export const STAFF_PASSWORD_MIN = 12;
export const STAFF_PASSWORD_MAX = 256;

export type StaffAuthErrorCode =
	| 'username_required'
	| 'password_required'
	| 'code_required'
	| 'code_format'
	| 'recovery_required'
	| 'recovery_format'
	| 'current_required'
	| 'new_required'
	| 'new_too_short'
	| 'new_too_long'
	| 'new_is_username'
	| 'new_same_as_current'
	| 'confirm_required'
	| 'confirm_mismatch';

export type StaffAuthErrors = Partial<Record<string, StaffAuthErrorCode>>;

/**
 * A field as typed, cut at `max` characters: the routes parse with `.parse`, so a limit that
 * refused would throw (a 500 found by tests/e2e/fuzz.spec.ts); a cut value simply fails the
 * checks that follow (no such user, wrong code, too long a new password).
 */
const text = (max: number) =>
	z
		.string()
		.default('')
		.transform((v) => v.slice(0, max));

export const loginForm = z.object({
	username: text(200).transform((v) => v.trim().toLowerCase()),
	password: text(STAFF_PASSWORD_MAX * 4)
});

export const totpCodeForm = z.object({ code: text(40) });

export const recoveryCodeForm = z.object({ code: text(80) });

export const passwordChangeForm = z.object({
	current: text(STAFF_PASSWORD_MAX * 4),
	next: text(STAFF_PASSWORD_MAX * 4),
	confirm: text(STAFF_PASSWORD_MAX * 4)
});

export const reenrolForm = z.object({ current: text(STAFF_PASSWORD_MAX * 4), code: text(40) });

export function loginErrors(input: z.infer<typeof loginForm>): StaffAuthErrors {
	const errors: StaffAuthErrors = {};
	if (!input.username) errors.username = 'username_required';
	if (!input.password) errors.password = 'password_required';
	return errors;
}

/** Six digits, spaces allowed (apps show "123 456"). */
export function totpCodeErrors(code: string, field = 'code'): StaffAuthErrors {
	const compact = code.replace(/\s/g, '');
	if (!compact) return { [field]: 'code_required' };
	if (!/^[0-9]{6}$/.test(compact)) return { [field]: 'code_format' };
	return {};
}

/** Twelve characters of the recovery code, hyphens and spaces allowed. */
export function recoveryCodeErrors(code: string): StaffAuthErrors {
	const compact = code.replace(/[\s-]/g, '');
	if (!compact) return { code: 'recovery_required' };
	if (!/^[0-9A-Za-z]{12}$/.test(compact)) return { code: 'recovery_format' };
	return {};
}

/**
 * The new password's rules: at least STAFF_PASSWORD_MIN characters, not the username, not
 * the current password, typed the same twice. Whether `current` is right is the server's check.
 */
export function passwordChangeErrors(input: z.infer<typeof passwordChangeForm>, username: string): StaffAuthErrors {
	const errors: StaffAuthErrors = {};
	if (!input.current) errors.current = 'current_required';
	const length = [...input.next].length;
	if (!input.next) errors.next = 'new_required';
	else if (length < STAFF_PASSWORD_MIN) errors.next = 'new_too_short';
	else if (length > STAFF_PASSWORD_MAX) errors.next = 'new_too_long';
	else if (input.next.trim().toLowerCase() === username.toLowerCase()) errors.next = 'new_is_username';
	else if (input.current && input.next === input.current) errors.next = 'new_same_as_current';
	if (!input.confirm) errors.confirm = 'confirm_required';
	else if (input.next && input.confirm !== input.next) errors.confirm = 'confirm_mismatch';
	return errors;
}

/** The fields of a submitted form as strings (FormData's files are not expected here). */
export function formFields(data: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of data) if (typeof value === 'string') out[key] = value;
	return out;
}
