import { describe, expect, it } from 'vitest';
import type { StaffRole } from '../db/schema';
import { ACCESS_TABLE, accessFor, decideAccess, isAllowed, staffHome, type AccessRule, type Principal } from './access';

const nobody: Principal = { voter: false, eid: false, staff: false };
const voter: Principal = { voter: true, eid: true, staff: false };
const notOnList: Principal = { voter: false, eid: true, staff: false };
const staff: Principal = { voter: false, eid: false, staff: true };

const url = (path: string) => {
	const u = new URL(path, 'http://portal.test');
	return { pathname: u.pathname, search: u.search };
};

describe('the access table', () => {
	it('requires a voter for the voter pages', () => {
		for (const path of ['/muj-zaznam', '/zadosti', '/zadosti/123', '/volicsky-prukaz/novy', '/zapis-do-zvlastniho-okrsku', '/korespondencni-hlasovani/adresa']) {
			expect(accessFor(path), path).toBe('voter');
		}
	});

	it('leaves everything else public', () => {
		for (const path of ['/', '/prihlaseni', '/prihlaseni/navrat', '/odhlaseni', '/nejste-v-seznamu', '/volby', '/api/elections', '/health', '/zadostix', '/muj-zaznamy']) {
			expect(accessFor(path), path).toBe('public');
		}
	});

	it('matches whole path segments and the longest prefix', () => {
		const table: AccessRule[] = [
			{ prefix: '/urad', access: 'staff' },
			{ prefix: '/urad/prihlaseni', access: 'public' }
		];
		expect(accessFor('/urad', table)).toBe('staff');
		expect(accessFor('/urad/obecni-urad/zadosti', table)).toBe('staff');
		expect(accessFor('/urad/prihlaseni', table)).toBe('public');
		expect(accessFor('/urad/prihlaseni/druhy-faktor', table)).toBe('public');
		expect(accessFor('/uradnik', table)).toBe('public');
	});

	it('decodes the path as SvelteKit does before routing, so an encoded path is no way round', () => {
		expect(accessFor('/muj%2Dzaznam')).toBe('voter');
		expect(accessFor('/volicsky-prukaz%2Fnovy')).toBe('public'); // not a route either: %2F stays encoded
		expect(accessFor('/%7A%61dosti/1')).toBe('voter');
	});

	it('lists the staff area', () => {
		expect(ACCESS_TABLE.some((rule) => rule.prefix === '/urad')).toBe(true);
	});
});

describe('access decisions', () => {
	it('send someone not logged in to the eID login and back to where they were', () => {
		expect(decideAccess(url('/zadosti/abc?krok=2'), nobody)).toEqual({
			allow: false,
			redirectTo: '/prihlaseni?zpet=%2Fzadosti%2Fabc%3Fkrok%3D2'
		});
	});

	it('let a voter in', () => {
		expect(decideAccess(url('/muj-zaznam'), voter)).toEqual({ allow: true });
	});

	it('show someone on no voter list how to get on one', () => {
		expect(decideAccess(url('/volicsky-prukaz'), notOnList)).toEqual({ allow: false, redirectTo: '/nejste-v-seznamu' });
	});

	it('keep staff out of voter pages', () => {
		expect(decideAccess(url('/muj-zaznam'), staff)).toEqual({ allow: false, redirectTo: '/prihlaseni?zpet=%2Fmuj-zaznam' });
	});

	it('send anyone but verified staff to the staff login for staff pages', () => {
		const table: AccessRule[] = [{ prefix: '/urad', access: 'staff' }];
		expect(decideAccess(url('/urad/sprava'), staff, table)).toEqual({ allow: true });
		expect(decideAccess(url('/urad/sprava'), voter, table)).toEqual({ allow: false, redirectTo: '/urad/prihlaseni?zpet=%2Furad%2Fsprava' });
		expect(isAllowed('staff', nobody)).toBe(false);
	});
});

describe('the staff route groups (issue 5)', () => {
	const as = (role: StaffRole): Principal => ({ voter: false, eid: false, staff: true, staffRole: role });
	const ROLES: StaffRole[] = ['municipal-clerk', 'embassy-clerk', 'embassy-head', 'commission-member', 'commission-chair', 'administrator'];
	const GROUPS: [string, StaffRole[]][] = [
		['/urad/obecni-urad/zadosti', ['municipal-clerk']],
		['/urad/zastupitelsky-urad/zadosti/1', ['embassy-clerk', 'embassy-head']],
		['/urad/komise', ['commission-member', 'commission-chair']],
		['/urad/sprava/uzivatele', ['administrator']],
		['/urad/prehled', ['administrator', 'embassy-head', 'municipal-clerk']],
		['/urad', ROLES],
		['/urad/heslo', ROLES]
	];

	it('admit each group only its roles, and refuse the others with 403', () => {
		for (const [path, admitted] of GROUPS) {
			for (const role of ROLES) {
				expect(decideAccess(url(path), as(role)), `${role} ${path}`).toEqual(admitted.includes(role) ? { allow: true } : { allow: false, forbidden: true });
			}
		}
	});

	it('send someone without a staff session to the staff login, and back afterwards', () => {
		expect(decideAccess(url('/urad/komise?x=1'), nobody)).toEqual({ allow: false, redirectTo: '/urad/prihlaseni?zpet=%2Furad%2Fkomise%3Fx%3D1' });
		expect(decideAccess(url('/urad/obecni-urad/zadosti'), voter)).toEqual({
			allow: false,
			redirectTo: '/urad/prihlaseni?zpet=%2Furad%2Fobecni-urad%2Fzadosti'
		});
	});

	it('send a staff member who still owes the second factor to it', () => {
		expect(decideAccess(url('/urad/obecni-urad/zadosti'), { ...nobody, staffPending: true })).toEqual({
			allow: false,
			redirectTo: '/urad/prihlaseni/overeni?zpet=%2Furad%2Fobecni-urad%2Fzadosti'
		});
	});

	it('leave the login and logout pages open', () => {
		for (const path of ['/urad/prihlaseni', '/urad/prihlaseni/overeni', '/urad/prihlaseni/aplikace', '/urad/prihlaseni/zalozni-kod', '/urad/odhlaseni']) {
			expect(accessFor(path), path).toBe('public');
		}
	});

	it('give each role a home its group admits', () => {
		for (const role of ROLES) expect(isAllowed(accessFor(staffHome(role)), as(role)), role).toBe(true);
	});
});
