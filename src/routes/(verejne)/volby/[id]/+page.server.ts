import { error } from '@sveltejs/kit';
import { PRAGUE, allowsCorrespondence, formatIsoWithOffset } from '$lib/domain';
import { getLocale } from '$lib/paraglide/runtime';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { listElectionEmbassies, listEmbassyTimeZones } from '$lib/server/db/queries/elections';
import { deadlineStatus, findElectionCalendar, formatSection } from '$lib/server/services/calendar';
import { PRAGUE_ZONE, canonicalTimeZone, deadlineMeaning, supportedTimeZones } from '../calendar-text';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url }) => {
	const now = clock().now();
	const locale = getLocale();
	const database = db();

	const officeParam = url.searchParams.get('office') || null;
	let lookup = await findElectionCalendar(database, params.id, { officeId: officeParam });
	// An office that is not an embassy is the viewer's input to correct, not a missing page.
	const officeError = !lookup.ok && lookup.error === 'office-not-found';
	if (officeError) lookup = await findElectionCalendar(database, params.id);
	if (!lookup.ok) error(404, 'Not found');
	const { calendar } = lookup;
	const { election } = calendar;

	const tzParam = canonicalTimeZone(url.searchParams.get('tz'));
	const correspondence = allowsCorrespondence(election);
	const [embassies, embassyZones] = await Promise.all([
		correspondence ? listElectionEmbassies(database, election.id) : Promise.resolve([]),
		listEmbassyTimeZones(database)
	]);
	const embassyName = (e: { name_cs: string; name_en: string }) => (locale === 'en' ? e.name_en : e.name_cs);

	const zonesOfEmbassies = [...new Set([PRAGUE_ZONE, ...embassyZones])];
	const deadlines = calendar.deadlines.map((d) => ({
		key: d.key,
		round: d.round,
		meaning: deadlineMeaning(d.key, locale, calendar.embassy ? embassyName(calendar.embassy) : ''),
		epochMs: d.at.epochMilliseconds,
		pragueIso: formatIsoWithOffset(d.at.withTimeZone(PRAGUE)),
		section: formatSection(d.section, locale),
		status: deadlineStatus(now, d),
		local: d.localAt ? { epochMs: d.localAt.epochMilliseconds, timeZone: d.localAt.timeZoneId } : null
	}));

	const query = new URLSearchParams();
	if (calendar.embassy) query.set('office', calendar.embassy.id);
	const apiQuery = query.toString();
	query.set('lang', locale);

	return {
		election: {
			id: election.id,
			title: locale === 'en' ? calendar.titleEn : calendar.titleCs,
			votingAbroad: election.votingAbroad,
			correspondence
		},
		rounds: election.rounds.map((r) => ({
			round: r.round,
			firstDay: r.firstDay,
			deadlines: deadlines.filter((d) => d.round === r.round)
		})),
		tz: tzParam ?? PRAGUE_ZONE,
		tzFromQuery: tzParam !== null,
		zones: {
			embassies: zonesOfEmbassies,
			all: supportedTimeZones().filter((z) => !zonesOfEmbassies.includes(z))
		},
		embassies: embassies.map((e) => ({ id: e.id, name: embassyName(e) })),
		office: calendar.embassy ? { id: calendar.embassy.id, name: embassyName(calendar.embassy) } : null,
		officeError,
		officeValue: officeError ? (officeParam ?? '') : (calendar.embassy?.id ?? ''),
		icsHref: `/volby/${election.id}/kalendar.ics?${query.toString()}`,
		jsonHref: `/api/elections/${election.id}/calendar${apiQuery ? `?${apiQuery}` : ''}`
	};
};
