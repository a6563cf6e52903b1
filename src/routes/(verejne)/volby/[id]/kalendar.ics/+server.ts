import { error } from '@sveltejs/kit';
import { PRAGUE, type Deadline } from '$lib/domain';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { electionIcs, findElectionCalendar, formatSection } from '$lib/server/services/calendar';
import { deadlineMeaning, formatDateTime, zoneLabel, type Locale } from '../../calendar-text';
import type { RequestHandler } from './$types';

/** ASCII file name from a title: 'Volby do Poslanecké sněmovny 2026' → 'volby-do-poslanecke-snemovny-2026'. */
function slug(title: string): string {
	const ascii = title
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
	return ascii || 'volby';
}

/**
 * The election's deadlines as iCalendar (RFC 5545); `?office=<embassyId>` adds that
 * embassy's return-envelope deadline (§57c(4)); `?lang=cs|en` picks the language, which a
 * calendar app subscribing without the portal's cookie cannot otherwise choose.
 */
export const GET: RequestHandler = async ({ params, url }) => {
	const lang = url.searchParams.get('lang');
	const locale: Locale = lang === 'cs' || lang === 'en' ? lang : getLocale();
	const officeId = url.searchParams.get('office') || null;

	const lookup = await findElectionCalendar(db(), params.id, { officeId });
	if (!lookup.ok) {
		if (lookup.error === 'office-not-found') error(400, 'Unknown embassy (office)');
		error(404, 'Not found');
	}
	const { calendar } = lookup;
	const title = locale === 'en' ? calendar.titleEn : calendar.titleCs;
	const officeName = calendar.embassy ? (locale === 'en' ? calendar.embassy.name_en : calendar.embassy.name_cs) : '';
	const twoRounds = calendar.election.rounds.length > 1;
	const options = { locale };

	const summary = (d: Deadline) => {
		const text = deadlineMeaning(d.key, locale, officeName);
		return twoRounds ? m.cal_ics_summary_round({ text, round: d.round }, options) : text;
	};
	const description = (d: Deadline) => {
		const lines = [
			twoRounds ? `${title}, ${m.round_n({ round: d.round }, options)}` : title,
			m.cal_ics_deadline_at({ time: formatDateTime(d.at.epochMilliseconds, PRAGUE, locale) }, options)
		];
		if (d.localAt) {
			const local = formatDateTime(d.localAt.epochMilliseconds, d.localAt.timeZoneId, locale, true);
			lines.push(`${m.cal_embassy_local_time({ time: local }, options)} (${zoneLabel(d.localAt.timeZoneId)})`);
		}
		lines.push(m.cal_ics_section({ section: formatSection(d.section, locale) }, options));
		return lines.join('\n');
	};

	const body = electionIcs(calendar, {
		stamp: clock().now(),
		locale,
		url: `${url.origin}/volby/${calendar.election.id}`,
		texts: { calendarName: m.cal_ics_calendar_name({ title }, options), summary, description }
	});
	return new Response(body, {
		headers: {
			'Content-Type': 'text/calendar; charset=utf-8',
			'Content-Disposition': `attachment; filename="${slug(title)}.ics"`,
			'Cache-Control': 'public, max-age=60'
		}
	});
};
