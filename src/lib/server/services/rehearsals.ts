/**
 * Rehearsal elections (issue 14), for the administrator: create one as a copy of a real
 * election or from nothing, move its clock ("jump to"), reset it and delete it. Each change
 * is one transaction with its audit entry. A rehearsal is an election row with `rehearsal`
 * set: every rule runs on it as on a real one, on the rehearsal's own clock (clock.ts
 * electionNow), and nothing of it reaches anything real (listElections, counters, open data).
 */
import { sql } from 'kysely';
import type { Temporal } from 'temporal-polyfill';
import {
	ELECTION_TYPE_RULES,
	defaultElectionSettings,
	isRehearsalJump,
	parseIsoDate,
	rehearsalJumpTarget,
	validateElection,
	type Election,
	type ElectionType,
	type RehearsalJump
} from '../../domain';
import { electionNow, offsetToReach } from '../clock';
import type { Db, DbOrTrx, Trx } from '../db/index';
import { listCandidateLists, replaceCandidateLists } from '../db/queries/district-results';
import { findElectionById, insertElectionWithRounds, toDomainElection, type ElectionWithRounds } from '../db/queries/elections';
import { appendAudit } from './audit';
import { isUuid } from './calendar';
import { defaultTitles, defaultWindowRows } from './elections';
import type { StaffActor } from './staff-actor';
import { idSlipCounter } from './packages';
import { voterCardCounterOf } from './voter-cards';

type Forbidden = { kind: 'forbidden' };
const FORBIDDEN: Forbidden = { kind: 'forbidden' };

function isAdministrator(actor: StaffActor): boolean {
	return actor.role === 'administrator';
}

export type RehearsalFormError = 'required' | 'invalid' | 'first-day-not-friday' | 'not-a-real-election' | 'offices-required';

export interface CreateRehearsalInput {
	/** Copy this real election; or, with null, create from nothing with `type` and `firstDay`. */
	fromElectionId: string | null;
	type?: string | null;
	/** D of round 1, YYYY-MM-DD (from nothing only). */
	firstDay?: string | null;
	/** The offices taking part: their staff see the rehearsal. */
	officeIds: string[];
}

export type CreateRehearsalResult =
	| { kind: 'created'; electionId: string }
	| { kind: 'invalid'; errors: Partial<Record<'fromElectionId' | 'type' | 'firstDay' | 'officeIds', RehearsalFormError>> }
	| Forbidden;

const ELECTION_TYPES = Object.keys(ELECTION_TYPE_RULES) as ElectionType[];

/** Days between the announcement and D for a rehearsal from nothing: room for every deadline (D−35 the earliest). */
const ANNOUNCEMENT_DAYS_BEFORE = 60;

/**
 * A rehearsal from a real election keeps its kind, rounds, dates, settings and the voting
 * windows of the embassies taking part, so every deadline stands where it stands relative to
 * its own election day; from nothing it takes the kind's defaults (§2(3) windows included).
 * Its clock starts at the portal's time (offset 0) until the administrator jumps.
 */
export async function createRehearsal(db: Db, input: CreateRehearsalInput, actor: StaffActor, now: Temporal.Instant): Promise<CreateRehearsalResult> {
	if (!isAdministrator(actor)) return FORBIDDEN;
	const officeIds = [...new Set(input.officeIds)].filter(isUuid);
	const errors: Partial<Record<'fromElectionId' | 'type' | 'firstDay' | 'officeIds', RehearsalFormError>> = {};
	if (officeIds.length === 0) errors.officeIds = 'offices-required';

	let source: ElectionWithRounds | undefined;
	let election: Election;
	let titles: { cs: string; en: string };
	if (input.fromElectionId) {
		source = isUuid(input.fromElectionId) ? await findElectionById(db, input.fromElectionId) : undefined;
		if (!source || source.rehearsal) return { kind: 'invalid', errors: { ...errors, fromElectionId: 'not-a-real-election' } };
		election = toDomainElection(source);
		titles = { cs: source.title_cs, en: source.title_en };
	} else {
		const type = ELECTION_TYPES.find((t) => t === input.type);
		if (!type) errors.type = 'required';
		const firstDay = input.firstDay ? parseIsoDate(input.firstDay) : null;
		if (!input.firstDay) errors.firstDay = 'required';
		else if (!firstDay) errors.firstDay = 'invalid';
		else if (firstDay.dayOfWeek !== 5) errors.firstDay = 'first-day-not-friday';
		if (!type || !firstDay || errors.firstDay) return { kind: 'invalid', errors };
		const rounds = ELECTION_TYPE_RULES[type].rounds === 2
			? [{ round: 1 as const, firstDay: firstDay.toString() }, { round: 2 as const, firstDay: firstDay.add({ days: 14 }).toString() }]
			: [{ round: 1 as const, firstDay: firstDay.toString() }];
		election = {
			id: 'new',
			type,
			announcedOn: firstDay.subtract({ days: ANNOUNCEMENT_DAYS_BEFORE }).toString(),
			rounds,
			...defaultElectionSettings(type)
		};
		const validation = validateElection(election);
		if (!validation.ok) return { kind: 'invalid', errors: { ...errors, firstDay: 'invalid' } };
		titles = defaultTitles(type, firstDay.toString());
	}
	if (Object.keys(errors).length > 0) return { kind: 'invalid', errors };

	const electionId = await db.transaction().execute(async (trx) => {
		const offices = await trx.selectFrom('office').select(['id', 'kind', 'time_zone']).where('id', 'in', officeIds).execute();
		const newId = await insertElectionWithRounds(trx, election, {
			title_cs: `Zkouška: ${titles.cs}`,
			title_en: `Rehearsal: ${titles.en}`,
			rehearsal: true,
			clock_offset_seconds: 0,
			rehearsal_of: source?.id ?? null
		});
		if (offices.length) {
			await trx.insertInto('rehearsal_office').values(offices.map((o) => ({ election_id: newId, office_id: o.id }))).execute();
		}
		const embassies = election.votingAbroad ? offices.filter((o) => o.kind === 'embassy') : [];
		if (embassies.length) {
			// The source's own windows where it has them (*configurable*), else the §2(3) defaults.
			const copied = source
				? await trx
						.selectFrom('embassy_voting_window')
						.selectAll()
						.where('election_id', '=', source.id)
						.where('office_id', 'in', embassies.map((e) => e.id))
						.execute()
				: [];
			const windows = embassies.flatMap((embassy) =>
				election.rounds.flatMap((r) => {
					const own = copied.filter((w) => w.office_id === embassy.id && w.round === r.round);
					if (own.length) {
						return own.map((w) => ({ election_id: newId, round: r.round, office_id: embassy.id, window_no: w.window_no, starts_local: w.starts_local, ends_local: w.ends_local }));
					}
					return defaultWindowRows(newId, r, embassy);
				})
			);
			if (windows.length) await trx.insertInto('embassy_voting_window').values(windows).execute();
		}
		// Issue 17: the rehearsal counts the same candidate lists as the election it rehearses.
		if (source) await replaceCandidateLists(trx, newId, await listCandidateLists(trx, source.id));
		await appendAudit(trx, {
			actor,
			action: 'rehearsal.create',
			entityType: 'election',
			entityId: newId,
			after: { electionId: newId, rehearsalOf: source?.id ?? null, type: election.type, officeIds: offices.map((o) => o.id) },
			at: now
		});
		return newId;
	});
	return { kind: 'created', electionId };
}

async function lockRehearsal(trx: Trx, electionId: string) {
	return trx
		.selectFrom('election')
		.select(['id', 'rehearsal', 'clock_offset_seconds'])
		.where('id', '=', electionId)
		.where('rehearsal', '=', true)
		.forUpdate()
		.executeTakeFirst();
}

/** The round-1 voting of the embassies taking part in a rehearsal (§2(3)), for the jumps. */
async function rehearsalVoting(db: DbOrTrx, electionId: string) {
	const rows = await db
		.selectFrom('embassy_voting_window as w')
		.innerJoin('office as o', 'o.id', 'w.office_id')
		.select(['w.office_id', 'o.time_zone', 'w.starts_local', 'w.ends_local'])
		.where('w.election_id', '=', electionId)
		.where('w.round', '=', 1)
		.orderBy('w.office_id')
		.orderBy('w.window_no')
		.execute();
	const byOffice = new Map<string, { timeZone: string; windows: { start: string; end: string }[] }>();
	for (const r of rows) {
		const entry = byOffice.get(r.office_id) ?? { timeZone: r.time_zone, windows: [] };
		entry.windows.push({ start: r.starts_local, end: r.ends_local });
		byOffice.set(r.office_id, entry);
	}
	return [...byOffice.values()];
}

export type JumpResult = { kind: 'moved'; at: Temporal.Instant } | { kind: 'not-found' } | { kind: 'invalid-jump' } | Forbidden;

/**
 * Moves a rehearsal's clock to the instant of `jump` (domain rehearsalJumpTarget). Only a
 * rehearsal: a real election is "not found" here, and the CHECK election_real_clock
 * refuses an offset on it in the database too.
 */
export async function jumpRehearsalClock(
	db: Db,
	input: { electionId: string; jump: string },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<JumpResult> {
	if (!isAdministrator(actor)) return FORBIDDEN;
	if (!isRehearsalJump(input.jump)) return { kind: 'invalid-jump' };
	const jump: RehearsalJump = input.jump;
	if (!isUuid(input.electionId)) return { kind: 'not-found' };
	return db.transaction().execute(async (trx): Promise<JumpResult> => {
		const locked = await lockRehearsal(trx, input.electionId);
		if (!locked) return { kind: 'not-found' };
		const row = await findElectionById(trx, locked.id);
		if (!row) return { kind: 'not-found' };
		const target = rehearsalJumpTarget(toDomainElection(row), await rehearsalVoting(trx, row.id), jump);
		const offset = offsetToReach(target, now);
		await trx.updateTable('election').set({ clock_offset_seconds: offset, updated_at: sql`now()` }).where('id', '=', row.id).where('rehearsal', '=', true).execute();
		await appendAudit(trx, {
			actor,
			action: 'rehearsal.jump',
			entityType: 'election',
			entityId: row.id,
			before: { electionId: row.id, clockOffsetSeconds: locked.clock_offset_seconds },
			after: { electionId: row.id, jump, clockOffsetSeconds: offset, at: target.toString() },
			at: now
		});
		return { kind: 'moved', at: target };
	});
}

export interface ResetCounts {
	requests: number;
	voterCards: number;
	packages: number;
	batches: number;
	envelopes: number;
	handovers: number;
	closures: number;
	votingMarks: number;
	proxies: number;
}

/** Deletes everything a rehearsal produced, in the order of the foreign keys; audit entries stay (marked). */
async function deleteRehearsalData(trx: Trx, electionId: string): Promise<ResetCounts> {
	const n = (r: { numDeletedRows: bigint }[]) => r.reduce((s, x) => s + Number(x.numDeletedRows), 0);
	// Issue 17: the records of the result go before the closures they follow.
	await trx.deleteFrom('district_result').where('election_id', '=', electionId).execute();
	await trx.deleteFrom('district_result_entry').where('election_id', '=', electionId).execute();
	const closures = n(await trx.deleteFrom('commission_closure').where('election_id', '=', electionId).execute());
	const votingMarks = n(await trx.deleteFrom('voting_mark').where('election_id', '=', electionId).execute());
	const envelopes = n(await trx.deleteFrom('return_envelope').where('election_id', '=', electionId).execute());
	const handovers = n(await trx.deleteFrom('envelope_handover').where('election_id', '=', electionId).execute());
	const packages = n(await trx.deleteFrom('correspondence_package').where('election_id', '=', electionId).execute());
	const batches = n(await trx.deleteFrom('package_batch').where('election_id', '=', electionId).execute());
	const voterCards = n(await trx.deleteFrom('voter_card').where('election_id', '=', electionId).execute());
	const requests = n(await trx.deleteFrom('request').where('election_id', '=', electionId).execute());
	const proxies = n(await trx.deleteFrom('proxy').where('election_id', '=', electionId).execute());
	// The rehearsal's own counters (§23(3) voter cards, §57b(3) ID slips) start again from 1.
	await trx
		.deleteFrom('office_counter')
		.where('counter', 'in', [voterCardCounterOf({ id: electionId, rehearsal: true }), idSlipCounter(electionId)])
		.execute();
	return { requests, voterCards, packages, batches, envelopes, handovers, closures, votingMarks, proxies };
}

export type ResetResult = { kind: 'reset'; counts: ResetCounts } | { kind: 'not-found' } | Forbidden;

/** Deletes all requests, voter cards, packages, batches, envelopes and results of a rehearsal. */
export async function resetRehearsal(db: Db, input: { electionId: string }, actor: StaffActor, now: Temporal.Instant): Promise<ResetResult> {
	if (!isAdministrator(actor)) return FORBIDDEN;
	if (!isUuid(input.electionId)) return { kind: 'not-found' };
	return db.transaction().execute(async (trx): Promise<ResetResult> => {
		if (!(await lockRehearsal(trx, input.electionId))) return { kind: 'not-found' };
		const counts = await deleteRehearsalData(trx, input.electionId);
		await appendAudit(trx, { actor, action: 'rehearsal.reset', entityType: 'election', entityId: input.electionId, after: { electionId: input.electionId, ...counts }, at: now });
		return { kind: 'reset', counts };
	});
}

export type DeleteResult = { kind: 'deleted' } | { kind: 'not-found' } | Forbidden;

/** Resets the rehearsal and deletes it with its rounds, windows and offices; its audit entries stay. */
export async function deleteRehearsal(db: Db, input: { electionId: string }, actor: StaffActor, now: Temporal.Instant): Promise<DeleteResult> {
	if (!isAdministrator(actor)) return FORBIDDEN;
	if (!isUuid(input.electionId)) return { kind: 'not-found' };
	return db.transaction().execute(async (trx): Promise<DeleteResult> => {
		if (!(await lockRehearsal(trx, input.electionId))) return { kind: 'not-found' };
		const counts = await deleteRehearsalData(trx, input.electionId);
		// Written before the row goes, so that the trigger still marks it as a rehearsal's.
		await appendAudit(trx, { actor, action: 'rehearsal.delete', entityType: 'election', entityId: input.electionId, after: { electionId: input.electionId, ...counts }, at: now });
		await trx.deleteFrom('election').where('id', '=', input.electionId).where('rehearsal', '=', true).execute();
		return { kind: 'deleted' };
	});
}

export interface RehearsalSummary {
	id: string;
	titleCs: string;
	titleEn: string;
	type: ElectionType;
	firstDay: string;
	/** The rehearsal's clock now. */
	clockAt: Temporal.Instant;
	offices: { id: string; nameCs: string; nameEn: string }[];
	requests: number;
}

/** The rehearsals for the administration's list, each with its clock and offices. */
export async function listRehearsals(db: Db, actor: StaffActor, now: Temporal.Instant): Promise<RehearsalSummary[] | undefined> {
	if (!isAdministrator(actor)) return undefined;
	const rows = await db
		.selectFrom('election')
		.select((eb) => [
			'election.id',
			'election.title_cs',
			'election.title_en',
			'election.type',
			'election.rehearsal',
			'election.clock_offset_seconds',
			eb.selectFrom('election_round').select('first_day').whereRef('election_round.election_id', '=', 'election.id').where('round', '=', 1).as('first_day'),
			eb.selectFrom('request').select((r) => r.fn.countAll<number>().as('n')).whereRef('request.election_id', '=', 'election.id').as('requests')
		])
		.where('election.rehearsal', '=', true)
		.orderBy('election.created_at')
		.execute();
	const offices = rows.length
		? await db
				.selectFrom('rehearsal_office as ro')
				.innerJoin('office as o', 'o.id', 'ro.office_id')
				.select(['ro.election_id', 'o.id', 'o.name_cs', 'o.name_en'])
				.where('ro.election_id', 'in', rows.map((r) => r.id))
				.orderBy('o.name_cs')
				.execute()
		: [];
	return rows.map((r) => ({
		id: r.id,
		titleCs: r.title_cs,
		titleEn: r.title_en,
		type: r.type,
		firstDay: r.first_day ?? '',
		clockAt: electionNow(r, now),
		offices: offices.filter((o) => o.election_id === r.id).map((o) => ({ id: o.id, nameCs: o.name_cs, nameEn: o.name_en })),
		requests: Number(r.requests ?? 0)
	}));
}
