import { createHash } from 'node:crypto';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { sql } from 'kysely';
import type { Db, DbOrTrx } from './db/index';

/**
 * The audit log is tamper-evident: each entry carries the hash of the previous one.
 *
 * Entries are written without a hash in the transaction of the change they record, so
 * that writers never wait on one global lock. The sealer chains them afterwards in
 * (tx_id, id) order, and only entries whose transaction id is below the oldest
 * transaction still running: every entry that becomes visible later has a larger
 * tx_id, so the order of the chain never has to change once sealed.
 */

interface ChainRow {
	id: string;
	at: Date;
	actor_kind: string;
	actor_id: string | null;
	office_id: string | null;
	action: string;
	entity_type: string;
	entity_id: string | null;
	before_text: string | null;
	after_text: string | null;
	tx_id: string;
	prev_hash: Uint8Array | null;
	hash: Uint8Array | null;
}

const SEAL_LOCK = 7_261_840_112; // pg_advisory_xact_lock key: one sealer at a time

export function entryHash(prev: Uint8Array | null, row: ChainRow): Uint8Array {
	const canonical = JSON.stringify([
		prev ? encodeHexLowerCase(prev) : null,
		row.id,
		row.at.toISOString(),
		row.actor_kind,
		row.actor_id,
		row.office_id,
		row.action,
		row.entity_type,
		row.entity_id,
		row.before_text,
		row.after_text,
		row.tx_id
	]);
	// Node's native SHA-256: the pure-JavaScript one took 15-150 µs an entry, so sealing 2,000
	// entries held the event loop for 30-300 ms (issue 20); the digest is the same.
	return createHash('sha256').update(canonical, 'utf8').digest();
}

// The columns are read as text under their own names: an ORDER BY must therefore name the
// table's columns (audit_log.tx_id), or it would sort the text ('10' before '9': the chain broke
// as soon as ids crossed a power of ten within one transaction; found by npm run bench).
const chainColumns = sql`id::text AS id, at, actor_kind, actor_id::text AS actor_id, office_id::text AS office_id, action,
	entity_type, entity_id, before::text AS before_text, after::text AS after_text, tx_id::text AS tx_id, prev_hash, hash`;

/** Seals settled entries in batches; returns how many it sealed. */
export async function sealAuditLog(db: Db, batchSize = 2_000): Promise<number> {
	return db.transaction().execute(async (trx) => {
		const locked = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${SEAL_LOCK}) AS ok`.execute(trx);
		if (!locked.rows[0]?.ok) return 0;
		const last = await sql<{ hash: Uint8Array }>`
			SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY tx_id DESC, id DESC LIMIT 1`.execute(trx);
		let prev = last.rows[0]?.hash ?? null;
		const { rows } = await sql<ChainRow>`
			SELECT ${chainColumns} FROM audit_log
			WHERE hash IS NULL AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
			ORDER BY audit_log.tx_id, audit_log.id LIMIT ${batchSize}`.execute(trx);
		if (rows.length === 0) return 0;
		const ids: string[] = [];
		const prevs: (string | null)[] = [];
		const hashes: string[] = [];
		for (const row of rows) {
			const hash = entryHash(prev, row);
			ids.push(row.id);
			prevs.push(prev ? encodeHexLowerCase(prev) : null);
			hashes.push(encodeHexLowerCase(hash));
			prev = hash;
		}
		// One statement for the whole batch: under load, a round trip per entry kept a pool
		// connection busy for seconds (npm run bench).
		await sql`
			UPDATE audit_log AS a SET prev_hash = decode(v.prev_hex, 'hex'), hash = decode(v.hash_hex, 'hex')
			FROM unnest(${ids}::bigint[], ${prevs}::text[], ${hashes}::text[]) AS v(id, prev_hex, hash_hex)
			WHERE a.id = v.id`.execute(trx);
		return rows.length;
	});
}

export type ChainVerdict =
	| { ok: true; sealed: number; unsealed: number }
	| { ok: false; sealed: number; brokenAt: string; reason: 'hash-mismatch' | 'link-mismatch' | 'unsealed-inside-chain' };

/** Recomputes the chain from the first entry and names the first entry that does not fit. */
export async function verifyAuditChain(
	db: Db,
	batchSize = 5_000,
	/** Called for every sealed entry that fits, with its 1-based position in the chain. */
	onSealed?: (position: number, id: string, hash: Uint8Array) => void
): Promise<ChainVerdict> {
	let prev: Uint8Array | null = null;
	let sealed = 0;
	let after: { tx: string; id: string } | null = null;
	const equal = (a: Uint8Array | null, b: Uint8Array | null) =>
		a === null || b === null ? a === b : a.length === b.length && a.every((v, i) => v === b[i]);
	for (;;) {
		const cursor: { tx: string; id: string } | null = after;
		const result: { rows: ChainRow[] } = await sql<ChainRow>`
			SELECT ${chainColumns} FROM audit_log
			${cursor ? sql`WHERE (tx_id, id) > (${cursor.tx}::xid8, ${cursor.id}::bigint)` : sql``}
			ORDER BY audit_log.tx_id, audit_log.id LIMIT ${batchSize}`.execute(db);
		const rows = result.rows;
		if (rows.length === 0) break;
		for (const row of rows) {
			if (row.hash === null) {
				// Unsealed entries may only follow the sealed chain, never sit inside it.
				const later = await sql<{ n: number }>`
					SELECT count(*)::int AS n FROM audit_log WHERE hash IS NOT NULL AND (tx_id, id) > (${row.tx_id}::xid8, ${row.id}::bigint)`.execute(db);
				if ((later.rows[0]?.n ?? 0) > 0) return { ok: false, sealed, brokenAt: row.id, reason: 'unsealed-inside-chain' };
				const rest = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE hash IS NULL`.execute(db);
				return { ok: true, sealed, unsealed: rest.rows[0]?.n ?? 0 };
			}
			if (!equal(row.prev_hash, prev)) return { ok: false, sealed, brokenAt: row.id, reason: 'link-mismatch' };
			if (!equal(entryHash(prev, row), row.hash)) return { ok: false, sealed, brokenAt: row.id, reason: 'hash-mismatch' };
			prev = row.hash;
			sealed++;
			onSealed?.(sealed, row.id, row.hash);
		}
		const last: ChainRow = rows[rows.length - 1]!;
		after = { tx: last.tx_id, id: last.id };
	}
	return { ok: true, sealed, unsealed: 0 };
}

/** Entries per transaction of the background sealer. */
const BACKGROUND_SEAL_BATCH = 250;

/** Seals every few seconds in the background; returns a stop function. */
export function startAuditSealer(db: Db, intervalMs = 2_000, onError: (e: unknown) => void = () => {}): () => Promise<void> {
	let running: Promise<unknown> = Promise.resolve();
	let stopped = false;
	const timer = setInterval(() => {
		running = running.then(async () => {
			if (stopped) return;
			try {
				// Small batches with a turn of the event loop between them: a batch of 2,000 hashed
				// and sent in one go held the portal's single thread for tens of milliseconds at a
				// time under a deadline-evening load, and every request waited behind it (issue 20).
				while ((await sealAuditLog(db, BACKGROUND_SEAL_BATCH)) > 0 && !stopped) {
					await new Promise((resolve) => setImmediate(resolve));
				}
			} catch (e) {
				onError(e);
			}
		});
	}, intervalMs);
	timer.unref();
	return async () => {
		stopped = true;
		clearInterval(timer);
		await running;
	};
}

// --- The head (issue 17) ---------------------------------------------------------------------

/**
 * The last sealed entry of the chain: its position (1 = the first entry ever sealed) and its
 * hash. Published with every snapshot of the results feed, so that anyone holding one can
 * later ask `npm run audit:verify -- --against <position>:<hash>` whether the log still
 * contains that entry unchanged, with everything before it.
 */
export interface AuditHead {
	position: number;
	hash: string;
	/** Where the position was counted to, so that the next reading counts only what was sealed since. */
	cursor: { txId: string; id: string };
}

export function formatAuditHead(head: Pick<AuditHead, 'position' | 'hash'>): string {
	return `${head.position}:${head.hash}`;
}

export function parseAuditHead(value: string): { position: number; hash: string } | null {
	const match = /^([1-9][0-9]{0,15}):([0-9a-f]{64})$/.exec(value.trim().toLowerCase());
	return match ? { position: Number(match[1]), hash: match[2]! } : null;
}

/**
 * The current head; null while nothing is sealed. Given the previous head, it counts only the
 * entries sealed since (the chain's index on (tx_id, id)), so a poll costs two index reads.
 */
export async function readAuditHead(db: DbOrTrx, previous?: AuditHead | null): Promise<AuditHead | null> {
	const last = await sql<{ id: string; tx_id: string; hash: Uint8Array }>`
		SELECT id::text AS id, tx_id::text AS tx_id, hash FROM audit_log WHERE hash IS NOT NULL ORDER BY tx_id DESC, id DESC LIMIT 1`.execute(db);
	const row = last.rows[0];
	if (!row) return null;
	if (previous && previous.cursor.id === row.id && previous.cursor.txId === row.tx_id) return previous;
	const counted = previous
		? await sql<{ n: string }>`
			SELECT count(*) AS n FROM audit_log WHERE hash IS NOT NULL
			AND (tx_id, id) > (${previous.cursor.txId}::xid8, ${previous.cursor.id}::bigint)
			AND (tx_id, id) <= (${row.tx_id}::xid8, ${row.id}::bigint)`.execute(db)
		: await sql<{ n: string }>`
			SELECT count(*) AS n FROM audit_log WHERE hash IS NOT NULL AND (tx_id, id) <= (${row.tx_id}::xid8, ${row.id}::bigint)`.execute(db);
	return {
		position: (previous?.position ?? 0) + Number(counted.rows[0]?.n ?? 0),
		hash: encodeHexLowerCase(row.hash),
		cursor: { txId: row.tx_id, id: row.id }
	};
}

export type HeadVerdict =
	| { ok: true; sealed: number }
	| { ok: false; reason: 'chain-broken' | 'not-found' | 'hash-differs'; sealed: number; brokenAt?: string };

/**
 * Whether the log still holds the published head: the chain is intact from the first entry,
 * and the entry at the head's position has the head's hash (so nothing up to it changed).
 */
export async function verifyAuditHead(db: Db, head: { position: number; hash: string }): Promise<HeadVerdict> {
	let seen: string | null = null;
	const verdict = await verifyAuditChain(db, 5_000, (position, _id, hash) => {
		if (position === head.position) seen = encodeHexLowerCase(hash);
	});
	if (!verdict.ok) return { ok: false, reason: 'chain-broken', sealed: verdict.sealed, brokenAt: verdict.brokenAt };
	if (seen === null) return { ok: false, reason: 'not-found', sealed: verdict.sealed };
	if (seen !== head.hash) return { ok: false, reason: 'hash-differs', sealed: verdict.sealed };
	return { ok: true, sealed: verdict.sealed };
}
