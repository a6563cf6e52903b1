import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, resetDb } from '../db/test-support';
import { openBallotBox, recordOutcome } from '../services/commission';
import { createEnvelopeFixture } from '../services/envelope-fixtures';
import { confirmHandoverAsChair, confirmHandoverAsHead, createHandover, recordEnvelopeScan } from '../services/envelopes';
import { commissionProtocolFacts, lateEnvelopes, listEnvelopeRounds, nearestRound, parseRoundKey, roundKey } from './envelopes';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

describe('the rounds an embassy receives envelopes for', () => {
	it('lists each round with its close of voting in Prague and local time, and picks the nearest', async () => {
		const f = await createEnvelopeFixture(db, { twoRounds: true, timeZone: 'America/New_York' });
		const rounds = await listEnvelopeRounds(db, f.embassy.id, f.beforeClose);
		expect(rounds.map((r) => [r.key, r.round, r.roundCount])).toEqual([
			[roundKey(f.electionId, 1), 1, 2],
			[roundKey(f.electionId, 2), 2, 2]
		]);
		// §2(3): the Americas vote on Thursday and Friday local time; §57c(4): the close of the last window.
		expect(Temporal.Instant.from(rounds[0]!.closesAt.prague).equals(f.votingClosesAt)).toBe(true);
		expect(rounds[0]!.closesAt.timeZone).toBe('America/New_York');
		expect(rounds[0]!.closesAt.local).toMatch(/-05:00$/);
		expect(rounds[0]!.closesAt.prague).toMatch(/\+01:00$/);
		expect(rounds[0]!.votingClosed).toBe(false);
		expect((await listEnvelopeRounds(db, f.embassy.id, f.afterClose))[0]!.votingClosed).toBe(true);

		expect(nearestRound(rounds, f.beforeClose)?.round).toBe(1);
		expect(nearestRound(rounds, f.votingClosesAt.add({ hours: 24 * 12 }))?.round).toBe(2);
		expect(nearestRound([], f.beforeClose)).toBeNull();
	});

	it('round keys read back, and nothing else does', () => {
		const id = '0b6a4c1e-2f3d-4a5b-8c7d-9e0f1a2b3c4d';
		expect(parseRoundKey(roundKey(id, 2))).toEqual({ electionId: id, round: 2 });
		expect(parseRoundKey(`${id}-3`)).toBeNull();
		expect(parseRoundKey(`${id}`)).toBeNull();
		expect(parseRoundKey("1' OR 1=1-1")).toBeNull();
	});
});

describe('reads of the envelope pages', () => {
	it('§57c(5): the late envelopes of the office only, kept apart with codes and receipt times', async () => {
		const f = await createEnvelopeFixture(db, { packages: 3 });
		await recordEnvelopeScan(db, { code: f.packages[0]!.code }, f.staff.clerk, f.beforeClose);
		await recordEnvelopeScan(db, { code: f.packages[1]!.code, storageBatch: 'L-1' }, f.staff.clerk, f.afterClose);
		// The other embassy (Berlin) closes later than the first (New York): a day later is late for both.
		await recordEnvelopeScan(db, { code: f.otherPackages[0]!.code }, f.otherStaff.clerk, f.afterClose.add({ hours: 24 }));

		const late = await lateEnvelopes(db, { electionId: f.electionId, round: 1 }, f.staff.clerk, f.embassy.timeZone);
		expect(late).toMatchObject({ kind: 'late', envelopes: [{ code: f.packages[1]!.code, storageBatch: 'L-1' }] });
		if (late.kind !== 'late') throw new Error();
		expect(Temporal.Instant.from(late.envelopes[0]!.receivedAt.prague).equals(f.afterClose)).toBe(true);
		// The other embassy sees its own only; a clerk of a municipal office or an administrator sees nothing.
		const other = await lateEnvelopes(db, { electionId: f.electionId, round: 1 }, f.otherStaff.head, f.otherEmbassy.timeZone);
		expect(other.kind === 'late' && other.envelopes.map((e) => e.code)).toEqual([f.otherPackages[0]!.code]);
		expect(await lateEnvelopes(db, { electionId: f.electionId, round: 1 }, { ...f.staff.clerk, role: 'administrator' }, 'UTC')).toEqual({
			kind: 'forbidden'
		});
	});

	it('§57d: the protocol names who recorded how many and who opened the ballot box, and when', async () => {
		const f = await createEnvelopeFixture(db, { packages: 3 });
		const ids: string[] = [];
		for (const p of f.packages) {
			const r = await recordEnvelopeScan(db, { code: p.code }, f.staff.clerk, f.beforeClose);
			if (r.kind !== 'recorded') throw new Error(r.kind);
			ids.push(r.envelopeId);
		}
		const h = await createHandover(db, { electionId: f.electionId, round: 1 }, f.staff.clerk, f.beforeClose);
		if (h.kind !== 'created') throw new Error(h.kind);
		await confirmHandoverAsHead(db, { handoverId: h.handoverId }, f.staff.head, f.beforeClose);
		await confirmHandoverAsChair(db, { handoverId: h.handoverId }, f.staff.chair, f.beforeClose);
		await recordOutcome(db, { envelopeId: ids[0]!, outcome: 'accepted' }, f.staff.member, f.afterClose);
		await recordOutcome(db, { envelopeId: ids[1]!, outcome: 'set-aside', ground: 'b' }, f.staff.member, f.afterClose);

		const input = { electionId: f.electionId, round: 1 };
		const before = await commissionProtocolFacts(db, input, f.staff.member2);
		expect(before).toMatchObject({ kind: 'protocol', facts: { final: false, openedAt: null, openedBy: null } });
		if (before.kind !== 'protocol') throw new Error();
		expect(before.facts.counts).toMatchObject({ handedOver: 3, accepted: 1, setAside: 1, unprocessed: 1 });
		expect(before.facts.recorders).toEqual([{ name: expect.any(String), role: 'commission-member', recorded: 2 }]);

		await recordOutcome(db, { envelopeId: ids[2]!, outcome: 'set-aside', ground: 'e' }, f.staff.chair, f.afterClose);
		const opened = await openBallotBox(db, input, f.staff.chair, f.afterClose.add({ minutes: 5 }));
		expect(opened.kind).toBe('opened');
		const after = await commissionProtocolFacts(db, input, f.staff.member);
		if (after.kind !== 'protocol') throw new Error(after.kind);
		expect(after.facts.final).toBe(true);
		expect(after.facts.openedAt?.equals(f.afterClose.add({ minutes: 5 }))).toBe(true);
		expect(after.facts.openedBy).toMatch(/^commission-chair\./);
		expect(after.facts.recorders.map((r) => [r.role, r.recorded]).sort()).toEqual([
			['commission-chair', 1],
			['commission-member', 2]
		]);
		// Another embassy's commission and the embassy's clerk get nothing of it.
		expect(await commissionProtocolFacts(db, input, f.otherStaff.chair)).toMatchObject({ kind: 'protocol', facts: { counts: { handedOver: 0 }, recorders: [] } });
		expect(await commissionProtocolFacts(db, input, f.staff.clerk)).toEqual({ kind: 'forbidden' });
	});
});
