/**
 * The staff dashboard (issue 7, /urad/prehled): requests filed per day by kind with the
 * filing deadlines of the election, requests by state, the offices with most requests, and
 * the correspondence funnel (requested → dispatched → envelope received → counted or set
 * aside). Read-only: no state changes, hence no audit entry.
 *
 * Who sees what: an administrator sees every office (or one they choose); an embassy's head
 * and a municipal office's clerk see only their own office — a municipal office has no head,
 * and its clerks plan the counter's work from the same figures. Another office's code
 * behaves exactly like an unknown one. Embassy clerks and the commission have no dashboard.
 *
 * The counts are the open data feed's queries (db/queries/statistics.ts), raw: staff see the
 * small numbers that the public feed suppresses. The deadlines are the domain's.
 */
import type { Temporal } from 'temporal-polyfill';
import { electionDeadlines, formatIsoWithOffset, PRAGUE, type DeadlineKey } from '../../domain/deadlines';
import { allowsCorrespondence, hasVoterCards, lastDayOfVoting, type Round } from '../../domain/elections';
import { registrationWindow, REQUEST_STATES, type RequestStateName } from '../../domain/open-data';
import type { Db } from '../db/index';
import { listElections, toDomainElection, type ElectionWithRounds } from '../db/queries/elections';
import {
	countPackagesDispatchedByDay,
	countRegistrationsByDay,
	countRegistrationsByState,
	countRequestsByDay,
	countReturnEnvelopesByDay,
	findStatisticsOfficeByCode,
	findStatisticsOfficeById,
	listAllStatisticsOffices,
	type StatisticsOffice
} from '../db/queries/statistics';
import type { StaffRole } from '../db/schema';
import type { StaffActor } from './staff-actor';

/** Who has a dashboard: administrators (all offices), embassy heads and municipal clerks (their own office). */
export const DASHBOARD_ROLES: readonly StaffRole[] = ['administrator', 'embassy-head', 'municipal-clerk'];

/** How many offices the "per office" chart shows. */
export const TOP_OFFICES = 10;

export type DashboardRequestKind = 'voter-card' | 'correspondence-package' | 'special-district-registration';

/** The deadlines drawn on the "per day" chart: the last days for filing each kind (§57(3), §57(6), §57a(3)). */
export const FILING_DEADLINES: readonly DeadlineKey[] = [
	'correspondence-request-written',
	'voter-card-mail-request',
	'special-district-registration',
	'voter-card-pickup-request',
	'correspondence-request-in-person'
];

const KIND_OF_DEADLINE: Partial<Record<DeadlineKey, DashboardRequestKind>> = {
	'correspondence-request-written': 'correspondence-package',
	'correspondence-request-in-person': 'correspondence-package',
	'voter-card-mail-request': 'voter-card',
	'voter-card-pickup-request': 'voter-card',
	'special-district-registration': 'special-district-registration'
};

export interface DashboardOffice {
	code: string;
	kind: 'municipal' | 'embassy';
	nameCs: string;
	nameEn: string;
}

export interface DashboardMarker {
	/** A filing deadline, or the first day of voting of a round (D, §2(4)). */
	key: DeadlineKey | 'voting-day';
	round: Round;
	/** The Prague calendar day, 'YYYY-MM-DD'. */
	day: string;
	/** A deadline's instant with its offset, e.g. '2027-01-05T16:00:00+01:00'; null for a voting day. */
	at: string | null;
	section: string;
}

export interface DashboardData {
	elections: { id: string; titleCs: string; titleEn: string }[];
	election: { id: string; titleCs: string; titleEn: string; rounds: { round: Round; firstDay: string }[]; correspondence: boolean };
	/** The office shown, or null for all offices (administrators only). */
	office: DashboardOffice | null;
	/** The offices an administrator may choose from; null for everyone else. */
	officeOptions: DashboardOffice[] | null;
	kinds: DashboardRequestKind[];
	/** Every Prague day from the announcement to the last day of voting, and any later day with requests. */
	days: string[];
	perDay: Record<DashboardRequestKind, number[]>;
	markers: DashboardMarker[];
	byState: { state: RequestStateName; counts: Record<DashboardRequestKind, number>; total: number }[];
	perOffice: { office: DashboardOffice; counts: Record<DashboardRequestKind, number>; total: number }[];
	/** How many offices have any request (the chart shows the first TOP_OFFICES). */
	officesWithRequests: number;
	funnel: { requested: number; dispatched: number; received: number; late: number; counted: number; setAside: number } | null;
	totals: Record<DashboardRequestKind, number> & { all: number };
}

export type DashboardResult = { kind: 'ok'; data: DashboardData } | { kind: 'no-elections' } | { kind: 'not-found' } | { kind: 'forbidden' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toOffice(o: StatisticsOffice): DashboardOffice {
	return { code: o.code, kind: o.kind, nameCs: o.name_cs, nameEn: o.name_en };
}

/** The election shown when none is asked for: the next whose last round is still to come, else the latest. */
export function defaultElection(elections: readonly ElectionWithRounds[], today: string): ElectionWithRounds | undefined {
	const lastDay = (e: ElectionWithRounds) => e.rounds.at(-1)?.first_day ?? '';
	return elections.find((e) => lastDay(e) >= today) ?? elections.at(-1);
}

/** Every calendar day from `from` to `to`, both included ('YYYY-MM-DD'). */
export function daysBetween(from: string, to: string): string[] {
	const out: string[] = [];
	const end = Date.parse(`${to}T00:00:00Z`);
	for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
	return out;
}

const zero = (): Record<DashboardRequestKind, number> => ({ 'voter-card': 0, 'correspondence-package': 0, 'special-district-registration': 0 });

/**
 * Everything the dashboard shows, read in one read-only REPEATABLE READ transaction so that
 * the charts agree with each other. `officeCode` narrows an administrator's view to one
 * office; for anyone else it must be their own office (or absent).
 */
export async function loadDashboard(
	db: Db,
	input: { electionId?: string | null; officeCode?: string | null },
	actor: StaffActor,
	now: Temporal.Instant
): Promise<DashboardResult> {
	if (!DASHBOARD_ROLES.includes(actor.role)) return { kind: 'forbidden' };
	const isAdministrator = actor.role === 'administrator';
	if (!isAdministrator && !actor.officeId) return { kind: 'forbidden' };
	if (input.electionId && !UUID.test(input.electionId)) return { kind: 'not-found' };

	return db
		.transaction()
		.setIsolationLevel('repeatable read')
		.setAccessMode('read only')
		.execute(async (trx): Promise<DashboardResult> => {
			// The office: an administrator's choice, else the actor's own.
			let office: StatisticsOffice | undefined;
			if (isAdministrator) {
				if (input.officeCode) {
					office = await findStatisticsOfficeByCode(trx, input.officeCode);
					if (!office) return { kind: 'not-found' };
				}
			} else {
				office = await findStatisticsOfficeById(trx, actor.officeId!);
				if (!office || (input.officeCode && input.officeCode !== office.code)) return { kind: 'not-found' };
			}

			const elections = await listElections(trx);
			if (elections.length === 0) return { kind: 'no-elections' };
			const today = now.toZonedDateTimeISO(PRAGUE).toPlainDate().toString();
			const row = input.electionId ? elections.find((e) => e.id === input.electionId) : defaultElection(elections, today);
			if (!row) return { kind: 'not-found' };
			const election = toDomainElection(row);
			const correspondence = allowsCorrespondence(election);

			// Which kinds of request this office (or all) can receive for this election.
			const embassyScope = !office || office.kind === 'embassy';
			const kinds: DashboardRequestKind[] = [];
			if (hasVoterCards(election)) kinds.push('voter-card');
			if (correspondence && embassyScope) kinds.push('correspondence-package');
			const window = embassyScope ? registrationWindow(election) : null;
			if (window) kinds.push('special-district-registration');

			const scope = { electionId: row.id, ...(office ? { officeId: office.id } : {}) };
			const requests = await countRequestsByDay(trx, scope);
			const range = window ? { ...window, ...(office ? { officeId: office.id } : {}) } : null;
			const registrations = range ? await countRegistrationsByDay(trx, range) : [];
			const registrationStates = range ? await countRegistrationsByState(trx, range) : [];
			const packages = correspondence && embassyScope ? await countPackagesDispatchedByDay(trx, scope) : [];
			const envelopes = correspondence && embassyScope ? await countReturnEnvelopesByDay(trx, scope) : [];

			// Days: the announcement to the last day of voting (§2(2): D+1), and any day with requests after it.
			const lastRound = row.rounds.at(-1)!;
			let lastDay = lastDayOfVoting(election, lastRound.round).toString();
			let firstDay = row.announced_on;
			for (const r of [...requests, ...registrations]) {
				if (r.day > lastDay) lastDay = r.day;
				if (r.day < firstDay) firstDay = r.day;
			}
			const days = daysBetween(firstDay, lastDay);
			const dayIndex = new Map(days.map((d, i) => [d, i]));
			const perDay = Object.fromEntries(kinds.map((k) => [k, days.map(() => 0)])) as Record<DashboardRequestKind, number[]>;

			const byState = new Map<RequestStateName, Record<DashboardRequestKind, number>>(REQUEST_STATES.map((s) => [s, zero()]));
			const perOffice = new Map<string, Record<DashboardRequestKind, number>>();
			const totals = zero();
			const add = (kind: DashboardRequestKind, officeId: string, day: string, state: RequestStateName | null, n: number) => {
				const series = perDay[kind];
				const i = dayIndex.get(day);
				if (series && i !== undefined) series[i]! += n;
				if (state) byState.get(state)![kind] += n;
				const forOffice = perOffice.get(officeId) ?? zero();
				forOffice[kind] += n;
				perOffice.set(officeId, forOffice);
				totals[kind] += n;
			};
			for (const r of requests) add(r.kind, r.office_id, r.day, r.state as RequestStateName, r.count);
			for (const r of registrations) add('special-district-registration', r.office_id, r.day, null, r.received);
			for (const r of registrationStates) byState.get(r.state as RequestStateName)!['special-district-registration'] += r.count;

			const markers: DashboardMarker[] = [];
			for (const d of electionDeadlines(election)) {
				const kind = KIND_OF_DEADLINE[d.key];
				if (!FILING_DEADLINES.includes(d.key) || !kind || !kinds.includes(kind)) continue;
				markers.push({ key: d.key, round: d.round, day: d.at.toPlainDate().toString(), at: formatIsoWithOffset(d.at), section: d.section });
			}
			for (const r of row.rounds) {
				// §2(4): D, the first day of voting.
				markers.push({ key: 'voting-day', round: r.round, day: r.first_day, at: null, section: '§2(4)' });
			}
			markers.sort((a, b) => a.day.localeCompare(b.day) || a.round - b.round);

			const officeRows = await listAllStatisticsOffices(trx);
			const officeById = new Map(officeRows.map((o) => [o.id, o]));
			const perOfficeRows = [...perOffice.entries()]
				.map(([id, counts]) => ({ id, counts, total: kinds.reduce((sum, k) => sum + counts[k], 0) }))
				.filter((r) => r.total > 0 && officeById.has(r.id))
				.sort((a, b) => b.total - a.total || officeById.get(a.id)!.code.localeCompare(officeById.get(b.id)!.code));

			const sum = <T>(rows: readonly T[], pick: (r: T) => number) => rows.reduce((s, r) => s + pick(r), 0);
			const funnel =
				correspondence && embassyScope
					? {
							requested: totals['correspondence-package'],
							dispatched: sum(packages, (r) => r.count),
							received: sum(envelopes, (r) => r.received),
							late: sum(envelopes, (r) => r.late),
							counted: sum(envelopes, (r) => r.counted),
							setAside: sum(envelopes, (r) => r.set_aside)
						}
					: null;

			return {
				kind: 'ok',
				data: {
					elections: elections.map((e) => ({ id: e.id, titleCs: e.title_cs, titleEn: e.title_en })),
					election: {
						id: row.id,
						titleCs: row.title_cs,
						titleEn: row.title_en,
						rounds: row.rounds.map((r) => ({ round: r.round, firstDay: r.first_day })),
						correspondence
					},
					office: office ? toOffice(office) : null,
					officeOptions: isAdministrator ? officeRows.map(toOffice) : null,
					kinds,
					days,
					perDay,
					markers,
					byState: REQUEST_STATES.map((state) => {
						const counts = byState.get(state)!;
						return { state, counts, total: kinds.reduce((s, k) => s + counts[k], 0) };
					}),
					perOffice: perOfficeRows.slice(0, TOP_OFFICES).map((r) => ({ office: toOffice(officeById.get(r.id)!), counts: r.counts, total: r.total })),
					officesWithRequests: perOfficeRows.length,
					funnel,
					totals: { ...totals, all: kinds.reduce((s, k) => s + totals[k], 0) }
				}
			};
		});
}
