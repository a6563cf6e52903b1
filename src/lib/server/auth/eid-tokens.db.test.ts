/**
 * The ID token attacks that a well-behaved eID cannot produce (issue 8): a token from another
 * issuer, an expired one, one for another client, one signed with a key the eID does not
 * publish, one without the login's nonce or assurance. A small OpenID provider of the test's
 * own (discovery, JWKS, token endpoint) signs whatever token a test asks for with `jose`; the
 * portal's real code (openid-client's checks, then ours) must refuse all but the honest one.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../db/test-support';
import { completeEidLogin, eidClient, resetEidClient, startEidLogin } from './eid';
import { LOA, type EidSettings } from './settings';

const db = openTestDb();
const CLIENT_ID = 'volebni-portal-test';
const CLIENT_SECRET = 'test-secret';
const REDIRECT_URI = 'http://127.0.0.1:1/prihlaseni/navrat';
const T0 = Temporal.Instant.from('2026-11-20T08:00:00Z');

type Keys = Awaited<ReturnType<typeof generateKeyPair>>;
let published: Keys;
let unpublished: Keys;
let server: http.Server;
let issuer: string;
let settings: EidSettings;
/** What the token endpoint signs next: claims to change or drop, and the key. */
let nextToken: { claims?: Partial<JWTPayload> & Record<string, unknown>; drop?: string[]; key?: 'published' | 'unpublished' } = {};
/** The nonce of the login in progress (the token endpoint puts it into the token). */
let currentNonce = '';

async function signIdToken(): Promise<string> {
	const nowSeconds = Math.floor(Date.now() / 1000);
	const claims: Record<string, unknown> = {
		iss: issuer,
		aud: CLIENT_ID,
		sub: 'pairwise-subject-of-petr',
		iat: nowSeconds,
		exp: nowSeconds + 300,
		nonce: currentNonce,
		acr: LOA.substantial,
		given_name: 'Petr',
		family_name: 'Svoboda',
		birthdate: '1984-03-12',
		...nextToken.claims
	};
	for (const name of nextToken.drop ?? []) delete claims[name];
	const key = nextToken.key === 'unpublished' ? unpublished : published;
	return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: nextToken.key === 'unpublished' ? 'other' : 'k1' }).sign(key.privateKey);
}

beforeAll(async () => {
	published = await generateKeyPair('RS256');
	unpublished = await generateKeyPair('RS256');
	const jwk = { ...(await exportJWK(published.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
	server = http.createServer((req, res) => {
		const send = (status: number, body: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (req.url === '/.well-known/openid-configuration') {
			return send(200, {
				issuer,
				authorization_endpoint: `${issuer}/auth`,
				token_endpoint: `${issuer}/token`,
				jwks_uri: `${issuer}/jwks`,
				response_types_supported: ['code'],
				subject_types_supported: ['pairwise'],
				id_token_signing_alg_values_supported: ['RS256'],
				token_endpoint_auth_methods_supported: ['client_secret_basic'],
				code_challenge_methods_supported: ['S256']
			});
		}
		if (req.url === '/jwks') return send(200, { keys: [jwk] });
		if (req.url === '/token' && req.method === 'POST') {
			req.resume();
			req.on('end', () => {
				void signIdToken().then((idToken) => send(200, { access_token: 'at', token_type: 'Bearer', expires_in: 60, id_token: idToken }));
			});
			return;
		}
		send(404, { error: 'not_found' });
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	settings = { issuer: new URL(issuer), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, acceptedAcr: [LOA.substantial, LOA.high], dev: null };
	resetEidClient();
});

afterAll(async () => {
	resetEidClient();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	await db.destroy();
});

beforeEach(async () => {
	await resetDb(db);
	nextToken = {};
	const office = await db
		.insertInto('office')
		.values({ kind: 'municipal', code: 'mu-554782', name_cs: 'Magistrát', name_en: 'City Hall', address: 'Praha', municipality_code: '554782' })
		.returning('id')
		.executeTakeFirstOrThrow();
	await db
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
			eid_subject: 'pairwise-subject-of-petr'
		})
		.execute();
});

const sessions = async () => Number((await db.selectFrom('session').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

/** A login started at the portal and answered by the test's eID with the token `nextToken` describes. */
async function loginWith(token: typeof nextToken) {
	nextToken = token;
	const client = await eidClient(settings);
	const started = await startEidLogin(db, client, settings, { returnTo: null, locale: 'cs' }, T0);
	currentNonce = started.authorizationUrl.searchParams.get('nonce') ?? '';
	const params = new URLSearchParams({ code: 'a-code', state: started.state });
	return completeEidLogin(db, client, settings, { params, browserState: started.state, previousSessionId: null }, T0.add({ seconds: 20 }));
}

describe('the ID token', () => {
	it('as the eID signs it is accepted (the provider of this test is honest by default)', async () => {
		expect(await loginWith({})).toMatchObject({ ok: true, destination: '/muj-zaznam' });
		expect(await sessions()).toBe(1);
	});

	it('from another issuer is refused', async () => {
		expect(await loginWith({ claims: { iss: 'https://evil.example' } })).toEqual({ ok: false, reason: 'id-token-invalid' });
		expect(await sessions()).toBe(0);
	});

	it('that has expired is refused', async () => {
		const past = Math.floor(Date.now() / 1000) - 3600;
		expect(await loginWith({ claims: { iat: past - 300, exp: past } })).toEqual({ ok: false, reason: 'id-token-invalid' });
		expect(await sessions()).toBe(0);
	});

	it('issued for another client is refused', async () => {
		expect(await loginWith({ claims: { aud: 'another-relying-party' } })).toEqual({ ok: false, reason: 'id-token-invalid' });
		expect(await sessions()).toBe(0);
	});

	it('signed with a key the eID does not publish is refused', async () => {
		expect(await loginWith({ key: 'unpublished' })).toEqual({ ok: false, reason: 'id-token-invalid' });
		expect(await sessions()).toBe(0);
	});

	it('without the nonce, or with another one, is refused', async () => {
		expect(await loginWith({ drop: ['nonce'] })).toMatchObject({ ok: false });
		expect(await loginWith({ claims: { nonce: 'replayed-from-another-login' } })).toEqual({ ok: false, reason: 'nonce-mismatch' });
		expect(await sessions()).toBe(0);
	});

	it('with a level of assurance below substantial, or none, is refused (§23(5))', async () => {
		expect(await loginWith({ claims: { acr: LOA.low } })).toEqual({ ok: false, reason: 'low-assurance' });
		expect(await loginWith({ drop: ['acr'] })).toEqual({ ok: false, reason: 'low-assurance' });
		expect(await sessions()).toBe(0);
	});
});
