/**
 * The access matrix (issue 8): every staff route × every role × another office's ids, and every
 * voter route × another voter's ids, must be refused (403 or 404) — by the guard of
 * hooks.server.ts for a role outside the route's group, and by the office (or voter) filter of
 * each query for the right role at the wrong office.
 *
 * The routes are read from src/routes when the test runs, so a route added later is covered
 * without touching this file. Its parameters are filled from rows owned by one office
 * (/api/test/access-fixture) and tried by the staff of the others; forms are found on the
 * owner's page and posted by everyone else. A parameter name this file does not know yet is
 * tried with an id that exists nowhere (and reported as an annotation): add it to PARAM_SOURCES.
 *
 * Principals come from /api/test/session (APP_ENV=test): the demo staff with the second
 * factor passed, and voters of this test's own, so that no other spec's voters are touched.
 */
import { expect, test, type APIRequestContext, type APIResponse, type PlaywrightWorkerArgs } from '@playwright/test';
import { accessFor, STAFF_GROUP_ROLES, type Access, type StaffGroup } from '../../src/lib/server/auth/access';
import { listRoutes, testPrincipal, type Route } from './routes-support';

const NOW = '2026-11-20T09:00:00.000+01:00';

interface Fixture {
	officeId: string;
	electionId: string;
	voterId: string;
	requestId: string;
	reference: string;
	packageId?: string;
	packageVoterId?: string;
	envelopeCode?: string;
	batchId?: string;
	handoverId?: string;
	envelopeId?: string;
}

/**
 * Which fixture row a parameter names: by its name, and for a bare `[id]` by the segment
 * before it. `shared` ids (an election) belong to no office.
 */
const PARAM_SOURCES: Record<string, (before: string) => { key: keyof Fixture; shared?: boolean } | null> = {
	id: (before) => ({ zadosti: { key: 'requestId' as const }, predani: { key: 'handoverId' as const }, obalka: { key: 'envelopeId' as const } })[before] ?? null,
	voterId: () => ({ key: 'packageVoterId' }),
	packageId: () => ({ key: 'packageId' }),
	batchId: () => ({ key: 'batchId' }),
	electionId: () => ({ key: 'electionId', shared: true }),
	reference: () => ({ key: 'reference' })
};

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** The route's path with its parameters taken from `fixture`; `shared` when only shared ids were used. */
function fill(route: Route, fixture: Fixture): { url: string; shared: boolean; unknown: string[] } {
	const segments = route.pattern.split('/');
	let owned = false;
	const unknown: string[] = [];
	const url = segments
		.map((segment, i) => {
			const match = /^\[(.+)\]$/.exec(segment);
			if (!match) return segment;
			const source = PARAM_SOURCES[match[1]!]?.(segments[i - 1] ?? '');
			const value = source ? fixture[source.key] : undefined;
			if (!source || !value) {
				unknown.push(match[1]!);
				owned = true;
				return UNKNOWN_ID;
			}
			if (!source.shared) owned = true;
			return encodeURIComponent(value);
		})
		.join('/');
	return { url, shared: route.params.length > 0 && !owned, unknown };
}

/** The demo staff (seed.ts DEMO_STAFF): their office, and whose rows they must never reach. */
const STAFF: { username: string; role: string; office: string | null; foreign: string }[] = [
	{ username: 'urednik.praha', role: 'municipal-clerk', office: 'mu-554782', foreign: 'mu-582786' },
	{ username: 'urednik.brno', role: 'municipal-clerk', office: 'mu-582786', foreign: 'mu-554782' },
	{ username: 'urednik.berlin', role: 'embassy-clerk', office: 'zu-berlin', foreign: 'zu-washington' },
	{ username: 'vedouci.berlin', role: 'embassy-head', office: 'zu-berlin', foreign: 'zu-washington' },
	{ username: 'clen.berlin', role: 'commission-member', office: 'zu-berlin', foreign: 'zu-washington' },
	{ username: 'predseda.berlin', role: 'commission-chair', office: 'zu-berlin', foreign: 'zu-washington' },
	{ username: 'urednik.washington', role: 'embassy-clerk', office: 'zu-washington', foreign: 'zu-berlin' },
	{ username: 'spravce', role: 'administrator', office: null, foreign: 'zu-berlin' }
];

/** Whose ids each group's routes are tried with (a group added later: Berlin's). */
const GROUP_OFFICE: Partial<Record<StaffGroup, string>> = {
	'municipal-office': 'mu-582786',
	embassy: 'zu-washington',
	commission: 'zu-berlin',
	administration: 'zu-berlin'
};

function admits(access: Access, role: string): boolean {
	if (access === 'public' || access === 'voter') return false;
	if (access === 'staff') return true;
	return (STAFF_GROUP_ROLES[access] as readonly string[]).includes(role);
}

function principal(playwright: PlaywrightWorkerArgs['playwright'], baseURL: string, body: unknown): Promise<APIRequestContext> {
	return testPrincipal(playwright, baseURL, NOW, body);
}

const html = { accept: 'text/html' };

/** The forms of a page as the owner sees it: their actions ('' = the default one). */
async function formActions(owner: APIRequestContext, url: string): Promise<string[]> {
	const response = await owner.get(url, { headers: html, maxRedirects: 0 });
	if (response.status() !== 200) return [''];
	const actions = new Set<string>();
	for (const form of (await response.text()).matchAll(/<form\b[^>]*>/g)) {
		if (!/method="post"/i.test(form[0])) continue;
		const action = (/action="([^"]*)"/.exec(form[0])?.[1] ?? '').replace(/&amp;/g, '&');
		const named = /^\?\/([\w-]+)/.exec(action);
		// Forms that post to another route are tried there.
		if (named) actions.add(`?/${named[1]}`);
		else if (action === '' || action.startsWith('?')) actions.add('');
	}
	return actions.size ? [...actions] : [''];
}

function denied(response: APIResponse): boolean {
	return response.status() === 403 || response.status() === 404;
}

test.describe.configure({ mode: 'serial' });

test('every staff route × every role × another office’s ids is refused', async ({ playwright, baseURL }) => {
	test.setTimeout(600_000);
	const routes = listRoutes().filter((r) => {
		const access = accessFor(r.pattern.replace(/\[[^\]]+\]/g, 'x'));
		return access !== 'public' && access !== 'voter';
	});
	expect(routes.length).toBeGreaterThan(20);

	const admin = await principal(playwright, baseURL!, { staff: 'spravce' });
	const fixtures = new Map<string, Fixture>();
	for (const office of ['mu-554782', 'mu-582786', 'zu-berlin', 'zu-washington']) {
		const response = await admin.post('/api/test/access-fixture', { data: { office } });
		expect(response.status(), await response.text()).toBe(200);
		fixtures.set(office, (await response.json()) as Fixture);
	}
	const sessions = new Map<string, APIRequestContext>();
	for (const s of STAFF) sessions.set(s.username, s.username === 'spravce' ? admin : await principal(playwright, baseURL!, { staff: s.username }));

	const failures: string[] = [];
	const unknownParams = new Set<string>();
	let checked = 0;
	for (const route of routes) {
		const access = accessFor(route.pattern.replace(/\[[^\]]+\]/g, 'x'));
		// The forms, as staff of the office owning the ids sees them.
		const ownerOffice = GROUP_OFFICE[access as StaffGroup] ?? 'zu-berlin';
		const owner = STAFF.find((s) => s.office === ownerOffice && admits(access, s.role)) ?? STAFF.find((s) => admits(access, s.role));
		const ownerUrl = fill(route, fixtures.get(ownerOffice)!).url;
		const actions = route.actions && owner ? await formActions(sessions.get(owner.username)!, ownerUrl) : route.actions ? [''] : [];

		for (const s of STAFF) {
			// The owner's ids for everyone but the owner's own staff, who try another office's.
			const target = admits(access, s.role) && s.office === ownerOffice ? fixtures.get(s.foreign)! : fixtures.get(ownerOffice)!;
			const { url, shared, unknown } = fill(route, target);
			unknown.forEach((p) => unknownParams.add(`${route.pattern}: ${p}`));
			const api = sessions.get(s.username)!;
			const foreign = [target.reference, target.envelopeCode].filter((v): v is string => !!v);
			const requests: { method: 'GET' | 'POST'; url: string }[] = [{ method: 'GET', url }];
			for (const action of actions) requests.push({ method: 'POST', url: `${url}${action}` });
			if (route.postEndpoint) requests.push({ method: 'POST', url });
			for (const r of requests) {
				const response =
					r.method === 'GET'
						? await api.get(r.url, { headers: html, maxRedirects: 0 })
						: await api.post(r.url, { form: {}, headers: { ...html, origin: new URL(baseURL!).origin }, maxRedirects: 0 });
				checked++;
				const what = `${s.username} (${s.role}) ${r.method} ${r.url} → ${response.status()}`;
				if (!admits(access, s.role)) {
					if (response.status() !== 403) failures.push(`${what}: expected 403 for a role outside the group`);
				} else if (route.params.length === 0 || shared) {
					// No id of anyone's, or only an election: never a server error, never another office's rows.
					if (response.status() >= 500) failures.push(`${what}: server error`);
					const body = response.status() === 200 ? (await response.text()).replace(/<[^>]*>/g, ' ') : '';
					for (const v of foreign) if (body.includes(v)) failures.push(`${what}: shows ${v} of another office`);
				} else if (!denied(response)) {
					failures.push(`${what}: expected 403 or 404 for another office's id`);
				}
			}
		}
	}
	if (unknownParams.size) test.info().annotations.push({ type: 'unknown route parameters', description: [...unknownParams].join('; ') });
	console.log(`access matrix, staff: ${routes.length} routes × ${STAFF.length} roles, ${checked} requests`);
	expect(failures, failures.join('\n')).toEqual([]);

	// The ids are real: the owner's staff reaches each detail page.
	const controls: [string, string, keyof Fixture, string][] = [
		['urednik.brno', '/urad/obecni-urad/zadosti/', 'requestId', 'mu-582786'],
		['urednik.washington', '/urad/zastupitelsky-urad/zadosti/', 'requestId', 'zu-washington'],
		['urednik.washington', '/urad/zastupitelsky-urad/balicky/balicek/', 'packageId', 'zu-washington'],
		['urednik.washington', '/urad/zastupitelsky-urad/balicky/davka/', 'batchId', 'zu-washington'],
		['urednik.washington', '/urad/zastupitelsky-urad/registrace/', 'packageVoterId', 'zu-washington']
	];
	for (const [username, prefix, key, office] of controls) {
		if (!routes.some((r) => r.pattern.startsWith(prefix))) continue;
		const response = await sessions.get(username)!.get(`${prefix}${fixtures.get(office)![key]}`, { headers: html, maxRedirects: 0 });
		expect(response.status(), `${username} ${prefix}${String(fixtures.get(office)![key])}`).toBe(200);
	}
	for (const context of sessions.values()) await context.dispose();
});

/** The forms in a date of birth may be shown: ISO, Czech and English, with and without padding. */
function dateForms(iso: string): string[] {
	const [y, mo, d] = iso.split('-').map(Number) as [number, number, number];
	const pad = (n: number) => String(n).padStart(2, '0');
	const csMonths = ['ledna', 'února', 'března', 'dubna', 'května', 'června', 'července', 'srpna', 'září', 'října', 'listopadu', 'prosince'];
	const enMonth = new Date(Date.UTC(y, mo - 1, d)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
	return [iso, `${d}. ${mo}. ${y}`, `${d}.${mo}.${y}`, `${pad(d)}.${pad(mo)}.${y}`, `${d}. ${csMonths[mo - 1]} ${y}`, `${d} ${enMonth} ${y}`, `${enMonth} ${d}, ${y}`, `${pad(d)}/${pad(mo)}/${y}`, `${mo}/${d}/${y}`];
}

/** What of another voter's an answer shows: `markers` anywhere in it; the reference in its text only. */
function leaksOf(body: string, markers: Record<string, string[]>, reference: string): string[] {
	// The reference may be echoed in attributes: the links of the page carry the address the voter
	// typed (the language switch's ?zpet=). That is the voter's own input, not the other voter's data.
	const text = body.replace(/<script[\s\S]*?<\/script>/gi, ' ').replace(/<[^>]*>/g, ' ');
	const found = Object.entries(markers)
		.filter(([, forms]) => forms.some((f) => body.includes(f) || text.includes(f)))
		.map(([what]) => what);
	if (text.includes(reference)) found.push('reference');
	return found;
}

test('every voter route × another voter’s request is refused', async ({ playwright, baseURL }) => {
	const routes = listRoutes().filter((r) => accessFor(r.pattern.replace(/\[[^\]]+\]/g, 'x')) === 'voter' || r.params.includes('reference'));
	const alice = await principal(playwright, baseURL!, { voter: { office: 'mu-554782' } });
	// Bob, with a date of birth and an address only he has.
	const bob = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { 'x-test-now': NOW } });
	const bobSession = await bob.post('/api/test/session', { data: { voter: { office: 'mu-554782', birthDate: '1961-07-23' } } });
	expect(bobSession.status(), await bobSession.text()).toBe(200);
	const bobInfo = (await bobSession.json()) as { familyName: string; birthDate: string };
	const tag = Date.now().toString(36);

	// Bob files a voter card request for the demo Chamber election, sent by post to that address.
	const elections = (await (await bob.get('/api/elections')).json()) as { id: string; type: string }[];
	const chamber = elections.find((e) => e.type === 'chamber');
	expect(chamber).toBeTruthy();
	const address = { line: `Bobova ${tag} 77`, city: 'Bobovice', postalCode: '110 00', country: 'CZ' };
	const filed = await bob.post('/api/voter/requests', {
		data: { kind: 'voter-card', electionId: chamber!.id, delivery: 'post', address },
		headers: { 'idempotency-key': `access-matrix-${tag}` }
	});
	expect(filed.status(), await filed.text()).toBe(201);
	const reference = ((await filed.json()) as { requests: { reference: string }[] }).requests[0]!.reference;
	const markers = { name: [bobInfo.familyName], 'date of birth': dateForms(bobInfo.birthDate), 'delivery address': [address.line] };

	// The detection works: each of Bob's data is found on Bob's own pages, as they show it.
	const own = new Set<string>();
	for (const url of ['/muj-zaznam', `/zadosti/${reference}`, `/api/voter/requests/${reference}`, `/zadosti?zadost=${reference}`]) {
		const response = await bob.get(url, { headers: url.startsWith('/api/') ? {} : html, maxRedirects: 0 });
		expect(response.status(), `Bob's own ${url}`).toBe(200);
		leaksOf(await response.text(), markers, reference).forEach((m) => own.add(m));
	}
	expect([...own].sort(), 'Bob’s data as Bob’s own pages show it').toEqual([...Object.keys(markers), 'reference'].sort());

	const failures: string[] = [];
	let checked = 0;
	const origin = new URL(baseURL!).origin;
	for (const route of routes) {
		const filled = route.pattern.replace(/\[reference\]/g, reference).replace(/\[[^\]]+\]/g, UNKNOWN_ID);
		// Pages without a reference in their path: confirmation pages name requests in ?zadost=.
		const url = route.params.length ? filled : `${filled}?zadost=${reference}`;
		const attempts: { method: string; response: APIResponse }[] = [{ method: 'GET', response: await alice.get(url, { headers: html, maxRedirects: 0 }) }];
		if (route.params.includes('reference')) {
			// Every route of Bob's request is posted to as well: its forms (the cancellation) as Bob sees
			// them, and the bare POST, which a GET-only route refuses with 405.
			const actions = route.actions ? await formActions(bob, url) : [''];
			for (const action of actions) {
				attempts.push({ method: 'POST', response: await alice.post(`${url}${action}`, { form: {}, headers: { ...html, origin }, maxRedirects: 0 }) });
			}
		}
		for (const { method, response } of attempts) {
			checked++;
			const status = response.status();
			const what = `${method} ${response.url()} → ${status}`;
			if (status >= 500) failures.push(`${what}: server error`);
			const refused = status === 403 || status === 404 || (status === 405 && method === 'POST' && !route.actions && !route.postEndpoint);
			if (route.params.includes('reference') && !refused) failures.push(`${what}: expected 403 or 404 (405 for a POST to a GET-only route) for another voter's request`);
			const body = (response.headers()['content-type'] ?? '').includes('pdf') ? '' : await response.text();
			for (const leak of leaksOf(body, markers, reference)) failures.push(`${what}: shows another voter's ${leak}`);
		}
	}
	console.log(`access matrix, voters: ${routes.length} routes, ${checked} requests`);
	expect(failures, failures.join('\n')).toEqual([]);
	// Bob's request is untouched (the cancellation posted by Alice did nothing).
	expect(((await (await bob.get(`/api/voter/requests/${reference}`)).json()) as { state: string }).state).toBe('received');
	await alice.dispose();
	await bob.dispose();
});
