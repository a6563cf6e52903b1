/** npm run seed: fill an empty database with the demo data (offices, elections, staff, voters). */
import { clock } from '../src/lib/server/clock';
import { config } from '../src/lib/server/config';
import { isDatabaseEmpty, seedDemoData } from '../src/lib/server/db/seed';
import { openCliDatabase, progressBar, run } from './cli';

run(async () => {
	const { db, close } = await openCliDatabase();
	try {
		if (!(await isDatabaseEmpty(db))) {
			console.log('The database already holds data; the seed runs only on an empty database.');
			return;
		}
		const summary = await seedDemoData(db, { now: clock().now(), voters: config().SEED_VOTERS, onProgress: progressBar('voters'), rehearsals: true });
		console.log(JSON.stringify(summary));
	} finally {
		await close();
	}
});
