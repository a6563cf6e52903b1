import { expect, test, type APIRequestContext } from '@playwright/test';
import { analyzeAxe } from './support';

/** The open data feed (issue 7) against the seeded demo elections. */

interface ListedElection {
	id: string;
	type: string;
	titleCs: string;
	links: { json: string; xml: string; csv: Record<string, string> };
}

const TABLES = ['requests', 'voter-cards', 'registrations', 'packages', 'envelopes'] as const;
const CSV_HEADERS: Record<(typeof TABLES)[number], string> = {
	requests: 'office,officeName,round,day,kind,received,accepted,issued,completed,refused,cancelled,total,suppressed',
	'voter-cards': 'office,officeName,round,day,issued,suppressed',
	registrations: 'office,officeName,day,received,accepted,suppressed',
	packages: 'office,officeName,round,day,dispatched,suppressed',
	envelopes: 'office,officeName,round,day,received,late,counted,setAside,commissionClosed,suppressed'
};

async function listElections(request: APIRequestContext): Promise<ListedElection[]> {
	const response = await request.get('/api/open-data/elections');
	expect(response.status()).toBe(200);
	return (await response.json()).elections;
}

async function chamber(request: APIRequestContext): Promise<ListedElection> {
	const election = (await listElections(request)).find((e) => e.type === 'chamber');
	expect(election).toBeDefined();
	return election!;
}

function expectCacheHeaders(headers: Record<string, string>) {
	expect(headers['etag']).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
	const cacheControl = headers['cache-control'] ?? '';
	expect(cacheControl).toContain('public');
	expect(cacheControl).toMatch(/stale-while-revalidate=\d+/);
	const maxAge = Number(/max-age=(\d+)/.exec(cacheControl)?.[1]);
	// the e2e server runs with APP_ENV=test: an update interval of 1 s
	expect(maxAge).toBeGreaterThanOrEqual(0);
	expect(maxAge).toBeLessThanOrEqual(1);
	expect(Number.isNaN(Date.parse(headers['last-modified'] ?? ''))).toBe(false);
}

test.describe('open data feed', () => {
	test('lists the seeded elections with links to their files', async ({ request }) => {
		const response = await request.get('/api/open-data/elections');
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toBe('application/json; charset=utf-8');
		expect(response.headers()['access-control-allow-origin']).toBe('*');
		expectCacheHeaders(response.headers());
		const body = await response.json();
		expect(body.documentation).toBe('/otevrena-data');
		// Other specs (administration) add elections to the same database: the seeded two must be there.
		expect(body.elections.map((e: ListedElection) => e.type)).toEqual(expect.arrayContaining(['chamber', 'president']));
		for (const e of body.elections as ListedElection[]) {
			expect(e.links.json).toBe(`/api/open-data/elections/${e.id}.json`);
			expect(e.links.xml).toBe(`/api/open-data/elections/${e.id}.xml`);
			expect(Object.keys(e.links.csv)).toEqual([...TABLES]);
		}
	});

	test('JSON has the election, the generated time and every table', async ({ request }) => {
		const election = await chamber(request);
		const response = await request.get(election.links.json);
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toBe('application/json; charset=utf-8');
		expectCacheHeaders(response.headers());
		const doc = await response.json();
		expect(doc.version).toBe(1);
		expect(Number.isNaN(Date.parse(doc.generated))).toBe(false);
		expect(new Date(response.headers()['last-modified']!).getTime()).toBe(Math.floor(Date.parse(doc.generated) / 1000) * 1000);
		expect(doc.election).toMatchObject({ id: election.id, type: 'chamber', votingAbroad: true });
		expect(doc.suppression.threshold).toBe(5);
		expect(doc.updateIntervalSeconds).toBe(1);
		expect(Object.keys(doc.tables)).toEqual(['requests', 'voterCards', 'registrations', 'packages', 'envelopes']);
		for (const rows of Object.values(doc.tables)) expect(Array.isArray(rows)).toBe(true);
	});

	test('CSV serves one table per file with its header row', async ({ request }) => {
		const election = await chamber(request);
		for (const table of TABLES) {
			const response = await request.get(election.links.csv[table]!);
			expect(response.status(), table).toBe(200);
			expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8; header=present');
			expectCacheHeaders(response.headers());
			const text = await response.text();
			expect(text.startsWith(`${CSV_HEADERS[table]}\r\n`), table).toBe(true);
			expect(text.endsWith('\r\n')).toBe(true);
		}
	});

	test('XML is well-formed, in its namespace, with the election and generated time on the root', async ({ request, page }) => {
		const election = await chamber(request);
		const response = await request.get(election.links.xml);
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toBe('application/xml; charset=utf-8');
		expectCacheHeaders(response.headers());
		const xml = await response.text();
		// parsed back by the browser's own XML parser
		const parsed = await page.evaluate((source) => {
			const doc = new DOMParser().parseFromString(source, 'application/xml');
			const root = doc.documentElement;
			return {
				error: doc.getElementsByTagName('parsererror').length > 0,
				name: root.localName,
				namespace: root.namespaceURI,
				electionId: root.getAttribute('electionId'),
				electionType: root.getAttribute('electionType'),
				generated: root.getAttribute('generated'),
				children: [...root.children].map((c) => c.localName)
			};
		}, xml);
		expect(parsed.error).toBe(false);
		expect(parsed).toMatchObject({ name: 'openData', namespace: 'urn:volebni-portal:open-data:1', electionId: election.id, electionType: 'chamber' });
		expect(Number.isNaN(Date.parse(parsed.generated ?? ''))).toBe(false);
		expect(parsed.children.slice(0, 2)).toEqual(['election', 'suppression']);
	});

	test('a second request with If-None-Match gets 304 without a body', async ({ request }) => {
		const election = await chamber(request);
		for (const url of [election.links.json, election.links.xml, election.links.csv['requests']!]) {
			// Other tests may file requests meanwhile; a changed snapshot must then carry a new
			// ETag. Bounded: some attempt must answer 304.
			let notModified = false;
			for (let attempt = 0; attempt < 5 && !notModified; attempt++) {
				const first = await request.get(url);
				const etag = first.headers()['etag']!;
				const second = await request.get(url, { headers: { 'If-None-Match': etag } });
				if (second.status() === 304) {
					notModified = true;
					expect(second.headers()['etag']).toBe(etag);
					expect(second.headers()['cache-control']).toContain('public');
					expect((await second.body()).length).toBe(0);
				} else {
					expect(second.status()).toBe(200);
					expect(second.headers()['etag']).not.toBe(etag);
				}
			}
			expect(notModified, url).toBe(true);
		}
	});

	test('unknown elections, formats and tables are JSON errors, never 500', async ({ request }) => {
		const election = await chamber(request);
		const cases: [string, number][] = [
			['/api/open-data/elections/00000000-0000-4000-8000-000000000000.json', 404],
			['/api/open-data/elections/not-an-id.json', 404],
			["/api/open-data/elections/1'%20OR%201=1.xml", 404],
			[`/api/open-data/elections/${election.id}.txt`, 404],
			[`/api/open-data/elections/${election.id}`, 404],
			[`/api/open-data/elections/${election.id}.csv`, 400],
			[`/api/open-data/elections/${election.id}.csv?table=voters`, 400],
			['/api/open-data/nic', 404]
		];
		for (const [url, status] of cases) {
			const response = await request.get(url);
			expect(response.status(), url).toBe(status);
			expect(response.headers()['content-type'], url).toBe('application/json; charset=utf-8');
			expect(response.headers()['cache-control'], url).toBe('no-store');
			expect(typeof (await response.json()).error, url).toBe('string');
		}
		const bad = await request.get(`/api/open-data/elections/${election.id}.csv?table=voters`);
		expect((await bad.json()).tables).toEqual([...TABLES]);
	});

	test('the page describes the feed with the addresses of each election and passes axe', async ({ page, request }) => {
		const elections = await listElections(request);
		await page.goto('/otevrena-data');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Otevřená data');
		await expect(page).toHaveTitle(/^Otevřená data/);
		for (const election of elections) {
			await expect(page.locator(`a[href="${election.links.json}"]`)).toBeVisible();
			await expect(page.locator(`a[href="${election.links.xml}"]`)).toBeVisible();
			for (const table of TABLES) await expect(page.locator(`a[href="${election.links.csv[table]}"]`)).toHaveCount(1);
		}
		// The results XML's XSD of each kind of election, linked and served (issue 17).
		for (const xsd of ['/vysledky_zahranici.xsd', '/vysledky_zahranici_prezident.xsd', '/vysledky_zahranici_ep.xsd']) {
			await expect(page.locator(`[data-results-xsds] a[href="${xsd}"]`)).toHaveCount(1);
			const served = await request.get(xsd);
			expect(served.status(), xsd).toBe(200);
			expect(await served.text(), xsd).toContain('<xs:schema');
		}
		await expect(page.getByRole('heading', { name: 'Ochrana malých počtů' })).toBeVisible();
		await expect(page.getByRole('table', { name: 'Tabulky otevřených dat' })).toContainText('voter-cards');
		const axe = await analyzeAxe(page);
		expect(axe.violations).toEqual([]);
	});
});
