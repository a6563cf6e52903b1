/**
 * The server's pool runs queries as named prepared statements (index.ts PreparedNames,
 * npm run bench): each text is parsed once per connection, and filings still behave as before.
 */
import { sql } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createElection } from '../services/elections';
import { submitVoterCardRequest } from '../services/requests';
import { createDb, PreparedNames } from './index';
import { openTestDb, resetDb } from './test-support';

const db = openTestDb();
// One connection, so that the statements it has prepared can be read back on it.
const prepared = createDb({ connectionString: inject('databaseUrl'), max: 1, mapUnavailable: (e) => e, prepareStatements: true }).db;
const NOW = Temporal.Instant.from('2026-11-20T09:00:00+01:00');

afterAll(async () => {
	await prepared.destroy();
	await db.destroy();
});
beforeEach(() => resetDb(db));

describe('PreparedNames', () => {
	it('names each data statement once, and nothing else or past its limit', () => {
		const names = new PreparedNames(2);
		const a = names.nameFor('select 1 where $1::int > 0');
		expect(a).toBeDefined();
		expect(names.nameFor('select 1 where $1::int > 0')).toBe(a);
		expect(names.nameFor('begin')).toBeUndefined();
		expect(names.nameFor('CREATE TABLE x (id int)')).toBeUndefined();
		const b = names.nameFor('WITH r AS (SELECT $1::int) SELECT * FROM r');
		expect(b).toBeDefined();
		expect(b).not.toBe(a);
		expect(names.nameFor('select 2 where $1::int > 0')).toBeUndefined();
	});
});

describe('a pool with prepared statements', () => {
	it('files a voter card request and replays its key as before, parsing each text once', async () => {
		const office = await db
			.insertInto('office')
			.values({ kind: 'municipal', code: 'mu-554782', name_cs: 'Magistrát hl. m. Prahy', name_en: 'Prague City Hall', address: 'Mariánské nám. 2, Praha', municipality_code: '554782' })
			.returning('id')
			.executeTakeFirstOrThrow();
		const voter = await db
			.insertInto('voter')
			.values({ municipal_office_id: office.id, given_name: 'Jan', family_name: 'Novák', birth_date: '1980-05-01', address_line: 'Vinohradská 1', city: 'Praha', postal_code: '120 00', country_code: 'CZ' })
			.returning('id')
			.executeTakeFirstOrThrow();
		const election = await createElection(db, { type: 'chamber', announcedOn: '2026-10-01', rounds: [{ round: 1, firstDay: '2027-01-15' }] }, { kind: 'system' }, NOW);
		if (!election.ok) throw new Error(JSON.stringify(election.errors));

		const input = { voterId: voter.id, channel: 'portal' as const, electionId: election.id, rounds: [1 as const], delivery: 'in-person' as const, idempotencyKey: 'prepared-key-0001' };
		const first = await submitVoterCardRequest(prepared, input, { kind: 'voter', id: voter.id }, NOW);
		expect(first).toMatchObject({ ok: true, replayed: false });
		const again = await submitVoterCardRequest(prepared, input, { kind: 'voter', id: voter.id }, NOW);
		expect(again).toEqual({ ...first, replayed: true });
		const other = await submitVoterCardRequest(prepared, { ...input, idempotencyKey: 'prepared-key-0002' }, { kind: 'voter', id: voter.id }, NOW);
		expect(other).toMatchObject({ ok: false, refusal: { code: 'already-filed', section: '§57(5)' } });

		expect(await db.selectFrom('request').select('id').where('voter_id', '=', voter.id).execute()).toHaveLength(1);
		expect(await db.selectFrom('audit_log').select('entity_id').where('action', '=', 'request.file').execute()).toEqual([{ entity_id: first.ok ? first.requests[0]!.id : null }]);
		// The filing's read ran three times on the one connection, prepared once.
		const { rows } = await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(prepared);
		expect(rows.filter((r) => r.statement.includes('filing_earlier'))).toHaveLength(1);
		expect(rows.some((r) => /^WITH r AS \(insert into "request"/i.test(r.statement))).toBe(true);
	});
});
