/**
 * A voter's e-mail as a person wants to read it (issue 15), end to end: a voter who uses the
 * portal in English confirms an address and files a voter card request; a clerk accepts it and
 * issues the card in quick succession. The voter gets ONE e-mail about the request (not three),
 * with the latest state, in English only, with a text and an HTML part, a subject naming the
 * election and the state, and a link to the request's calendar file that works.
 *
 * The e-mail is read from the development mail catcher (/dev/posta). The coalescing window is
 * MAIL_COALESCE_SECONDS=20 (tests/support/e2e-server.ts): the clerk is logged in before the
 * voter files, so that filing, acceptance and issue fall within it.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { hydrated, stateTag } from './decision-support';
import { expectAxeClean } from './support';

const QUEUE = '/urad/obecni-urad/zadosti';

function runBirthDate(): string {
	const day = new Date(Date.UTC(1931, 0, 1) + Math.floor(Math.random() * 25 * 365) * 86_400_000);
	return day.toISOString().slice(0, 10);
}

/** The caught messages to `to`, newest first: subject and the link to each. */
async function mailsTo(mailbox: Page, to: string): Promise<{ subject: string; href: string }[]> {
	await mailbox.goto('/dev/posta');
	const rows = mailbox.getByRole('row').filter({ hasText: to });
	const out: { subject: string; href: string }[] = [];
	for (const row of await rows.all()) {
		const link = row.getByRole('link');
		out.push({ subject: (await link.innerText()).trim(), href: (await link.getAttribute('href')) ?? '' });
	}
	return out;
}

/** Waits until a message to `to` whose subject matches arrives; returns every message to `to` then. */
async function waitForMail(mailbox: Page, to: string, subject: RegExp, timeout: number) {
	let mails: { subject: string; href: string }[] = [];
	await expect(async () => {
		mails = await mailsTo(mailbox, to);
		expect(mails.some((m) => subject.test(m.subject))).toBe(true);
	}).toPass({ timeout, intervals: [1_000] });
	return mails;
}

async function openMail(mailbox: Page, href: string) {
	await mailbox.goto(href);
	return {
		text: await mailbox.getByTestId('mail-text').innerText(),
		parts: await mailbox.getByTestId('mail-parts').innerText(),
		html: (await mailbox.getByTestId('mail-html').count()) ? await mailbox.getByTestId('mail-html').innerText() : null
	};
}

async function clerkPage(browser: Browser): Promise<Page> {
	const context = await browser.newContext();
	const session = await context.request.post('/api/test/session', { data: { newStaff: { office: 'mu-554782', role: 'municipal-clerk', enrolled: true } } });
	expect(session.status(), await session.text()).toBe(200);
	return context.newPage();
}

/** Words only a Czech message has. */
const CZECH = /Dobrý den|Číslo žádosti|Volby:|Lhůta|Stav žádosti|Tato zpráva|Odkaz pro potvrzení/;

test('an English-speaking voter gets one English e-mail with the latest state of a request changed twice in quick succession', async ({ browser }) => {
	test.slow();
	const birthDate = runBirthDate();
	const address = `en-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.cz`;
	const mailbox = await (await browser.newContext()).newPage();

	// The voter reads the portal in English and gives an address.
	const voterContext = await browser.newContext();
	const session = await voterContext.request.post('/api/test/session', { data: { voter: { office: 'mu-554782', birthDate } } });
	expect(session.status(), await session.text()).toBe(200);
	const voter = await voterContext.newPage();
	await voter.goto(`/jazyk/en?zpet=${encodeURIComponent('/muj-zaznam/email')}`);
	await expect(voter.getByRole('heading', { level: 1 })).toHaveText('What email address should we send news about your requests to?');
	await voter.getByLabel('What email address').fill(address);
	await voter.getByRole('button', { name: 'Send confirmation link' }).click();
	await expect(voter.getByRole('main')).toContainText(`We sent a confirmation link to ${address}.`);

	// The confirmation link comes in English only, straight away (it is about no request).
	const [confirmation] = await waitForMail(mailbox, address, /^Confirm your e-mail address$/, 30_000);
	const confirmationMail = await openMail(mailbox, confirmation!.href);
	expect(confirmationMail.text).not.toMatch(CZECH);
	expect(confirmationMail.text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/);
	const link = /Confirmation link: (\S+)/.exec(confirmationMail.text)?.[1];
	expect(link).toBeTruthy();
	await voter.goto(link!);
	await voter.getByRole('button', { name: 'Confirm email address' }).click();
	await expect(voter.getByRole('main')).toContainText('Your email address is confirmed.');

	// The clerk is ready before the voter files: the three changes fall within the window.
	const clerk = await clerkPage(browser);
	await clerk.goto(QUEUE);

	const elections = (await (await voterContext.request.get('/api/elections')).json()) as { id: string; type: string; rehearsal?: boolean }[];
	const chamber = elections.find((e) => e.type === 'chamber' && !e.rehearsal)!;
	const filed = await voterContext.request.post('/api/voter/requests', {
		data: { kind: 'voter-card', electionId: chamber.id, delivery: 'post', address: { line: 'Mailová 1', city: 'Praha', postalCode: '110 00', country: 'CZ' } },
		headers: { 'idempotency-key': `mail-${address}`.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64) }
	});
	expect(filed.status(), await filed.text()).toBe(201);
	const reference = ((await filed.json()) as { requests: { reference: string }[] }).requests[0]!.reference;

	await clerk.goto(`${QUEUE}?hledat=${birthDate}`);
	await clerk.getByRole('link', { name: reference }).click();
	await clerk.getByRole('button', { name: 'Vyhovět žádosti' }).click();
	await expect(stateTag(clerk)).toHaveText('Vyhověno');
	await clerk.getByRole('button', { name: 'Vydat voličský průkaz' }).click();
	await expect(stateTag(clerk)).toHaveText('Vydáno');

	// One message about the request, once the window has passed: the latest state, in English.
	const mails = await waitForMail(mailbox, address, /Your voter card has been issued$/, 60_000);
	const aboutRequest = mails.filter((m) => m !== mails.find((x) => x.subject === 'Confirm your e-mail address'));
	expect(aboutRequest.map((m) => m.subject)).toEqual(['Elections to the Chamber of Deputies 2027: Your voter card has been issued']);
	const mail = await openMail(mailbox, aboutRequest[0]!.href);
	expect(mail.parts).toBe('text/plain, text/html');
	expect(mail.text).toMatch(/^Hello,/);
	expect(mail.text).toContain(`Reference: ${reference}`);
	expect(mail.text).not.toMatch(CZECH);
	expect(mail.text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/);
	expect(mail.html).toContain('<html lang="en">');
	expect(mail.html).not.toMatch(CZECH);
	await hydrated(mailbox);
	await expectAxeClean(mailbox);

	// The personal calendar the e-mail links to is the voter's to download.
	const calendarUrl = new RegExp(`Dates for your calendar \\(\\.ics\\): (\\S+/zadosti/${reference}/kalendar\\.ics)`).exec(mail.text)?.[1];
	expect(calendarUrl).toBeTruthy();
	expect(mail.html).toContain(`href="${calendarUrl}"`);
	const ics = await voterContext.request.get(calendarUrl!);
	expect(ics.status()).toBe(200);
	expect(ics.headers()['content-type']).toBe('text/calendar; charset=utf-8');
	expect(await ics.text()).toContain('BEGIN:VCALENDAR');

	// A few seconds on, still one: nothing else was waiting about this request.
	await mailbox.waitForTimeout(3_000);
	expect((await mailsTo(mailbox, address)).length).toBe(2);
});
