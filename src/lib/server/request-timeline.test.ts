import { describe, expect, it } from 'vitest';
import { requestTimeline, type TimelineRequest } from './request-timeline';
import type { RequestProgressRow } from './db/queries/requests';

const d = (s: string) => new Date(s);
const base: TimelineRequest = {
	kind: 'correspondence-package',
	state: 'received',
	delivery: 'post',
	received_at: d('2026-11-20T08:00:00Z'),
	decided_at: null,
	cancelled_at: null,
	refusal_reason: null,
	refusal_text: null
};
const nothing: RequestProgressRow = { voter_card: null, correspondence_package: null, return_envelope: null, commission_closed_at: null };

describe('requestTimeline', () => {
	it('a pending request shows only its receipt', () => {
		expect(requestTimeline(base, nothing)).toEqual([{ kind: 'received', at: '2026-11-20T08:00:00.000Z' }]);
	});

	it('a cancelled or refused request ends there, the refusal with its reason and text (§77)', () => {
		expect(requestTimeline({ ...base, state: 'cancelled', cancelled_at: d('2026-11-21T08:00:00Z') }, nothing).map((e) => e.kind)).toEqual(['received', 'cancelled']);
		expect(
			requestTimeline({ ...base, state: 'refused', decided_at: d('2026-11-21T08:00:00Z'), refusal_reason: 'other', refusal_text: 'Chybí podpis.' }, nothing)[1]
		).toEqual({ kind: 'refused', at: '2026-11-21T08:00:00.000Z', reason: 'other', text: 'Chybí podpis.' });
	});

	it('a voter card to collect is ready once issued, then collected', () => {
		const card = { issued_at: d('2026-12-01T09:00:00Z'), handover_method: null, handed_over_at: null, invalidated_at: null, invalidation_reason: null };
		const request = { ...base, kind: 'voter-card' as const, state: 'issued' as const, delivery: 'in-person' as const, decided_at: d('2026-11-21T09:00:00Z') };
		expect(requestTimeline(request, { ...nothing, voter_card: card }).map((e) => e.kind)).toEqual(['received', 'accepted', 'card-issued', 'card-ready']);
		const collected = requestTimeline(request, { ...nothing, voter_card: { ...card, handover_method: 'proxy', handed_over_at: d('2026-12-02T09:00:00Z') } });
		expect(collected.at(-1)).toEqual({ kind: 'card-collected', at: '2026-12-02T09:00:00.000Z', by: 'proxy' });
	});

	it("keeps an envelope's outcome back until the commission has finished (§57d(6))", () => {
		const progress: RequestProgressRow = {
			voter_card: null,
			correspondence_package: { issued_at: d('2026-12-01T09:00:00Z'), dispatch_method: 'post', dispatched_at: d('2026-12-02T09:00:00Z') },
			return_envelope: { received_at: d('2027-01-10T09:00:00Z'), late: false, outcome: 'set-aside', set_aside_ground: 'b' },
			commission_closed_at: null
		};
		const request = { ...base, state: 'issued' as const };
		expect(requestTimeline(request, progress).map((e) => e.kind)).toEqual(['received', 'accepted', 'package-issued', 'package-sent', 'envelope-received']);
		const closed = requestTimeline(request, { ...progress, commission_closed_at: d('2027-01-16T13:00:00Z') });
		expect(closed.at(-1)).toEqual({ kind: 'envelope-set-aside', at: '2027-01-16T13:00:00.000Z', ground: 'b' });
		const counted = requestTimeline(request, { ...progress, return_envelope: { ...progress.return_envelope!, outcome: 'accepted', set_aside_ground: null }, commission_closed_at: d('2027-01-16T13:00:00Z') });
		expect(counted.at(-1)!.kind).toBe('envelope-counted');
	});

	it('a late envelope is never counted (§57c(5))', () => {
		const progress: RequestProgressRow = {
			voter_card: null,
			correspondence_package: { issued_at: d('2026-12-01T09:00:00Z'), dispatch_method: 'in-person', dispatched_at: d('2026-12-02T09:00:00Z') },
			return_envelope: { received_at: d('2027-01-17T09:00:00Z'), late: true, outcome: null, set_aside_ground: null },
			commission_closed_at: d('2027-01-16T13:00:00Z')
		};
		const events = requestTimeline({ ...base, state: 'issued', delivery: 'in-person' }, progress);
		expect(events.slice(-3).map((e) => e.kind)).toEqual(['package-collected', 'envelope-received', 'envelope-not-counted-late']);
	});

	it('an accepted registration reads as registered (§56(4))', () => {
		const events = requestTimeline({ ...base, kind: 'special-district-registration', delivery: null, state: 'accepted', decided_at: d('2026-11-22T10:00:00Z') }, nothing);
		expect(events[1]).toEqual({ kind: 'registered', at: '2026-11-22T10:00:00.000Z' });
	});
});
