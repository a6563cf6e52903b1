import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';
import { MigrationError } from './db/migrate';
import { checkPorts, explainStartupFailure, portInUseSentence, portsToCheck, startOrExplain, StartupError } from './startup';

const servers: net.Server[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

function listen(): Promise<number> {
	const server = net.createServer();
	servers.push(server);
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

describe('portInUseSentence', () => {
	it('names the port and the variable that moves it', () => {
		expect(portInUseSentence({ port: 3000, host: '127.0.0.1', variable: 'PORT' }, 3002)).toBe(
			'Port 3000 is already in use — is another portal running? Start with PORT=3002 npm start.'
		);
		expect(portInUseSentence({ port: 3001, host: '127.0.0.1', variable: 'DEV_EID_PORT', owner: "the development eID's" }, undefined)).toBe(
			"Port 3001 (the development eID's) is already in use — is another portal running? Start with DEV_EID_PORT set to a free port."
		);
	});
});

describe('portsToCheck', () => {
	const cfg = { PORT: 3000, HOST: '127.0.0.1' };

	it("PORT and the development eID's port", () => {
		expect(portsToCheck(cfg, { port: 3001, host: '127.0.0.1' }, {}).map((c) => `${c.variable}=${c.port}`)).toEqual(['PORT=3000', 'DEV_EID_PORT=3001']);
	});

	it('no development eID with the national one; no PORT when adapter-node listens on a socket', () => {
		expect(portsToCheck(cfg, null, {}).map((c) => c.variable)).toEqual(['PORT']);
		expect(portsToCheck(cfg, null, { SOCKET_PATH: '/run/portal.sock' })).toEqual([]);
		expect(portsToCheck(cfg, null, { LISTEN_FDS: '1' })).toEqual([]);
	});
});

describe('checkPorts', () => {
	it('passes when every port is free (0 = any port)', async () => {
		await expect(checkPorts([{ port: 0, host: '127.0.0.1', variable: 'PORT' }])).resolves.toBeUndefined();
	});

	it('names a really taken port and suggests a free one that no other checked port uses', async () => {
		const taken = await listen();
		const error = await checkPorts([
			{ port: taken, host: '127.0.0.1', variable: 'PORT' },
			{ port: taken + 1, host: '127.0.0.1', variable: 'DEV_EID_PORT' }
		]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(StartupError);
		const match = /^Port (\d+) is already in use — is another portal running\? Start with PORT=(\d+) npm start\.$/.exec((error as Error).message);
		expect(match?.[1]).toBe(String(taken));
		expect(Number(match?.[2])).toBeGreaterThan(taken + 1);
	});
});

describe('explainStartupFailure', () => {
	it('says what the configuration gets wrong, naming the variable and not its value', () => {
		let error: unknown;
		try {
			parseConfig({ DEV_EID_PORT: 'abc', DATABASE_URL: 'mysql://secret@host/db' });
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ConfigError);
		const sentence = explainStartupFailure(error);
		expect(sentence).toMatch(/^Invalid configuration: .* — see \.env\.example\.$/);
		expect(sentence).toContain('DEV_EID_PORT is not valid (');
		expect(sentence).toContain('DATABASE_URL is not valid (must be a postgres:// connection URL)');
		expect(sentence).not.toContain('secret');
		expect(sentence).not.toContain('\n');
	});

	it('words a failed migration, a plain error and an error without a message', () => {
		expect(explainStartupFailure(new MigrationError('Migration 0042_x failed: error: boom'))).toBe('The database could not be migrated: Migration 0042_x failed: error: boom.');
		expect(explainStartupFailure(new Error('connect ECONNREFUSED\n  at x'))).toBe('The portal could not start: connect ECONNREFUSED at x.');
		expect(explainStartupFailure(undefined)).toMatch(/gave no message/);
		expect(explainStartupFailure(new Error(''))).not.toContain('undefined');
	});
});

describe('startOrExplain', () => {
	it('stops what had started and throws one sentence', async () => {
		let cleaned = false;
		const error = await startOrExplain(
			() => Promise.reject(new Error('boom')),
			async () => {
				cleaned = true;
			}
		).catch((e: unknown) => e);
		expect(cleaned).toBe(true);
		expect(error).toBeInstanceOf(StartupError);
		expect((error as Error).message).toBe('The portal could not start: boom.');
	});

	it('does nothing more when the start succeeds', async () => {
		let cleaned = false;
		await startOrExplain(async () => {}, async () => {
			cleaned = true;
		});
		expect(cleaned).toBe(false);
	});
});
