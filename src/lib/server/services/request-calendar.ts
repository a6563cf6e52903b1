/**
 * A voter's personal calendar of one request (issue 15): the deadlines and appointments that
 * matter to this voter for it, as iCalendar. Read-only. Only the request's own round and
 * delivery count: the last day to collect a card collected in person, the day a mailed card
 * leaves at the latest, the embassy's dispatch and the return envelope's deadline of a
 * correspondence package (§57c(4)), the office's §77 notice while undecided, and the §80(1)
 * court deadline after a refusal.
 */
import { Temporal } from 'temporal-polyfill';
import { courtDeadline, decisionDeadline, PRAGUE, type DeadlineKey, type Round } from '../../domain';
import { m } from '../../paraglide/messages.js';
import { fromDate } from '../clock';
import { courtPathOf } from '../court-path';
import type { DbOrTrx } from '../db/index';
import type { Delivery, RequestKind, RequestState } from '../db/schema';
import { renderIcs, type IcsEvent } from '../ics';
import { findElectionCalendar } from './calendar';

export interface CalendarRequest {
	reference: string;
	kind: RequestKind;
	election_id: string | null;
	round: number | null;
	office_id: string;
	office_kind: 'municipal' | 'embassy';
	office_region_code: string | null;
	delivery: Delivery | null;
	state: RequestState;
	received_at: Date;
	decided_at: Date | null;
}

type Locale = 'cs' | 'en';

/** The election deadlines that matter for this request. */
function deadlineKeysOf(request: CalendarRequest): DeadlineKey[] {
	if (request.state === 'refused' || request.state === 'cancelled') return [];
	switch (request.kind) {
		case 'voter-card':
			return request.delivery === 'post' ? ['voter-card-post-dispatch'] : ['voter-card-pickup'];
		case 'correspondence-package':
			return ['correspondence-dispatch', 'return-envelope'];
		default:
			return [];
	}
}

function deadlineSummary(key: DeadlineKey, locale: Locale): string {
	const t = { locale };
	switch (key) {
		case 'voter-card-post-dispatch':
			return m.ics_req_post_dispatch({}, t);
		case 'voter-card-pickup':
			return m.ics_req_pickup({}, t);
		case 'correspondence-dispatch':
			return m.ics_req_dispatch({}, t);
		default:
			return m.ics_req_return({}, t);
	}
}

export async function requestIcsEvents(db: DbOrTrx, request: CalendarRequest, locale: Locale, pageUrl: string): Promise<IcsEvent[]> {
	const t = { locale };
	const events: IcsEvent[] = [];
	const uid = (what: string) => `${request.reference}-${what}@volebni-portal`;

	const keys = deadlineKeysOf(request);
	if (keys.length && request.election_id) {
		const lookup = await findElectionCalendar(db, request.election_id, { officeId: request.office_kind === 'embassy' ? request.office_id : null });
		if (lookup.ok) {
			const round = (request.round ?? 1) as Round;
			for (const deadline of lookup.calendar.deadlines) {
				if (deadline.round !== round || !keys.includes(deadline.key)) continue;
				events.push({
					uid: uid(deadline.key),
					start: deadline.at.toInstant(),
					durationMinutes: 15,
					summary: `${deadlineSummary(deadline.key, locale)} (${request.reference})`,
					description: deadline.section,
					url: pageUrl
				});
			}
		}
	}

	if (request.state === 'received') {
		// §77(1): the office notifies a refusal within 3 days; the last day, all day.
		const due = decisionDeadline(fromDate(request.received_at)).toZonedDateTimeISO(PRAGUE).subtract({ days: 1 });
		events.push({
			uid: uid('notice'),
			start: due.toInstant(),
			durationMinutes: 24 * 60,
			summary: m.ics_req_decision_due({ reference: request.reference }, t),
			url: pageUrl
		});
	}

	if (request.state === 'refused' && request.decided_at) {
		const noticeAt = fromDate(request.decided_at);
		const court = courtPathOf({ kind: request.office_kind, regionCode: request.office_region_code }, noticeAt, locale);
		events.push({
			uid: uid('court'),
			start: courtDeadline(noticeAt).toZonedDateTime({ timeZone: PRAGUE }).toInstant(),
			durationMinutes: 24 * 60,
			summary: m.ics_req_court({ reference: request.reference, court: court.court }, t),
			description: '§80(1), §81(1)',
			url: pageUrl
		});
	}
	return events;
}

export async function requestIcs(db: DbOrTrx, request: CalendarRequest, locale: Locale, pageUrl: string, now: Temporal.Instant): Promise<string> {
	return renderIcs({
		prodId: '-//Volebni portal//Moje zadost//CS',
		name: m.ics_req_name({ reference: request.reference }, { locale }),
		stamp: now,
		events: await requestIcsEvents(db, request, locale, pageUrl)
	});
}
