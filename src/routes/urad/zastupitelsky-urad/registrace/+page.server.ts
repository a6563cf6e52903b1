import { error } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { requireStaff } from '$lib/server/auth/guards';
import { countryName } from '$lib/server/countries';
import { db } from '$lib/server/db/runtime';
import { listRegisteredVoters } from '$lib/server/services/registrations';
import { EMBASSY_ROLES, staffActorFrom } from '$lib/server/services/staff-actor';
import type { PageServerLoad } from './$types';

/** §56(4): the voters the embassy's special-district list keeps; searchable, a page at a time. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
	const q = (url.searchParams.get('hledat') ?? '').slice(0, 100);
	const page = Number.parseInt(url.searchParams.get('strana') ?? '1', 10);
	const result = await listRegisteredVoters(db(), { q, page: Number.isNaN(page) ? 1 : page }, actor);
	if (result.kind === 'forbidden') error(403);
	const locale = getLocale() === 'en' ? 'en' : 'cs';
	return {
		q,
		embassy: { name: locale === 'en' ? result.embassy.name_en : result.embassy.name_cs, number: result.embassy.special_district_number ?? 0 },
		rows: result.rows.map((r) => ({
			id: r.id,
			name: `${r.family_name} ${r.given_name}`,
			birthDate: r.birth_date,
			address: [r.address_line, [r.postal_code, r.city].filter(Boolean).join(' '), countryName(r.country_code, locale)].join(', '),
			registeredAt: r.registered_at
		})),
		total: result.total,
		page: result.page,
		pages: result.pages,
		pendingRegistrations: result.pendingRegistrations,
		removed: url.searchParams.has('vyrazen')
	};
};
