import { error } from '@sveltejs/kit';
import { countryName } from '$lib/server/countries';
import { listRequestsOfVoter } from '$lib/server/db/queries/requests';
import { findVoterRecord } from '$lib/server/db/queries/voters';
import { voterContext } from '$lib/server/flows/context';
import type { PageServerLoad } from './$types';

/**
 * §23(5): the voter sees which list keeps them, the data held about them and their
 * requests. Everything is the logged-in voter's own.
 */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const [record, requests] = await Promise.all([findVoterRecord(ctx.db, ctx.voterId), listRequestsOfVoter(ctx.db, ctx.voterId)]);
	if (!record) error(404, 'Not found');
	const en = ctx.locale === 'en';
	const emailStatus = event.url.searchParams.get('email');
	return {
		voter: {
			name: `${record.given_name} ${record.family_name}`,
			birthDate: record.birth_date,
			address: [record.address_line, `${record.postal_code} ${record.city}`.trim(), countryName(record.country_code.trim(), ctx.locale)],
			email: record.email_confirmed_at ? record.email : null,
			emailPending: record.email_pending
		},
		municipalOffice: record.municipal_office_id
			? { name: (en ? record.municipal_office_name_en : record.municipal_office_name_cs) ?? '', municipality: record.municipality_name }
			: null,
		embassy: record.special_district_office_id
			? { name: (en ? record.special_district_office_name_en : record.special_district_office_name_cs) ?? '', number: record.special_district_number }
			: null,
		requests: requests.map((r) => ({
			reference: r.reference,
			kind: r.kind,
			round: r.round,
			state: r.state,
			receivedAt: r.received_at.toISOString(),
			electionTitle: en ? r.election_title_en : r.election_title_cs,
			office: en ? r.office_name_en : r.office_name_cs
		})),
		emailStatus: emailStatus === 'odeslano' || emailStatus === 'potvrzeno' || emailStatus === 'odebrano' ? emailStatus : null
	};
};
