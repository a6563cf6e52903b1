import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Admitter } from './admission';
import { GATE_VERDICT, type GateVerdict } from './admission-handle';
import { Backends, behindFrontGate, FRONT_ADMISSION, FRONT_CLIENT_ADDRESS, frontGate, frontHandler } from './front';

interface Seen {
	worker: number;
	verdict: GateVerdict | undefined;
	headers: http.IncomingHttpHeaders;
	body: string;
}

/** The front as scripts/serve.mjs runs it (--front), over `workers` servers on Unix sockets that hold each request until told. */
async function world(workers: number, maxInFlight: number) {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'front-test-'));
	const backends = new Backends();
	const held: (() => void)[] = [];
	const seen: Seen[] = [];
	const counters: Admitter[] = [];
	const servers: http.Server[] = [];
	for (let id = 1; id <= workers; id++) {
		const counter = new Admitter(() => ({ maxInFlight, retryAfterSeconds: 5 }));
		const gate = behindFrontGate(counter);
		const socketPath = path.join(dir, `${id}.sock`);
		const server = http.createServer(async (req: IncomingMessage, res) => {
			gate(req, res);
			let body = '';
			for await (const chunk of req) body += chunk;
			seen.push({ worker: id, verdict: (req as IncomingMessage & { [GATE_VERDICT]?: GateVerdict })[GATE_VERDICT], headers: req.headers, body });
			held.push(() => {
				res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; Path=/']);
				res.end(`worker ${id}`);
			});
		});
		server.listen(socketPath);
		await once(server, 'listening');
		backends.add(id, socketPath);
		counters.push(counter);
		servers.push(server);
	}
	const front = http.createServer(frontHandler(frontGate(() => ({ maxInFlight, retryAfterSeconds: 5 }), backends), backends, {}));
	front.listen(0, '127.0.0.1');
	await once(front, 'listening');
	const base = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
	const close = () => {
		front.closeAllConnections();
		front.close();
		for (const s of servers) {
			s.closeAllConnections();
			s.close();
		}
		rmSync(dir, { recursive: true, force: true });
	};
	return { base, held, seen, counters, backends, close };
}

let close: (() => void) | undefined;
afterEach(() => close?.());

describe('the front (--front)', () => {
	it('hands admitted requests to the least busy worker with the client address, and drops the headers a client may not send', async () => {
		const w = await world(2, 4);
		close = w.close;
		const first = fetch(`${w.base}/muj-zaznam`, { headers: { [FRONT_ADMISSION]: 'refused; retry-after=1', [FRONT_CLIENT_ADDRESS]: '6.6.6.6' } });
		await expect.poll(() => w.held.length).toBe(1);
		const second = fetch(`${w.base}/muj-zaznam`);
		await expect.poll(() => w.held.length).toBe(2);
		// One each: the second went to the worker that had nothing in flight.
		expect(w.seen.map((s) => s.worker).sort()).toEqual([1, 2]);
		for (const s of w.seen) {
			expect(s.verdict).toEqual({ admitted: true });
			expect(s.headers[FRONT_ADMISSION]).toBe('admitted');
			expect(s.headers[FRONT_CLIENT_ADDRESS]).toBe('127.0.0.1');
		}
		// Each worker counts what the front admitted (the test-only filing limit reads it).
		expect(w.counters.map((c) => c.inFlight)).toEqual([1, 1]);
		for (const release of w.held.splice(0)) release();
		const answers = await Promise.all([first, second]);
		expect(answers.map((a) => a.status)).toEqual([200, 200]);
		expect(answers[0]!.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
		await expect.poll(() => w.counters.map((c) => c.inFlight)).toEqual([0, 0]);
	});

	it('admits the bound of all its workers together and refuses a script beyond it itself, before any worker', async () => {
		const w = await world(2, 2);
		close = w.close;
		// `start` may fill half the bound: 1 per worker, 2 for the two.
		const pages = [fetch(`${w.base}/`), fetch(`${w.base}/`)];
		await expect.poll(() => w.held.length).toBe(2);
		const refused = await fetch(`${w.base}/volby.json`, { headers: { accept: 'application/json' } });
		expect(refused.status).toBe(503);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(5);
		expect(await refused.json()).toMatchObject({ code: 'overloaded' });
		expect(w.seen).toHaveLength(2);

		// A browser's refused request goes on, marked, for the page that keeps the answers.
		const page = fetch(`${w.base}/`, { headers: { accept: 'text/html' } });
		await expect.poll(() => w.held.length).toBe(3);
		expect(w.seen[2]!.verdict).toMatchObject({ admitted: false, retryAfterSeconds: expect.any(Number) });
		expect(w.seen[2]!.headers[FRONT_ADMISSION]).toMatch(/^refused; retry-after=\d+$/);

		// A filing goes in beside them, its body streamed through whole.
		const body = 'x'.repeat(200_000);
		const filing = fetch(`${w.base}/api/voter/requests`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
		await expect.poll(() => w.held.length).toBe(4);
		expect(w.seen[3]!.body).toBe(body);

		for (const release of w.held.splice(0)) release();
		expect((await Promise.all([...pages, page, filing])).map((a) => a.status)).toEqual([200, 200, 200, 200]);
	});

	it('answers 503 at once when no worker is there to take the request: the outage page in the visitor\'s language, JSON for scripts', async () => {
		const w = await world(1, 4);
		close = w.close;
		w.backends.remove(1);
		const page = await fetch(`${w.base}/muj-zaznam`, { headers: { accept: 'text/html' } });
		expect(page.status).toBe(503);
		expect(page.headers.get('retry-after')).toBe('2');
		expect(page.headers.get('content-type')).toMatch(/^text\/html/);
		const html = await page.text();
		expect(html).toContain('<html lang="cs">');
		expect(html).toContain('Služba je dočasně nedostupná');
		const english = await fetch(`${w.base}/muj-zaznam`, { headers: { accept: 'text/html', cookie: 'PARAGLIDE_LOCALE=en' } });
		expect(await english.text()).toContain('<html lang="en">');
		const api = await fetch(`${w.base}/api/voter/requests`, { method: 'POST', body: '{}', headers: { accept: 'application/json' } });
		expect(api.status).toBe(503);
		expect(((await api.json()) as { error: { code: string } }).error.code).toBe('unavailable');
		expect(w.seen).toHaveLength(0);
	});
});
