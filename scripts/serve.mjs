// npm start's server (run by scripts/start.sh): the built portal (build/index.js), with a
// failed start reported as one sentence and the path of the full log instead of a stack
// trace. Plain JavaScript: it runs without tsx (a devDependency) and without a build step.
import { appendFileSync } from 'node:fs';
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

try {
	// Runs the hooks' init (which checks the ports, starts the database, …) before it listens.
	await import('../build/index.js');
} catch (error) {
	fail(sentenceOf(error), error);
}
