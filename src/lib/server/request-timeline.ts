/**
 * A request's status timeline, derived from the rows that the portal and the offices write:
 * the request itself, its voter card or correspondence package, the return envelope and the
 * special commission's closure. A state appears as soon as its row exists; the envelope's
 * outcome only once the commission has finished (§57d(6)), never earlier.
 */
import type { RequestProgressRow } from './db/queries/requests';
import type { Delivery, RefusalReasonColumn, RequestKind, RequestState, SetAsideGround } from './db/schema';

export type TimelineEvent =
	| { kind: 'received'; at: string }
	| { kind: 'cancelled'; at: string | null }
	/** §77: with the reason; the written notice follows from the office. */
	| { kind: 'refused'; at: string | null; reason: RefusalReasonColumn | null; text: string | null }
	| { kind: 'accepted'; at: string | null }
	/** §56(4): the voter is now on the embassy's special list. */
	| { kind: 'registered'; at: string | null }
	/** §23(5): the office corrected the voter list as asked. */
	| { kind: 'corrected'; at: string | null }
	| { kind: 'card-issued'; at: string }
	| { kind: 'card-sent'; at: string }
	| { kind: 'card-ready'; at: null }
	| { kind: 'card-collected'; at: string; by: 'in-person' | 'proxy' }
	| { kind: 'card-invalidated'; at: string; reason: 'lost' | 'destroyed' }
	| { kind: 'package-issued'; at: string }
	| { kind: 'package-sent'; at: string }
	| { kind: 'package-ready'; at: null }
	| { kind: 'package-collected'; at: string; by: 'in-person' | 'proxy' }
	/** §57c(3); `late`: after the close of voting, kept unopened and never counted (§57c(5)). */
	| { kind: 'envelope-received'; at: string; late: boolean }
	/** §57d(3),(4) */
	| { kind: 'envelope-counted'; at: string }
	/** §57d(2)(a)-(e) */
	| { kind: 'envelope-set-aside'; at: string; ground: SetAsideGround }
	| { kind: 'envelope-not-counted-late'; at: string };

export interface TimelineRequest {
	kind: RequestKind;
	state: RequestState;
	delivery: Delivery | null;
	received_at: Date;
	decided_at: Date | null;
	cancelled_at: Date | null;
	refusal_reason: RefusalReasonColumn | null;
	refusal_text: string | null;
}

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export function requestTimeline(request: TimelineRequest, progress: RequestProgressRow): TimelineEvent[] {
	const events: TimelineEvent[] = [{ kind: 'received', at: iso(request.received_at) }];

	if (request.state === 'cancelled') {
		events.push({ kind: 'cancelled', at: isoOrNull(request.cancelled_at) });
		return events;
	}
	if (request.state === 'refused') {
		events.push({ kind: 'refused', at: isoOrNull(request.decided_at), reason: request.refusal_reason, text: request.refusal_text });
		return events;
	}

	const card = progress.voter_card;
	const pkg = progress.correspondence_package;
	const decided = request.state !== 'received' || card !== null || pkg !== null;
	if (decided) {
		events.push(
			request.kind === 'special-district-registration'
				? { kind: 'registered', at: isoOrNull(request.decided_at) }
				: request.kind === 'voter-list-correction'
					? { kind: 'corrected', at: isoOrNull(request.decided_at) }
					: { kind: 'accepted', at: isoOrNull(request.decided_at) }
		);
	}

	if (card) {
		events.push({ kind: 'card-issued', at: iso(card.issued_at) });
		if (card.handover_method && card.handed_over_at) {
			events.push(
				card.handover_method === 'post'
					? { kind: 'card-sent', at: iso(card.handed_over_at) }
					: { kind: 'card-collected', at: iso(card.handed_over_at), by: card.handover_method }
			);
		} else if (request.delivery !== 'post' && !card.invalidated_at) {
			events.push({ kind: 'card-ready', at: null });
		}
		if (card.invalidated_at && card.invalidation_reason) {
			events.push({ kind: 'card-invalidated', at: iso(card.invalidated_at), reason: card.invalidation_reason });
		}
	}

	if (pkg) {
		events.push({ kind: 'package-issued', at: iso(pkg.issued_at) });
		if (pkg.dispatch_method && pkg.dispatched_at) {
			events.push(
				pkg.dispatch_method === 'post'
					? { kind: 'package-sent', at: iso(pkg.dispatched_at) }
					: { kind: 'package-collected', at: iso(pkg.dispatched_at), by: pkg.dispatch_method }
			);
		} else if (request.delivery !== 'post') {
			events.push({ kind: 'package-ready', at: null });
		}
	}

	const envelope = progress.return_envelope;
	if (envelope) {
		events.push({ kind: 'envelope-received', at: iso(envelope.received_at), late: envelope.late });
		const closedAt = progress.commission_closed_at;
		if (closedAt) {
			if (envelope.late) events.push({ kind: 'envelope-not-counted-late', at: iso(closedAt) });
			else if (envelope.outcome === 'accepted') events.push({ kind: 'envelope-counted', at: iso(closedAt) });
			else if (envelope.outcome === 'set-aside' && envelope.set_aside_ground) {
				events.push({ kind: 'envelope-set-aside', at: iso(closedAt), ground: envelope.set_aside_ground });
			}
		}
	}
	return events;
}
