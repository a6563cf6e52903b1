import { isHttpError, isRedirect } from '@sveltejs/kit';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { requireStaff, requireVoter } from './guards';
import type { SessionInfo, StaffInfo, VoterInfo } from './session';

const T = Temporal.Instant.from('2026-11-20T08:00:00Z');
const session = (twoFactorVerified = false): SessionInfo => ({
	id: 's',
	createdAt: T,
	expiresAt: T,
	absoluteExpiresAt: T,
	eidSubject: null,
	eidAcr: null,
	eidIdentity: null,
	twoFactorVerified
});
const voter: VoterInfo = { id: 'v', givenName: 'Petr', familyName: 'Svoboda', birthDate: '1984-03-12', municipalOfficeId: 'o', specialDistrictOfficeId: null, testIdentity: false };
const clerk: StaffInfo = { id: 'st', displayName: 'Petr Úředník', role: 'municipal-clerk', officeId: 'o' };

function outcome(fn: () => unknown): unknown {
	try {
		return { value: fn() };
	} catch (thrown) {
		if (isRedirect(thrown)) return { redirect: thrown.location };
		if (isHttpError(thrown)) return { status: thrown.status };
		throw thrown;
	}
}

describe('requireVoter', () => {
	it('gives the voter', () => {
		expect(outcome(() => requireVoter({ session: session(), voter, staff: null }))).toEqual({ value: voter });
	});

	it('sends someone not logged in to the eID login, and back afterwards', () => {
		expect(outcome(() => requireVoter({ session: null, voter: null, staff: null }, '/zadosti?x=1'))).toEqual({ redirect: '/prihlaseni?zpet=%2Fzadosti%3Fx%3D1' });
	});

	it('sends someone on no voter list to the explanation', () => {
		expect(outcome(() => requireVoter({ session: session(), voter: null, staff: null }))).toEqual({ redirect: '/nejste-v-seznamu' });
	});
});

describe('requireStaff', () => {
	it('gives a staff member of an allowed role who passed the second factor', () => {
		expect(outcome(() => requireStaff({ session: session(true), voter: null, staff: clerk }, ['municipal-clerk']))).toEqual({ value: clerk });
	});

	it('sends a session without the second factor, or no staff session, to the staff login', () => {
		expect(outcome(() => requireStaff({ session: session(false), voter: null, staff: clerk }, ['municipal-clerk']))).toEqual({ redirect: '/urad/prihlaseni' });
		expect(outcome(() => requireStaff({ session: session(true), voter, staff: null }, ['municipal-clerk']))).toEqual({ redirect: '/urad/prihlaseni' });
	});

	it('refuses another role', () => {
		expect(outcome(() => requireStaff({ session: session(true), voter: null, staff: clerk }, ['embassy-clerk']))).toEqual({ status: 403 });
	});
});

describe('ANY_STAFF_ROLE', () => {
	it('admits every role to the pages all staff share', async () => {
		const { ANY_STAFF_ROLE } = await import('./guards');
		for (const role of ['municipal-clerk', 'embassy-clerk', 'embassy-head', 'commission-member', 'commission-chair', 'administrator'] as const) {
			expect(outcome(() => requireStaff({ session: session(true), voter: null, staff: { ...clerk, role } }, ANY_STAFF_ROLE))).toEqual({
				value: { ...clerk, role }
			});
		}
		expect(outcome(() => requireStaff({ session: null, voter: null, staff: null }, ANY_STAFF_ROLE))).toEqual({ redirect: '/urad/prihlaseni' });
	});
});
