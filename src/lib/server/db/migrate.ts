import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Kysely, type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely';

export type MigrationModules = Record<string, Migration>;

function isMigrationFile(name: string): boolean {
	return /^\d{4}_[a-z0-9_]+\.ts$/.test(name) && !name.endsWith('.test.ts');
}

/** Migrations bundled by Vite into the server build (see migrations-bundled.ts). */
export function providerFromModules(modules: Record<string, unknown>): MigrationProvider {
	return {
		async getMigrations() {
			const migrations: MigrationModules = {};
			for (const [file, module] of Object.entries(modules)) {
				const name = path.basename(file);
				if (!isMigrationFile(name)) continue;
				migrations[name.replace(/\.ts$/, '')] = module as Migration;
			}
			return migrations;
		}
	};
}

/** Migrations read from the migrations/ folder, for the command-line scripts. */
export function providerFromFolder(folder: string): MigrationProvider {
	return {
		async getMigrations() {
			const migrations: MigrationModules = {};
			for (const name of (await readdir(folder)).sort()) {
				if (!isMigrationFile(name)) continue;
				migrations[name.replace(/\.ts$/, '')] = (await import(pathToFileURL(path.join(folder, name)).href)) as Migration;
			}
			return migrations;
		}
	};
}

export class MigrationError extends Error {}

function check(result: MigrationResultSet): string[] {
	if (result.error) {
		const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
		throw new MigrationError(`Migration ${failed} failed: ${String(result.error)}`);
	}
	return (result.results ?? []).map((r) => `${r.direction === 'Up' ? '↑' : '↓'} ${r.migrationName}`);
}

function migrator(db: Kysely<any>, provider: MigrationProvider): Migrator {
	return new Migrator({ db, provider, migrationTableName: 'kysely_migration', migrationLockTableName: 'kysely_migration_lock' });
}

export async function migrateToLatest(db: Kysely<any>, provider: MigrationProvider): Promise<string[]> {
	return check(await migrator(db, provider).migrateToLatest());
}

export async function migrateDownAll(db: Kysely<any>, provider: MigrationProvider): Promise<string[]> {
	const { NO_MIGRATIONS } = await import('kysely');
	return check(await migrator(db, provider).migrateTo(NO_MIGRATIONS));
}
