import { error, redirect } from '@sveltejs/kit';
import { decisionDeadline, formatIsoWithOffset, PRAGUE, type DeadlineKey, type Round } from '$lib/domain';
import { fromDate } from '$lib/server/clock';
import { countryName } from '$lib/server/countries';
import { courtPathOf } from '$lib/server/court-path';
import { findCorrectionOfRequest, listCorrectionsDecidedSince } from '$lib/server/db/queries/corrections';
import { findConsignmentOfRequest } from '$lib/server/db/queries/batches';
import { consignmentTrackingUrl } from '$lib/server/services/consignments';
import { findRequestOfVoter, findRequestProgress } from '$lib/server/db/queries/requests';
import { findElectionCalendar } from '$lib/server/services/calendar';
import { voterContext } from '$lib/server/flows/context';
import { normalizeReference } from '$lib/server/reference';
import { requestTimeline } from '$lib/server/request-timeline';
import type { PageServerLoad } from './$types';

/**
 * One request with its status timeline. Another voter's reference (or one that does not
 * exist) is the same 404: the page never tells whether a reference belongs to someone.
 */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const reference = normalizeReference(event.params.reference);
	if (!reference) error(404, 'Not found');
	if (reference !== event.params.reference) redirect(308, `/zadosti/${reference}${event.url.search}`);
	const request = await findRequestOfVoter(ctx.db, ctx.voterId, reference);
	if (!request) error(404, 'Not found');
	const [progress, consignment] = await Promise.all([findRequestProgress(ctx.db, request), findConsignmentOfRequest(ctx.db, request.id)]);
	const office = ctx.locale === 'en' ? request.office_name_en : request.office_name_cs;
	const correction = request.kind === 'voter-list-correction' ? await findCorrectionOfRequest(ctx.db, request.id) : undefined;
	// A correction decided while this request was pending shows here too (issue 15).
	const pendingDocument = (request.kind === 'voter-card' || request.kind === 'correspondence-package') && ['received', 'accepted', 'issued'].includes(request.state);
	const correctionsSince = pendingDocument ? await listCorrectionsDecidedSince(ctx.db, ctx.voterId, request.received_at) : [];
	// The election deadlines the "what happens next" line names, for this round only.
	const deadlines: Partial<Record<DeadlineKey, string>> = {};
	if (request.election_id && pendingDocument) {
		const lookup = await findElectionCalendar(ctx.db, request.election_id, { officeId: request.office_kind === 'embassy' ? request.office_id : null });
		if (lookup.ok) {
			for (const d of lookup.calendar.deadlines) if (d.round === ((request.round ?? 1) as Round)) deadlines[d.key] = formatIsoWithOffset(d.at);
		}
	}
	return {
		request: {
			reference: request.reference,
			kind: request.kind,
			round: request.round,
			state: request.state,
			receivedAt: request.received_at.toISOString(),
			electionTitle: ctx.locale === 'en' ? request.election_title_en : request.election_title_cs,
			office,
			officeKind: request.office_kind,
			specialDistrictNumber: request.office_special_district_number,
			delivery: request.delivery,
			address: request.delivery_address_line
				? {
						line: request.delivery_address_line,
						city: request.delivery_city ?? '',
						postalCode: request.delivery_postal_code ?? '',
						country: request.delivery_country_code ? countryName(request.delivery_country_code, ctx.locale) : ''
					}
				: null,
			proxyName: request.proxy_name,
			deadlineAt: request.deadline_at ? request.deadline_at.toISOString() : null,
			cancellable: request.state === 'received'
		},
		timeline: requestTimeline(request, progress),
		// §77(1): the last day for the office's written notice of a refusal.
		noticeDue: decisionDeadline(fromDate(request.received_at)).toZonedDateTimeISO(PRAGUE).subtract({ days: 1 }).toPlainDate().toString(),
		deadlines,
		correction: correction
			? { field: correction.field, statement: correction.statement, requested: correction.requested, before: correction.before_values, after: correction.after_values }
			: null,
		correctionsSince: correctionsSince.map((c) => ({ reference: c.reference, field: c.field, state: c.state })),
		// §80(1), §81(1): after a refusal, the court and the last day to turn to it.
		court:
			request.state === 'refused' && request.decided_at
				? { ...courtPathOf({ kind: request.office_kind, regionCode: request.office_region_code }, fromDate(request.decided_at), ctx.locale), embassy: request.office_kind === 'embassy' }
				: null,
		filed: event.url.searchParams.has('podano'),
		// Issue 12: the registered letter's number and the operator's tracking page.
		consignment: consignment ? { number: consignment.number, trackingUrl: consignmentTrackingUrl(consignment.number) } : null,
		rehearsal: request.election_rehearsal === true,
		cancelled: event.url.searchParams.has('zruseno')
	};
};
