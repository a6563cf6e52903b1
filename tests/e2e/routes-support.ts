/**
 * What the specs that go through every route share (access-matrix.spec.ts, fuzz.spec.ts,
 * paths.spec.ts): the routes, read from src/routes when the test runs (so that a route added
 * later is covered without touching a spec), principals of a test's own made by
 * /api/test/session, and a pool that sends requests a few at a time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type APIRequestContext, type APIResponse, type PlaywrightWorkerArgs } from '@playwright/test';

export const ROUTES_DIR = path.resolve('src/routes');
const ROUTE_FILES = new Set(['+page.svelte', '+page.server.ts', '+page.ts', '+server.ts']);

export interface Route {
	/** e.g. /urad/zastupitelsky-urad/zadosti/[id] (SvelteKit's route id without its groups: `(volic)`, `(verejne)`). */
	pattern: string;
	params: string[];
	page: boolean;
	/** A +page.server.ts with form actions. */
	actions: boolean;
	/** A +server.ts that handles GET. */
	getEndpoint: boolean;
	/** A +server.ts that handles POST. */
	postEndpoint: boolean;
}

/** Every route under src/routes, groups `(x)` removed, sorted by pattern. */
export function listRoutes(): Route[] {
	const byPattern = new Map<string, Route>();
	for (const entry of readdirSync(ROUTES_DIR, { recursive: true, withFileTypes: true })) {
		if (!entry.isFile() || !ROUTE_FILES.has(entry.name)) continue;
		const dir = path.relative(ROUTES_DIR, entry.parentPath);
		const segments = dir.split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
		const pattern = `/${segments.join('/')}`;
		const route = byPattern.get(pattern) ?? {
			pattern,
			params: segments.filter((s) => /^\[[^\]]+\]$/.test(s)).map((s) => s.slice(1, -1)),
			page: false,
			actions: false,
			getEndpoint: false,
			postEndpoint: false
		};
		const source = entry.name.endsWith('.ts') ? readFileSync(path.join(entry.parentPath, entry.name), 'utf8') : '';
		if (entry.name === '+page.server.ts' && /export const actions\b/.test(source)) route.actions = true;
		if (entry.name !== '+server.ts') route.page = true;
		else {
			if (/export (const|async function|function) GET\b/.test(source)) route.getEndpoint = true;
			if (/export (const|async function|function) POST\b/.test(source)) route.postEndpoint = true;
		}
		byPattern.set(pattern, route);
	}
	return [...byPattern.values()].sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/**
 * A request context of its own at the instant `now` (x-test-now), logged in as /api/test/session
 * makes `body` (a voter or staff member of the test's own; null: nobody).
 */
export async function testPrincipal(playwright: PlaywrightWorkerArgs['playwright'], baseURL: string, now: string, body: unknown | null): Promise<APIRequestContext> {
	const context = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { 'x-test-now': now } });
	if (body) {
		const response = await context.post('/api/test/session', { data: body });
		expect(response.status(), await response.text()).toBe(200);
	}
	return context;
}

/** Runs `worker` over `items`, `concurrency` at a time. */
export async function pool<T>(items: readonly T[], concurrency: number, worker: (item: T, index: number) => Promise<void>): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			for (let i = next++; i < items.length; i = next++) await worker(items[i]!, i);
		})
	);
}

/**
 * Sends once more when the connection was reset before any answer: a keep-alive connection that
 * the server closed as idle just as the client reused it (`onRetry` counts them). A server that
 * really drops the request, or has gone, fails the second time too.
 */
export async function sendAgainOnReset(send: () => Promise<APIResponse>, onRetry: () => void = () => {}): Promise<APIResponse> {
	try {
		return await send();
	} catch (e) {
		if (!/ECONNRESET|EPIPE|socket hang up/.test(String(e))) throw e;
		onRetry();
		return send();
	}
}
