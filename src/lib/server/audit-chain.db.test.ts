import { sql } from 'kysely';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { sealAuditLog, verifyAuditChain } from './audit-chain';
import { openTestDb, resetDb } from './db/test-support';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

async function entry(action: string, executor = db) {
	await executor
		.insertInto('audit_log')
		.values({ at: new Date('2026-11-20T10:00:00Z'), actor_kind: 'system', action, entity_type: 'test', entity_id: action, after: JSON.stringify({ action }) })
		.execute();
}

/**
 * Seals until `expected` entries are sealed. Sealing waits for every older transaction in
 * the whole cluster, so on a shared server another test's writer can hold it back briefly.
 */
async function sealUntil(expected: number, timeoutMs = 15_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		await sealAuditLog(db);
		const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE hash IS NOT NULL`.execute(db);
		if ((rows[0]?.n ?? 0) >= expected || Date.now() > deadline) return rows[0]?.n ?? 0;
		await new Promise((r) => setTimeout(r, 100));
	}
}

async function withTamperingAllowed(fn: () => Promise<unknown>) {
	await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(db);
	try {
		await fn();
	} finally {
		await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(db);
	}
}

describe('the audit log hash chain', () => {
	it('seals entries in order and verifies them', async () => {
		for (const a of ['one', 'two', 'three']) await entry(a);
		expect(await sealUntil(3)).toBe(3);
		expect(await sealAuditLog(db)).toBe(0);
		await entry('four');
		expect(await verifyAuditChain(db)).toEqual({ ok: true, sealed: 3, unsealed: 1 });
		expect(await sealUntil(4)).toBe(4);
		expect(await verifyAuditChain(db)).toEqual({ ok: true, sealed: 4, unsealed: 0 });
	});

	it('names the first entry whose content was altered', async () => {
		for (const a of ['one', 'two', 'three']) await entry(a);
		expect(await sealUntil(3)).toBe(3);
		const second = await db.selectFrom('audit_log').select('id').where('action', '=', 'two').executeTakeFirstOrThrow();
		await withTamperingAllowed(() => sql`UPDATE audit_log SET after = '{"action":"forged"}' WHERE id = ${second.id}`.execute(db));
		expect(await verifyAuditChain(db)).toEqual({ ok: false, sealed: 1, brokenAt: String(second.id), reason: 'hash-mismatch' });
	});

	it('catches a removed entry at the one after it', async () => {
		for (const a of ['one', 'two', 'three']) await entry(a);
		expect(await sealUntil(3)).toBe(3);
		const [second, third] = await db.selectFrom('audit_log').select('id').where('action', 'in', ['two', 'three']).orderBy('id').execute();
		await withTamperingAllowed(() => sql`DELETE FROM audit_log WHERE id = ${second!.id}`.execute(db));
		expect(await verifyAuditChain(db)).toEqual({ ok: false, sealed: 1, brokenAt: String(third!.id), reason: 'link-mismatch' });
	});

	it('refuses any change through the append-only trigger, sealing aside', async () => {
		await entry('one');
		expect(await sealUntil(1)).toBe(1);
		await expect(sql`UPDATE audit_log SET hash = NULL`.execute(db)).rejects.toThrow(/append-only/);
		await expect(sql`UPDATE audit_log SET action = 'x'`.execute(db)).rejects.toThrow(/append-only/);
	});

	it('does not seal past a transaction that is still open, then chains it in transaction order', async () => {
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		let started!: () => void;
		const open = new Promise<void>((r) => (started = r));
		const slow = db.transaction().execute(async (trx) => {
			await entry('older-transaction', trx);
			started();
			await held;
		});
		await open;
		await entry('newer-transaction');
		expect(await sealAuditLog(db)).toBe(0);
		release();
		await slow;
		expect(await sealUntil(2)).toBe(2);
		const chain = await sql<{ action: string }>`SELECT action FROM audit_log ORDER BY tx_id, id`.execute(db);
		expect(chain.rows.map((r) => r.action)).toEqual(['older-transaction', 'newer-transaction']);
		expect(await verifyAuditChain(db)).toEqual({ ok: true, sealed: 2, unsealed: 0 });
	});
});
