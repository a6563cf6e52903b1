import { getLocale } from '$lib/paraglide/runtime';
import { findOfficeById } from '$lib/server/db/queries/offices';
import { db } from '$lib/server/db/runtime';
import type { StaffRole } from '$lib/server/db/schema';
import type { LayoutServerLoad } from './$types';

/** The staff shell's nav links, by role. Labels are message keys the layout turns into words. */
export type StaffNavKey =
	| 'requests'
	| 'new_request'
	| 'cards'
	| 'registrations'
	| 'packages'
	| 'envelopes'
	| 'handover'
	| 'commission'
	| 'administration'
	| 'dashboard'
	| 'password';

const EMBASSY_NAV: readonly [StaffNavKey, string][] = [
	['requests', '/urad/zastupitelsky-urad/zadosti'],
	['new_request', '/urad/zastupitelsky-urad/zadosti/nova'],
	['registrations', '/urad/zastupitelsky-urad/registrace'],
	['packages', '/urad/zastupitelsky-urad/balicky'],
	['envelopes', '/urad/zastupitelsky-urad/obalky'],
	['handover', '/urad/zastupitelsky-urad/predani']
];

const NAV: Readonly<Record<StaffRole, readonly [StaffNavKey, string][]>> = {
	'municipal-clerk': [
		['requests', '/urad/obecni-urad/zadosti'],
		['new_request', '/urad/obecni-urad/zadosti/nova'],
		['cards', '/urad/obecni-urad/prukazy'],
		['dashboard', '/urad/prehled']
	],
	'embassy-clerk': EMBASSY_NAV,
	'embassy-head': [...EMBASSY_NAV, ['dashboard', '/urad/prehled']],
	'commission-member': [['commission', '/urad/komise']],
	'commission-chair': [['commission', '/urad/komise']],
	administrator: [
		['administration', '/urad/sprava'],
		['dashboard', '/urad/prehled']
	]
};

/**
 * Who is logged in, for the staff shell's header and nav: display data only. Access is
 * decided by hooks.server.ts (the access table) and by each page's requireStaff.
 */
export const load: LayoutServerLoad = async ({ locals, url }) => {
	// Run again on every navigation (see the root layout): after the login's last step, a link,
	// the staff bar must appear without a full reload.
	void url.pathname;
	const staff = locals.staff;
	if (!staff) return { staff: null };
	const office = staff.officeId ? await findOfficeById(db(), staff.officeId) : undefined;
	return {
		staff: {
			name: staff.displayName,
			role: staff.role,
			office: office ? (getLocale() === 'en' ? office.name_en : office.name_cs) : null,
			nav: [...NAV[staff.role], ['password', '/urad/heslo'] as [StaffNavKey, string]].map(([key, href]) => ({ key, href }))
		}
	};
};
