/**
 * A voter's e-mail as it is written (issue 15): in the voter's language only, times as a
 * person writes them, a plain-text part and a simple, accessible HTML part with every value
 * escaped, a subject that names the election and the state, and links to the request's page
 * and its personal calendar (.ics). Pure: everything it says comes in as arguments.
 */
import { m } from '../../paraglide/messages.js';

export type MailLocale = 'cs' | 'en';

/** Label → value, already in the voter's language; a value starting with http(s):// is a link. */
export type MailDetails = (locale: MailLocale) => Record<string, string>;

export interface ComposeInput {
	locale: MailLocale;
	/** The state sentence, e.g. "Your voter card has been posted". */
	state: string;
	/** What the subject names before the state: the election's title, else the kind of request. */
	topic: string | null;
	/** The election's title, shown in the body (null: a request of no election). */
	electionTitle: string | null;
	round: number | null;
	/** The requests the message is about (a filing of both rounds names two). */
	references: readonly string[];
	details: Record<string, string>;
	/** The portal's public origin, for absolute links (request page, calendar). */
	origin: string | null;
	/** Issue 14: the subject of every e-mail of a rehearsal says so. */
	rehearsal: boolean;
}

export interface ComposedEmail {
	subject: string;
	text: string;
	html: string;
}

/** Issue 14: every e-mail of a rehearsal says so in its subject. */
export const REHEARSAL_SUBJECT_PREFIX = '[ZKOUŠKA / REHEARSAL] ';

export function escapeHtml(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function isLink(value: string): boolean {
	return /^https?:\/\/\S+$/.test(value);
}

function links(input: ComposeInput): { reference: string; page: string; calendar: string }[] {
	if (!input.origin) return [];
	return input.references.map((reference) => {
		const page = `${input.origin}/zadosti/${encodeURIComponent(reference)}`;
		return { reference, page, calendar: `${page}/kalendar.ics` };
	});
}

export function composeSubject(input: Pick<ComposeInput, 'state' | 'topic' | 'rehearsal'>): string {
	return `${input.rehearsal ? REHEARSAL_SUBJECT_PREFIX : ''}${input.topic ? `${input.topic}: ` : ''}${input.state}`;
}

export function composeEmail(input: ComposeInput): ComposedEmail {
	const t = { locale: input.locale };
	const subject = composeSubject(input);
	const facts: string[] = [];
	if (input.electionTitle) facts.push(m.mail_election({ title: input.electionTitle }, t));
	if (input.round !== null && input.electionTitle) facts.push(m.mail_round({ round: String(input.round) }, t));
	if (input.references.length) facts.push(m.mail_reference({ reference: input.references.join(', ') }, t));
	const details = Object.entries(input.details);
	const requestLinks = links(input);

	const text: string[] = [m.mail_greeting({}, t), '', `${input.state}.`, '', ...facts];
	if (details.length) text.push('', ...details.map(([label, value]) => `${label}: ${value}`));
	if (requestLinks.length) {
		text.push('');
		for (const link of requestLinks) text.push(m.mail_request_link({ url: link.page }, t), m.mail_calendar_link({ url: link.calendar }, t));
		text.push(m.mail_login_note({}, t));
	}
	text.push('', '-- ', m.mail_footer({}, t));

	const e = escapeHtml;
	const html: string[] = [
		'<!DOCTYPE html>',
		`<html lang="${input.locale}">`,
		'<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
		`<title>${e(subject)}</title></head>`,
		'<body style="font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; color: #0b0c0c; max-width: 40em;">',
		`<p>${e(m.mail_greeting({}, t))}</p>`,
		`<h1 style="font-size: 1.5em;">${e(input.state)}</h1>`
	];
	if (facts.length) html.push(`<p>${facts.map(e).join('<br>')}</p>`);
	if (details.length) {
		html.push('<dl>');
		for (const [label, value] of details) {
			html.push(`<dt style="font-weight: bold;">${e(label)}</dt>`, `<dd>${isLink(value) ? `<a href="${e(value)}">${e(value)}</a>` : e(value)}</dd>`);
		}
		html.push('</dl>');
	}
	if (requestLinks.length) {
		html.push('<ul>');
		for (const link of requestLinks) {
			html.push(
				`<li><a href="${e(link.page)}">${e(m.mail_request_link_html({ reference: link.reference }, t))}</a></li>`,
				`<li><a href="${e(link.calendar)}">${e(m.mail_calendar_link_html({ reference: link.reference }, t))}</a></li>`
			);
		}
		html.push('</ul>', `<p>${e(m.mail_login_note({}, t))}</p>`);
	}
	html.push('<hr>', `<p style="color: #505a5f;">${e(m.mail_footer({}, t))}</p>`, '</body>', '</html>');
	return { subject, text: text.join('\n'), html: html.join('\n') };
}
