/**
 * What a refusal tells the voter about the court (§80(1), §81(1)): which court, and the last
 * day to turn to it, 2 working days after the notice (domain/court.ts), in words.
 */
import type { Temporal } from 'temporal-polyfill';
import { competentCourt, courtDeadline, type Court } from '../domain';
import { m } from '../paraglide/messages.js';

type Locale = 'cs' | 'en';

export function courtName(court: Court, locale: Locale): string {
	const t = { locale };
	if (court.kind === 'municipal-court-prague') return m.court_municipal_prague({}, t);
	switch (court.seat) {
		case 'praha':
			return m.court_regional_praha({}, t);
		case 'ceske-budejovice':
			return m.court_regional_ceske_budejovice({}, t);
		case 'plzen':
			return m.court_regional_plzen({}, t);
		case 'usti-nad-labem':
			return m.court_regional_usti({}, t);
		case 'hradec-kralove':
			return m.court_regional_hradec({}, t);
		case 'brno':
			return m.court_regional_brno({}, t);
		case 'ostrava':
			return m.court_regional_ostrava({}, t);
	}
}

export interface CourtPath {
	court: string;
	/** The last day, 'YYYY-MM-DD' (Prague). */
	lastDay: string;
}

/** The court path of a refusal notified at `noticeAt` by an office of this kind and region. */
export function courtPathOf(office: { kind: 'municipal' | 'embassy'; regionCode: string | null }, noticeAt: Temporal.Instant, locale: Locale): CourtPath {
	return { court: courtName(competentCourt(office), locale), lastDay: courtDeadline(noticeAt).toString() };
}
