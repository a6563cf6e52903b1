/**
 * The portal's start: every port checked before anything starts, and any failure turned into
 * one sentence (StartupError) after whatever had started is stopped again.
 */
import { ConfigError, type Config } from './config';
import { MigrationError } from './db/migrate';
import { log } from './log';
import { isPortFree, nextFreePort } from './ports';
import { StartupError } from './startup-error';

export { StartupError };

export interface PortToCheck {
	port: number;
	host: string;
	/** The environment variable that moves it. */
	variable: string;
	/** Whose port it is, when not the portal's own ("the development eID's"). */
	owner?: string;
}

/**
 * The ports the portal itself must get: PORT (unless adapter-node listens on a socket path
 * or a systemd socket) and the development eID's. The embedded PostgreSQL and the mail
 * catcher move to a free port on their own (db/embedded.ts, mail/catcher.ts).
 */
export function portsToCheck(
	cfg: Pick<Config, 'PORT' | 'HOST'>,
	devEid: { port: number; host: string } | null,
	env: Record<string, string | undefined>
): PortToCheck[] {
	const checks: PortToCheck[] = [];
	if (!env.SOCKET_PATH && !env.LISTEN_FDS) checks.push({ port: cfg.PORT, host: cfg.HOST, variable: 'PORT' });
	if (devEid) checks.push({ port: devEid.port, host: devEid.host, variable: 'DEV_EID_PORT', owner: "the development eID's" });
	return checks;
}

export function portInUseSentence(check: PortToCheck, suggestion: number | undefined): string {
	const whose = check.owner ? ` (${check.owner})` : '';
	const fix = suggestion === undefined ? `Start with ${check.variable} set to a free port.` : `Start with ${check.variable}=${suggestion} npm start.`;
	return `Port ${check.port}${whose} is already in use — is another portal running? ${fix}`;
}

/**
 * Throws a StartupError naming the first taken port, its variable and a free port to use
 * instead (one that none of the other checked ports uses).
 */
export async function checkPorts(
	checks: readonly PortToCheck[],
	isFree: (port: number, host: string) => Promise<boolean> = isPortFree
): Promise<void> {
	const ours = checks.map((c) => c.port);
	for (const check of checks) {
		if (check.port === 0 || (await isFree(check.port, check.host))) continue;
		const suggestion = await nextFreePort(check.port + 1, (p) => isFree(p, check.host), { avoid: ours });
		throw new StartupError(portInUseSentence(check, suggestion));
	}
}

function oneLine(text: string): string {
	return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** One sentence saying why the start failed, whatever was thrown. */
export function explainStartupFailure(cause: unknown): string {
	if (cause instanceof StartupError || cause instanceof ConfigError) return oneLine(cause.message);
	if (cause instanceof MigrationError) return `The database could not be migrated: ${oneLine(cause.message)}.`;
	const message = cause instanceof Error ? cause.message : cause === undefined || cause === null ? '' : String(cause);
	if (!message.trim()) return 'The portal could not start because of an error that gave no message; the log says where it happened.';
	return `The portal could not start: ${oneLine(message)}.`;
}

/**
 * Runs `start`; when it fails, logs the details, stops whatever had started (`cleanup`) and
 * throws a StartupError with one sentence, so that nothing outlives the failed start.
 */
export async function startOrExplain(start: () => Promise<void>, cleanup: () => Promise<unknown>): Promise<void> {
	try {
		await start();
	} catch (cause) {
		const sentence = explainStartupFailure(cause);
		// A failure already put in words needs no stack; anything else keeps it for the log.
		const worded = cause instanceof StartupError || cause instanceof ConfigError || cause instanceof MigrationError;
		log.error(worded ? { reason: sentence, details: cause instanceof StartupError ? cause.details : undefined } : { err: cause }, 'the portal could not start');
		try {
			await cleanup();
		} catch (cleanupError) {
			log.error({ err: cleanupError }, 'stopping after the failed start failed');
		}
		throw new StartupError(sentence, { cause });
	}
}
