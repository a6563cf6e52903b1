import { Temporal } from 'temporal-polyfill';
import { PRAGUE } from '../../domain';
import type { DocumentLocale } from './pdf';

const intlLocale = (lang: DocumentLocale) => (lang === 'en' ? 'en-GB' : 'cs-CZ');

/** '2026-11-20T09:00:00+01:00' → '20. listopadu 2026 v 9:00' / '20 November 2026 at 09:00', in Prague time (§78(2)). */
export function formatPragueDateTime(instant: Temporal.Instant, lang: DocumentLocale): string {
	return new Intl.DateTimeFormat(intlLocale(lang), {
		timeZone: PRAGUE,
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		hour: 'numeric',
		minute: '2-digit'
	}).format(new Date(instant.epochMilliseconds));
}

/** A calendar date 'YYYY-MM-DD' → '12. března 1984' / '12 March 1984'. */
export function formatCalendarDate(isoDate: string, lang: DocumentLocale): string {
	const date = Temporal.PlainDate.from(isoDate);
	return new Intl.DateTimeFormat(intlLocale(lang), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
		new Date(Date.UTC(date.year, date.month - 1, date.day))
	);
}

/** The domain's '§57a(3)' or '§57(1)(c)' in the reader's citation style: '§ 57a odst. 3' in Czech. */
export function formatSection(section: string, lang: DocumentLocale): string {
	if (lang === 'en') return section;
	const match = /^§\s*([0-9]+[a-z]?)(?:\((\d+)\))?(?:\(([a-z])\))?$/.exec(section);
	if (!match) return section;
	const [, paragraph, subsection, letter] = match;
	let out = `§ ${paragraph}`;
	if (subsection) out += ` odst. ${subsection}`;
	if (letter) out += ` písm. ${letter})`;
	return out;
}
