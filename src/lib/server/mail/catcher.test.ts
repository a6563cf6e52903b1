import net from 'node:net';
import { Temporal } from 'temporal-polyfill';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caughtMessages, clearCaughtMessages, findCaughtMessage, startMailCatcher, type MailCatcher } from './catcher';
import { createSmtpSender } from './sender';

const now = () => Temporal.Instant.from('2026-11-20T09:00:00+01:00');

describe('the development mail catcher', () => {
	let catcher: MailCatcher | undefined;
	beforeEach(() => clearCaughtMessages());
	afterEach(async () => {
		await catcher?.stop();
		catcher = undefined;
	});

	it('keeps both parts of a multipart message (issue 15: text and HTML)', async () => {
		catcher = await startMailCatcher({ port: 0, now });
		const sender = createSmtpSender({ host: catcher.host, port: catcher.port }, 'Volební portál <noreply@example.cz>');
		try {
			await sender.send({
				to: 'jana@example.cz',
				subject: 'Volby do Poslanecké sněmovny 2027: Voličský průkaz byl odeslán',
				text: 'Dobrý den,\n\nvoličský průkaz byl odeslán.',
				html: '<!DOCTYPE html>\n<html lang="cs"><body><h1>Voličský průkaz byl odeslán</h1><p>Příliš &amp; žluťoučký</p></body></html>'
			});
		} finally {
			sender.close();
		}
		const [message] = caughtMessages();
		expect(message?.partTypes).toEqual(['text/plain', 'text/html']);
		expect(message?.text).toBe('Dobrý den,\n\nvoličský průkaz byl odeslán.');
		expect(message?.html).toContain('<h1>Voličský průkaz byl odeslán</h1><p>Příliš &amp; žluťoučký</p>');
	});

	it('keeps what nodemailer sends, decoded', async () => {
		catcher = await startMailCatcher({ port: 0, now });
		const sender = createSmtpSender({ host: catcher.host, port: catcher.port }, 'Volební portál <noreply@example.cz>');
		try {
			await sender.send({
				to: 'jana.novakova@example.cz',
				subject: 'Voličský průkaz byl odeslán / Your voter card has been posted',
				text: 'Dobrý den,\n\nvoličský průkaz vám úřad odeslal doporučeně. Příliš žluťoučký kůň úpěl ďábelské ódy.\n' + 'ř'.repeat(200)
			});
		} finally {
			sender.close();
		}
		const [message] = caughtMessages();
		expect(message).toBeDefined();
		expect(message?.envelopeTo).toEqual(['jana.novakova@example.cz']);
		expect(message?.envelopeFrom).toBe('noreply@example.cz');
		expect(message?.from).toBe('Volební portál <noreply@example.cz>');
		expect(message?.to).toBe('jana.novakova@example.cz');
		expect(message?.subject).toBe('Voličský průkaz byl odeslán / Your voter card has been posted');
		expect(message?.text).toContain('voličský průkaz vám úřad odeslal doporučeně. Příliš žluťoučký kůň úpěl ďábelské ódy.');
		expect(message?.text).toContain('ř'.repeat(200));
		expect(message?.receivedAt.equals(now())).toBe(true);
		expect(findCaughtMessage(message?.id ?? '')).toBe(message);
	});

	it('moves to a free port when the configured one is taken', async () => {
		const blocker = net.createServer();
		await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
		const taken = (blocker.address() as net.AddressInfo).port;
		try {
			catcher = await startMailCatcher({ port: taken, now });
			expect(catcher.port).not.toBe(taken);
			expect(catcher.port).toBeGreaterThan(0);
		} finally {
			await new Promise((resolve) => blocker.close(resolve));
		}
	});
});
