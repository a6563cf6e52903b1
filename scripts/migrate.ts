/** npm run migrate [-- --down]: migrate the configured database to the latest version (or all the way down). */
import { sql } from 'kysely';
import { config } from '../src/lib/server/config';
import { createDb } from '../src/lib/server/db/index';
import { migrateDownAll, providerFromFolder } from '../src/lib/server/db/migrate';
import { migrationsFolder, openCliDatabase, run, UsageError } from './cli';

run(async () => {
	if (process.argv.includes('--down')) {
		const url = config().DATABASE_URL;
		// Refuses to empty the embedded demo database by accident.
		if (!url) throw new UsageError('--down needs DATABASE_URL.');
		const { db } = createDb({ connectionString: url, max: 1 });
		const undone = await migrateDownAll(db, providerFromFolder(migrationsFolder));
		console.log(undone.join('\n') || 'nothing to undo');
		await db.destroy();
		return;
	}
	const { db, close } = await openCliDatabase();
	const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
	console.log(`database migrated: ${rows.map((r) => r.name).join(', ')}`);
	await close();
});
