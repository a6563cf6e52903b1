/** Words of the dashboard: the deadlines drawn on its chart and the states of requests. */
import { m } from '$lib/paraglide/messages';
import type { DashboardMarker } from '$lib/server/services/dashboard';

const MARKERS: Partial<Record<DashboardMarker['key'], () => string>> = {
	'correspondence-request-written': m.dash_marker_correspondence_written,
	'voter-card-mail-request': m.dash_marker_voter_card_mail,
	'special-district-registration': m.dash_marker_registration,
	'voter-card-pickup-request': m.dash_marker_voter_card_pickup,
	'correspondence-request-in-person': m.dash_marker_correspondence_in_person,
	'voting-day': m.dash_marker_voting_day
};

export function markerText(key: DashboardMarker['key']): string {
	return MARKERS[key]?.() ?? key;
}

const STATES: Record<string, () => string> = {
	received: m.req_state_received,
	accepted: m.req_state_accepted,
	issued: m.req_state_issued,
	completed: m.req_state_completed,
	refused: m.req_state_refused,
	cancelled: m.req_state_cancelled
};

export function stateName(state: string): string {
	return STATES[state]?.() ?? state;
}
