/**
 * The audit chain's order is numeric (issue 8, found by npm run bench): the sealer and the
 * verifier read ids and transaction ids as text, and once they sorted that text, entry 10 came
 * before entry 9 of the same transaction — the chain broke as soon as ids crossed a power of ten.
 */
import { sql } from 'kysely';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { sealAuditLog, verifyAuditChain } from './audit-chain';
import { openTestDb, resetDb } from './db/test-support';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

/** `n` entries written by one transaction (one tx_id: the order among them is the id's alone). */
async function entries(n: number) {
	await db.transaction().execute(async (trx) => {
		for (let i = 0; i < n; i++) {
			await trx
				.insertInto('audit_log')
				.values({ at: new Date('2026-11-20T10:00:00Z'), actor_kind: 'system', action: `test.${i}`, entity_type: 'test', entity_id: String(i) })
				.execute();
		}
	});
}

/** Seals until `expected` entries are sealed (another test's open transaction on a shared server may hold sealing back briefly). */
async function sealUntil(expected: number, batchSize: number) {
	const deadline = Date.now() + 15_000;
	for (;;) {
		await sealAuditLog(db, batchSize);
		const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE hash IS NOT NULL`.execute(db);
		if ((rows[0]?.n ?? 0) >= expected || Date.now() > deadline) return rows[0]?.n ?? 0;
		await new Promise((r) => setTimeout(r, 100));
	}
}

describe('the audit chain across a power of ten', () => {
	it('is sealed and verified in numeric order, in batches and pages of any size', async () => {
		// ids 1–12 in one transaction: as text, '10', '11' and '12' would sort between '1' and '2'.
		await entries(12);
		expect(await sealUntil(12, 5)).toBe(12);
		await entries(3);
		expect(await sealUntil(15, 5)).toBe(15);
		expect(await verifyAuditChain(db, 4)).toEqual({ ok: true, sealed: 15, unsealed: 0 });
		expect(await verifyAuditChain(db)).toEqual({ ok: true, sealed: 15, unsealed: 0 });
		// Each entry links to the one before it in id order (within a transaction, and transactions in order).
		const { rows } = await sql<{ id: string; linked: boolean }>`
			SELECT a.id::text AS id, a.prev_hash = (SELECT b.hash FROM audit_log b WHERE b.id = a.id - 1) AS linked
			FROM audit_log a WHERE a.id > 1 ORDER BY a.id`.execute(db);
		expect(rows.filter((r) => !r.linked)).toEqual([]);
	});
});
