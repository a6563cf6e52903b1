/**
 * Playwright's web server: a throwaway database (on DATABASE_URL's server, else an
 * embedded one), then the built portal on it with APP_ENV=test and demo data seeded
 * at a fixed instant. Stops both when Playwright stops it.
 */
import { spawn } from 'node:child_process';
import { startTestServer } from '../setup/test-database';

import { E2E_EID_PORT, E2E_PORT } from './ports';
/** The instant the demo data is dated from; tests move the clock with /__test/clock. */
export const E2E_NOW = '2026-11-20T09:00:00+01:00';

const server = await startTestServer();
const databaseUrl = await server.createDatabase('vp_e2e');

const app = spawn(process.execPath, ['scripts/serve.mjs'], {
	stdio: 'inherit',
	env: {
		...process.env,
		APP_ENV: 'test',
		DATABASE_URL: databaseUrl,
		SEED_DEMO_DATA: 'true',
		SEED_VOTERS: '300',
		FIXED_NOW: E2E_NOW,
		HOST: '127.0.0.1',
		PORT: String(E2E_PORT),
		ORIGIN: `http://127.0.0.1:${E2E_PORT}`,
		DEV_EID_PORT: String(E2E_EID_PORT),
		// Any free port for the mail catcher: several checkouts may run their end-to-end tests at once.
		DEV_SMTP_PORT: '0',
		// A voter's e-mail about a request waits this long for the request's next changes (issue 15):
		// long enough for a clerk's two clicks on a busy machine, short enough to wait for.
		MAIL_COALESCE_SECONDS: '20',
		// As scripts/start.sh: adapter-node admits the voter-list upload; every other route takes 512 KiB (body-limit.ts).
		BODY_SIZE_LIMIT: '200M',
		LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn'
	}
});

let stopping = false;
async function stop(code: number) {
	if (stopping) return;
	stopping = true;
	if (app.exitCode === null) {
		app.kill('SIGTERM');
		await new Promise((resolve) => app.once('exit', resolve));
	}
	await server.stop();
	process.exit(code);
}
app.on('exit', (code) => void stop(code ?? 1));
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
