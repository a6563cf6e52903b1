import { describe, expect, it } from 'vitest';
import { destinationAfterLogin, eidClaimsFromIdToken, isAcceptedAssurance } from './eid';
import { LOA } from './settings';

const accepted = [LOA.substantial, LOA.high];

describe('level of assurance (§23(5))', () => {
	it('accepts substantial and high', () => {
		expect(isAcceptedAssurance(LOA.substantial, accepted)).toBe(true);
		expect(isAcceptedAssurance(LOA.high, accepted)).toBe(true);
	});

	it('refuses low, a missing or an unknown acr', () => {
		expect(isAcceptedAssurance(LOA.low, accepted)).toBe(false);
		expect(isAcceptedAssurance(undefined, accepted)).toBe(false);
		expect(isAcceptedAssurance('substantial', accepted)).toBe(false);
		expect(isAcceptedAssurance([LOA.high], accepted)).toBe(false);
	});
});

describe('after login', () => {
	it('a voter goes back where they came from, else to their record', () => {
		expect(destinationAfterLogin('/volicsky-prukaz?volby=1', true)).toBe('/volicsky-prukaz?volby=1');
		expect(destinationAfterLogin(null, true)).toBe('/muj-zaznam');
		expect(destinationAfterLogin('//evil.example', true)).toBe('/muj-zaznam');
		expect(destinationAfterLogin('/odhlaseni', true)).toBe('/muj-zaznam');
		expect(destinationAfterLogin('/prihlaseni/navrat?code=x', true)).toBe('/muj-zaznam');
	});

	it('someone on no voter list learns how to get on one', () => {
		expect(destinationAfterLogin('/volicsky-prukaz', false)).toBe('/nejste-v-seznamu');
		expect(destinationAfterLogin(null, false)).toBe('/nejste-v-seznamu');
	});
});

describe('ID token claims', () => {
	it('give the subject, name, date of birth and address', () => {
		expect(
			eidClaimsFromIdToken({
				sub: 'abc',
				given_name: 'Petr',
				family_name: 'Svoboda',
				birthdate: '1984-03-12',
				address: { street_address: 'Vinohradská 1849/112', locality: 'Praha', postal_code: '130 00', country: 'CZ' },
				acr: LOA.substantial
			})
		).toEqual({
			subject: 'abc',
			identity: {
				givenName: 'Petr',
				familyName: 'Svoboda',
				birthDate: '1984-03-12',
				address: { street: 'Vinohradská 1849/112', locality: 'Praha', postalCode: '130 00', country: 'CZ' }
			}
		});
	});

	it('leave out a malformed date of birth and a missing address', () => {
		expect(eidClaimsFromIdToken({ sub: 'abc', given_name: 'A', family_name: 'B', birthdate: '1984-02-30' })?.identity).toEqual({
			givenName: 'A',
			familyName: 'B',
			birthDate: null,
			address: null
		});
	});

	it('need the subject and the name', () => {
		expect(eidClaimsFromIdToken({ sub: 'abc', family_name: 'B' })).toBeNull();
		expect(eidClaimsFromIdToken({ given_name: 'A', family_name: 'B' })).toBeNull();
	});
});
