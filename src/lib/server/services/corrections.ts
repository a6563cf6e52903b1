/**
 * Requests to correct the voter list (issue 15, §23(5)): the voter, logged in with the eID,
 * says which of the data of §23(2) is wrong and what is right; the office that keeps the list
 * (the municipal office; the embassy for its special district's list, §23(4)) corrects the
 * record or refuses with a reason (§77(1), the refusal is services/decisions.ts refuseRequest,
 * shared with every kind of request).
 *
 * Each function checks the rule, writes the rows, the audit entry and the voter's e-mail in
 * ONE transaction. Correcting is a conditional update of a request still 'received': of two
 * clerks at the same moment exactly one corrects, the other is told the state it is now in.
 */
import type { Temporal } from 'temporal-polyfill';
import { requestedValues, type CorrectionRequested } from '../../forms/corrections';
import { toDate } from '../clock';
import type { Db } from '../db/index';
import { findCorrectionOfRequest, findPendingCorrection, insertCorrection, updateCorrectionApplied, updateVoterRecord } from '../db/queries/corrections';
import { insertRequest, type NewRequestRow } from '../db/queries/requests';
import { findOfficeRequest, findOfficeRequestState, lockVoter, updateRequestDecided } from '../db/queries/staff-requests';
import { findVoterById } from '../db/queries/voters';
import type { CorrectionField, Voter, VoterUpdate } from '../db/schema';
import { newReference } from '../reference';
import { appendAudit, type Actor } from './audit';
import { DECIDING_ROLES, type DecisionResult } from './decisions';
import { queueVoterNotification } from './notifications';
import { isUuid } from './requests';
import { actingOffice, type StaffActor } from './staff-actor';

export type CorrectionFiled =
	| { ok: true; requestId: string; reference: string }
	/** The voter is on no list: nobody can correct it (§23(5) presumes a list). */
	| { ok: false; code: 'not-on-voter-list' }
	/** A correction of the same field already waits for the office. */
	| { ok: false; code: 'already-pending'; reference: string };

/**
 * The office competent for a field (§23(4)): the embassy keeps the address abroad of a voter on
 * its special district's list; the municipal office keeps everything else. A voter on the
 * special list only (no municipal list) asks the embassy for everything.
 */
export function competentOfficeFor(voter: Pick<Voter, 'municipal_office_id' | 'special_district_office_id'>, field: CorrectionField): string | null {
	if (field === 'address') return voter.special_district_office_id ?? voter.municipal_office_id;
	return voter.municipal_office_id ?? voter.special_district_office_id;
}

/** The record's current values of a field, in the names the requested value uses. */
export function currentValues(voter: Pick<Voter, 'given_name' | 'family_name' | 'birth_date' | 'address_line' | 'city' | 'postal_code' | 'country_code'>, field: CorrectionField): Record<string, string> {
	switch (field) {
		case 'name':
			return { givenName: voter.given_name, familyName: voter.family_name };
		case 'birth-date':
			return { birthDate: voter.birth_date };
		case 'address':
			return { line: voter.address_line, city: voter.city, postalCode: voter.postal_code, country: voter.country_code.trim() };
	}
}

function voterUpdate(field: CorrectionField, values: Record<string, string>): VoterUpdate {
	switch (field) {
		case 'name':
			return { given_name: values.givenName, family_name: values.familyName };
		case 'birth-date':
			return { birth_date: values.birthDate };
		case 'address':
			return { address_line: values.line, city: values.city, postal_code: values.postalCode, country_code: values.country };
	}
}

/** The voter files a correction request (§23(5)) with the competent office. */
export async function requestCorrection(
	db: Db,
	input: { voterId: string; statement: string; requested: CorrectionRequested },
	actor: Actor,
	now: Temporal.Instant
): Promise<CorrectionFiled> {
	const field = input.requested.field;
	return db.transaction().execute(async (trx): Promise<CorrectionFiled> => {
		await lockVoter(trx, input.voterId);
		const voter = isUuid(input.voterId) ? await findVoterById(trx, input.voterId) : undefined;
		const officeId = voter ? competentOfficeFor(voter, field) : null;
		if (!voter || !officeId) return { ok: false, code: 'not-on-voter-list' };
		const pending = await findPendingCorrection(trx, voter.id, field);
		if (pending) return { ok: false, code: 'already-pending', reference: pending.reference };

		const base: Omit<NewRequestRow, 'reference'> = {
			kind: 'voter-list-correction',
			voter_id: voter.id,
			election_id: null,
			round: null,
			office_id: officeId,
			channel: 'portal',
			delivery: null,
			delivery_address_line: null,
			delivery_city: null,
			delivery_postal_code: null,
			delivery_country_code: null,
			proxy_name: null,
			power_of_attorney_note: null,
			proxy_birth_date: null,
			received_at: toDate(now),
			deadline_key: null,
			deadline_at: null,
			entered_by: actor.kind === 'staff' ? actor.id : null,
			idempotency_key: null
		};
		let inserted: { id: string; reference: string } | undefined;
		for (let attempt = 0; attempt < 5 && !inserted; attempt++) {
			const reference = newReference('voter-list-correction');
			const row = await insertRequest(trx, { ...base, reference });
			if (row) inserted = { id: row.id, reference };
		}
		if (!inserted) throw new Error('Could not draw a free request reference');
		await insertCorrection(trx, { requestId: inserted.id, field, statement: input.statement, requested: requestedValues(input.requested) });
		await appendAudit(trx, {
			actor,
			action: 'request.file',
			entityType: 'request',
			entityId: inserted.id,
			officeId,
			after: { reference: inserted.reference, kind: 'voter-list-correction', field, officeId, channel: 'portal', state: 'received' },
			at: now
		});
		await queueVoterNotification(trx, { voterId: voter.id, kind: 'request-received', reference: inserted.reference });
		return { ok: true, requestId: inserted.id, reference: inserted.reference };
	});
}

/**
 * The office corrects the voter's record as asked (or with the clerk's own reading of it,
 * `values`), in the same transaction as the decision; the request is then 'completed'. The
 * audit entry holds the old and the new values (§23(5): the list's history of a correction).
 */
export async function correctVoterList(
	db: Db,
	input: { requestId: string; values?: Record<string, string> },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<DecisionResult> {
	const officeId = actingOffice(actor, DECIDING_ROLES);
	if (!officeId) return { kind: 'forbidden' };
	if (!isUuid(input.requestId)) return { kind: 'not-found' };

	return db.transaction().execute(async (trx): Promise<DecisionResult> => {
		const row = await findOfficeRequest(trx, officeId, input.requestId);
		if (!row || row.kind !== 'voter-list-correction') return { kind: 'not-found' };
		if (row.state !== 'received') return { kind: 'already-decided', reference: row.reference, state: row.state };
		await lockVoter(trx, row.voter_id);
		const correction = await findCorrectionOfRequest(trx, row.id);
		const voter = await findVoterById(trx, row.voter_id);
		if (!correction || !voter) return { kind: 'not-found' };

		const before = currentValues(voter, correction.field);
		const asked = { ...correction.requested, ...(input.values ?? {}) };
		const after = Object.fromEntries(Object.keys(before).map((key) => [key, (asked[key] ?? before[key] ?? '').trim()]));
		if (Object.values(after).some((v) => v === '' && correction.field !== 'address')) return { kind: 'invalid', field: 'text' };

		const at = toDate(now);
		const updated = await updateRequestDecided(trx, { id: row.id, officeId, state: 'completed', at, by: actor.id });
		if (!updated) {
			const current = await findOfficeRequestState(trx, officeId, row.id);
			return current ? { kind: 'already-decided', reference: current.reference, state: current.state } : { kind: 'not-found' };
		}
		await updateVoterRecord(trx, voter.id, { ...voterUpdate(correction.field, after), updated_at: at });
		await updateCorrectionApplied(trx, row.id, { before, after });
		await appendAudit(trx, {
			actor,
			action: 'request.correct',
			entityType: 'request',
			entityId: row.id,
			officeId,
			before: { state: row.state, field: correction.field, values: before },
			after: { state: 'completed', decidedBy: actor.id, field: correction.field, values: after, voterId: voter.id },
			at: now
		});
		await queueVoterNotification(trx, { voterId: voter.id, kind: 'correction-made', reference: row.reference });
		return { kind: 'done', requestId: row.id, reference: row.reference, state: 'completed' };
	});
}
