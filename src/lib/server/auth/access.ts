/**
 * Who may enter which part of the portal: one table, keyed by path prefix, applied to every
 * request in hooks.server.ts (pages, form actions and their __data.json alike).
 */
import type { StaffRole } from '../db/schema';
import { decodePath } from '../request-checks';

/** The staff workspace's route groups, each for the roles of one kind of work (issue 5). */
export type StaffGroup = 'municipal-office' | 'embassy' | 'commission' | 'administration' | 'dashboard';

export type Access =
	/** Anyone. */
	| 'public'
	/** A voter found on a voter list, logged in with the eID (§23(5)). */
	| 'voter'
	/** A staff member whose session has passed the second factor, in any role. */
	| 'staff'
	/** A staff member whose session has passed the second factor, in one of the group's roles. */
	| StaffGroup;

/** The roles each staff route group admits; every role is bound to one office (staff_user CHECK) but the administrator. */
export const STAFF_GROUP_ROLES: Readonly<Record<StaffGroup, readonly StaffRole[]>> = {
	'municipal-office': ['municipal-clerk'],
	embassy: ['embassy-clerk', 'embassy-head'],
	commission: ['commission-member', 'commission-chair'],
	administration: ['administrator'],
	// The dashboard (issue 7): administrators see every office; an embassy's head and a municipal
	// office's clerks (a municipal office has no head) see their own office's figures.
	dashboard: ['administrator', 'embassy-head', 'municipal-clerk']
};

/** Where each role starts after login (/urad sends them there). */
const STAFF_HOMES: Readonly<Record<StaffRole, string>> = {
	'municipal-clerk': '/urad/obecni-urad/zadosti',
	'embassy-clerk': '/urad/zastupitelsky-urad/zadosti',
	'embassy-head': '/urad/zastupitelsky-urad/zadosti',
	'commission-member': '/urad/komise',
	'commission-chair': '/urad/komise',
	administrator: '/urad/sprava'
};

export function staffHome(role: StaffRole): string {
	return STAFF_HOMES[role];
}

export interface AccessRule {
	/** A path prefix that matches whole segments: '/zadosti' matches '/zadosti/1' but not '/zadostix'. */
	prefix: string;
	access: Access;
}

/** The longest matching prefix wins; a path no rule matches is public. */
export const ACCESS_TABLE: readonly AccessRule[] = [
	{ prefix: '/muj-zaznam', access: 'voter' },
	{ prefix: '/zadosti', access: 'voter' },
	{ prefix: '/volicsky-prukaz', access: 'voter' },
	{ prefix: '/zapis-do-zvlastniho-okrsku', access: 'voter' },
	{ prefix: '/korespondencni-hlasovani', access: 'voter' },
	// The staff workspace: any staff role for the landing page, password and the like; each
	// group for its roles only. The login and logout pages are public (each page checks itself).
	{ prefix: '/urad', access: 'staff' },
	{ prefix: '/urad/prihlaseni', access: 'public' },
	{ prefix: '/urad/odhlaseni', access: 'public' },
	{ prefix: '/urad/obecni-urad', access: 'municipal-office' },
	{ prefix: '/urad/zastupitelsky-urad', access: 'embassy' },
	{ prefix: '/urad/komise', access: 'commission' },
	{ prefix: '/urad/sprava', access: 'administration' },
	{ prefix: '/urad/prehled', access: 'dashboard' }
];

export const VOTER_LOGIN_PATH = '/prihlaseni';
export const STAFF_LOGIN_PATH = '/urad/prihlaseni';
/** The second factor of a staff login (it sends a staff member without an app to the enrolment). */
export const STAFF_SECOND_FACTOR_PATH = '/urad/prihlaseni/overeni';
/** The page a staff member of another role sees instead of a group's page (403). */
export const STAFF_FORBIDDEN_PATH = '/urad/pristup-odepren';
/** Where someone logged in with the eID but on no voter list is sent for voter pages. */
export const NOT_ON_LIST_PATH = '/nejste-v-seznamu';

function matches(path: string, prefix: string): boolean {
	return path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
}

/**
 * As SvelteKit decodes a path before matching routes ('%2D' is '-'), so does the guard. A path
 * that cannot be decoded never gets here: hooks.server.ts answers it 400 first (issue 19); the
 * raw path stands for it only so that this function stays total.
 */
export function normalizePath(pathname: string): string {
	return decodePath(pathname) ?? pathname;
}

export function accessFor(pathname: string, table: readonly AccessRule[] = ACCESS_TABLE): Access {
	const path = normalizePath(pathname);
	let best: AccessRule | undefined;
	for (const rule of table) {
		if (matches(path, rule.prefix) && (!best || rule.prefix.length > best.prefix.length)) best = rule;
	}
	return best?.access ?? 'public';
}

export interface Principal {
	/** A voter on a voter list. */
	voter: boolean;
	/** Any eID login, on a voter list or not. */
	eid: boolean;
	/** A staff member with the second factor verified. */
	staff: boolean;
	/** That staff member's role (for the route groups). */
	staffRole?: StaffRole | null;
	/** A staff member past the password whose second factor is still to come. */
	staffPending?: boolean;
}

export function isAllowed(access: Access, principal: Principal): boolean {
	switch (access) {
		case 'public':
			return true;
		case 'voter':
			return principal.voter;
		case 'staff':
			return principal.staff;
		default:
			return principal.staff && !!principal.staffRole && STAFF_GROUP_ROLES[access].includes(principal.staffRole);
	}
}

export type GuardDecision =
	| { allow: true }
	| { allow: false; redirectTo: string }
	/** A staff member in the wrong role for this group: 403, not a login. */
	| { allow: false; forbidden: true };

/**
 * The decision for one request: enter, or go and log in first (coming back afterwards via
 * `zpet`). Someone logged in with the eID but on no voter list is shown how to get on one.
 * A staff member of another role is refused (403); one still owing the second factor is
 * sent to it.
 */
export function decideAccess(
	url: Pick<URL, 'pathname' | 'search'>,
	principal: Principal,
	table: readonly AccessRule[] = ACCESS_TABLE
): GuardDecision {
	const access = accessFor(url.pathname, table);
	if (isAllowed(access, principal)) return { allow: true };
	const back = encodeURIComponent(url.pathname + url.search);
	if (access !== 'public' && access !== 'voter') {
		if (principal.staff) return { allow: false, forbidden: true };
		if (principal.staffPending) return { allow: false, redirectTo: `${STAFF_SECOND_FACTOR_PATH}?zpet=${back}` };
		return { allow: false, redirectTo: `${STAFF_LOGIN_PATH}?zpet=${back}` };
	}
	if (principal.eid) return { allow: false, redirectTo: NOT_ON_LIST_PATH };
	return { allow: false, redirectTo: `${VOTER_LOGIN_PATH}?zpet=${back}` };
}
