// The portal's server (npm start runs it through scripts/start.sh; so do the end-to-end tests and
// the benchmarks): the built portal (build/handler.js) behind the admission gate, with a
// failed start reported as one sentence and the path of the full log instead of a stack
// trace. Plain JavaScript: it runs without tsx (a devDependency) and without a build step.
import { appendFileSync } from 'node:fs';
import http from 'node:http';
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
process.on('unhandledRejection', (error) => fail(sentenceOf(error), error));

let handler;
try {
	// Runs the hooks' init (which checks the ports, starts the database, …) before it listens.
	({ handler } = await import('../build/handler.js'));
} catch (error) {
	fail(sentenceOf(error), error);
}

if (handler) listen(handler);

/**
 * The portal's HTTP server: adapter-node's handler behind the admission gate (issue 20). The
 * gate (src/lib/server/admission-gate.ts, published by the hooks when they load) counts every
 * request against the process's admission bound before SvelteKit sees it, and answers a script
 * it refuses itself: about a third of the processor time a refusal costs inside SvelteKit, which
 * under overload is what the filings need. As adapter-node's own server (build/index.js) does:
 * HOST, PORT, KEEP_ALIVE_TIMEOUT, HEADERS_TIMEOUT; on SIGTERM/SIGINT it stops accepting,
 * finishes what is in flight (at most SHUTDOWN_TIMEOUT seconds) and emits sveltekit:shutdown,
 * on which the hooks close the database.
 */
function listen(handler) {
	const gate = globalThis[Symbol.for('volebni-portal.admission-gate')];
	const notFound = (_req, res) => {
		res.statusCode = 404;
		res.end('Not found');
	};
	const server = http.createServer((req, res) => {
		if (gate?.(req, res)) return;
		handler(req, res, () => notFound(req, res));
	});
	const seconds = (name) => {
		const value = Number(process.env[name]);
		return process.env[name] && Number.isFinite(value) ? value * 1000 : undefined;
	};
	server.keepAliveTimeout = seconds('KEEP_ALIVE_TIMEOUT') ?? server.keepAliveTimeout;
	server.headersTimeout = seconds('HEADERS_TIMEOUT') ?? server.headersTimeout;

	let shuttingDown;
	server.on('request', (req) => {
		// While shutting down, connections close as soon as they are idle, so that they take no new request.
		req.on('close', () => shuttingDown && server.closeIdleConnections());
	});
	const shutdown = (reason) => {
		if (shuttingDown) return;
		server.closeIdleConnections();
		server.close(() => {
			clearTimeout(shuttingDown);
			process.emit('sveltekit:shutdown', reason);
		});
		shuttingDown = setTimeout(() => server.closeAllConnections(), (Number(process.env.SHUTDOWN_TIMEOUT) || 30) * 1000);
	};
	process.on('SIGTERM', shutdown);
	process.on('SIGINT', shutdown);

	const host = process.env.HOST || '0.0.0.0';
	const port = Number(process.env.PORT || 3000);
	server.on('error', (error) => fail(sentenceOf(Object.assign(error, { port })), error));
	server.listen({ host, port }, () => console.log(`Listening on http://${host.includes(':') ? `[${host}]` : host}:${port}`));
}
