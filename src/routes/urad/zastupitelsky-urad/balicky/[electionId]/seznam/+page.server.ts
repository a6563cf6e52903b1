import { error } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { requireStaff } from '$lib/server/auth/guards';
import { db } from '$lib/server/db/runtime';
import type { PackageListFilter } from '$lib/server/db/queries/packages';
import { listPackages } from '$lib/server/services/packages';
import { EMBASSY_ROLES, staffActorFrom } from '$lib/server/services/staff-actor';
import { deliveryText, packageStateText } from '../../texts';
import type { PageServerLoad } from './$types';

const FILTERS: Record<string, PackageListFilter> = { ceka: 'waiting', odeslane: 'dispatched', vse: 'all' };

/** The embassy's packages of one election by ID-slip number, waiting ones first by default. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
	const filterKey = url.searchParams.get('stav') ?? 'ceka';
	const filter = FILTERS[filterKey] ?? 'waiting';
	const page = Number.parseInt(url.searchParams.get('strana') ?? '1', 10);
	const result = await listPackages(db(), { electionId: params.electionId, filter, page: Number.isNaN(page) ? 1 : page }, actor);
	if (result.kind === 'forbidden') error(403);
	if (result.kind === 'not-found') error(404);
	const locale = getLocale();
	return {
		election: { id: result.election.id, title: locale === 'en' ? result.election.title_en : result.election.title_cs },
		roundCount: result.election.rounds.length,
		filter: Object.entries(FILTERS).find(([, f]) => f === filter)?.[0] ?? 'ceka',
		rows: result.rows.map((r) => ({
			id: r.id,
			slip: r.id_slip_number,
			voter: `${r.given_name} ${r.family_name}`,
			birthDate: r.birth_date,
			round: r.round,
			delivery: deliveryText(r.delivery),
			state: packageStateText(r.dispatch_method),
			dispatched: r.dispatched_at !== null
		})),
		total: result.total,
		page: result.page,
		pages: result.pages
	};
};
