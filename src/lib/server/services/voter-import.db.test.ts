import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCsv, VOTER_CSV_COLUMNS } from '../../domain/voter-import';
import { devEidSubject } from '../auth/dev-eid-subject';
import { openTestDb, resetDb } from '../db/test-support';
import { seedDemoData } from '../db/seed';
import type { StaffActor } from './staff-actor';
import {
	createVoterImport,
	exportVoterList,
	getVoterImportStatus,
	IMPORT_STALE_SECONDS,
	runVoterImport,
	type ImportActor,
	type RunImportResult
} from './voter-import';

const db = openTestDb();
const NOW = Temporal.Instant.from('2026-11-20T09:00:00+01:00');
const clock = () => NOW;
let dir: string;
let admin: StaffActor;
let clerk: StaffActor;

beforeAll(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'voter-import-test-'));
});
afterAll(async () => {
	await db.destroy();
	await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
	await resetDb(db);
	await seedDemoData(db, { now: NOW, voters: 40 });
	const staff = await db.selectFrom('staff_user').select(['id', 'username', 'role', 'office_id']).execute();
	const byName = (u: string) => staff.find((s) => s.username === u)!;
	admin = { kind: 'staff', id: byName('spravce').id, officeId: null, role: 'administrator' };
	const brno = byName('urednik.brno');
	clerk = { kind: 'staff', id: brno.id, officeId: brno.office_id, role: 'municipal-clerk' };
});

const HEADER = VOTER_CSV_COLUMNS.join(',');
type Row = Partial<Record<(typeof VOTER_CSV_COLUMNS)[number], string>>;

/** A valid row of Brno's list (municipality 582786), with fields replaced as given. */
function line(overrides: Row = {}): string {
	const base: Required<Row> = {
		given_name: 'Zdeňka',
		family_name: 'Importovaná',
		birth_date: '1975-03-14',
		address_line: 'Kounicova 7',
		city: 'Brno',
		postal_code: '602 00',
		country_code: 'CZ',
		municipality_code: '582786',
		special_district: '',
		eid_subject: ''
	};
	const row = { ...base, ...overrides };
	return VOTER_CSV_COLUMNS.map((c) => (/[",\n]/.test(row[c]) ? `"${row[c].replaceAll('"', '""')}"` : row[c])).join(',');
}

function file(rows: string[], opts: { eol?: string; bom?: boolean } = {}): string {
	const eol = opts.eol ?? '\r\n';
	return (opts.bom ? '\uFEFF' : '') + [HEADER, ...rows].join(eol) + eol;
}

const THREE = [
	line(),
	line({ given_name: 'Oldřich', family_name: 'Nový', birth_date: '1960-12-01', address_line: 'Cejl 15, byt 4', eid_subject: 'eid-imp-1' }),
	line({
		given_name: 'Berta',
		family_name: 'Zahraniční',
		birth_date: '1990-06-30',
		address_line: 'Lindenstraße 3',
		city: 'Berlin',
		postal_code: '10969',
		country_code: 'DE',
		municipality_code: '',
		special_district: '1'
	})
];

let files = 0;
async function importText(text: string | Buffer, actor: ImportActor = admin, ownsFile = true): Promise<RunImportResult & { filePath?: string }> {
	const filePath = path.join(dir, `import-${files++}.csv`);
	await writeFile(filePath, text);
	const created = await createVoterImport(db, { fileName: 'seznam.csv', filePath, fileSize: (await stat(filePath)).size, ownsFile }, actor, NOW);
	if (created.kind !== 'ok') return created;
	return { ...(await runVoterImport(db, { importId: created.id }, actor, clock)), filePath };
}

const voterCount = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM voter`.execute(db)).rows[0]!.n);
const stagedCount = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM voter_import_row`.execute(db)).rows[0]!.n);

describe('importing a voter list', () => {
	it('adds every voter of a valid file, traceable to the import and its administrator, and deletes the upload', async () => {
		const before = await voterCount();
		const result = await importText(file(THREE, { bom: true }));
		expect(result).toMatchObject({ kind: 'done', rowCount: 3, added: 3, existing: 0 });
		expect(await voterCount()).toBe(before + 3);
		const importId = result.kind === 'done' ? result.importId : '';

		const added = await db
			.selectFrom('voter')
			.leftJoin('office as mo', 'mo.id', 'voter.municipal_office_id')
			.leftJoin('office as so', 'so.id', 'voter.special_district_office_id')
			.select(['given_name', 'address_line', 'eid_subject', 'source', 'import_id', 'import_key', 'mo.code as municipal', 'so.code as district'])
			.where('import_id', '=', importId)
			.orderBy('given_name')
			.execute();
		expect(added).toEqual([
			expect.objectContaining({ given_name: 'Berta', municipal: null, district: 'zu-berlin', eid_subject: null, source: 'import' }),
			expect.objectContaining({ given_name: 'Oldřich', address_line: 'Cejl 15, byt 4', municipal: 'mu-582786', eid_subject: 'eid-imp-1' }),
			expect.objectContaining({ given_name: 'Zdeňka', municipal: 'mu-582786', district: null })
		]);
		for (const v of added) expect(v.import_key).toMatch(/^csv:[A-Za-z0-9_-]{43}$/);

		const row = await db.selectFrom('voter_import').selectAll().where('id', '=', importId).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ status: 'done', created_by: admin.id, row_count: 3, added_count: 3, existing_count: 0, error_count: 0, file_path: null });
		await expect(stat(result.filePath!)).rejects.toThrow();
		expect(await stagedCount()).toBe(0);

		const audit = await db.selectFrom('audit_log').select(['action', 'actor_id', 'after']).where('entity_id', '=', importId).orderBy('at').orderBy('id').execute();
		expect(audit.map((a) => a.action)).toEqual(['voter-import.create', 'voter-import.done']);
		expect(audit[1]).toMatchObject({ actor_id: admin.id, after: { status: 'done', rows: 3, added: 3, existing: 0 } });
	});

	it('is idempotent: the same file again, with LF line ends and other spacing, changes nothing', async () => {
		await importText(file(THREE));
		const before = await voterCount();
		const again = await importText(file(THREE.map((l) => l.replace('Kounicova 7', ' Kounicova  7 ')), { eol: '\n' }));
		expect(again).toMatchObject({ kind: 'done', rowCount: 3, added: 0, existing: 3 });
		expect(await voterCount()).toBe(before);
	});

	it('reads its own export back without adding anyone, seed voters and test identities included', async () => {
		const exported = await exportVoterList(db, { officeCode: null }, admin, NOW);
		if (exported.kind !== 'ok') throw new Error(exported.kind);
		const text = await new Response(exported.body).text();
		const records = parseCsv(text);
		expect(records[0]!.fields).toEqual([...VOTER_CSV_COLUMNS]);
		const before = await voterCount();
		expect(records.length - 1).toBe(before);
		const result = await importText(text);
		expect(result).toMatchObject({ kind: 'done', rowCount: before, added: 0, existing: before });
		expect(await voterCount()).toBe(before);
	});

	it('adds a voter whose address changed as a new record, and keeps the old one', async () => {
		await importText(file(THREE));
		const before = await voterCount();
		const result = await importText(file([line({ address_line: 'Kounicova 9' })]));
		expect(result).toMatchObject({ kind: 'done', added: 1, existing: 0 });
		expect(await voterCount()).toBe(before + 1);
	});

	it('refuses a changed row that carries the eID subject of the record it would duplicate', async () => {
		await importText(file(THREE));
		const before = await voterCount();
		const moved = line({ given_name: 'Oldřich', family_name: 'Nový', birth_date: '1960-12-01', address_line: 'Cejl 17', eid_subject: 'eid-imp-1' });
		const result = await importText(file([moved]));
		expect(result).toMatchObject({ kind: 'rejected', errorCount: 1, errors: [{ line: 2, field: 'eid_subject', code: 'eid-taken' }] });
		expect(await voterCount()).toBe(before);
	});
});

describe('all or nothing', () => {
	it('imports nothing when one line is bad, and names that line and field', async () => {
		const before = await voterCount();
		const bad = [THREE[0]!, line({ given_name: 'Ivo', birth_date: '1985-02-30' }), THREE[2]!];
		const result = await importText(file(bad));
		expect(result).toMatchObject({ kind: 'rejected', rowCount: 3, errorCount: 1, errors: [{ line: 3, field: 'birth_date', code: 'date-invalid' }] });
		expect(await voterCount()).toBe(before);
		expect(await stagedCount()).toBe(0);
		const importId = result.kind === 'rejected' ? result.importId : '';
		const row = await db.selectFrom('voter_import').selectAll().where('id', '=', importId).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ status: 'rejected', error_count: 1, row_count: 3, added_count: null, file_path: null });
		expect(row.errors).toEqual([{ line: 3, field: 'birth_date', code: 'date-invalid' }]);

		// Fixed, the same file imports whole.
		const fixed = await importText(file([THREE[0]!, line({ given_name: 'Ivo', birth_date: '1985-02-28' }), THREE[2]!]));
		expect(fixed).toMatchObject({ kind: 'done', added: 3 });
		expect(await voterCount()).toBe(before + 3);
	});

	it('reports the checks across rows with the line of the first occurrence, and the rows checked on their own', async () => {
		const taken = devEidSubject('petr-svoboda');
		const rows = [
			line(), // 2
			line({ given_name: 'A', eid_subject: 'dup-eid' }), // 3
			line(), // 4: the same voter as line 2
			line({ given_name: 'B', eid_subject: 'dup-eid' }), // 5: the eID of line 3
			line({ given_name: 'C', eid_subject: taken }), // 6: the eID of a voter on the list
			line({ given_name: 'D', municipality_code: '999999' }), // 7
			'"unterminated,x' // 8
		];
		const result = await importText(file(rows));
		expect(result).toMatchObject({
			kind: 'rejected',
			rowCount: 7,
			errorCount: 5,
			errors: [
				{ line: 4, field: null, code: 'duplicate-voter', otherLine: 2 },
				{ line: 5, field: 'eid_subject', code: 'duplicate-eid', otherLine: 3 },
				{ line: 6, field: 'eid_subject', code: 'eid-taken' },
				{ line: 7, field: 'municipality_code', code: 'municipality-unknown' },
				{ line: 8, field: null, code: 'unterminated-quote' }
			]
		});
	});

	it('counts every error but keeps the first 200 in file order', async () => {
		const rows = Array.from({ length: 250 }, (_, i) => line({ given_name: `N${i}`, birth_date: i % 2 ? '1980-13-01' : '1980-01-01', country_code: i % 2 ? 'CZ' : 'XX' }));
		const result = await importText(file(rows));
		if (result.kind !== 'rejected') throw new Error(result.kind);
		expect(result.errorCount).toBe(250);
		expect(result.errors).toHaveLength(200);
		expect(result.errors[0]).toEqual({ line: 2, field: 'country_code', code: 'country-outside-area' });
		expect(result.errors[1]).toEqual({ line: 3, field: 'birth_date', code: 'date-invalid' });
		expect(result.errors.at(-1)!.line).toBe(201);
	});

	it('refuses a wrong header, a file that is not UTF-8, and a file with no rows', async () => {
		const before = await voterCount();
		expect(await importText(`jmeno;prijmeni\r\n${THREE[0]}\r\n`)).toMatchObject({
			kind: 'rejected',
			errors: [{ line: 1, field: null, code: 'header' }]
		});
		const latin2 = Buffer.concat([Buffer.from(`${HEADER}\r\n${THREE[0]}\r\n`), Buffer.from([0x4e, 0x6f, 0x76, 0xe1, 0x6b, 0x0d, 0x0a])]);
		expect(await importText(latin2)).toMatchObject({ kind: 'rejected', errors: [{ field: null, code: 'encoding' }] });
		expect(await importText(`${HEADER}\r\n`)).toMatchObject({ kind: 'rejected', errors: [{ line: 0, code: 'no-rows' }] });
		expect(await importText('')).toMatchObject({ kind: 'rejected', errors: [{ line: 1, code: 'header' }] });
		expect(await voterCount()).toBe(before);
	});
});

describe('who and when', () => {
	it('is for administrators only', async () => {
		expect(await importText(file(THREE), clerk)).toEqual({ kind: 'forbidden' });
		expect(await exportVoterList(db, { officeCode: null }, clerk, NOW)).toEqual({ kind: 'forbidden' });
		expect(await getVoterImportStatus(db, { importId: crypto.randomUUID() }, clerk, clock)).toEqual({ kind: 'forbidden' });
	});

	it('the command line imports as the system, and leaves its own file alone', async () => {
		const result = await importText(file(THREE), { kind: 'system' }, false);
		expect(result).toMatchObject({ kind: 'done', added: 3 });
		expect((await stat(result.filePath!)).size).toBeGreaterThan(0);
	});

	it('runs an import once; a run whose process died is taken over from the file', async () => {
		const filePath = path.join(dir, 'stale.csv');
		await writeFile(filePath, file(THREE));
		const created = await createVoterImport(db, { fileName: 'x.csv', filePath, fileSize: (await stat(filePath)).size, ownsFile: true }, admin, NOW);
		if (created.kind !== 'ok') throw new Error('not created');
		// A crashed run: claimed, rows half staged, heartbeat long silent.
		const silentSince = new Date(NOW.subtract({ seconds: IMPORT_STALE_SECONDS + 1 }).epochMilliseconds);
		await db.updateTable('voter_import').set({ status: 'running', attempt: 1, heartbeat_at: silentSince, phase: 'reading' }).where('id', '=', created.id).execute();
		await sql`INSERT INTO voter_import_row (import_id, line, import_key, given_name, family_name, birth_date, address_line, city, postal_code, country_code)
			VALUES (${created.id}, 2, 'stale', 'x', 'y', '1970-01-01', 'a', 'b', 'c', 'CZ')`.execute(db);

		const result = await runVoterImport(db, { importId: created.id }, admin, clock);
		expect(result).toMatchObject({ kind: 'done', added: 3 });
		expect(await runVoterImport(db, { importId: created.id }, admin, clock)).toEqual({ kind: 'not-claimed', importId: created.id });
		const row = await db.selectFrom('voter_import').select(['attempt', 'status']).where('id', '=', created.id).executeTakeFirstOrThrow();
		expect(row).toEqual({ attempt: 2, status: 'done' });
		expect(await readdir(dir)).not.toContain('stale.csv');
	});

	it('the status of a queued import starts it, and reports its progress', async () => {
		const filePath = path.join(dir, 'queued.csv');
		await writeFile(filePath, file(THREE));
		const created = await createVoterImport(db, { fileName: 'q.csv', filePath, fileSize: (await stat(filePath)).size, ownsFile: true }, admin, NOW);
		if (created.kind !== 'ok') throw new Error('not created');
		const first = await getVoterImportStatus(db, { importId: created.id }, admin, clock);
		expect(first).toMatchObject({ kind: 'ok', view: { status: 'queued', percent: 0, fileName: 'q.csv' } });
		await expect
			.poll(async () => {
				const s = await getVoterImportStatus(db, { importId: created.id }, admin, clock);
				return s.kind === 'ok' ? s.view.status : s.kind;
			})
			.toBe('done');
		const done = await getVoterImportStatus(db, { importId: created.id }, admin, clock);
		expect(done).toMatchObject({ kind: 'ok', view: { status: 'done', percent: 100, added: 3, existing: 0, createdBy: 'Alena Správcová' } });
		expect(await getVoterImportStatus(db, { importId: 'nonsense' }, admin, clock)).toEqual({ kind: 'not-found' });
	});
});

describe('exporting a voter list', () => {
	it("writes one office's lists in the import's shape, recorded in the audit log", async () => {
		await importText(file(THREE));
		const result = await exportVoterList(db, { officeCode: 'zu-berlin' }, admin, NOW);
		if (result.kind !== 'ok') throw new Error(result.kind);
		expect(result.filename).toBe('seznam-volicu-zu-berlin-2026-11-20.csv');
		const bytes = new Uint8Array(await new Response(result.body).arrayBuffer());
		// A byte order mark first, so that spreadsheet programs read UTF-8.
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder().decode(bytes);
		expect(text.startsWith('given_name,family_name,')).toBe(true);
		const records = parseCsv(text).slice(1);
		const berlin = await db
			.selectFrom('voter')
			.innerJoin('office', 'office.id', 'voter.special_district_office_id')
			.select((eb) => eb.fn.countAll<string>().as('n'))
			.where('office.code', '=', 'zu-berlin')
			.executeTakeFirstOrThrow();
		expect(records.length).toBe(Number(berlin.n));
		expect(records.every((r) => r.fields[8] === '1')).toBe(true);
		expect(records.map((r) => r.fields.slice(0, 3).join(' '))).toContain('Berta Zahraniční 1990-06-30');
		const audit = await db.selectFrom('audit_log').select(['action', 'actor_id']).where('action', '=', 'voter-list.export').execute();
		expect(audit).toEqual([{ action: 'voter-list.export', actor_id: admin.id }]);
		expect(await exportVoterList(db, { officeCode: 'zu-atlantis' }, admin, NOW)).toEqual({ kind: 'not-found' });
	});
});
