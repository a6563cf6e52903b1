import { describe, expect, it } from 'vitest';
import { composeEmail, escapeHtml, type ComposeInput } from './compose';

const base: ComposeInput = {
	locale: 'en',
	state: 'Your voter card has been posted',
	topic: 'Elections to the Chamber of Deputies 2027',
	electionTitle: 'Elections to the Chamber of Deputies 2027',
	round: 1,
	references: ['VP-7K3M9QXD'],
	details: { 'Tracking number': 'RR123456789CZ', 'Track the letter': 'https://posta.example/track?n=RR123456789CZ&x=1' },
	origin: 'https://volby.example.cz',
	rehearsal: false
};

describe('composeEmail (issue 15)', () => {
	it('writes the subject as the election, then the state; a rehearsal says so first', () => {
		expect(composeEmail(base).subject).toBe('Elections to the Chamber of Deputies 2027: Your voter card has been posted');
		expect(composeEmail({ ...base, rehearsal: true }).subject).toBe('[ZKOUŠKA / REHEARSAL] Elections to the Chamber of Deputies 2027: Your voter card has been posted');
		expect(composeEmail({ ...base, topic: null }).subject).toBe('Your voter card has been posted');
	});

	it('writes the text in one language, with the links to the request and its calendar', () => {
		const { text } = composeEmail(base);
		expect(text.split('\n')).toEqual([
			'Hello,',
			'',
			'Your voter card has been posted.',
			'',
			'Election: Elections to the Chamber of Deputies 2027',
			'Round: 1',
			'Reference: VP-7K3M9QXD',
			'',
			'Tracking number: RR123456789CZ',
			'Track the letter: https://posta.example/track?n=RR123456789CZ&x=1',
			'',
			'Your request on the portal: https://volby.example.cz/zadosti/VP-7K3M9QXD',
			'Dates for your calendar (.ics): https://volby.example.cz/zadosti/VP-7K3M9QXD/kalendar.ics',
			'The links ask you to log in with your eID first.',
			'',
			'-- ',
			'This message was sent automatically by the Election Portal. Please do not reply.'
		]);
	});

	it('writes Czech only for a Czech voter', () => {
		const { text, html } = composeEmail({ ...base, locale: 'cs', state: 'Voličský průkaz byl odeslán', electionTitle: 'Volby do Poslanecké sněmovny 2027', details: {} });
		expect(text).toContain('Dobrý den,');
		expect(text).toContain('Číslo žádosti: VP-7K3M9QXD');
		expect(text).toContain('Termíny do kalendáře (.ics): https://volby.example.cz/zadosti/VP-7K3M9QXD/kalendar.ics');
		expect(text).not.toMatch(/Hello|Reference|calendar/);
		expect(html).toContain('<html lang="cs">');
	});

	it('writes a simple, accessible HTML part: language, title, one heading, links with words', () => {
		const { html } = composeEmail(base);
		expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
		expect(html).toContain('<title>Elections to the Chamber of Deputies 2027: Your voter card has been posted</title>');
		expect(html.match(/<h1[ >]/g)).toHaveLength(1);
		expect(html).toContain('<a href="https://volby.example.cz/zadosti/VP-7K3M9QXD/kalendar.ics">Dates of request VP-7K3M9QXD for your calendar (.ics file)</a>');
		// A detail that is a link is a link, escaped.
		expect(html).toContain('<a href="https://posta.example/track?n=RR123456789CZ&amp;x=1">https://posta.example/track?n=RR123456789CZ&amp;x=1</a>');
		expect(html).not.toMatch(/<script|\son\w+=/i);
	});

	it('escapes every value in the HTML part', () => {
		const evil = '<img src=x onerror="alert(1)"> & \'quoted\'';
		const { html, text } = composeEmail({ ...base, state: evil, topic: evil, details: { [evil]: evil, Link: 'javascript:alert(1)' } });
		expect(html).not.toContain('<img');
		expect(html).not.toContain('href="javascript:');
		expect(html).toContain(escapeHtml(evil));
		expect(text).toContain(`${evil}: ${evil}`);
	});

	it('leaves out the links without a public origin, and names both requests of a filing of both rounds', () => {
		expect(composeEmail({ ...base, origin: null }).text).not.toContain('/zadosti/');
		const both = composeEmail({ ...base, references: ['VP-AAAAAAAA', 'VP-BBBBBBBB'], round: null });
		expect(both.text).toContain('Reference: VP-AAAAAAAA, VP-BBBBBBBB');
		expect(both.text).toContain('/zadosti/VP-BBBBBBBB/kalendar.ics');
		expect(both.text).not.toContain('Round:');
	});
});
