import { pino } from 'pino';
import { config } from './config';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** An unknown LOG_LEVEL is reported by config() in words, not by pino throwing here. */
const initialLevel = LEVELS.includes(process.env.LOG_LEVEL ?? '') ? (process.env.LOG_LEVEL as string) : 'info';

/**
 * LOG_FILE (npm start sets it): the same lines are also written to that file, which a
 * failed start names as the full log.
 */
function destination() {
	const file = process.env.LOG_FILE;
	if (!file) return undefined;
	return pino.multistream([
		{ level: 'trace', stream: pino.destination(1) },
		{ level: 'trace', stream: pino.destination({ dest: file, mkdir: true, append: true, sync: true }) }
	]);
}

/** Structured JSON logs on stdout; never log personal data or secrets. */
export const log = pino(
	{
	level: initialLevel,
	base: { service: 'volebni-portal' },
	redact: ['req.headers.cookie', 'req.headers.authorization', '*.password', '*.token', '*.secret'],
	timestamp: pino.stdTimeFunctions.isoTime
	},
	destination()
);

export function configureLogLevel(): void {
	log.level = config().LOG_LEVEL;
}
