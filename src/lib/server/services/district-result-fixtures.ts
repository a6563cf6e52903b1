/**
 * Test fixtures for the special districts' records of the result (issue 17): an embassy whose
 * commission has counted every envelope (optionally with the ballot box open), the election's
 * candidate lists, a consistent record and the chair's second factor. For the *.db.test.ts
 * files only; never used by the portal itself.
 */
import { encryptTotpSecret } from '../auth/totp-crypto';
import { generateHOTP } from '@oslojs/otp';
import type { Temporal } from 'temporal-polyfill';
import { recordFieldKey, recordFields, recordValue, type ResultRecord, type ResultShape } from '../../domain/results';
import { generateTotpKey, totpStep } from '../auth/totp';
import type { Db } from '../db/index';
import { replaceCandidateLists } from '../db/queries/district-results';
import { openBallotBox, recordOutcome } from './commission';
import { closeResult, saveResultEntry } from './district-results';
import { createEnvelopeFixture, type EnvelopeFixture } from './envelope-fixtures';
import { confirmHandoverAsChair, confirmHandoverAsHead, createHandover, recordEnvelopeScan } from './envelopes';
import type { StaffActor } from './staff-actor';

export const LISTS = [
	{ number: 1, name: 'Strana A', candidates: [{ number: 1, name: 'Jana A' }, { number: 2, name: 'Petr A' }] },
	{ number: 2, name: 'Strana B', candidates: [{ number: 1, name: 'Eva B' }] }
];
export const SHAPE: ResultShape = { lists: LISTS, preferencesAllowed: 4 };

/** A consistent record of the five envelopes the fixture's commission put in the box. */
export const RECORD: ResultRecord = {
	votersOnList: 5,
	envelopesIssued: 5,
	envelopesReceived: 5,
	envelopesCounted: 5,
	validVotes: 4,
	invalidVotes: 1,
	listVotes: { 1: 3, 2: 1 },
	preferentialVotes: { 1: { 1: 2, 2: 0 }, 2: { 1: 1 } }
};

/** The form's fields of a record. */
export function fields(record: ResultRecord): Record<string, string> {
	return Object.fromEntries(recordFields(SHAPE).map((f) => [recordFieldKey(f), String(recordValue(record, f))]));
}

/** Gives a staff member a second factor; returns the app's code at an instant. */
export async function enrol(db: Db, actor: StaffActor): Promise<(at: Temporal.Instant) => string> {
	const key = generateTotpKey();
	await db.updateTable('staff_user').set({ totp_key: encryptTotpSecret(key), totp_enrolled_at: new Date() }).where('id', '=', actor.id).execute();
	return (at) => generateHOTP(key, BigInt(totpStep(at)), 6);
}

/** Every envelope scanned, handed over and accepted, the ballot box opened (unless `open: false`), the lists entered. */
export async function countedDistrict(db: Db, opts: { open?: boolean } = {}): Promise<EnvelopeFixture> {
	const f = await createEnvelopeFixture(db);
	const ids: string[] = [];
	for (const p of f.packages) {
		const r = await recordEnvelopeScan(db, { code: p.code }, f.staff.clerk, f.beforeClose);
		if (r.kind !== 'recorded') throw new Error(r.kind);
		ids.push(r.envelopeId);
	}
	const h = await createHandover(db, { electionId: f.electionId, round: 1 }, f.staff.clerk, f.beforeClose);
	if (h.kind !== 'created') throw new Error(h.kind);
	await confirmHandoverAsHead(db, { handoverId: h.handoverId }, f.staff.head, f.beforeClose);
	await confirmHandoverAsChair(db, { handoverId: h.handoverId }, f.staff.chair, f.beforeClose);
	for (const id of ids) await recordOutcome(db, { envelopeId: id, outcome: 'accepted' }, f.staff.member, f.afterClose);
	if (opts.open !== false) {
		const opened = await openBallotBox(db, { electionId: f.electionId, round: 1 }, f.staff.chair, f.afterClose);
		if (opened.kind !== 'opened') throw new Error(opened.kind);
	}
	await db.transaction().execute((trx) => replaceCandidateLists(trx, f.electionId, LISTS));
	return f;
}

/** The record entered by the chair and a member alike and closed by the chair; returns the version. */
export async function closeDistrictRecord(db: Db, f: EnvelopeFixture, record: ResultRecord, at: Temporal.Instant, code: (at: Temporal.Instant) => string, reason?: string): Promise<number> {
	const key = { electionId: f.electionId, round: 1 };
	await saveResultEntry(db, { ...key, fields: fields(record) }, f.staff.chair, at);
	await saveResultEntry(db, { ...key, fields: fields(record) }, f.staff.member, at);
	const closed = await closeResult(db, { ...key, code: code(at), reason }, f.staff.chair, at);
	if (closed.kind !== 'closed') throw new Error(closed.kind);
	return closed.version;
}
