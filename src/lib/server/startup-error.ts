/**
 * The portal could not start. Its message is one sentence for the person who started it,
 * saying what is wrong and what to do; scripts/serve.mjs prints it with the path of the log.
 */
export class StartupError extends Error {
	constructor(message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'StartupError';
	}
}
