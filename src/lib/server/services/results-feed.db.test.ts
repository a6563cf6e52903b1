import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { formatAuditHead, sealAuditLog, verifyAuditHead } from '../audit-chain';
import { openTestDb, resetDb } from '../db/test-support';
import { closeDistrictRecord, countedDistrict, enrol, RECORD } from './district-result-fixtures';
import { createResultsFeed, MANIFEST_FILE, RESULT_FILES, RESULTS_SOURCE, type ResultsSnapshot } from './results-feed';
import { writeResultsMirror } from './results-mirror';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

async function sealAll() {
	while ((await sealAuditLog(db)) > 0) {
		/* drain */
	}
}

describe('the results feed (issue 17)', () => {
	it('publishes a district once its record is closed, in JSON, CSV and the statistical office’s XML, with the source in each', async () => {
		const f = await countedDistrict(db);
		let clock = f.afterClose;
		let snapshots = 0;
		const feed = createResultsFeed({ db, intervalSeconds: 1, now: () => clock, kind: 'real', elapsedMs: () => clock.epochMilliseconds, onSnapshot: () => snapshots++ });

		const before = (await feed.election(f.electionId))!.value;
		expect(before.sequence).toBe(0);
		const json0 = JSON.parse(before.files.json.body);
		expect(json0.districts.every((d: { result: unknown }) => d.result === null)).toBe(true);
		expect(before.files.xml.body).toContain('OKRSKY_ZPRAC="0"');

		const code = await enrol(db, f.staff.chair);
		await closeDistrictRecord(db, f, RECORD, f.afterClose, code);
		await sealAll();
		clock = clock.add({ seconds: 2 });
		const after = (await feed.election(f.electionId))!.value;
		expect(after.sequence).toBe(1);
		const json = JSON.parse(after.files.json.body);
		expect(json.source).toBe(RESULTS_SOURCE);
		const closed = json.districts.find((d: { code: string }) => d.code === f.embassy.code);
		expect(closed.result).toMatchObject({ version: 1, record: { validVotes: 4, listVotes: { 1: 3, 2: 1 } } });
		expect(json.rounds[0]).toMatchObject({ round: 1, closed: 1, totals: { validVotes: 4, listVotes: { 1: 3, 2: 1 } } });

		const xml = after.files.xml.body;
		expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<!-- Zdroj: /);
		expect(xml).toContain('<VYSLEDKY_ZAHRANICI xmlns="http://www.volby.cz/ps/" DATUM_CAS_GENEROVANI="');
		expect(xml).toMatch(/<CELKEM>\s*<UCAST OKRSKY_CELKEM="\d+" OKRSKY_ZPRAC="1"/);
		expect(xml).toContain('<HLASY_STRANA KSTRANA="1" HLASY="3" PROC_HLASU="75.00"/>');
		expect(xml).toMatch(/<STAT ZKRATKA="[A-Z]{2}" NAZEV="[^"]+">/);
		expect(xml).toContain('<PREF_HLASY KSTRANA="1" PORCISLO="1" HLASY="2"/>');
		expect(xml).toContain(' SEKVENCE="1"');

		const csv = after.files.csv.body.split('\r\n');
		expect(csv[0]).toBe('round,district,office,officeName,country,version,figure,list,candidate,value,sequence,source');
		expect(csv.find((l) => l.includes(',listVotes,1,,3,'))).toBeDefined();
		expect(csv.slice(1, -1).every((l) => l.includes('Zdroj: Volební portál'))).toBe(true);

		// A correction is a new version: the sequence grows, the feed shows the version in force.
		await closeDistrictRecord(db, f, { ...RECORD, listVotes: { 1: 2, 2: 2 }, preferentialVotes: { 1: { 1: 2, 2: 0 }, 2: { 1: 2 } } }, f.afterClose.add({ minutes: 5 }), code, 'Přepočítáno');
		clock = clock.add({ seconds: 2 });
		const corrected = (await feed.election(f.electionId))!.value;
		expect(corrected.sequence).toBe(2);
		expect(corrected.files.xml.body).toContain('<HLASY_STRANA KSTRANA="2" HLASY="2" PROC_HLASU="50.00"/>');
		expect(corrected.files.xml.body).toContain('VERZE="2"');
		expect(snapshots).toBe(3);
	});

	it('computes one snapshot per interval however many clients ask at once', async () => {
		const f = await countedDistrict(db);
		let computed = 0;
		const now = f.afterClose;
		const feed = createResultsFeed({ db, intervalSeconds: 30, now: () => now, kind: 'real', elapsedMs: () => 0, onSnapshot: () => computed++ });
		const answers = await Promise.all(Array.from({ length: 50 }, () => feed.election(f.electionId)));
		expect(new Set(answers.map((a) => a!.value))).toHaveProperty('size', 1);
		expect(computed).toBe(1);
	});

	it('keeps a rehearsal out of the real feed and a real election out of the test feed', async () => {
		const f = await countedDistrict(db);
		const test = createResultsFeed({ db, intervalSeconds: 1, now: () => f.afterClose, kind: 'test' });
		expect(await test.election(f.electionId)).toBeUndefined();
	});

	it('the static mirror holds the API’s bytes, and the manifest’s hashes match them', async () => {
		const f = await countedDistrict(db);
		await closeDistrictRecord(db, f, RECORD, f.afterClose, await enrol(db, f.staff.chair));
		let snapshot: ResultsSnapshot | undefined;
		const feed = createResultsFeed({ db, intervalSeconds: 1, now: () => f.afterClose, kind: 'real', onSnapshot: (s) => (snapshot = s) });
		const served = (await feed.election(f.electionId))!.value;
		expect(snapshot).toBe(served);
		const root = await mkdtemp(path.join(tmpdir(), 'vp-mirror-'));
		try {
			const dir = await writeResultsMirror(root, 'real', served);
			expect(dir).toBe(path.join(root, f.electionId));
			const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8'));
			expect(manifest).toMatchObject({ electionId: f.electionId, sequence: 1, generated: served.generated.toString() });
			for (const [format, name] of Object.entries(RESULT_FILES)) {
				const bytes = await readFile(path.join(dir, name));
				expect(bytes.toString('utf8')).toBe(served.files[format as keyof typeof RESULT_FILES].body);
				expect(manifest.files[name].sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
			}
		} finally {
			await rm(root, { recursive: true, force: true });
		}
	});

	it('carries the audit head, which audit:verify --against finds unchanged', async () => {
		const f = await countedDistrict(db);
		await closeDistrictRecord(db, f, RECORD, f.afterClose, await enrol(db, f.staff.chair));
		await sealAll();
		const feed = createResultsFeed({ db, intervalSeconds: 1, now: () => f.afterClose, kind: 'real' });
		const json = JSON.parse((await feed.election(f.electionId))!.value.files.json.body);
		const head = json.auditHead as { position: number; hash: string };
		const sealed = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('hash', 'is not', null).executeTakeFirstOrThrow();
		expect(head.position).toBe(Number(sealed.n));
		expect(json.auditHead.verify).toBe(`npm run audit:verify -- --against ${formatAuditHead(head)}`);
		expect(await verifyAuditHead(db, head)).toMatchObject({ ok: true });
		expect(await verifyAuditHead(db, { ...head, hash: '0'.repeat(64) })).toMatchObject({ ok: false, reason: 'hash-differs' });
		expect(await verifyAuditHead(db, { ...head, position: head.position + 1000 })).toMatchObject({ ok: false, reason: 'not-found' });
	});
});
