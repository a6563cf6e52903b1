/**
 * The request queue of a municipal office or an embassy (issue 5): one loader for both route
 * groups. Every filter is in the URL (a GET form, no JavaScript needed); the rows come from
 * queries/queue.ts, which filters by the staff member's office before anything else.
 *
 * URL parameters: volby (an election id, or `zapisy` for special-district registrations,
 * which belong to no election), druh, stav, podani, kolo, hledat, razeni (lhuta | nejnovejsi),
 * po / pred (the keyset cursor of the next / previous page: `<received_at>_<id>`).
 */
import { redirect } from '@sveltejs/kit';
import { Temporal } from 'temporal-polyfill';
import { decisionDeadline, hasVoterCards, noticeCountdown, parseIsoDate, PRAGUE, type Round } from '../../domain';
import { fromDate } from '../clock';
import { listElections, toDomainElection, type ElectionWithRounds } from '../db/queries/elections';
import {
	countQueueStates,
	findOfficeRequestIdByReference,
	listQueuePage,
	QUEUE_PAGE_SIZE,
	type QueueCursor,
	type QueueFilter,
	type QueueSearch,
	type QueueSort
} from '../db/queries/queue';
import type { RequestChannel, RequestKind, RequestState } from '../db/schema';
import { normalizeReference } from '../reference';
import { staffContext, type StaffContext, type StaffGroup } from './context';

export const KIND_PARAM: Readonly<Record<string, RequestKind>> = {
	prukaz: 'voter-card',
	zapis: 'special-district-registration',
	korespondence: 'correspondence-package',
	oprava: 'voter-list-correction'
};
export const STATE_PARAM: Readonly<Record<string, RequestState>> = {
	prijata: 'received',
	vyhoveno: 'accepted',
	vydano: 'issued',
	vyrizeno: 'completed',
	zamitnuto: 'refused',
	zruseno: 'cancelled'
};
export const CHANNEL_PARAM: Readonly<Record<string, RequestChannel>> = {
	portal: 'portal',
	osobne: 'in-person',
	'datova-schranka': 'data-box',
	dopis: 'verified-letter'
};
const SORT_PARAM: Readonly<Record<string, QueueSort>> = { lhuta: 'deadline', nejnovejsi: 'newest' };
/** The election choice for requests that belong to no election (§57(6) registrations, embassies only). */
export const REGISTRATIONS_PARAM = 'zapisy';
/** The election choice for requests to correct the voter list (§23(5)), which belong to no election either. */
export const CORRECTIONS_PARAM = 'opravy';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_([0-9a-f-]{36})$/;

export function encodeCursor(row: { cursor_at: string; id: string }): string {
	return `${row.cursor_at}_${row.id}`;
}

export function decodeCursor(value: string | null): QueueCursor | null {
	const match = value ? CURSOR.exec(value) : null;
	if (!match || !UUID.test(match[2]!)) return null;
	return { at: match[1]!, id: match[2]! };
}

/** The param for an enum value (the URL is Czech), or ''. */
function paramOf<T extends string>(map: Readonly<Record<string, T>>, value: T | null | undefined): string {
	return Object.entries(map).find(([, v]) => v === value)?.[0] ?? '';
}

/**
 * A search as typed: a date of birth ("12. 3. 1984", "12.3.1984", "1984-03-12") or up to three
 * words of a name. A reference is handled before this (the page goes to the request).
 */
export function parseQueueSearch(input: string): QueueSearch | null {
	const text = input.trim().replace(/\s+/g, ' ');
	if (!text) return null;
	const czech = /^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})$/.exec(text);
	const iso = czech ? `${czech[3]}-${czech[2]!.padStart(2, '0')}-${czech[1]!.padStart(2, '0')}` : text;
	if (/^\d{4}-\d{2}-\d{2}$/.test(iso) && parseIsoDate(iso)) return { kind: 'birth-date', date: iso };
	const words = text
		.split(' ')
		.map((w) => w.slice(0, 50))
		.filter((w) => /\p{L}/u.test(w))
		.slice(0, 3);
	return words.length ? { kind: 'name', words } : null;
}

/** The last day of voting of an election's last round is what "upcoming" is measured by. */
function lastFirstDay(e: ElectionWithRounds): string {
	return e.rounds.at(-1)?.first_day ?? '';
}

/** The nearest election whose (last round's) voting has not yet begun; else the latest one. */
export function defaultElection(elections: readonly ElectionWithRounds[], today: Temporal.PlainDate): ElectionWithRounds | null {
	const upcoming = elections
		.filter((e) => lastFirstDay(e) >= today.toString())
		.sort((a, b) => (a.rounds[0]?.first_day ?? '').localeCompare(b.rounds[0]?.first_day ?? ''));
	if (upcoming[0]) return upcoming[0];
	return [...elections].sort((a, b) => lastFirstDay(b).localeCompare(lastFirstDay(a)))[0] ?? null;
}

export type DeadlineFlag = 'overdue' | 'soon' | null;

/**
 * §77: a refusal is notified in writing within 3 days of the request (domain decisionDeadline).
 * Flagged for requests still waiting for a decision: overdue, or less than 24 hours left.
 */
export function deadlineFlag(state: RequestState, deadline: Temporal.Instant, now: Temporal.Instant): DeadlineFlag {
	if (state !== 'received') return null;
	if (Temporal.Instant.compare(now, deadline) >= 0) return 'overdue';
	return deadline.epochMilliseconds - now.epochMilliseconds < 24 * 60 * 60 * 1000 ? 'soon' : null;
}

interface QueueEvent {
	locals: App.Locals;
	url: URL;
}

/** The election and filters the queue's URL chooses (the page's rows, and a batch of "all that match"). */
export async function resolveQueueFilter(ctx: StaffContext, params: URLSearchParams, group: StaffGroup) {
	const embassy = group.officeKind === 'embassy';

	// Embassies work only on elections held abroad (§2(1)); municipal offices on those with voter cards (§56(2)).
	const elections = (await listElections(ctx.db, { officeId: ctx.officeId })).filter((e) => (embassy ? e.voting_abroad : hasVoterCards(toDomainElection(e))));
	const today = ctx.now.toZonedDateTimeISO(PRAGUE).toPlainDate();
	const asked = params.get('volby') ?? '';
	const corrections = asked === CORRECTIONS_PARAM;
	const chosen =
		(embassy && asked === REGISTRATIONS_PARAM) || corrections
			? null
			: (elections.find((e) => e.id === asked) ??
				// A real election by default; a rehearsal only when chosen (issue 14).
				defaultElection(elections.filter((e) => !e.rehearsal), today) ??
				defaultElection(elections, today) ??
				undefined);
	const electionParam = corrections ? CORRECTIONS_PARAM : chosen === null ? REGISTRATIONS_PARAM : (chosen?.id ?? '');

	const search = (params.get('hledat') ?? '').slice(0, 100);
	const reference = normalizeReference(search);
	const round = params.get('kolo') === '1' ? 1 : params.get('kolo') === '2' ? 2 : null;
	const filter: QueueFilter = {
		officeId: ctx.officeId,
		electionId: chosen?.id ?? null,
		// Registrations and corrections both belong to no election: the choice tells them apart.
		kind: corrections ? 'voter-list-correction' : chosen === null ? 'special-district-registration' : (KIND_PARAM[params.get('druh') ?? ''] ?? null),
		state: STATE_PARAM[params.get('stav') ?? ''] ?? null,
		channel: CHANNEL_PARAM[params.get('podani') ?? ''] ?? null,
		round: chosen === null ? null : round,
		search: reference ? null : parseQueueSearch(search)
	};
	return { embassy, elections, chosen, electionParam, search, reference, filter, corrections };
}

export async function loadQueue(event: QueueEvent, group: StaffGroup) {
	const ctx = await staffContext(event, group);
	const params = event.url.searchParams;
	const { embassy, elections, chosen, electionParam, search, reference, filter, corrections } = await resolveQueueFilter(ctx, params, group);

	let referenceNotFound: string | null = null;
	if (reference) {
		const id = await findOfficeRequestIdByReference(ctx.db, ctx.officeId, reference);
		if (id) redirect(303, `${group.base}/zadosti/${id}`);
		referenceNotFound = reference;
	}

	const sort = SORT_PARAM[params.get('razeni') ?? ''] ?? 'deadline';
	const after = decodeCursor(params.get('po'));
	const before = after ? null : decodeCursor(params.get('pred'));

	const empty = { rows: [], hasNext: false, hasPrevious: false };
	const [page, counts] =
		chosen === undefined || referenceNotFound
			? [empty, null]
			: await Promise.all([listQueuePage(ctx.db, { ...filter, sort, after, before }), countQueueStates(ctx.db, filter)]);

	// The current filters as URL parameters, for the counts' links and the page links.
	const query: Record<string, string> = {
		volby: electionParam,
		druh: paramOf(KIND_PARAM, filter.kind),
		stav: paramOf(STATE_PARAM, filter.state),
		podani: paramOf(CHANNEL_PARAM, filter.channel),
		kolo: filter.round ? String(filter.round) : '',
		hledat: search,
		razeni: paramOf(SORT_PARAM, sort)
	};

	return {
		rehearsal: chosen?.rehearsal === true,
		base: group.base,
		embassy,
		corrections,
		officeName: ctx.locale === 'en' ? ctx.office.name_en : ctx.office.name_cs,
		elections: elections.map((e) => ({
			id: e.id,
			title: ctx.locale === 'en' ? e.title_en : e.title_cs,
			firstDay: e.rounds[0]?.first_day ?? null,
			twoRounds: e.rounds.length > 1
		})),
		query,
		/** The URL parameter of each state, for the counts' links. */
		stateParams: Object.fromEntries(Object.entries(STATE_PARAM).map(([param, state]) => [state, param])) as Record<RequestState, string>,
		twoRounds: !!chosen && chosen.rounds.length > 1,
		referenceNotFound,
		counts,
		rows: page.rows.map((r) => {
			const receivedAt = fromDate(r.received_at);
			const deadline = decisionDeadline(receivedAt);
			return {
				id: r.id,
				href: `${group.base}/zadosti/${r.id}`,
				reference: r.reference,
				kind: r.kind,
				channel: r.channel,
				round: r.round as Round | null,
				state: r.state,
				voterName: `${r.voter_family_name} ${r.voter_given_name}`,
				birthDate: r.voter_birth_date,
				receivedAt: r.received_at.toISOString(),
				// The notice is due before 00:00 Prague after the third day (§77): the last day is the day before.
				deadlineDay: deadline.subtract({ nanoseconds: 1 }).toZonedDateTimeISO(PRAGUE).toPlainDate().toString(),
				deadlineFlag: deadlineFlag(r.state, deadline, ctx.now),
				// §77(1): whole days left to notify a refusal; red on the last day and after.
				daysLeft: noticeCountdown(receivedAt, ctx.now).daysLeft
			};
		}),
		next: page.hasNext && page.rows.length ? encodeCursor(page.rows.at(-1)!) : null,
		previous: page.hasPrevious && page.rows.length ? encodeCursor(page.rows[0]!) : null,
		pageSize: QUEUE_PAGE_SIZE
	};
}

export type QueueData = Awaited<ReturnType<typeof loadQueue>>;
