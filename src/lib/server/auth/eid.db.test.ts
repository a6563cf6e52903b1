/**
 * The eID login against the real development eID (oidc-provider on a free port): real
 * authorization codes, PKCE, signed ID tokens and openid-client's checks.
 */
import { Temporal } from 'temporal-polyfill';
import type * as oidc from 'openid-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../db/test-support';
import { startDevEid, type DevEid } from './dev-eid';
import { devEidSubject } from './dev-eid-subject';
import { completeEidLogin, eidClient, resetEidClient, startEidLogin, type EidLoginResult } from './eid';
import { createSession, validateSessionToken } from './session';
import { DEV_EID_CLIENT_ID, DEV_EID_CLIENT_SECRET, LOA, type EidSettings } from './settings';
import { loginAtDevEid, type DevEidChoice } from './test-support';

const db = openTestDb();
const T0 = Temporal.Instant.from('2026-11-20T08:00:00Z');
const REDIRECT_URI = 'http://127.0.0.1:1/prihlaseni/navrat';

let devEid: DevEid;
let settings: EidSettings;
let client: oidc.Configuration;
let petrId: string;

beforeAll(async () => {
	devEid = await startDevEid({ host: '127.0.0.1', port: 0, clientId: DEV_EID_CLIENT_ID, clientSecret: DEV_EID_CLIENT_SECRET, redirectUri: REDIRECT_URI });
	settings = {
		issuer: new URL(devEid.issuer),
		clientId: DEV_EID_CLIENT_ID,
		clientSecret: DEV_EID_CLIENT_SECRET,
		redirectUri: REDIRECT_URI,
		acceptedAcr: [LOA.substantial, LOA.high],
		dev: null
	};
	resetEidClient();
	client = await eidClient(settings);
});

afterAll(async () => {
	resetEidClient();
	await devEid.stop();
	await db.destroy();
});

beforeEach(async () => {
	await resetDb(db);
	const office = await db
		.insertInto('office')
		.values({ kind: 'municipal', code: 'mu-554782', name_cs: 'Magistrát', name_en: 'City Hall', address: 'Praha', municipality_code: '554782' })
		.returning('id')
		.executeTakeFirstOrThrow();
	const petr = await db
		.insertInto('voter')
		.values({
			municipal_office_id: office.id,
			given_name: 'Petr',
			family_name: 'Svoboda',
			birth_date: '1984-03-12',
			address_line: 'Vinohradská 1849/112',
			city: 'Praha',
			postal_code: '130 00',
			country_code: 'CZ',
			// as the seed does: the development eID's pairwise subject
			eid_subject: devEidSubject('petr-svoboda')
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	petrId = petr.id;
});

/** Starts a login at the portal and logs in at the eID; returns the eID's redirect back. */
async function loginAtEid(choice: DevEidChoice, returnTo: string | null = null) {
	const started = await startEidLogin(db, client, settings, { returnTo, locale: 'cs' }, T0);
	const callback = await loginAtDevEid(started.authorizationUrl, choice, REDIRECT_URI);
	return { started, callback };
}

function complete(params: URLSearchParams, browserState: string | null, now = T0.add({ seconds: 20 }), previousSessionId: string | null = null): Promise<EidLoginResult> {
	return completeEidLogin(db, client, settings, { params, browserState, previousSessionId }, now);
}

const sessionCount = async () => Number((await db.selectFrom('session').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

describe('the authorization request', () => {
	it('asks for code with PKCE S256, state, nonce, a fresh login and at least substantial assurance', async () => {
		const { authorizationUrl, state } = await startEidLogin(db, client, settings, { returnTo: '/zadosti', locale: 'cs' }, T0);
		const params = authorizationUrl.searchParams;
		expect(authorizationUrl.origin).toBe(devEid.issuer);
		expect(params.get('response_type')).toBe('code');
		expect(params.get('client_id')).toBe(DEV_EID_CLIENT_ID);
		expect(params.get('redirect_uri')).toBe(REDIRECT_URI);
		expect(params.get('code_challenge_method')).toBe('S256');
		expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(params.get('state')).toBe(state);
		expect(params.get('nonce')).toBeTruthy();
		expect(params.get('prompt')).toBe('login');
		expect(params.get('acr_values')).toBe(`${LOA.substantial} ${LOA.high}`);
		const row = await db.selectFrom('eid_login').selectAll().where('state', '=', state).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ nonce: params.get('nonce'), return_to: '/zadosti', consumed_at: null });
		expect(row.code_verifier).not.toBe(params.get('code_challenge'));
	});
});

describe('an eID login', () => {
	it('with substantial assurance logs the matching voter in and sends them to their record', async () => {
		const { started, callback } = await loginAtEid({ identity: 'petr-svoboda', loa: 'substantial' });
		expect(callback.searchParams.get('state')).toBe(started.state);
		const result = await complete(callback.searchParams, started.state);
		if (!result.ok) throw new Error(result.reason);
		expect(result.voterId).toBe(petrId);
		expect(result.destination).toBe('/muj-zaznam');

		const validated = await validateSessionToken(db, result.token, T0.add({ minutes: 1 }));
		expect(validated?.voter?.id).toBe(petrId);
		expect(validated?.session.eidSubject).toBe(devEidSubject('petr-svoboda'));
		expect(validated?.session.eidAcr).toBe(LOA.substantial);
		expect(validated?.session.eidIdentity).toBeNull();
		const audit = await db.selectFrom('audit_log').selectAll().execute();
		expect(audit).toMatchObject([{ actor_kind: 'voter', actor_id: petrId, action: 'voter.login', after: { method: 'eid', acr: LOA.substantial } }]);
	});

	it('with high assurance is accepted too, and returns to the page that asked for it', async () => {
		const { started, callback } = await loginAtEid({ identity: 'petr-svoboda', loa: 'high' }, '/volicsky-prukaz?volby=x');
		const result = await complete(callback.searchParams, started.state);
		expect(result).toMatchObject({ ok: true, voterId: petrId, destination: '/volicsky-prukaz?volby=x' });
	});

	it('with low assurance is refused (§23(5)) and opens no session', async () => {
		const { started, callback } = await loginAtEid({ identity: 'petr-svoboda', loa: 'low' });
		expect(await complete(callback.searchParams, started.state)).toEqual({ ok: false, reason: 'low-assurance' });
		expect(await sessionCount()).toBe(0);
	});

	it('of someone on no voter list opens a session without a voter and explains how to get on a list', async () => {
		const { started, callback } = await loginAtEid({ identity: 'alena-pokorna', loa: 'substantial' });
		const result = await complete(callback.searchParams, started.state);
		if (!result.ok) throw new Error(result.reason);
		expect(result.voterId).toBeNull();
		expect(result.destination).toBe('/nejste-v-seznamu');
		const validated = await validateSessionToken(db, result.token, T0);
		expect(validated?.voter).toBeNull();
		expect(validated?.session.eidSubject).toBe(devEidSubject('alena-pokorna'));
		expect(validated?.session.eidIdentity).toEqual({
			givenName: 'Alena',
			familyName: 'Pokorná',
			birthDate: '1973-06-30',
			address: { street: 'Rua do Carmo, 41, 2º', locality: 'Lisboa', postalCode: '1200-093', country: 'PT' }
		});
	});

	it('of a minor carries the date of birth for the explanation', async () => {
		const { started, callback } = await loginAtEid({ identity: 'adam-cerny', loa: 'high' });
		const result = await complete(callback.searchParams, started.state);
		if (!result.ok) throw new Error(result.reason);
		expect(result.destination).toBe('/nejste-v-seznamu');
		expect((await validateSessionToken(db, result.token, T0))?.session.eidIdentity?.birthDate).toBe('2010-05-14');
	});

	it('replaces the session the browser had (a new session id at every login)', async () => {
		const old = await createSession(db, { kind: 'eid', voterId: petrId, eidSubject: devEidSubject('petr-svoboda'), eidAcr: LOA.high, eidClaims: null }, T0);
		const { started, callback } = await loginAtEid({ identity: 'petr-svoboda', loa: 'substantial' });
		const result = await complete(callback.searchParams, started.state, T0.add({ seconds: 20 }), old.id);
		if (!result.ok) throw new Error(result.reason);
		expect(result.sessionId).not.toBe(old.id);
		expect(await validateSessionToken(db, old.token, T0.add({ seconds: 30 }))).toBeNull();
		expect(await sessionCount()).toBe(1);
	});

	it('cancelled at the eID is reported as such', async () => {
		const { started, callback } = await loginAtEid({ identity: 'petr-svoboda', loa: 'substantial', cancel: true });
		expect(callback.searchParams.get('error')).toBe('access_denied');
		expect(await complete(callback.searchParams, started.state)).toEqual({ ok: false, reason: 'cancelled' });
		// the attempt is used up
		const row = await db.selectFrom('eid_login').selectAll().where('state', '=', started.state).executeTakeFirstOrThrow();
		expect(row.consumed_at).not.toBeNull();
	});
});

describe('a callback', () => {
	it('whose state is not the one this browser started is refused', async () => {
		const { started, callback } = await loginAtEid({ identity: 'petr-svoboda', loa: 'substantial' });
		expect(await complete(callback.searchParams, null)).toEqual({ ok: false, reason: 'state-mismatch' });
		expect(await complete(callback.searchParams, `${started.state}x`)).toEqual({ ok: false, reason: 'state-mismatch' });
		const wrongState = new URLSearchParams(callback.searchParams);
		wrongState.set('state', 'forged');
		expect(await complete(wrongState, started.state)).toEqual({ ok: false, reason: 'state-mismatch' });
		expect(await sessionCount()).toBe(0);
	});

	it('with a state the portal never issued is refused', async () => {
		const { callback } = await loginAtEid({ identity: 'petr-svoboda', loa: 'substantial' });
		const params = new URLSearchParams(callback.searchParams);
		params.set('state', 'never-issued');
		expect(await complete(params, 'never-issued')).toEqual({ ok: false, reason: 'state-unknown' });
	});

	it('replayed after a successful login is refused', async () => {
		const { started, callback } = await loginAtEid({ identity: 'petr-svoboda', loa: 'substantial' });
		expect((await complete(callback.searchParams, started.state)).ok).toBe(true);
		expect(await complete(callback.searchParams, started.state)).toEqual({ ok: false, reason: 'state-used' });
		expect(await sessionCount()).toBe(1);
	});

	it('with a code already used, under a fresh state, is refused by the eID', async () => {
		const first = await loginAtEid({ identity: 'petr-svoboda', loa: 'substantial' });
		expect((await complete(first.callback.searchParams, first.started.state)).ok).toBe(true);

		const second = await startEidLogin(db, client, settings, { returnTo: null, locale: 'cs' }, T0);
		const replay = new URLSearchParams(first.callback.searchParams);
		replay.set('state', second.state);
		expect(await complete(replay, second.state)).toEqual({ ok: false, reason: 'code-rejected' });
		expect(await sessionCount()).toBe(1);
	});

	it('whose ID token carries another nonce is refused', async () => {
		const { started, callback } = await loginAtEid({ identity: 'petr-svoboda', loa: 'substantial' });
		await db.updateTable('eid_login').set({ nonce: 'a-different-nonce' }).where('state', '=', started.state).execute();
		expect(await complete(callback.searchParams, started.state)).toEqual({ ok: false, reason: 'nonce-mismatch' });
		expect(await sessionCount()).toBe(0);
	});

	it('whose code was issued for another PKCE verifier is refused by the eID', async () => {
		const { started, callback } = await loginAtEid({ identity: 'petr-svoboda', loa: 'substantial' });
		await db.updateTable('eid_login').set({ code_verifier: 'x'.repeat(43) }).where('state', '=', started.state).execute();
		expect(await complete(callback.searchParams, started.state)).toEqual({ ok: false, reason: 'code-rejected' });
	});

	it('more than 10 minutes after the start is refused', async () => {
		const { started, callback } = await loginAtEid({ identity: 'petr-svoboda', loa: 'substantial' });
		expect(await complete(callback.searchParams, started.state, T0.add({ minutes: 10, seconds: 1 }))).toEqual({ ok: false, reason: 'expired' });
	});

	it('while the eID cannot be reached says the service is unavailable', async () => {
		const started = await startEidLogin(db, client, settings, { returnTo: null, locale: 'cs' }, T0);
		const unreachable = eidClient({ ...settings, issuer: new URL('http://127.0.0.1:1') });
		const params = new URLSearchParams({ code: 'whatever', state: started.state, iss: devEid.issuer });
		const result = await completeEidLogin(db, unreachable, settings, { params, browserState: started.state, previousSessionId: null }, T0);
		expect(result).toEqual({ ok: false, reason: 'provider-unavailable' });
	});

	it('from another issuer is refused', async () => {
		const { started, callback } = await loginAtEid({ identity: 'petr-svoboda', loa: 'substantial' });
		const params = new URLSearchParams(callback.searchParams);
		params.set('iss', 'https://evil.example');
		expect(await complete(params, started.state)).toEqual({ ok: false, reason: 'id-token-invalid' });
	});
});
