/** What the package pages show of one package, in the page's language. */
import { formatEnvelopeCode } from '$lib/domain/envelopes';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';
import { countryName } from '$lib/server/countries';
import type { PackageDetailResult } from '$lib/server/services/packages';
import { handOverRefusalText, instantText, localeOf } from '../../texts';

type Ok = Extract<PackageDetailResult, { kind: 'ok' }>;

export function packageView(result: Ok) {
	const locale = localeOf(getLocale());
	const { pkg, election, dispatch } = result;
	const address =
		pkg.delivery === 'post' && pkg.delivery_address_line
			? [pkg.delivery_address_line, [pkg.delivery_postal_code, pkg.delivery_city].filter(Boolean).join(' '), countryName(pkg.delivery_country_code ?? '', locale)].join(', ')
			: null;
	const delivery =
		pkg.delivery === 'post'
			? m.pkg_detail_delivery_post({ address: address ?? '' })
			: pkg.delivery === 'proxy'
				? m.pkg_detail_delivery_proxy({ name: pkg.request_proxy_name ?? '' })
				: m.pkg_delivery_in_person();
	const by = pkg.dispatched_by_name ?? '';
	const at = pkg.dispatched_at ? instantText(pkg.dispatched_at, locale) : '';
	const state =
		pkg.dispatch_method === 'post'
			? m.pkg_detail_state_sent({ datetime: at, name: by })
			: pkg.dispatch_method === 'in-person'
				? m.pkg_detail_state_in_person({ datetime: at, name: by })
				: pkg.dispatch_method === 'proxy'
					? m.pkg_detail_state_proxy({ proxy: pkg.proxy_name ?? '', datetime: at, name: by })
					: m.pkg_detail_state_waiting();
	const title = locale === 'en' ? election.title_en : election.title_cs;
	return {
		id: pkg.id,
		electionId: pkg.election_id,
		number: pkg.id_slip_number,
		reference: pkg.reference,
		voter: `${pkg.given_name} ${pkg.family_name}`,
		birthDate: pkg.birth_date,
		election: election.rounds.length > 1 ? `${title} – ${m.pkg_round({ round: pkg.round })}` : title,
		delivery,
		deliveryMethod: pkg.delivery,
		address,
		envelopeCode: formatEnvelopeCode(pkg.envelope_code),
		issued: m.pkg_detail_issued_value({ datetime: instantText(pkg.issued_at, locale), name: pkg.issued_by_name }),
		state,
		waiting: pkg.dispatched_at === null,
		dispatch: dispatch.ok ? { ok: true as const, dueSoon: dispatch.warning === 'due-soon' } : { ok: false as const, refusal: handOverRefusalText(dispatch.refusal, locale) }
	};
}
