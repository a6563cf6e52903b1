import { describe, expect, it } from 'vitest';
import { decodeEncodedWords, parseMessage } from './mime';

describe('parseMessage', () => {
	it('reads a quoted-printable text message with an encoded subject', () => {
		const raw = [
			'From: =?UTF-8?Q?Volebn=C3=AD_port=C3=A1l?= <noreply@example.cz>',
			'To: jana@example.cz',
			'Subject: =?UTF-8?Q?Va=C5=A1e_=C5=BE=C3=A1dost_byla_p=C5=99ijata?=',
			' =?UTF-8?Q?_k_vy=C5=99=C3=ADzen=C3=AD?=',
			'Date: Fri, 20 Nov 2026 08:00:00 +0000',
			'Content-Type: text/plain; charset=utf-8',
			'Content-Transfer-Encoding: quoted-printable',
			'',
			'P=C5=99=C3=ADli=C5=A1 =C5=BElu=C5=A5ou=C4=8Dk=C3=BD k=C5=AF=C5=88 =C3=BAp=',
			'=C4=9Bl =C4=8F=C3=A1belsk=C3=A9 =C3=B3dy.',
			'Druh=C3=BD =C5=99=C3=A1dek.',
			''
		].join('\r\n');
		const message = parseMessage(raw);
		expect(message.from).toBe('Volební portál <noreply@example.cz>');
		expect(message.to).toBe('jana@example.cz');
		expect(message.subject).toBe('Vaše žádost byla přijata k vyřízení');
		expect(message.date).toBe('Fri, 20 Nov 2026 08:00:00 +0000');
		expect(message.text).toBe('Příliš žluťoučký kůň úpěl ďábelské ódy.\nDruhý řádek.\n');
	});

	it('reads a base64 body and the text part of a multipart message', () => {
		const text = Buffer.from('Dobrý den,\nvoličský průkaz je připraven.', 'utf8').toString('base64');
		const raw = [
			'Subject: =?utf-8?B?' + Buffer.from('Voličský průkaz', 'utf8').toString('base64') + '?=',
			'Content-Type: multipart/alternative; boundary="--_NmP-abc"',
			'',
			'----_NmP-abc',
			'Content-Type: text/html; charset=utf-8',
			'',
			'<p>HTML &amp; text</p>',
			'----_NmP-abc',
			'Content-Type: text/plain; charset=utf-8',
			'Content-Transfer-Encoding: base64',
			'',
			text.slice(0, 20),
			text.slice(20),
			'----_NmP-abc--',
			''
		].join('\r\n');
		const message = parseMessage(raw);
		expect(message.subject).toBe('Voličský průkaz');
		expect(message.text).toBe('Dobrý den,\nvoličský průkaz je připraven.');
		expect(message.html).toBe('<p>HTML &amp; text</p>');
		expect(message.partTypes).toEqual(['text/html', 'text/plain']);
	});

	it('falls back to the HTML part without tags', () => {
		const raw = 'Content-Type: text/html; charset=utf-8\r\n\r\n<p>Ahoj &amp; <b>nashledanou</b></p>';
		expect(parseMessage(raw).text).toBe('Ahoj & nashledanou');
	});

	it('keeps unencoded headers and 8-bit UTF-8 headers as they are', () => {
		expect(decodeEncodedWords('Plain subject')).toBe('Plain subject');
		expect(decodeEncodedWords(Buffer.from('Žádost', 'utf8').toString('latin1'))).toBe('Žádost');
	});
});
