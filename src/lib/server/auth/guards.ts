/**
 * Checks for load functions and actions, beside the access table that hooks.server.ts
 * applies to every request (access.ts): they give the page the principal it needs, typed.
 */
import { error, redirect } from '@sveltejs/kit';
import type { StaffRole } from '../db/schema';
import { NOT_ON_LIST_PATH, STAFF_LOGIN_PATH, VOTER_LOGIN_PATH } from './access';
import type { SessionInfo, StaffInfo, VoterInfo } from './session';

type AuthLocals = Pick<App.Locals, 'session' | 'voter' | 'staff'>;

/** The voter on a voter list whose session this is; otherwise to the eID login (or, without a list, the explanation). */
export function requireVoter(locals: AuthLocals, returnTo?: string): VoterInfo {
	if (locals.voter && locals.session) return locals.voter;
	if (locals.session && !locals.staff) redirect(303, NOT_ON_LIST_PATH);
	redirect(303, returnTo ? `${VOTER_LOGIN_PATH}?zpet=${encodeURIComponent(returnTo)}` : VOTER_LOGIN_PATH);
}

/** Every staff role, for the pages of the staff workspace that any staff member may use (/urad, /urad/heslo). */
export const ANY_STAFF_ROLE: readonly StaffRole[] = [
	'municipal-clerk',
	'embassy-clerk',
	'embassy-head',
	'commission-member',
	'commission-chair',
	'administrator'
];

/**
 * The staff member whose session this is, with the second factor verified, in one of
 * `roles`; otherwise to the staff login, or 403 for another role. The stable signature other
 * pages use: `requireStaff(locals, roles)`. (hooks.server.ts has already sent anyone without
 * a staff session to the login with `zpet`; this is the second line of defence.)
 */
export function requireStaff(locals: AuthLocals, roles: readonly StaffRole[]): StaffInfo {
	const session: SessionInfo | null = locals.session;
	if (!locals.staff || !session?.twoFactorVerified) redirect(303, STAFF_LOGIN_PATH);
	if (!roles.includes(locals.staff.role)) error(403, 'Forbidden');
	return locals.staff;
}
