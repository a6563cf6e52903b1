/**
 * The portal could not start. Its message is one sentence for the person who started it,
 * saying what is wrong and what to do; scripts/serve.mjs prints it with the path of the log.
 */
export class StartupError extends Error {
	/** What the log should keep beyond the sentence (e.g. PostgreSQL's own output). */
	readonly details?: string;

	constructor(message: string, options?: ErrorOptions & { details?: string }) {
		super(message, options);
		this.name = 'StartupError';
		this.details = options?.details;
	}
}
