import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { openTestDb, resetDb } from '../src/lib/server/db/test-support';
import { calendarJson, findElectionCalendar } from '../src/lib/server/services/calendar';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

/** Runs the command as `npm run election:create -- …` does (tsx), on the test database, on 20 November 2026. */
function electionCreate(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn('npx', ['tsx', 'scripts/election-create.ts', ...args], {
			cwd: repoRoot,
			env: { ...process.env, DATABASE_URL: inject('databaseUrl'), FIXED_NOW: '2026-11-20T09:00:00+01:00', APP_ENV: 'test', LOG_LEVEL: 'silent' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

async function embassy() {
	return db
		.insertInto('office')
		.values({ kind: 'embassy', code: 'zu-tokyo', name_cs: 'Velvyslanectví v Tokiu', name_en: 'Embassy in Tokyo', address: 'Tokyo', special_district_number: 3, country_code: 'JP', countries: ['JP'], time_zone: 'Asia/Tokyo' })
		.returning('id')
		.executeTakeFirstOrThrow();
}

describe('npm run election:create', () => {
	it('creates a two-round election with the embassies’ windows and prints its id alone on the last line', async () => {
		const tokyo = await embassy();
		const result = await electionCreate(
			'--type', 'president',
			'--first-day', '2028-01-14',
			'--second-round-first-day', '2028-01-28',
			'--title', 'Volba prezidenta 2028'
		);
		expect(result.stderr).not.toMatch(/error/i);
		expect(result.code).toBe(0);
		const id = lastLine(result.stdout);
		expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

		const row = await db.selectFrom('election').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
		// Announced by default today in Prague (FIXED_NOW).
		expect(row).toMatchObject({ type: 'president', title_cs: 'Volba prezidenta 2028', announced_on: '2026-11-20' });

		const lookup = await findElectionCalendar(db, id, { officeId: tokyo.id });
		if (!lookup.ok) throw new Error(lookup.error);
		const json = calendarJson(lookup.calendar);
		expect(json.election).toEqual({
			id,
			type: 'president',
			rounds: [
				{ round: 1, firstDay: '2028-01-14' },
				{ round: 2, firstDay: '2028-01-28' }
			]
		});
		expect(json.deadlines.find((d) => d.key === 'correspondence-request-written' && d.round === 1)?.at).toBe('2027-12-10T16:00:00+01:00');
		// §2(3): Tokyo is ahead of Prague, so it votes Friday 14–22 and Saturday 08–14 local; §57c(4) closes on
		// Saturday 14:00 in Tokyo, which is 06:00 Prague.
		expect(json.deadlines.filter((d) => d.key === 'return-envelope').map((d) => d.at)).toEqual([
			'2028-01-15T06:00:00+01:00',
			'2028-01-29T06:00:00+01:00'
		]);
		const audit = await db.selectFrom('audit_log').select(['action', 'entity_id']).execute();
		expect(audit).toEqual([{ action: 'election.create', entity_id: id }]);
	});

	it('accepts --announced', async () => {
		const result = await electionCreate('--type', 'chamber', '--first-day', '2027-10-08', '--announced', '2027-06-01');
		expect(result.code).toBe(0);
		const row = await db.selectFrom('election').select(['announced_on', 'title_cs']).executeTakeFirstOrThrow();
		expect(row).toEqual({ announced_on: '2027-06-01', title_cs: 'Volby do Poslanecké sněmovny 2027' });
	});

	it.each([
		[['--type', 'chamber', '--first-day', '2027-10-07'], /2027-10-07 is a Thursday.*Friday/],
		[['--type', 'president', '--first-day', '2028-01-14'], /two rounds.*--second-round-first-day/],
		[['--type', 'chamber', '--first-day', '2027-10-08', '--second-round-first-day', '2027-10-22'], /one round.*leave out --second-round-first-day/],
		[['--type', 'parliament', '--first-day', '2027-10-08'], /Unknown election type "parliament".*chamber, president, european, senate, regional, municipal/],
		[['--type', 'chamber', '--first-day', '2026-11-13'], /defaults to today, 2026-11-20.*before the first day of voting 2026-11-13/],
		[['--type', 'chamber', '--first-day', '2027-10-08', '--announced', '2027-10-08'], /--announced 2027-10-08 must be before/],
		[['--type', 'chamber', '--first-day', '2027-02-30'], /--first-day must be a date YYYY-MM-DD/],
		[['--type', 'chamber', '--first-day', '2027-10-08', '--bogus'], /Unknown option '--bogus'/]
	])('refuses %j with exit code 2 and a message', async (args, message) => {
		const result = await electionCreate(...args);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(message);
		expect(result.stdout).toBe('');
		const rows = await db.selectFrom('election').select('id').execute();
		expect(rows).toEqual([]);
	});
});
