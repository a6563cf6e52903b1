import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isPortFree, nextFreePort } from './ports';

const servers: net.Server[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

function listen(port = 0): Promise<number> {
	const server = net.createServer();
	servers.push(server);
	return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

describe('isPortFree', () => {
	it('is false while something listens on the port and true once it stopped', async () => {
		const port = await listen();
		expect(await isPortFree(port)).toBe(false);
		await new Promise((resolve) => servers.pop()!.close(resolve));
		expect(await isPortFree(port)).toBe(true);
	});
});

describe('nextFreePort', () => {
	it('takes the start itself when it is free', async () => {
		expect(await nextFreePort(54329, () => true)).toBe(54329);
	});

	it('skips taken ports and the ones to avoid', async () => {
		const taken = new Set([3000, 3001]);
		expect(await nextFreePort(3000, (p) => !taken.has(p), { avoid: [3002] })).toBe(3003);
	});

	it('gives up after the number of tries and never goes past 65535', async () => {
		expect(await nextFreePort(3000, (p) => p > 3010, { tries: 5 })).toBeUndefined();
		expect(await nextFreePort(65534, (p) => p > 65534)).toBe(65535);
		expect(await nextFreePort(65535, () => false)).toBeUndefined();
	});

	it('finds a really free port past a really taken one', async () => {
		const port = await listen();
		const found = await nextFreePort(port, (p) => isPortFree(p));
		expect(found).toBeGreaterThan(port);
		expect(await isPortFree(found!)).toBe(true);
	});
});
