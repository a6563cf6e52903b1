import { describe, expect, it } from 'vitest';
import { staffDestination, staffReturnPath, withReturn } from './staff-routes';

describe('where a staff member goes after login', () => {
	it('keeps only a staff page as `zpet`, never a login page or another site', () => {
		expect(staffReturnPath('/urad/obecni-urad/zadosti?stav=prijata')).toBe('/urad/obecni-urad/zadosti?stav=prijata');
		expect(staffReturnPath('/urad')).toBe('/urad');
		for (const bad of ['/urad/prihlaseni', '/urad/prihlaseni/overeni', '/urad/odhlaseni', '/muj-zaznam', '//evil.example/urad', 'https://evil.example/urad', '/uradx', null, '']) {
			expect(staffReturnPath(bad), String(bad)).toBeNull();
		}
	});

	it('goes back where the role may enter, else home', () => {
		expect(staffDestination('/urad/obecni-urad/zadosti/nova', 'municipal-clerk')).toBe('/urad/obecni-urad/zadosti/nova');
		expect(staffDestination('/urad/obecni-urad/zadosti/nova', 'embassy-clerk')).toBe('/urad/zastupitelsky-urad/zadosti');
		expect(staffDestination('/urad/heslo', 'commission-chair')).toBe('/urad/heslo');
		expect(staffDestination(null, 'administrator')).toBe('/urad/sprava');
	});

	it('carries `zpet` through the login steps', () => {
		expect(withReturn('/urad/prihlaseni/overeni', '/urad/heslo')).toBe('/urad/prihlaseni/overeni?zpet=%2Furad%2Fheslo');
		expect(withReturn('/urad/prihlaseni/overeni', '/evil')).toBe('/urad/prihlaseni/overeni');
	});
});
