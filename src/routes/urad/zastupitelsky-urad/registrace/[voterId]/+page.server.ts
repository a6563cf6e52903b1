import { error } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { requireStaff } from '$lib/server/auth/guards';
import { countryName } from '$lib/server/countries';
import { db } from '$lib/server/db/runtime';
import { findRegisteredVoter } from '$lib/server/services/registrations';
import { EMBASSY_ROLES, staffActorFrom } from '$lib/server/services/staff-actor';
import type { PageServerLoad } from './$types';

/** One voter of the special-district list (§56(4)); another embassy's voter is not found. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
	const result = await findRegisteredVoter(db(), params.voterId, actor);
	if (result.kind === 'forbidden') error(403);
	if (result.kind === 'not-found') error(404);
	const locale = getLocale() === 'en' ? 'en' : 'cs';
	const v = result.voter;
	return {
		voter: {
			id: v.id,
			name: `${v.given_name} ${v.family_name}`,
			birthDate: v.birth_date,
			address: [v.address_line, [v.postal_code, v.city].filter(Boolean).join(' '), countryName(v.country_code, locale)].join(', '),
			registeredAt: v.registered_at,
			municipalOffice: locale === 'en' ? v.municipal_office_name_en : v.municipal_office_name_cs
		},
		liveRequests: result.liveCorrespondenceRequests.map((r) => ({
			reference: r.reference,
			state: r.state,
			election: locale === 'en' ? r.title_en : r.title_cs,
			round: r.round
		}))
	};
};
