import { listRequestsOfVoter } from '$lib/server/db/queries/requests';
import { voterContext } from '$lib/server/flows/context';
import type { PageServerLoad } from './$types';

/** All of the voter's requests, newest first (§23(5)); only the voter's own. */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const rows = await listRequestsOfVoter(ctx.db, ctx.voterId);
	return {
		requests: rows.map((r) => ({
			reference: r.reference,
			kind: r.kind,
			round: r.round,
			state: r.state,
			receivedAt: r.received_at.toISOString(),
			electionTitle: ctx.locale === 'en' ? r.election_title_en : r.election_title_cs,
			office: ctx.locale === 'en' ? r.office_name_en : r.office_name_cs
		}))
	};
};
