/**
 * Issue 3: the published legal calendar, its iCalendar export and its JSON, on the demo
 * data (a Chamber election about eight weeks after 20 November 2026 and a two-round
 * presidential election after it).
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import ICAL from 'ical.js';
import { analyzeAxe } from './support';
import { Temporal } from 'temporal-polyfill';
import {
	defaultElectionSettings,
	defaultEmbassyVoting,
	electionDeadlines,
	formatIsoWithOffset,
	type Election,
	type ElectionType,
	type Round
} from '../../src/lib/domain';

interface ElectionListItem {
	id: string;
	type: ElectionType;
	title: string;
	rounds: { round: Round; firstDay: string }[];
}
interface CalendarJson {
	election: { id: string; type: ElectionType; rounds: { round: Round; firstDay: string }[] };
	deadlines: { key: string; round: Round; at: string; section: string }[];
}

async function axe(page: Page) {
	const result = await analyzeAxe(page);
	expect(result.violations).toEqual([]);
}

async function demoElections(request: APIRequestContext) {
	const response = await request.get('/api/elections');
	expect(response.status()).toBe(200);
	const list = (await response.json()) as ElectionListItem[];
	// Other specs may add elections; the demo ones are the earliest of their type.
	const chamber = list.find((e) => e.type === 'chamber');
	const president = list.find((e) => e.type === 'president');
	if (!chamber || !president) throw new Error(`demo elections missing: ${JSON.stringify(list)}`);
	return { chamber, president };
}

async function embassyId(page: Page, electionId: string, name: RegExp): Promise<string> {
	await page.goto(`/volby/${electionId}`);
	const option = page.locator('#office option').filter({ hasText: name });
	const value = await option.getAttribute('value');
	if (!value) throw new Error(`no embassy option ${name}`);
	return value;
}

/**
 * The domain's view of a listed election with its type's default settings, as the seed
 * creates it (the announcement day does not move any deadline).
 */
function domainElection(e: { id: string; type: ElectionType; rounds: { round: Round; firstDay: string }[] }): Election {
	return { id: e.id, type: e.type, announcedOn: '2026-11-13', rounds: e.rounds, ...defaultElectionSettings(e.type) };
}

function pragueText(at: string, locale: 'cs-CZ' | 'en-GB', timeZone = 'Europe/Prague') {
	return new Intl.DateTimeFormat(locale, {
		weekday: 'long',
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		timeZone
	}).format(new Date(at));
}

test.describe('election calendar', () => {
	test('/volby lists the demo elections and passes axe', async ({ page, request }) => {
		const { chamber, president } = await demoElections(request);
		await page.goto('/volby');
		await expect(page).toHaveTitle(/^Volby a jejich lhůty/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Volby a jejich lhůty');
		await expect(page.getByRole('link', { name: chamber.title })).toHaveAttribute('href', `/volby/${chamber.id}`);
		await expect(page.getByRole('link', { name: president.title })).toHaveAttribute('href', `/volby/${president.id}`);
		await axe(page);
	});

	for (const type of ['chamber', 'president'] as const) {
		test(`the ${type} election has its page in Czech and in English, with its deadlines`, async ({ page, request }) => {
			const election = (await demoElections(request))[type];
			const expected = electionDeadlines(domainElection(election));
			// §57a(3): D−35, in each round.
			const written = expected.filter((d) => d.key === 'correspondence-request-written');
			expect(written).toHaveLength(election.rounds.length);

			await page.goto('/volby');
			await page.getByRole('link', { name: election.title }).click();
			await expect(page).toHaveURL(`/volby/${election.id}`);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(election.title);

			for (const deadline of written) {
				const section = page.locator(`section[aria-labelledby="round-${deadline.round}"]`);
				const row = section.locator('tr[data-deadline="correspondence-request-written"]');
				await expect(row.getByRole('rowheader')).toHaveText(
					'Poslední den, kdy můžete písemně nebo přes tento portál požádat o korespondenční hlasování'
				);
				const iso = formatIsoWithOffset(deadline.at);
				await expect(row.locator('time')).toHaveAttribute('datetime', iso);
				await expect(row.locator('time')).toHaveText(pragueText(iso, 'cs-CZ'));
				await expect(row).toContainText('§ 57a odst. 3');
				// Every applicable deadline of the round has its row, nothing else.
				const keys = expected.filter((d) => d.round === deadline.round).map((d) => d.key);
				await expect(section.locator('tbody tr')).toHaveCount(keys.length);
			}
			if (election.rounds.length > 1) {
				await expect(page.getByRole('heading', { level: 2, name: '1. kolo' })).toBeVisible();
				await expect(page.getByRole('heading', { level: 2, name: '2. kolo' })).toBeVisible();
			}
			await axe(page);

			// The language switch in the header comes back to the same page.
			await page.getByRole('link', { name: 'English' }).click();
			await expect(page).toHaveURL(`/volby/${election.id}`);
			await expect(page.locator('html')).toHaveAttribute('lang', 'en');
			const first = written[0]!;
			const row = page.locator(`section[aria-labelledby="round-${first.round}"] tr[data-deadline="correspondence-request-written"]`);
			await expect(row.getByRole('rowheader')).toHaveText('Last day to ask for correspondence voting in writing or through this portal');
			await expect(row.locator('time')).toHaveText(pragueText(formatIsoWithOffset(first.at), 'en-GB'));
			await expect(row).toContainText('§57a(3)');
			await axe(page);
			await page.getByRole('link', { name: 'Čeština' }).click();
			await expect(page.locator('html')).toHaveAttribute('lang', 'cs');
		});
	}

	test('days left and passed deadlines follow the portal clock', async ({ browser, request }) => {
		const { chamber } = await demoElections(request);
		const written = electionDeadlines(domainElection(chamber)).find((d) => d.key === 'correspondence-request-written')!;
		const dispatch = electionDeadlines(domainElection(chamber)).find((d) => d.key === 'correspondence-dispatch')!;
		const deadlineDay = written.at.toPlainDate();
		// §57b(1) D−25 is ten Prague days after §57a(3) D−35.
		expect(dispatch.at.toPlainDate().since(deadlineDay).days).toBe(10);
		const at = (time: string) => deadlineDay.toPlainDateTime(time).toZonedDateTime('Europe/Prague').toString({ timeZoneName: 'never' });

		// x-test-now (APP_ENV=test): this context's requests stand at their own instant.
		for (const [now, writtenStatus] of [
			[at('15:59'), 'Dnes'],
			[at('16:00'), 'Uplynulo']
		] as const) {
			const context = await browser.newContext({ extraHTTPHeaders: { 'x-test-now': now } });
			const page = await context.newPage();
			await page.goto(`/volby/${chamber.id}`);
			const status = page.locator('tr[data-deadline="correspondence-request-written"] td').last();
			await expect(status).toHaveText(writtenStatus);
			if (writtenStatus === 'Uplynulo') await expect(status.locator('.tag--grey')).toBeVisible();
			await expect(page.locator('tr[data-deadline="correspondence-dispatch"] td').last()).toHaveText('10 dní');
			await context.close();
		}
	});

	test('without JavaScript, a GET form shows the times in another zone and an embassy’s return-envelope deadline', async ({ browser, request, page: pageWithJs }) => {
		const { chamber } = await demoElections(request);
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`/volby/${chamber.id}`);
		await expect(page.locator('#tz')).toHaveValue('Europe/Prague');
		await expect(page.getByText('Časy jsou v pražském čase.')).toBeVisible();
		await page.locator('#tz').selectOption('America/New_York');
		await page.locator('#office').selectOption({ label: 'Velvyslanectví České republiky ve Washingtonu' });
		await page.getByRole('button', { name: 'Zobrazit' }).click();
		await expect(page).toHaveURL(/tz=America%2FNew_York/);
		await expect(page.locator('#tz')).toHaveValue('America/New_York');

		const expected = electionDeadlines(domainElection(chamber), { embassy: defaultEmbassyVoting(domainElection(chamber), 'America/New_York') });
		const written = expected.find((d) => d.key === 'correspondence-request-written')!;
		const row = page.locator('tr[data-deadline="correspondence-request-written"]');
		await expect(page.getByRole('columnheader', { name: 'Váš čas (America/New York)' })).toBeVisible();
		await expect(row.locator('td[data-zone="America/New_York"]')).toContainText(
			pragueText(formatIsoWithOffset(written.at), 'cs-CZ', 'America/New_York')
		);

		// §57c(4): the close of the embassy's last voting window, in its zone and in Prague.
		const envelope = expected.find((d) => d.key === 'return-envelope')!;
		const envelopeRow = page.locator('tr[data-deadline="return-envelope"]');
		await expect(envelopeRow.getByRole('rowheader')).toContainText('Velvyslanectví České republiky ve Washingtonu');
		await expect(envelopeRow.getByRole('rowheader')).toContainText(`Místní čas úřadu: ${pragueText(formatIsoWithOffset(envelope.at), 'cs-CZ', 'America/New_York')}`);
		await expect(envelopeRow.locator('time')).toHaveAttribute('datetime', formatIsoWithOffset(envelope.at));
		await expect(envelopeRow).toContainText('§ 57c odst. 4');
		const url = page.url();
		await context.close();

		// axe runs in the page, so it needs JavaScript: the same address in a normal browser.
		await pageWithJs.goto(url);
		await expect(pageWithJs.locator('tr[data-deadline="return-envelope"]')).toBeVisible();
		await axe(pageWithJs);
	});

	test('with JavaScript, the browser’s own time zone is preselected', async ({ browser, request }) => {
		const { chamber } = await demoElections(request);
		const context = await browser.newContext({ timezoneId: 'Asia/Tokyo' });
		const page = await context.newPage();
		await page.goto(`/volby/${chamber.id}`);
		await expect(page.locator('#tz')).toHaveValue('Asia/Tokyo');
		await expect(page.getByRole('columnheader', { name: 'Váš čas (Asia/Tokyo)' })).toBeVisible();
		// A choice made in the form wins over the browser's zone, also on a later visit.
		await page.locator('#tz').selectOption('Europe/London');
		await page.getByRole('button', { name: 'Zobrazit' }).click();
		await expect(page).toHaveURL(/tz=Europe%2FLondon/);
		await expect(page.getByRole('columnheader', { name: 'Váš čas (Europe/London)' })).toBeVisible();
		await page.goto(`/volby/${chamber.id}?tz=Europe%2FLondon`);
		await expect(page.locator('#tz')).toHaveValue('Europe/London');
		await expect(page.getByRole('columnheader', { name: 'Váš čas (Europe/London)' })).toBeVisible();
		await context.close();
	});

	test('an office that is not an embassy is an error to correct, with the error summary', async ({ page, request }) => {
		const { chamber } = await demoElections(request);
		await page.goto(`/volby/${chamber.id}?office=${crypto.randomUUID()}`);
		await expect(page).toHaveTitle(/^Chyba: /);
		await expect(page.locator('.error-summary')).toBeFocused();
		await expect(page.locator('.error-summary a[href="#office"]')).toHaveText('Vyberte zastupitelský úřad ze seznamu');
		await expect(page.locator('#office')).toHaveAttribute('aria-describedby', 'office-hint office-error');
		await expect(page.locator('tr[data-deadline="return-envelope"]')).toHaveCount(0);
		await axe(page);
	});

	test('the .ics export holds the same deadlines, valid iCalendar', async ({ page, request }) => {
		const { president } = await demoElections(request);
		const office = await embassyId(page, president.id, /Washingtonu/);
		await page.goto(`/volby/${president.id}?office=${office}`);
		const href = await page.getByRole('link', { name: /\.ics/ }).getAttribute('href');
		expect(href).toBe(`/volby/${president.id}/kalendar.ics?office=${office}&lang=cs`);

		const response = await request.get(href!);
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toBe('text/calendar; charset=utf-8');
		expect(response.headers()['content-disposition']).toBe('attachment; filename="volba-prezidenta-republiky-2027.ics"');
		const body = await response.text();
		expect(body.endsWith('\r\n')).toBe(true);
		expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
		for (const line of body.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);

		const vcalendar = new ICAL.Component(ICAL.parse(body));
		expect(vcalendar.getFirstPropertyValue('version')).toBe('2.0');
		expect(vcalendar.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
		expect(vcalendar.getFirstPropertyValue('method')).toBe('PUBLISH');
		const events = vcalendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
		const election = domainElection(president);
		const expected = electionDeadlines(election, { embassy: defaultEmbassyVoting(election, 'America/New_York') });
		expect(events).toHaveLength(expected.length);
		for (const deadline of expected) {
			const suffix = deadline.key === 'return-envelope' ? `-${office}` : '';
			const event = events.find((e) => e.uid === `${president.id}-${deadline.key}-${deadline.round}${suffix}@volebni-portal`);
			expect(event, `${deadline.key} ${deadline.round}`).toBeDefined();
			expect(event!.startDate.toJSDate().getTime()).toBe(deadline.at.epochMilliseconds);
			expect(event!.summary).toContain(`(${deadline.round}. kolo)`);
			expect(event!.description).toContain('zákona č. 88/2024 Sb.');
		}
		const english = await request.get(`/volby/${president.id}/kalendar.ics?lang=en`);
		expect(await english.text()).toContain('SUMMARY:Last day to ask for a voter card sent by post (round 1)');

		expect((await request.get(`/volby/${crypto.randomUUID()}/kalendar.ics`)).status()).toBe(404);
		expect((await request.get(`/volby/${president.id}/kalendar.ics?office=nope`)).status()).toBe(400);
	});

	test('the JSON calendar has the published shape', async ({ page, request }) => {
		const { chamber, president } = await demoElections(request);
		const response = await request.get(`/api/elections/${chamber.id}/calendar`);
		expect(response.status()).toBe(200);
		expect(response.headers()['cache-control']).toBe('public, max-age=60');
		const json = (await response.json()) as CalendarJson;
		const expected = electionDeadlines(domainElection(chamber));
		expect(json).toEqual({
			election: { id: chamber.id, type: 'chamber', rounds: chamber.rounds },
			deadlines: expected.map((d) => ({ key: d.key, round: d.round, at: formatIsoWithOffset(d.at), section: d.section }))
		});
		expect(json.deadlines.map((d) => d.key)).not.toContain('return-envelope');

		const etag = response.headers()['etag'];
		expect(etag).toMatch(/^"[\w-]+"$/);
		const again = await request.get(`/api/elections/${chamber.id}/calendar`, { headers: { 'If-None-Match': etag! } });
		expect(again.status()).toBe(304);

		// The page links to the same data, with the embassy when one is chosen.
		const office = await embassyId(page, president.id, /Berlíně/);
		await page.goto(`/volby/${president.id}?office=${office}`);
		const href = await page.getByRole('link', { name: /JSON/ }).getAttribute('href');
		expect(href).toBe(`/api/elections/${president.id}/calendar?office=${office}`);
		const withOffice = (await (await request.get(href!)).json()) as CalendarJson;
		// §57c(4): Berlin votes on Prague time, Friday 14–22 and Saturday 08–14 (§2(3)).
		expect(withOffice.deadlines.filter((d) => d.key === 'return-envelope')).toEqual(
			president.rounds.map((r) => ({
				key: 'return-envelope',
				round: r.round,
				at: `${Temporal.PlainDate.from(r.firstDay).add({ days: 1 }).toString()}T14:00:00+01:00`,
				section: '§57c(4)'
			}))
		);
	});

	test('unknown and malformed ids are 404, a bad office is 400, never 500', async ({ page, request }) => {
		const { chamber } = await demoElections(request);
		for (const id of [crypto.randomUUID(), 'not-an-id', '00000000-0000-0000-0000-00000000000g']) {
			const api = await request.get(`/api/elections/${id}/calendar`);
			expect(api.status()).toBe(404);
			expect(await api.json()).toEqual({ error: expect.any(String) });
		}
		for (const office of ['x', crypto.randomUUID()]) {
			const api = await request.get(`/api/elections/${chamber.id}/calendar?office=${office}`);
			expect(api.status()).toBe(400);
			expect(await api.json()).toEqual({ error: expect.any(String) });
		}
		const response = await page.goto(`/volby/${crypto.randomUUID()}`);
		expect(response?.status()).toBe(404);
		await expect(page.getByRole('heading', { level: 1 })).toContainText('Stránka nenalezena');
		await axe(page);
		expect((await page.goto('/volby/nic'))?.status()).toBe(404);
	});

	test('the JSON list of elections', async ({ request }) => {
		const response = await request.get('/api/elections');
		expect(response.headers()['cache-control']).toBe('public, max-age=60');
		const list = (await response.json()) as ElectionListItem[];
		const { chamber, president } = await demoElections(request);
		expect(Object.keys(chamber)).toEqual(['id', 'type', 'title', 'rounds']);
		expect(chamber.title).toMatch(/^Volby do Poslanecké sněmovny \d{4}$/);
		expect(president.rounds.map((r) => r.round)).toEqual([1, 2]);
		// D is always a Friday (§2(4)).
		for (const e of list) for (const r of e.rounds) expect(Temporal.PlainDate.from(r.firstDay).dayOfWeek).toBe(5);
	});
});
