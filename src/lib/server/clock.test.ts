import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { clockFor, electionNow, fixedClock, offsetToReach } from './clock';

const portal = Temporal.Instant.from('2026-12-06T10:00:00Z');

describe('the clock of an election', () => {
	it('a real election runs on the portal clock, whatever offset a row might carry', () => {
		expect(electionNow({ rehearsal: false, clock_offset_seconds: 0 }, portal)).toEqual(portal);
		// The CHECK election_real_clock refuses such a row; even so the clock would not move.
		expect(electionNow({ rehearsal: false, clock_offset_seconds: 3600 }, portal)).toEqual(portal);
		expect(clockFor({ rehearsal: false, clock_offset_seconds: -86400 }, fixedClock(portal)).now()).toEqual(portal);
	});

	it('a rehearsal runs on the portal clock moved by its offset, and keeps ticking', () => {
		const rehearsal = { rehearsal: true, clock_offset_seconds: -86400 };
		expect(electionNow(rehearsal, portal).toString()).toBe('2026-12-05T10:00:00Z');
		let ticking = portal;
		const base = { now: () => ticking };
		const clock = clockFor(rehearsal, base);
		expect(clock.now().toString()).toBe('2026-12-05T10:00:00Z');
		ticking = portal.add({ minutes: 5 });
		expect(clock.now().toString()).toBe('2026-12-05T10:05:00Z');
	});

	it('a jump sets the offset that reaches the target, forwards and backwards', () => {
		const forward = Temporal.Instant.from('2027-10-09T12:00:00Z');
		const back = Temporal.Instant.from('2025-05-20T07:00:00Z');
		for (const target of [forward, back, portal]) {
			const offset = offsetToReach(target, portal);
			expect(Number.isInteger(offset)).toBe(true);
			expect(electionNow({ rehearsal: true, clock_offset_seconds: offset }, portal)).toEqual(target);
		}
		expect(offsetToReach(portal, portal)).toBe(0);
	});
});
