import { describe, expect, it } from 'vitest';
import { REHEARSAL_JUMPS, rehearsalJumpTarget } from './rehearsal';

// Chamber 2025: announced 2025-05-20 (announcement day), D = Friday 2025-10-03.
const chamber = { announcedOn: '2025-05-20', rounds: [{ round: 1 as const, firstDay: '2025-10-03' }] };
const berlin = {
	timeZone: 'Europe/Berlin',
	windows: [
		{ start: '2025-10-03T14:00:00', end: '2025-10-03T22:00:00' },
		{ start: '2025-10-04T08:00:00', end: '2025-10-04T14:00:00' }
	]
};
const newYork = {
	timeZone: 'America/New_York',
	windows: [
		{ start: '2025-10-02T14:00:00', end: '2025-10-02T22:00:00' },
		{ start: '2025-10-03T08:00:00', end: '2025-10-03T14:00:00' }
	]
};

describe('rehearsalJumpTarget', () => {
	it('puts each jump at its deadline, in Prague time', () => {
		const at = (jump: (typeof REHEARSAL_JUMPS)[number], voting = [berlin]) => rehearsalJumpTarget(chamber, voting, jump).toString();
		expect(at('requests-open')).toBe('2025-05-20T07:00:00Z'); // 09:00 CEST on the announcement day (§57(1))
		expect(at('d-25')).toBe('2025-09-08T07:00:00Z'); // 09:00 on D−25 (§57b(1))
		expect(at('last-day-of-requests')).toBe('2025-10-01T07:00:00Z'); // 09:00 on D−2
		expect(at('first-day-abroad')).toBe('2025-10-03T12:00:00Z'); // Berlin opens Friday 14:00
		expect(at('close-of-voting')).toBe('2025-10-04T12:00:00Z'); // Berlin closes Saturday 14:00 (§57c(4))
		expect(at('after-the-count')).toBe('2025-10-05T12:00:00Z');
	});

	it('takes the earliest opening and the latest close of the embassies taking part (§2(3))', () => {
		expect(rehearsalJumpTarget(chamber, [berlin, newYork], 'first-day-abroad').toString()).toBe('2025-10-02T18:00:00Z');
		expect(rehearsalJumpTarget(chamber, [berlin, newYork], 'close-of-voting').toString()).toBe('2025-10-04T12:00:00Z');
	});

	it('without embassies uses voting in Czechia (§2(2))', () => {
		expect(rehearsalJumpTarget(chamber, [], 'close-of-voting').toString()).toBe('2025-10-04T12:00:00Z');
		expect(rehearsalJumpTarget(chamber, [], 'first-day-abroad').toString()).toBe('2025-10-03T12:00:00Z');
	});

	it('jumps are in the order of the election', () => {
		const instants = REHEARSAL_JUMPS.map((j) => rehearsalJumpTarget(chamber, [berlin], j).epochMilliseconds);
		expect([...instants].sort((a, b) => a - b)).toEqual(instants);
	});
});
