import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Admitter } from './admission';
import { admissionGate } from './admission-gate';
import { GATE_VERDICT, type GateVerdict } from './admission-handle';

/** A server as scripts/serve.mjs makes it, with the gate over `counter` and a handler that holds requests until told. */
async function serve(counter: Admitter) {
	const gate = admissionGate(counter);
	const held: (() => void)[] = [];
	const seen: (GateVerdict | undefined)[] = [];
	const server = http.createServer((req, res) => {
		if (gate(req, res)) return;
		seen.push((req as unknown as Record<symbol, GateVerdict>)[GATE_VERDICT]);
		held.push(() => res.end('ok'));
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { server, base, held, seen };
}

let close: (() => void) | undefined;
afterEach(() => close?.());

describe('the admission gate in front of SvelteKit', () => {
	it('counts what it admits until the answer is done, and refuses a script at once in its shape and language', async () => {
		const counter = new Admitter(() => ({ maxInFlight: 4, retryAfterSeconds: 5 }), () => 0);
		const { server, base, held, seen } = await serve(counter);
		close = () => server.close();

		// `start` may fill half of the bound: two page views are admitted, the third refused.
		const first = fetch(`${base}/`);
		const second = fetch(`${base}/`);
		await expect.poll(() => held.length).toBe(2);
		expect(counter.inFlight).toBe(2);
		expect(seen).toEqual([{ admitted: true }, { admitted: true }]);

		const api = await fetch(`${base}/volby.json`, { headers: { accept: 'application/json', cookie: 'PARAGLIDE_LOCALE=en' } });
		expect(api.status).toBe(503);
		expect(api.headers.get('retry-after')).toBe('5');
		expect(api.headers.get('x-content-type-options')).toBe('nosniff');
		expect(await api.json()).toEqual({ message: expect.stringMatching(/busy|overloaded/i), code: 'overloaded', retryAfterSeconds: 5 });

		// The voters' API gets its own error shape; Czech without the English cookie.
		const voter = await fetch(`${base}/api/voter/cases`, { headers: { accept: 'application/json' } });
		expect(voter.status).toBe(503);
		const body = (await voter.json()) as { error: { code: string; message: string } };
		expect(body.error.code).toBe('overloaded');
		expect(body.error.message).toMatch(/přetížen/);

		// A filing (finish) still goes in beside them.
		const filing = fetch(`${base}/api/voter/requests`, { method: 'POST', body: '{}' });
		await expect.poll(() => held.length).toBe(3);

		for (const release of held.splice(0)) release();
		await Promise.all([first, second, filing]);
		await expect.poll(() => counter.inFlight).toBe(0);
	});

	it('hands a refused browser request on, marked, for the page that keeps the answers', async () => {
		const counter = new Admitter(() => ({ maxInFlight: 2, retryAfterSeconds: 7 }), () => 0);
		const { server, base, held, seen } = await serve(counter);
		close = () => server.close();
		const first = fetch(`${base}/`);
		await expect.poll(() => held.length).toBe(1);
		const page = fetch(`${base}/`, { headers: { accept: 'text/html' } });
		await expect.poll(() => held.length).toBe(2);
		expect(seen[1]).toEqual({ admitted: false, retryAfterSeconds: 7 });
		// A refused request is not counted.
		expect(counter.inFlight).toBe(1);
		for (const release of held.splice(0)) release();
		await Promise.all([first, page]);
	});

	it('never refuses /health or the static files', async () => {
		const counter = new Admitter(() => ({ maxInFlight: 1, retryAfterSeconds: 5 }), () => 0);
		const { server, base, held } = await serve(counter);
		close = () => server.close();
		const answers = ['/health', '/admission-retry.js', '/_app/immutable/x.js', '/favicon.svg'].map((p) => fetch(`${base}${p}`));
		await expect.poll(() => held.length).toBe(4);
		for (const release of held.splice(0)) release();
		expect((await Promise.all(answers)).map((a) => a.status)).toEqual([200, 200, 200, 200]);
	});
});
