import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { recordFieldKey, type ResultRecord } from '../../domain/results';
import { openTestDb, resetDb } from '../db/test-support';
import { countedDistrict as counted, enrol as enrolIn, fields, RECORD } from './district-result-fixtures';
import { closeResult, resultEntryView, saveResultEntry } from './district-results';
import type { StaffActor } from './staff-actor';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const countedDistrict = (opts: { open?: boolean } = {}) => counted(db, opts);
const enrol = (actor: StaffActor) => enrolIn(db, actor);

describe('the record of the result (double entry, closing, correction)', () => {
	it('§57d(6) is entered only after the ballot box is open', async () => {
		const f = await countedDistrict({ open: false });
		const input = { electionId: f.electionId, round: 1, fields: fields(RECORD) };
		expect(await saveResultEntry(db, input, f.staff.chair, f.afterClose)).toEqual({ kind: 'ballot-box-not-opened', section: '§57d(6)' });
	});

	it('names each missing or malformed number and stores nothing', async () => {
		const f = await countedDistrict();
		const result = await saveResultEntry(db, { electionId: f.electionId, round: 1, fields: { ...fields(RECORD), validVotes: 'x', 'list-2': '' } }, f.staff.chair, f.afterClose);
		expect(result).toEqual({ kind: 'invalid', errors: { validVotes: 'not-a-number', 'list-2': 'required' } });
		expect(await db.selectFrom('district_result_entry').selectAll().execute()).toEqual([]);
	});

	it('shows where the chair’s and the member’s entries differ, closes only when identical, signed with the second factor', async () => {
		const f = await countedDistrict();
		const code = await enrol(f.staff.chair);
		const key = { electionId: f.electionId, round: 1 };
		expect(await saveResultEntry(db, { ...key, fields: fields(RECORD) }, f.staff.chair, f.afterClose)).toEqual({ kind: 'saved', side: 'chair', failures: [] });
		const typo = { ...RECORD, invalidVotes: 2, envelopesCounted: 6, envelopesReceived: 6, envelopesIssued: 6, votersOnList: 6 };
		expect(await saveResultEntry(db, { ...key, fields: fields(typo) }, f.staff.member, f.afterClose)).toMatchObject({ kind: 'saved', side: 'member' });

		const chairView = await resultEntryView(db, key, f.staff.chair, f.afterClose);
		if (chairView.kind !== 'view') throw new Error(chairView.kind);
		// Where they differ, never which is right: only the fields, and only the chair's own figures.
		expect(chairView.view.differences!.map(recordFieldKey)).toEqual(['votersOnList', 'envelopesIssued', 'envelopesReceived', 'envelopesCounted', 'invalidVotes']);
		expect(chairView.view.own!.record.invalidVotes).toBe(1);
		expect(chairView.view.other).toMatchObject({ side: 'member' });
		expect(JSON.stringify(chairView.view.other)).not.toContain('invalidVotes');

		expect(await closeResult(db, { ...key, code: code(f.afterClose) }, f.staff.chair, f.afterClose)).toEqual({ kind: 'entries-differ' });
		expect(await closeResult(db, { ...key, code: code(f.afterClose) }, f.staff.member, f.afterClose)).toEqual({ kind: 'forbidden' });

		await saveResultEntry(db, { ...key, fields: fields(RECORD) }, f.staff.member2, f.afterClose);
		const wrong = code(f.afterClose) === '000000' ? '111111' : '000000';
		expect(await closeResult(db, { ...key, code: wrong }, f.staff.chair, f.afterClose)).toEqual({ kind: 'signature-invalid' });
		const closed = await closeResult(db, { ...key, code: code(f.afterClose) }, f.staff.chair, f.afterClose);
		expect(closed).toMatchObject({ kind: 'closed', version: 1 });
		// Closed: the entries are cleared, so there is nothing left to close.
		expect(await closeResult(db, { ...key, code: code(f.afterClose) }, f.staff.chair, f.afterClose)).toEqual({ kind: 'chair-entry-missing' });

		const after = await resultEntryView(db, key, f.staff.member, f.afterClose);
		if (after.kind !== 'view') throw new Error(after.kind);
		expect(after.view.own).toBeNull();
		expect(after.view.versions).toHaveLength(1);
		expect(after.view.versions[0]!.record).toEqual(JSON.parse(JSON.stringify(RECORD)));
		const audit = await db.selectFrom('audit_log').select(['action', 'after']).where('action', 'like', 'district-result.%').orderBy('at').execute();
		expect(audit.map((a) => a.action)).toEqual(['district-result.enter', 'district-result.enter', 'district-result.enter', 'district-result.close']);
	});

	it('refuses to close an identical record that fails a check, naming it on the entry', async () => {
		const f = await countedDistrict();
		const code = await enrol(f.staff.chair);
		const key = { electionId: f.electionId, round: 1 };
		const bad = { ...RECORD, validVotes: 5 };
		expect(await saveResultEntry(db, { ...key, fields: fields(bad) }, f.staff.chair, f.afterClose)).toMatchObject({
			kind: 'saved',
			failures: [{ check: 'valid-plus-invalid-equals-counted' }, { check: 'valid-equals-sum-of-lists' }]
		});
		await saveResultEntry(db, { ...key, fields: fields(bad) }, f.staff.member, f.afterClose);
		expect(await closeResult(db, { ...key, code: code(f.afterClose) }, f.staff.chair, f.afterClose)).toEqual({ kind: 'checks-failed' });
	});

	it('a correction is a new version with a reason; the first stays unchanged', async () => {
		const f = await countedDistrict();
		const code = await enrol(f.staff.chair);
		const key = { electionId: f.electionId, round: 1 };
		await saveResultEntry(db, { ...key, fields: fields(RECORD) }, f.staff.chair, f.afterClose);
		await saveResultEntry(db, { ...key, fields: fields(RECORD) }, f.staff.member, f.afterClose);
		expect(await closeResult(db, { ...key, code: code(f.afterClose) }, f.staff.chair, f.afterClose)).toMatchObject({ kind: 'closed', version: 1 });

		const corrected = { ...RECORD, listVotes: { 1: 2, 2: 2 }, preferentialVotes: { 1: { 1: 2, 2: 0 }, 2: { 1: 2 } } };
		const later = f.afterClose.add({ minutes: 5 });
		await saveResultEntry(db, { ...key, fields: fields(corrected) }, f.staff.chair, later);
		await saveResultEntry(db, { ...key, fields: fields(corrected) }, f.staff.member, later);
		expect(await closeResult(db, { ...key, code: code(later), reason: ' ' }, f.staff.chair, later)).toEqual({ kind: 'reason-required' });
		expect(await closeResult(db, { ...key, code: code(later), reason: 'Přepočítáno: hlas přiřazen jiné listině' }, f.staff.chair, later)).toMatchObject({
			kind: 'closed',
			version: 2
		});
		const rows = await db.selectFrom('district_result').select(['version', 'figures', 'correction_reason']).orderBy('version').execute();
		expect(rows.map((r) => [r.version, (r.figures as ResultRecord).listVotes, r.correction_reason])).toEqual([
			[1, { 1: 3, 2: 1 }, null],
			[2, { 1: 2, 2: 2 }, 'Přepočítáno: hlas přiřazen jiné listině']
		]);
		const audit = await db.selectFrom('audit_log').select(['action', 'before']).where('action', '=', 'district-result.correct').executeTakeFirstOrThrow();
		expect(audit.before).toMatchObject({ version: 1 });
	});

	it('another embassy’s commission never sees or closes this district’s record', async () => {
		const f = await countedDistrict();
		const key = { electionId: f.electionId, round: 1 };
		await saveResultEntry(db, { ...key, fields: fields(RECORD) }, f.staff.chair, f.afterClose);
		const other = await resultEntryView(db, key, f.otherStaff.chair, f.afterClose);
		expect(other).toMatchObject({ kind: 'view', view: { own: null, other: null, versions: [] } });
		expect(await closeResult(db, { ...key, code: '123456' }, f.otherStaff.chair, f.afterClose)).toEqual({ kind: 'ballot-box-not-opened' });
		expect(await resultEntryView(db, key, f.staff.clerk, f.afterClose)).toEqual({ kind: 'forbidden' });
	});
});
