import { pino } from 'pino';
import { config } from './config';

/** Structured JSON logs on stdout; never log personal data or secrets. */
export const log = pino({
	level: process.env.LOG_LEVEL ?? 'info',
	base: { service: 'volebni-portal' },
	redact: ['req.headers.cookie', 'req.headers.authorization', '*.password', '*.token', '*.secret'],
	timestamp: pino.stdTimeFunctions.isoTime
});

export function configureLogLevel(): void {
	log.level = config().LOG_LEVEL;
}
