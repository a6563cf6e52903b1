import { z } from 'zod';

/**
 * All configuration comes from environment variables, validated once at start.
 * A bad value stops the process with a message that names the variable.
 */
const booleanFromEnv = z
	.enum(['true', 'false', '1', '0', 'yes', 'no'])
	.transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
	APP_ENV: z.enum(['development', 'test', 'production']).default('development'),
	PUBLIC_ORIGIN: z.url().optional(),
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL')
		.optional(),
	DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
	DATA_DIR: z.string().min(1).default('.data'),
	/**
	 * Admission control (issue 20, admission.ts, docs/RELIABILITY.md): requests in flight in one
	 * process beyond which new work is refused at once with 503 and Retry-After; status reads and
	 * staff page views stop at 3/4 of it, new page views at 1/2. Measured with npm run bench.
	 */
	ADMISSION_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(48),
	/** Retry-After of a refusal: this many seconds plus up to as many again of jitter. */
	ADMISSION_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(300).default(5),
	/** The longest an admitted request waits for a database connection before it fails with 503. */
	ADMISSION_DB_WAIT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
	/** The embedded PostgreSQL's preferred port; when it is taken the next free one is used. */
	EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
	/** adapter-node's listening address and port (checked for being free before anything starts). */
	HOST: z.string().min(1).default('0.0.0.0'),
	PORT: z.coerce.number().int().min(0).max(65535).default(3000),
	/** Outside production: freeze the clock at this instant (ISO 8601 with offset). */
	FIXED_NOW: z.iso.datetime({ offset: true }).optional(),
	SEED_DEMO_DATA: booleanFromEnv.optional(),
	SEED_VOTERS: z.coerce.number().int().min(0).max(5_000_000).default(10_000),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	/**
	 * Outgoing e-mail: an SMTP URL such as smtp://user:pass@host:587 (smtps:// for implicit TLS).
	 * Unset outside production: an in-process mail catcher receives everything (see /dev/posta).
	 */
	SMTP_URL: z
		.string()
		.regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
		.optional(),
	/** The sender of the portal's e-mail, e.g. "Volební portál <noreply@volby.example.cz>". */
	MAIL_FROM: z.string().min(3).default('Volební portál <noreply@volebni-portal.invalid>'),
	/**
	 * Issue 15: how long a voter's e-mail about a request waits for further changes of the same
	 * request, which rewrite it (one e-mail with the latest state instead of several). 0: no wait.
	 */
	MAIL_COALESCE_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
	/** Port of the development mail catcher (when SMTP_URL is unset, never in production); 0 = any free port. */
	DEV_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
	/** adapter-node's public origin of the portal; PUBLIC_ORIGIN wins when both are set. */
	ORIGIN: z.url().optional(),
	/**
	 * The national eID (OpenID Connect provider) the portal logs voters in with. Unset outside
	 * production: the bundled development eID starts in-process instead (auth/dev-eid.ts).
	 */
	EID_ISSUER: z.url().optional(),
	EID_CLIENT_ID: z.string().min(1).optional(),
	EID_CLIENT_SECRET: z.string().min(1).optional(),
	/**
	 * Space-separated `acr` values accepted as level of assurance at least "substantial" (§23(5));
	 * the first is the one the portal asks for.
	 */
	EID_ACCEPTED_ACR: z
		.string()
		.trim()
		.min(1)
		.transform((v) => v.split(/\s+/))
		.default(['http://eidas.europa.eu/LoA/substantial', 'http://eidas.europa.eu/LoA/high']),
	/** Port of the bundled development eID (only when EID_ISSUER is unset, never in production). */
	DEV_EID_PORT: z.coerce.number().int().min(1024).max(65535).default(3001),
	/**
	 * The open data feed's update interval in seconds (services/open-data.ts); unset: 30, or 1
	 * under APP_ENV=test.
	 */
	OPEN_DATA_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).optional(),
	/**
	 * Issue 17: the alternative channel. When set, every snapshot of the results feed is also
	 * written there as static files (services/results-mirror.ts) for any static server or
	 * object store to serve.
	 */
	OPEN_DATA_MIRROR_DIR: z.string().min(1).optional(),
	/** Issue 17: the results feed's interval for registered media on their production addresses, in seconds. */
	MEDIA_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
	/** The results feed's requests a minute per client address, in each process (rate-limit.ts FEED_RATE_LIMITS). */
	RESULTS_FEED_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(120),
	/** The results feed's requests a minute per registered media organisation, in each process. */
	RESULTS_FEED_MEDIA_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(120),
	/** Where a voter voting by correspondence prints the ballot from (§57c(1)); printed on the package's instructions. */
	BALLOTS_URL: z.url().default('https://www.volby.cz'),
	/**
	 * The postal operator's tracking page of a registered letter (issue 12); `{number}` is replaced
	 * by the consignment number. Czech Post's by default.
	 */
	CONSIGNMENT_TRACKING_URL: z
		.string()
		.regex(/^https?:\/\/.*\{number\}/, 'must be an http(s) URL containing {number}')
		.default('https://www.postaonline.cz/trackandtrace/-/zasilka/cislo?parcelNumbers={number}')
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined>): Config {
	const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
	const result = schema.safeParse(cleaned);
	if (!result.success) {
		// Names each variable, never its value (it may be a password).
		const problems = result.error.issues.map((i) => `${i.path.join('.')} is not valid (${i.message})`);
		throw new ConfigError(`Invalid configuration: ${problems.join('; ')} — see .env.example.`);
	}
	const config = result.data;
	if (config.APP_ENV === 'production' && config.FIXED_NOW) {
		// The fixed clock exists for demos and tests only; production always runs on real time.
		config.FIXED_NOW = undefined;
	}
	return config;
}

let current: Config | undefined;

export function config(): Config {
	current ??= parseConfig(process.env);
	return current;
}
