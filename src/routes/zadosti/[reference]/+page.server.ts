import { error, redirect } from '@sveltejs/kit';
import { countryName } from '$lib/server/countries';
import { findConsignmentOfRequest } from '$lib/server/db/queries/batches';
import { consignmentTrackingUrl } from '$lib/server/services/consignments';
import { findRequestOfVoter, findRequestProgress } from '$lib/server/db/queries/requests';
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
		// Issue 12: the registered letter's number and the operator's tracking page.
		consignment: consignment ? { number: consignment.number, trackingUrl: consignmentTrackingUrl(consignment.number) } : null,
		rehearsal: request.election_rehearsal === true,
		cancelled: event.url.searchParams.has('zruseno')
	};
};
