/**
 * Test fixtures for return envelopes and the special commission: embassies, an election
 * with its voting windows, staff of every role, voters and issued correspondence packages,
 * written straight into the database. For the *.db.test.ts files, the future end-to-end
 * tests of the staff pages and `npm run bench:envelopes`. Never used by the portal itself.
 */
import { Temporal } from 'temporal-polyfill';
import { returnEnvelopeDeadline, type Round } from '../../domain';
import { ENVELOPE_CODE_RANDOM_BYTES, generateEnvelopeCode } from '../../domain/envelopes';
import type { Db } from '../db/index';
import { listVotingWindowsOfRound } from '../db/queries/envelopes';
import { takeCounterValues } from '../db/queries/packages';
import { drawOfficeSerial } from '../db/queries/staff-requests';
import type { StaffRole } from '../db/schema';
import { newReference } from '../reference';
import { createElection } from './elections';
import { votingOfRound } from './envelopes';
import { idSlipCounter } from './packages';
import type { StaffActor } from './staff-actor';
import { VOTER_CARD_COUNTER } from './voter-cards';

export interface FixtureEmbassy {
	id: string;
	code: string;
	timeZone: string;
}

export interface FixturePackage {
	packageId: string;
	requestId: string;
	voterId: string;
	/** The envelope code, canonical (12 symbols, no hyphens). */
	code: string;
}

export interface FixtureStaff {
	clerk: StaffActor;
	clerk2: StaffActor;
	head: StaffActor;
	member: StaffActor;
	member2: StaffActor;
	chair: StaffActor;
}

const CHUNK = 1_000;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

function randomSuffix(): string {
	return generateEnvelopeCode(crypto.getRandomValues(new Uint8Array(ENVELOPE_CODE_RANDOM_BYTES))).slice(0, 8).toLowerCase();
}

/** An embassy with a fresh code and special district number (§56(4)). */
export async function insertFixtureEmbassy(db: Db, opts: { timeZone?: string; code?: string } = {}): Promise<FixtureEmbassy> {
	const code = opts.code ?? `zu-fx-${randomSuffix()}`;
	const timeZone = opts.timeZone ?? 'America/New_York';
	const max = await db.selectFrom('office').select((eb) => eb.fn.max('special_district_number').as('n')).executeTakeFirst();
	const row = await db
		.insertInto('office')
		.values({
			kind: 'embassy',
			code,
			name_cs: `Zastupitelský úřad ${code}`,
			name_en: `Embassy ${code}`,
			address: 'Fixture Street 1',
			special_district_number: (max?.n ?? 0) + 1,
			country_code: 'US',
			countries: ['US'],
			time_zone: timeZone
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return { id: row.id, code, timeZone };
}

/** A staff member of one office with a role; the password hash is a placeholder unless given. */
export async function insertFixtureStaff(
	db: Db,
	opts: { officeId: string; role: StaffRole; username?: string; displayName?: string; passwordHash?: string }
): Promise<StaffActor> {
	const username = opts.username ?? `${opts.role}.${randomSuffix()}`;
	const row = await db
		.insertInto('staff_user')
		.values({
			username,
			display_name: opts.displayName ?? username,
			password_hash: opts.passwordHash ?? 'fixture-no-login',
			role: opts.role,
			// The administrator is bound to no office (the CHECK of migration 0001).
			office_id: opts.role === 'administrator' ? null : opts.officeId
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return { kind: 'staff', id: row.id, officeId: opts.role === 'administrator' ? null : opts.officeId, role: opts.role };
}

/** Every role the envelopes need at one embassy, two clerks and two members among them. */
export async function insertFixtureStaffSet(db: Db, officeId: string): Promise<FixtureStaff> {
	const make = (role: StaffRole) => insertFixtureStaff(db, { officeId, role });
	return {
		clerk: await make('embassy-clerk'),
		clerk2: await make('embassy-clerk'),
		head: await make('embassy-head'),
		member: await make('commission-member'),
		member2: await make('commission-member'),
		chair: await make('commission-chair')
	};
}

/** Voters on the embassy's special-district list (§56(4)). */
export async function insertFixtureVoters(
	db: Db,
	opts: { officeId: string; count: number; confirmedEmail?: boolean }
): Promise<string[]> {
	const ids: string[] = [];
	const prefix = randomSuffix();
	for (const part of chunks(Array.from({ length: opts.count }, (_, i) => i))) {
		const rows = await db
			.insertInto('voter')
			.values(
				part.map((i) => ({
					special_district_office_id: opts.officeId,
					given_name: `Jana${i}`,
					family_name: `Nováková${i}`,
					birth_date: '1980-01-01',
					address_line: `${i} Fixture Street`,
					city: 'New York',
					postal_code: '10001',
					country_code: 'US',
					source: 'seed' as const,
					email: opts.confirmedEmail ? `volic.${prefix}.${i}@example.invalid` : null,
					email_confirmed_at: opts.confirmedEmail ? new Date('2026-01-01T00:00:00Z') : null
				}))
			)
			.returning('id')
			.execute();
		ids.push(...rows.map((r) => r.id));
	}
	return ids;
}

/**
 * A correspondence request in state 'issued' and its package with a fresh envelope code for
 * each voter (§57b), dispatched by post unless `dispatched` is false.
 */
export async function issueFixturePackages(
	db: Db,
	opts: {
		officeId: string;
		electionId: string;
		round: Round;
		voterIds: readonly string[];
		issuedBy: string;
		at?: Date;
		dispatched?: boolean;
	}
): Promise<FixturePackage[]> {
	const at = opts.at ?? new Date('2026-09-01T10:00:00Z');
	const dispatched = opts.dispatched ?? true;
	const out: FixturePackage[] = [];
	for (const part of chunks(opts.voterIds)) {
		// ID-slip numbers from the embassy's own counter, as packages.ts draws them: a package the
		// portal issues later for the same election must not be given a number taken here.
		let slip = (await takeCounterValues(db, opts.officeId, idSlipCounter(opts.electionId), part.length)) - 1;
		const requests = await db
			.insertInto('request')
			.values(
				part.map((voterId) => ({
					reference: newReference('correspondence-package'),
					kind: 'correspondence-package' as const,
					voter_id: voterId,
					election_id: opts.electionId,
					round: opts.round,
					office_id: opts.officeId,
					channel: 'portal' as const,
					delivery: 'post' as const,
					state: 'issued' as const,
					received_at: at,
					decided_at: at,
					decided_by: opts.issuedBy
				}))
			)
			.returning(['id', 'voter_id'])
			.execute();
		const packages = await db
			.insertInto('correspondence_package')
			.values(
				requests.map((r) => ({
					office_id: opts.officeId,
					request_id: r.id,
					voter_id: r.voter_id,
					election_id: opts.electionId,
					round: opts.round,
					id_slip_number: ++slip,
					envelope_code: generateEnvelopeCode(crypto.getRandomValues(new Uint8Array(ENVELOPE_CODE_RANDOM_BYTES))),
					issued_at: at,
					issued_by: opts.issuedBy,
					dispatch_method: dispatched ? ('post' as const) : null,
					dispatched_at: dispatched ? at : null,
					dispatched_by: dispatched ? opts.issuedBy : null
				}))
			)
			.returning(['id', 'request_id', 'voter_id', 'envelope_code'])
			.execute();
		out.push(...packages.map((p) => ({ packageId: p.id, requestId: p.request_id, voterId: p.voter_id, code: p.envelope_code })));
	}
	return out;
}

/** A voter card issued to a voter for a round (§23(3)), for the §57d(2)(d) hint. */
export async function issueFixtureVoterCard(
	db: Db,
	opts: { officeId: string; voterId: string; electionId: string; round: Round; issuedBy: string }
): Promise<void> {
	const request = await db
		.insertInto('request')
		.values({
			reference: newReference('voter-card'),
			kind: 'voter-card',
			voter_id: opts.voterId,
			election_id: opts.electionId,
			round: opts.round,
			office_id: opts.officeId,
			channel: 'portal',
			delivery: 'in-person',
			state: 'issued',
			received_at: new Date('2026-09-01T10:00:00Z')
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	// The next serial of the office's evidence (§23(3)) from its counter, as issueVoterCard draws
	// it: taking max(serial) + 1 here left the counter behind, and the office's next card issued
	// through the portal got the same serial and failed on UNIQUE (office_id, serial).
	const serial = await drawOfficeSerial(db, opts.officeId, VOTER_CARD_COUNTER);
	await db
		.insertInto('voter_card')
		.values({
			office_id: opts.officeId,
			serial,
			request_id: request.id,
			voter_id: opts.voterId,
			election_id: opts.electionId,
			round: opts.round,
			issued_at: new Date('2026-09-02T10:00:00Z'),
			issued_by: opts.issuedBy
		})
		.execute();
}

export interface EnvelopeFixture {
	electionId: string;
	round: Round;
	embassy: FixtureEmbassy;
	staff: FixtureStaff;
	packages: FixturePackage[];
	/** A second embassy with its own staff and packages: its ids must behave as unknown to the first. */
	otherEmbassy: FixtureEmbassy;
	otherStaff: FixtureStaff;
	otherPackages: FixturePackage[];
	/** §57c(4): the close of the embassy's last voting window of the round. */
	votingClosesAt: Temporal.Instant;
	/** An instant while voting is still open (one hour before the close). */
	beforeClose: Temporal.Instant;
	/** An instant after the close (one hour after it). */
	afterClose: Temporal.Instant;
}

export interface EnvelopeFixtureOptions {
	/** Packages of the embassy (default 5) and of the other embassy (default 2). */
	packages?: number;
	otherPackages?: number;
	/** D of the (first) round, a Friday; default 15 January 2027. */
	firstDay?: string;
	timeZone?: string;
	/** Voters with a confirmed e-mail address, to see the notifications. */
	confirmedEmail?: boolean;
	/** Two rounds (a presidential election) instead of one (Chamber). */
	twoRounds?: boolean;
}

/**
 * Two embassies voting in one election with their default windows (§2(3)), staff of every
 * role at each, and issued, dispatched packages of round 1 for voters on each list.
 */
export async function createEnvelopeFixture(db: Db, opts: EnvelopeFixtureOptions = {}): Promise<EnvelopeFixture> {
	const embassy = await insertFixtureEmbassy(db, { timeZone: opts.timeZone });
	const otherEmbassy = await insertFixtureEmbassy(db, { timeZone: 'Europe/Berlin' });
	const firstDay = Temporal.PlainDate.from(opts.firstDay ?? '2027-01-15');
	const rounds = opts.twoRounds
		? [
				{ round: 1 as const, firstDay: firstDay.toString() },
				{ round: 2 as const, firstDay: firstDay.add({ days: 14 }).toString() }
			]
		: [{ round: 1 as const, firstDay: firstDay.toString() }];
	// createElection gives every embassy that exists its default windows (§2(3)).
	const created = await createElection(
		db,
		{ type: opts.twoRounds ? 'president' : 'chamber', announcedOn: firstDay.subtract({ days: 90 }).toString(), rounds },
		{ kind: 'system' },
		Temporal.Instant.from('2026-01-01T00:00:00Z')
	);
	if (!created.ok) throw new Error(`Fixture election is invalid: ${JSON.stringify(created.errors)}`);
	const electionId = created.id;

	const staff = await insertFixtureStaffSet(db, embassy.id);
	const otherStaff = await insertFixtureStaffSet(db, otherEmbassy.id);
	const voters = await insertFixtureVoters(db, { officeId: embassy.id, count: opts.packages ?? 5, confirmedEmail: opts.confirmedEmail });
	const otherVoters = await insertFixtureVoters(db, { officeId: otherEmbassy.id, count: opts.otherPackages ?? 2 });
	const packages = await issueFixturePackages(db, { officeId: embassy.id, electionId, round: 1, voterIds: voters, issuedBy: staff.head.id });
	const otherPackages = await issueFixturePackages(db, {
		officeId: otherEmbassy.id,
		electionId,
		round: 1,
		voterIds: otherVoters,
		issuedBy: otherStaff.head.id
	});

	const stored = await listVotingWindowsOfRound(db, embassy.id, electionId, 1);
	const voting = stored ? votingOfRound(stored.time_zone, 1, stored.windows) : null;
	if (!voting) throw new Error('Fixture embassy has no voting windows');
	const votingClosesAt = returnEnvelopeDeadline(voting).toInstant();
	return {
		electionId,
		round: 1,
		embassy,
		staff,
		packages,
		otherEmbassy,
		otherStaff,
		otherPackages,
		votingClosesAt,
		beforeClose: votingClosesAt.subtract({ hours: 1 }),
		afterClose: votingClosesAt.add({ hours: 1 })
	};
}
