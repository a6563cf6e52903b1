import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Temporal } from 'temporal-polyfill';
import { parseMessage } from './mime';

/** A message the development mail catcher received. */
export interface CaughtMessage {
	id: string;
	receivedAt: Temporal.Instant;
	envelopeFrom: string | null;
	envelopeTo: string[];
	from: string;
	to: string;
	subject: string;
	text: string;
	/** The HTML part, if the message has one. */
	html: string | null;
	/** The content types of its parts, e.g. ['text/plain', 'text/html']. */
	partTypes: string[];
	size: number;
}

export interface MailCatcher {
	host: string;
	port: number;
	stop(): Promise<void>;
}

/** Only the latest messages are kept: the catcher is for looking, not for archiving. */
export const CAUGHT_MESSAGES_MAX = 200;
const MESSAGE_SIZE_MAX = 2 * 1024 * 1024;

/**
 * The store lives on globalThis so that the pages of /dev/posta see the messages that the
 * catcher started by the server's init received, also across Vite's module reloads.
 */
const STORE = Symbol.for('volebni-portal.mail-catcher.messages');
type GlobalWithStore = typeof globalThis & { [STORE]?: CaughtMessage[] };

function store(): CaughtMessage[] {
	const g = globalThis as GlobalWithStore;
	g[STORE] ??= [];
	return g[STORE];
}

/** Newest first. */
export function caughtMessages(): readonly CaughtMessage[] {
	return store();
}

export function findCaughtMessage(id: string): CaughtMessage | undefined {
	return store().find((message) => message.id === id);
}

export function clearCaughtMessages(): void {
	store().length = 0;
}

function listen(server: SMTPServer, port: number, host: string): Promise<number> {
	return new Promise((resolve, reject) => {
		// smtp-server re-emits its net.Server's errors on itself.
		const onError = (error: Error) => {
			server.server.off('listening', onListening);
			reject(error);
		};
		const onListening = () => {
			server.off('error', onError);
			resolve((server.server.address() as AddressInfo).port);
		};
		server.once('error', onError);
		server.server.once('listening', onListening);
		server.listen(port, host);
	});
}

/**
 * An SMTP server on the loopback interface that accepts every message and keeps it in
 * memory. When `port` is taken (another portal running on the machine), any free port is
 * used instead: the portal's own sender is pointed at whichever port the catcher got.
 */
export async function startMailCatcher(options: {
	port: number;
	host?: string;
	now: () => Temporal.Instant;
	onError?: (error: Error) => void;
}): Promise<MailCatcher> {
	const host = options.host ?? '127.0.0.1';
	const create = () =>
		new SMTPServer({
			authOptional: true,
			disabledCommands: ['AUTH', 'STARTTLS'],
			banner: 'Volební portál – development mail catcher',
			size: MESSAGE_SIZE_MAX,
			logger: false,
			onData(stream, session, callback) {
				const chunks: Buffer[] = [];
				stream.on('data', (chunk: Buffer) => chunks.push(chunk));
				stream.on('end', () => {
					if (stream.sizeExceeded) {
						callback(Object.assign(new Error('Message too large'), { responseCode: 552 }));
						return;
					}
					const raw = Buffer.concat(chunks);
					const parsed = parseMessage(raw);
					const messages = store();
					messages.unshift({
						id: randomUUID(),
						receivedAt: options.now(),
						envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
						envelopeTo: session.envelope.rcptTo.map((r) => r.address),
						from: parsed.from,
						to: parsed.to,
						subject: parsed.subject,
						text: parsed.text,
						html: parsed.html,
						partTypes: parsed.partTypes,
						size: raw.length
					});
					if (messages.length > CAUGHT_MESSAGES_MAX) messages.length = CAUGHT_MESSAGES_MAX;
					callback();
				});
			}
		});
	let server = create();
	let port: number;
	try {
		port = await listen(server, options.port, host);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || options.port === 0) throw error;
		server = create();
		port = await listen(server, 0, host);
	}
	server.on('error', (error: Error) => options.onError?.(error));
	let stopped = false;
	return {
		host,
		port,
		stop() {
			if (stopped) return Promise.resolve();
			stopped = true;
			return new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}
