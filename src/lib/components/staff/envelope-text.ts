/** Words and times of the envelope pages (issue 6), in the page's language. */
import { m } from '$lib/paraglide/messages';
import { wallClock } from '$lib/components/format';
import type { ReceiptTimeView } from './envelope-types';

/** '16. 1. 2027 v 13:50 (Praha)', and the embassy's own time when it differs (§78(2)). */
export function receiptText(at: ReceiptTimeView, locale: string): string {
	const prague = wallClock(at.prague, locale);
	const text = m.env_time_prague({ date: prague.date, time: prague.time });
	if (at.local.slice(0, 16) === at.prague.slice(0, 16)) return text;
	const local = wallClock(at.local, locale);
	return `${text}, ${m.env_time_local({ date: local.date, time: local.time, zone: at.timeZone })}`;
}

export function roundLabel(round: number): string {
	return m.env_round({ round });
}

/** The printed form of an envelope code, in groups of four: 'ABCD-EFGH-JKMN' (as formatEnvelopeCode). */
export function groupCode(code: string): string {
	return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/** The domain's '§57d(2)(e)' in the page's citation style: '§ 57d odst. 2 písm. e)' in Czech. */
export function sectionText(section: string, locale: string): string {
	if (locale === 'en') return section;
	const match = /^§\s*([0-9]+[a-z]?)(?:\((\d+)\))?(?:\(([a-z])\))?$/.exec(section);
	if (!match) return section;
	const [, paragraph, subsection, letter] = match;
	return `§ ${paragraph}${subsection ? ` odst. ${subsection}` : ''}${letter ? ` písm. ${letter})` : ''}`;
}

/** A figure of the reconciliation (domain/envelopes.ts ReconciliationTerm). */
export function termText(term: string): string {
	switch (term) {
		case 'packagesIssued':
			return m.env_term_packages_issued();
		case 'packagesDispatched':
			return m.env_term_packages_dispatched();
		case 'packagesNotDispatched':
			return m.env_term_packages_not_dispatched();
		case 'packagesWithoutEnvelope':
			return m.env_term_packages_without_envelope();
		case 'received':
			return m.env_term_received();
		case 'receivedOnTime':
			return m.env_term_received_on_time();
		case 'receivedLate':
			return m.env_term_received_late();
		case 'handedOver':
			return m.env_term_handed_over();
		case 'held':
			return m.env_term_held();
		case 'accepted':
			return m.env_term_accepted();
		case 'setAsideTotal':
			return m.env_term_set_aside_total();
		case 'unprocessed':
			return m.env_term_unprocessed();
		case 'markedByCorrespondence':
			return m.env_term_marked();
		default: {
			const ground = /^setAside\.([a-e])$/.exec(term)?.[1];
			return ground ? m.env_term_set_aside_ground({ ground }) : term;
		}
	}
}

/** An identity of the reconciliation, as the equation of its figures. */
export function identityText(key: string): string {
	switch (key) {
		case 'issued-dispatched':
			return m.env_identity_issued_dispatched();
		case 'issued-returned':
			return m.env_identity_issued_returned();
		case 'received-on-time-late':
			return m.env_identity_received_on_time_late();
		case 'on-time-handed-over-held':
			return m.env_identity_on_time_handed_over_held();
		case 'handed-over-dealt-with':
			return m.env_identity_handed_over_dealt_with();
		case 'set-aside-by-ground':
			return m.env_identity_set_aside_by_ground();
		default:
			return m.env_identity_accepted_marked();
	}
}
