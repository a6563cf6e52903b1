import type { TestProject } from 'vitest/node';
import { createDb } from '../../src/lib/server/db/index';
import { migrateToLatest, providerFromFolder } from '../../src/lib/server/db/migrate';
import { startTestServer } from './test-database';

declare module 'vitest' {
	export interface ProvidedContext {
		databaseUrl: string;
		adminDatabaseUrl: string;
	}
}

/** One migrated throwaway database for the `db` test project; dropped afterwards. */
export default async function setup(project: TestProject) {
	const server = await startTestServer();
	const url = await server.createDatabase('vp_unit');
	const { db } = createDb({ connectionString: url, max: 2 });
	await migrateToLatest(db, providerFromFolder(new URL('../../migrations', import.meta.url).pathname));
	await db.destroy();
	project.provide('databaseUrl', url);
	project.provide('adminDatabaseUrl', server.adminUrl);
	return async () => {
		await server.stop();
	};
}
