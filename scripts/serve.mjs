// The portal's server (npm start runs it through scripts/start.sh; so do the end-to-end tests and
// the benchmarks): the built portal (build/handler.js) behind the admission gate, in one process
// or as a cluster of N (--processes N), with a failed start reported as one sentence and the
// path of the full log instead of a stack trace. Plain JavaScript: it runs without tsx (a devDependency) and without a build step.
import { appendFileSync, chmodSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';

const logFile = process.env.LOG_FILE;

/** The details (stack, cause) go to the log file; the terminal gets one sentence. */
function fail(sentence, error) {
	if (logFile && error) {
		const details = error instanceof Error ? `${error.stack ?? error.message}${error.cause ? `\nCaused by: ${error.cause?.stack ?? error.cause}` : ''}` : String(error);
		try {
			appendFileSync(logFile, `${JSON.stringify({ level: 60, time: new Date().toISOString(), msg: sentence, details })}\n`);
		} catch {
			// The terminal still gets the sentence.
		}
	}
	// The log's last lines are written asynchronously: let them out first, so the sentence ends the output.
	setTimeout(() => {
		process.stderr.write(`\n${sentence}\n${logFile ? `The full log is in ${logFile}\n` : ''}`);
		process.exit(1);
	}, 200);
}

function sentenceOf(error) {
	if (error?.name === 'StartupError' && error.message) return error.message;
	if (error?.code === 'EADDRINUSE') {
		const port = error.port ?? process.env.PORT;
		return `Port ${port} is already in use — is another portal running? Start with PORT set to a free port.`;
	}
	const message = error instanceof Error ? error.message : error == null ? '' : String(error);
	return message.trim()
		? `The portal stopped on an unexpected error: ${message.replace(/\s*\n\s*/g, ' ').trim()}`
		: 'The portal stopped on an unexpected error that gave no message.';
}

// adapter-node listens without an error handler: a port taken after the check lands here.
process.on('uncaughtException', (error) => fail(sentenceOf(error), error));
// A rejection nobody awaited is fatal only while the portal starts. Once it serves, it is logged
// (src/hooks.server.ts logs it too) and everyone else's requests go on (issue 19): a batch or a
// background task's stray rejection ended the whole process and every request in flight.
let serving = false;
process.on('unhandledRejection', (error) => {
	if (!serving) fail(sentenceOf(error), error);
	else note('unhandled promise rejection', { err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) });
});

/** A line for the log file only (the terminal stays for what the operator must act on). */
function note(msg, fields = {}) {
	const line = `${JSON.stringify({ level: 30, time: new Date().toISOString(), pid: process.pid, msg, ...fields })}\n`;
	try {
		if (logFile) appendFileSync(logFile, line);
		else process.stderr.write(line);
	} catch {
		// Nothing else to tell.
	}
}

/**
 * How many portal processes (issue 16): `npm start -- --processes N` or PORTAL_PROCESSES=N.
 * 1 (the default) is one process doing everything, exactly as before.
 */
function processCount() {
	const args = process.argv.slice(2);
	const i = args.indexOf('--processes');
	const text = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith('--processes='))?.slice('--processes='.length) ?? process.env.PORTAL_PROCESSES;
	if (text === undefined || text === '') return 1;
	const n = Number(text);
	if (!Number.isInteger(n) || n < 1 || n > 64) {
		process.stderr.write(`--processes (PORTAL_PROCESSES) must be a whole number from 1 to 64, not "${text}".\n`);
		process.exit(1);
	}
	return n;
}

/**
 * The front (issue 20, src/lib/server/front.ts): `npm start -- --front` or PORTAL_FRONT=1. The
 * primary holds the public port, makes every admission decision and answers refused scripts
 * itself, in a process that runs no page; the workers (one unless --processes) serve on Unix
 * sockets only it can reach.
 */
function frontMode() {
	return process.argv.slice(2).includes('--front') || /^(1|true|yes)$/i.test(process.env.PORTAL_FRONT ?? '');
}

/**
 * Prometheus metrics on their own listener, 127.0.0.1:METRICS_PORT (9464 unless set; 0 turns
 * it off), never on the public port and never behind admission control (issue 20). `collect`
 * gives the exposition text. A taken port is noted in the log; the portal serves on.
 */
function startMetricsListener(collect) {
	const port = Number(process.env.METRICS_PORT ?? 9464);
	if (!Number.isInteger(port) || port <= 0) return undefined;
	const host = process.env.METRICS_HOST ?? '127.0.0.1';
	const server = http.createServer((req, res) => {
		if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
			res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: GET /metrics\n');
			return;
		}
		collect().then(
			({ text, contentType }) => res.writeHead(200, { 'content-type': contentType }).end(text),
			(error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${error?.message ?? error}\n`)
		);
	});
	server.on('error', (error) => note('the metrics listener could not start (METRICS_PORT taken?); metrics are not served', { level: 40, port, err: error.message }));
	server.listen(port, host, () => note('metrics served', { url: `http://${host}:${port}/metrics` }));
	server.unref();
	return server;
}

/**
 * The cluster's primary (issue 16): runs the portal's start once (hooks init through
 * build/handler.js with PORTAL_ROLE=primary: the embedded PostgreSQL and its migrations, the
 * development eID, the mail catcher, the job queue), then forks `count` workers that serve on
 * the shared PORT. A worker that dies is forked again; SIGHUP restarts them one by one (a new
 * one listening before the old one drains); SIGTERM/SIGINT drains them all, then stops what
 * the primary started.
 */
async function runPrimary(count, withFront) {
	const cluster = (await import('node:cluster')).default;
	process.env.PORTAL_ROLE = 'primary';
	await import('../build/handler.js');
	const databaseUrl = process.env.PORTAL_DATABASE_URL;
	if (!databaseUrl) throw new Error('the primary did not start the database');
	const workerEnv = { PORTAL_ROLE: 'worker', DATABASE_URL: databaseUrl, SEED_DEMO_DATA: 'false' };
	// Round-robin: the primary accepts and hands each connection to the next worker.
	cluster.schedulingPolicy = cluster.SCHED_RR;
	cluster.setupPrimary({ exec: fileURLToPath(import.meta.url), args: [] });

	// With the front, each worker serves on its own socket in a directory only this user can enter.
	const front = withFront ? globalThis[Symbol.for('volebni-portal.front')]?.() : undefined;
	if (withFront && !front) throw new Error('the build has no front (src/lib/server/front.ts): rebuild the portal');
	const socketDir = withFront ? mkdtempSync(path.join(os.tmpdir(), 'volebni-portal-front-')) : undefined;
	if (socketDir) {
		chmodSync(socketDir, 0o700);
		process.once('exit', () => rmSync(socketDir, { recursive: true, force: true }));
	}

	let stopping = false;
	const retiring = new Set();
	const recentCrashes = [];

	function fork() {
		const socketPath = socketDir ? path.join(socketDir, `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.sock`) : undefined;
		const worker = cluster.fork(
			socketPath
				? // The client's address comes from the front, in a header no client can send past it (front.ts).
					{ ...workerEnv, PORTAL_FRONT_SOCKET: socketPath, ADDRESS_HEADER: 'x-portal-client-address', XFF_DEPTH: '1' }
				: workerEnv
		);
		const listening = new Promise((resolve, reject) => {
			if (socketPath) {
				worker.on('message', (message) => {
					if (message?.type !== 'volebni-portal:front-socket') return;
					if (!stopping && !retiring.has(worker.id)) front.backends.add(worker.id, socketPath);
					resolve(worker);
				});
			} else worker.once('listening', () => resolve(worker));
			worker.once('exit', (code, signal) => reject(new Error(`worker ${worker.process.pid} exited (${signal ?? code}) before it listened`)));
		});
		listening.catch(() => {});
		return { worker, listening };
	}

	cluster.on('exit', (worker, code, signal) => {
		front?.backends.remove(worker.id);
		if (stopping || retiring.has(worker.id)) return;
		note('a portal worker died; forking another', { level: 40, worker: worker.process.pid, code, signal });
		const now = Date.now();
		recentCrashes.push(now);
		while (recentCrashes.length && recentCrashes[0] < now - 30_000) recentCrashes.shift();
		// A worker that dies at start again and again is not forked in a tight loop.
		setTimeout(() => fork(), recentCrashes.length > 5 ? 2_000 : 0);
	});

	/** SIGTERM to one worker: it stops taking connections, finishes its requests (SHUTDOWN_TIMEOUT) and exits. */
	function retire(worker) {
		retiring.add(worker.id);
		// The front sends it nothing new; what it has in flight finishes.
		front?.backends.remove(worker.id);
		const exited = new Promise((resolve) => worker.once('exit', resolve));
		if (worker.isDead()) return Promise.resolve();
		worker.process.kill('SIGTERM');
		const limit = (Number(process.env.SHUTDOWN_TIMEOUT ?? 30) + 10) * 1000;
		const kill = setTimeout(() => worker.process.kill('SIGKILL'), limit);
		return exited.finally(() => clearTimeout(kill));
	}

	async function rollingRestart() {
		if (stopping) return;
		const old = Object.values(cluster.workers ?? {}).filter((w) => w && !retiring.has(w.id));
		note('rolling restart of the portal workers', { workers: old.length });
		for (const worker of old) {
			if (stopping) return;
			// The new one listens before the old one drains: there is always one to take a connection.
			await fork().listening.catch((error) => note('a new worker did not start', { level: 50, err: error.message }));
			await retire(worker);
		}
		note('rolling restart done');
	}

	let frontServer;
	async function shutdown(signal) {
		if (stopping) return;
		stopping = true;
		note('stopping the portal workers', { signal });
		if (frontServer) net.Server.prototype.close.call(frontServer);
		await Promise.all(Object.values(cluster.workers ?? {}).map((w) => w && retire(w)));
		// The primary's own services (job queue, mail catcher, dev eID, database): hooks.server.ts.
		process.emit('sveltekit:shutdown', signal);
		setTimeout(() => process.exit(0), 15_000).unref();
	}

	process.on('SIGTERM', () => void shutdown('SIGTERM'));
	process.on('SIGINT', () => void shutdown('SIGINT'));
	process.on('SIGHUP', () => void rollingRestart());

	const started = await Promise.allSettled(Array.from({ length: count }, () => fork().listening));
	const failed = started.find((r) => r.status === 'rejected');
	if (failed && started.every((r) => r.status === 'rejected')) throw failed.reason;
	note('portal workers listening', { workers: count });
	if (front) {
		frontServer = await listenPublic(front.handler);
		process.stderr.write(`the front (primary ${process.pid}) serves on port ${process.env.PORT || 3000} and hands requests to ${count} portal process${count === 1 ? '' : 'es'} (SIGHUP restarts them one by one)\n`);
	} else process.stderr.write(`${count} portal processes serve on port ${process.env.PORT} (primary ${process.pid}; SIGHUP restarts them one by one)\n`);

	const client = (await import('prom-client')).default;
	const aggregator = new client.AggregatorRegistry();
	// The primary's own series go into the same sums as the workers' (the job queue runs here;
	// with the front, so do the refusals it answers and their requests): prom-client's
	// clusterMetrics aggregates what the workers send through AggregatorRegistry.aggregate.
	let primaryMetrics = [];
	const aggregate = client.AggregatorRegistry.aggregate.bind(client.AggregatorRegistry);
	client.AggregatorRegistry.aggregate = (responses) => aggregate([...responses, primaryMetrics]);
	startMetricsListener(async () => {
		primaryMetrics = await client.register.getMetricsAsJSON();
		return { text: await aggregator.clusterMetrics(), contentType: client.register.contentType };
	});
}

/**
 * The portal's HTTP server, in a single process and in each worker: adapter-node's handler
 * behind the admission gate (issue 20). The gate (src/lib/server/admission-gate.ts, published by
 * the hooks when they load) counts every request against the process's admission bound before
 * SvelteKit sees it, and answers a script it refuses itself: about a third of the processor
 * time a refusal costs inside SvelteKit, which under overload is what the filings need. As
 * adapter-node's own server (build/index.js) does: HOST, PORT, KEEP_ALIVE_TIMEOUT,
 * HEADERS_TIMEOUT, SHUTDOWN_TIMEOUT.
 *
 * It drains in two steps (issue 16): first it closes its listener, so that no new connection
 * comes (in a cluster: the primary hands it none), while keeping for half a second the
 * connections it was just handed (their request may not have been read yet: closing them as
 * idle at once, as adapter-node's own SIGTERM handler does, dropped one now and then in a
 * rolling restart); then it closes connections as they become idle and, after
 * SHUTDOWN_TIMEOUT, every one. When the last has closed it emits 'sveltekit:shutdown' as
 * adapter-node does (hooks.server.ts closes the pool and what the process started).
 */
async function serve() {
	// Runs the hooks' init (which checks the ports, starts the database, …) before it listens.
	const { handler } = await import('../build/handler.js');
	// Behind the front (--front) the front has decided; the worker believes it (src/lib/server/front.ts).
	const frontSocket = process.env.PORTAL_FRONT_SOCKET;
	const gate = globalThis[Symbol.for(frontSocket ? 'volebni-portal.behind-front-gate' : 'volebni-portal.admission-gate')];
	// The results feed's plain polls, answered without SvelteKit (src/lib/server/feed/results-front.ts).
	const feedFront = globalThis[Symbol.for('volebni-portal.results-feed-front')];
	const portal = (req, res) => {
		if (gate?.(req, res)) return;
		if (feedFront?.(req, res)) return;
		handler(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	};
	if (!frontSocket) return listenPublic(portal);

	const server = http.createServer(portal);
	// The front keeps its connections to the worker open: longer than the front's own idle clients.
	server.keepAliveTimeout = 65_000;
	server.headersTimeout = 66_000;
	drainOnSignal(server);
	rmSync(frontSocket, { force: true });
	await new Promise((resolve) => server.listen({ path: frontSocket, exclusive: true, backlog: 4096 }, resolve));
	process.send?.({ type: 'volebni-portal:front-socket', path: frontSocket });
	return server;
}

const seconds = (name) => {
	const value = Number(process.env[name]);
	return process.env[name] && Number.isFinite(value) ? value * 1000 : undefined;
};

/** The public listener (HOST, PORT): of a single process, of each worker, or of the front. */
async function listenPublic(onRequest) {
	const server = http.createServer(onRequest);
	server.keepAliveTimeout = seconds('KEEP_ALIVE_TIMEOUT') ?? server.keepAliveTimeout;
	server.headersTimeout = seconds('HEADERS_TIMEOUT') ?? server.headersTimeout;
	// The front's drain is the primary's shutdown (runPrimary).
	if (process.env.PORTAL_ROLE !== 'primary') drainOnSignal(server);

	const host = process.env.HOST || '0.0.0.0';
	const port = Number(process.env.PORT || 3000);
	server.on('error', (error) => fail(sentenceOf(Object.assign(error, { port })), error));
	// A deadline-evening surge opens connections faster than a busy event loop accepts them:
	// Node's default backlog of 511 overflowed in the 3× overload bench (the kernel dropped the
	// SYNs, and the clients waited out a 1 s retransmission). The kernel caps it at somaxconn.
	const backlog = Number(process.env.LISTEN_BACKLOG) || 4096;
	await new Promise((resolve) => server.listen({ host, port, backlog }, resolve));
	console.log(`Listening on http://${host.includes(':') ? `[${host}]` : host}:${port}`);
	return server;
}

/** A portal process's two-step drain on SIGTERM/SIGINT (see serve). */
function drainOnSignal(server) {
	let draining = false;
	const drain = (signal) => {
		if (draining) return;
		draining = true;
		server.once('close', () => process.emit('sveltekit:shutdown', signal));
		// net.Server's close: the listener only (http.Server's also closes idle connections at once).
		net.Server.prototype.close.call(server);
		setTimeout(() => {
			server.closeIdleConnections();
			setInterval(() => server.closeIdleConnections(), 100).unref();
		}, 500).unref();
		setTimeout(() => server.closeAllConnections(), Number(process.env.SHUTDOWN_TIMEOUT ?? 30) * 1000).unref();
	};
	process.on('SIGTERM', () => drain('SIGTERM'));
	process.on('SIGINT', () => drain('SIGINT'));
}

async function runWorker() {
	// The IPC channel would keep the worker alive after the shutdown.
	process.once('sveltekit:shutdown', () => setTimeout(() => process.exit(0), 10_000).unref());
	await serve();
}

async function runSingle() {
	await serve();
	const client = (await import('prom-client')).default;
	startMetricsListener(async () => ({ text: await client.register.metrics(), contentType: client.register.contentType }));
}

try {
	const cluster = (await import('node:cluster')).default;
	if (cluster.isWorker) await runWorker();
	else {
		const count = processCount();
		const withFront = frontMode();
		if (count > 1 || withFront) await runPrimary(count, withFront);
		else await runSingle();
	}
	serving = true;
} catch (error) {
	fail(sentenceOf(error), error);
}
