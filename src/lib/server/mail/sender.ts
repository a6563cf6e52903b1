import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

export interface OutgoingEmail {
	to: string;
	subject: string;
	text: string;
	/** An HTML alternative to `text` (multipart/alternative), if any. */
	html?: string | null;
}

/** What the job queue sends with: one SMTP connection setup, many messages. */
export interface MailSender {
	send(email: OutgoingEmail): Promise<{ messageId: string }>;
	close(): void;
}

export type SmtpTarget = { url: string } | { host: string; port: number };

/**
 * An SMTP sender: `SMTP_URL` in production (smtp:// with STARTTLS when offered, smtps://
 * for implicit TLS), or the development mail catcher on localhost. Timeouts are short so
 * that a hung server fails the job, which is then retried, instead of holding it forever.
 */
export function createSmtpSender(target: SmtpTarget, from: string): MailSender {
	const timeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
	const options: SMTPTransport.Options =
		'url' in target
			? { url: target.url, ...timeouts }
			: // The catcher speaks plain SMTP on the loopback interface only.
				{ host: target.host, port: target.port, secure: false, ignoreTLS: true, ...timeouts };
	const transport = nodemailer.createTransport(options);
	return {
		async send(email) {
			const info = await transport.sendMail({
				from,
				to: email.to,
				subject: email.subject,
				text: email.text,
				...(email.html ? { html: email.html } : {}),
				textEncoding: 'quoted-printable'
			});
			return { messageId: info.messageId };
		},
		close() {
			transport.close();
		}
	};
}
