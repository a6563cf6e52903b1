/** Shared start-up for command-line scripts: same configuration and database as the server. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { config, ConfigError } from '../src/lib/server/config';
import { createDb, type Db } from '../src/lib/server/db/index';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/lib/server/db/embedded';
import { migrateToLatest, providerFromFolder } from '../src/lib/server/db/migrate';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const migrationsFolder = path.join(repoRoot, 'migrations');

/** Opens the database the server would use (DATABASE_URL, else the embedded one) and migrates it. */
export async function openCliDatabase(): Promise<{ db: Db; close: () => Promise<void> }> {
	const cfg = config();
	let embedded: EmbeddedDatabase | undefined;
	let url = cfg.DATABASE_URL;
	if (!url) {
		embedded = await startEmbeddedPostgres({ dataDir: path.join(cfg.DATA_DIR, 'postgres'), port: cfg.EMBEDDED_POSTGRES_PORT });
		url = embedded.connectionString;
	}
	const { db } = createDb({ connectionString: url, max: 4 });
	await migrateToLatest(db, providerFromFolder(migrationsFolder));
	return {
		db,
		async close() {
			await db.destroy();
			await embedded?.stop();
		}
	};
}

/** Runs a script's main function; prints errors plainly and sets the exit code. */
export function run(main: () => Promise<void>): void {
	main().then(
		() => process.exit(process.exitCode ?? 0),
		(error: unknown) => {
			if (error instanceof ConfigError || error instanceof UsageError) console.error(error.message);
			else console.error(error);
			process.exit(error instanceof UsageError ? 2 : 1);
		}
	);
}

export class UsageError extends Error {}

/** A terminal progress bar on stderr (one line, redrawn). */
export function progressBar(label: string) {
	const started = Date.now();
	let last = 0;
	return (done: number, total: number) => {
		const nowMs = Date.now();
		if (done < total && nowMs - last < 200) return;
		last = nowMs;
		const share = total ? done / total : 1;
		const width = 30;
		const filled = Math.round(share * width);
		const rate = done / Math.max(0.001, (nowMs - started) / 1000);
		process.stderr.write(
			`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)} % ${done}/${total} (${Math.round(rate)}/s)` +
				(done >= total ? '\n' : '')
		);
	};
}
