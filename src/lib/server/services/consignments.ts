/**
 * Registered post with consignment numbers (issue 12): the numbers a postal operator allotted
 * to an office (entered by an administrator), numbers taken from them for a dispatch batch,
 * and the record of the number a dispatched voter card or package went out under. The check
 * digit and the format are the domain's (domain/consignment.ts).
 */
import type { Temporal } from 'temporal-polyfill';
import { checkConsignmentRange, numbersFromRange, trackingUrl, type ConsignmentRange } from '../../domain';
import { toDate } from '../clock';
import { m } from '../../paraglide/messages.js';
import type { MailDetails } from '../mail/compose';
import { config } from '../config';
import type { Db, Trx } from '../db/index';
import {
	insertConsignmentRange,
	listConsignmentRanges,
	listUsedConsignmentNumbers,
	lockOpenConsignmentRanges,
	updateConsignmentRangeNext,
	type ConsignmentRangeRow
} from '../db/queries/batches';
import { findOfficeById } from '../db/queries/offices';
import { appendAudit } from './audit';
import type { BatchItemOptions } from './batches/mark';
import { isUuid } from './requests';
import type { StaffActor } from './staff-actor';

/** The operator's tracking page of a consignment (CONSIGNMENT_TRACKING_URL). */
export function consignmentTrackingUrl(number: string): string {
	return trackingUrl(config().CONSIGNMENT_TRACKING_URL, number);
}

/** The lines of the voter's e-mail about a registered letter. */
export function consignmentDetails(number: string): MailDetails {
	return (locale) => ({
		[m.mail_detail_consignment({}, { locale })]: number,
		[m.mail_detail_tracking({}, { locale })]: consignmentTrackingUrl(number)
	});
}

/**
 * Records the number a request's letter went out under, inside the dispatch's transaction.
 * False when the number (or a number for this request) is recorded already: the caller rolls
 * back and says so. ON CONFLICT keeps the transaction usable for that answer.
 */
export async function recordConsignment(
	trx: Trx,
	c: { number: string; officeId: string; requestId: string; reference: string; batch: BatchItemOptions | undefined; at: Date; by: string }
): Promise<boolean> {
	const row = await trx
		.insertInto('consignment')
		.values({ number: c.number, office_id: c.officeId, request_id: c.requestId, batch_id: c.batch?.batchId ?? null, recorded_at: c.at, recorded_by: c.by })
		.onConflict((oc) => oc.doNothing())
		.returning('number')
		.executeTakeFirst();
	return row !== undefined;
}

/**
 * `count` free numbers from the office's ranges, oldest range first, skipping numbers typed
 * by hand meanwhile; the ranges are locked and advanced in the caller's transaction, so two
 * clerks never take the same number.
 */
export async function takeRangeNumbers(trx: Trx, officeId: string, count: number): Promise<string[]> {
	const taken: string[] = [];
	for (const range of await lockOpenConsignmentRanges(trx, officeId)) {
		let next = range.next_serial;
		const domainRange: ConsignmentRange = { service: range.service, country: range.country, first: range.first_serial, last: range.last_serial };
		while (taken.length < count && next <= range.last_serial) {
			const candidates = numbersFromRange(domainRange, next, Math.min(500, count - taken.length));
			next += candidates.length;
			const used = new Set(await listUsedConsignmentNumbers(trx, candidates));
			taken.push(...candidates.filter((n) => !used.has(n)));
		}
		await updateConsignmentRangeNext(trx, range.id, next);
		if (taken.length >= count) break;
	}
	return taken.slice(0, count);
}

// --- The administrator's ranges ---

export type RangeResult =
	| { kind: 'done'; id: string }
	| { kind: 'invalid'; field: 'service' | 'country' | 'first' | 'last' }
	| { kind: 'not-found' }
	| { kind: 'forbidden' };

const RANGE_FIELD = { service: 'service', country: 'country', serial: 'first', order: 'last' } as const;

/** An administrator enters a range of consignment numbers a postal operator allotted to an office. */
export async function addConsignmentRange(
	db: Db,
	input: { officeId: string; service: string; country: string; first: number; last: number },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<RangeResult> {
	if (actor.role !== 'administrator') return { kind: 'forbidden' };
	if (!isUuid(input.officeId)) return { kind: 'not-found' };
	const checked = checkConsignmentRange(input);
	if (!checked.ok) return { kind: 'invalid', field: RANGE_FIELD[checked.code] };
	if (!(await findOfficeById(db, input.officeId))) return { kind: 'not-found' };
	const range = checked.range;
	return db.transaction().execute(async (trx) => {
		const id = await insertConsignmentRange(trx, { officeId: input.officeId, ...range, at: toDate(now), by: actor.id });
		await appendAudit(trx, {
			actor,
			action: 'consignment-range.add',
			entityType: 'consignment_range',
			entityId: id,
			officeId: input.officeId,
			after: range,
			at: now
		});
		return { kind: 'done' as const, id };
	});
}

export async function listOfficeConsignmentRanges(db: Db, officeId: string): Promise<ConsignmentRangeRow[]> {
	return isUuid(officeId) ? listConsignmentRanges(db, officeId) : [];
}
