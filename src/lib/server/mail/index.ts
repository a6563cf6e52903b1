/** Outgoing e-mail: SMTP sending, and the development mail catcher shown at /dev/posta. */
export { createSmtpSender, type MailSender, type OutgoingEmail, type SmtpTarget } from './sender';
export {
	caughtMessages,
	clearCaughtMessages,
	findCaughtMessage,
	startMailCatcher,
	CAUGHT_MESSAGES_MAX,
	type CaughtMessage,
	type MailCatcher
} from './catcher';
export { parseMessage, type ParsedMessage } from './mime';
