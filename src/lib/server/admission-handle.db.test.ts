/**
 * A filing refused by admission control has done nothing — no request, no audit entry, no
 * e-mail — and its retry with the same idempotency key files it once (issue 20). The hook is
 * the portal's own; what it resolves to is the filing service, as POST /api/voter/requests runs it.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Admitter } from './admission';
import { admissionHandle } from './admission-handle';
import { insertTestMunicipalOffice, insertTestVoter, openTestDb, resetDb } from './db/test-support';
import type { Actor } from './services/audit';
import { createElection } from './services/elections';
import { submitVoterCardRequest } from './services/requests';

const db = openTestDb();
afterAll(() => db.destroy());
beforeEach(() => resetDb(db));

const NOW = Temporal.Instant.from('2026-11-20T09:00:00+01:00');
const system: Actor = { kind: 'system' };
const KEY = 'admission-retry-key-0001';

async function fixture() {
	const officeId = await insertTestMunicipalOffice(db);
	const voterId = await insertTestVoter(db, { municipal_office_id: officeId, email: 'jan@example.cz', email_confirmed_at: new Date('2026-01-01T00:00:00Z') });
	const election = await createElection(db, { type: 'chamber', announcedOn: '2026-10-01', rounds: [{ round: 1, firstDay: '2027-01-15' }] }, system, NOW);
	if (!election.ok) throw new Error(JSON.stringify(election.errors));
	return { voterId, electionId: election.id };
}

function filingEvent(): RequestEvent {
	const url = new URL('http://127.0.0.1/api/voter/requests');
	const request = new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': KEY }, body: '{}' });
	return { request, url, isDataRequest: false, cookies: { get: () => undefined } } as unknown as RequestEvent;
}

async function counts() {
	const count = async (table: 'request' | 'audit_log' | 'email_outbox') =>
		Number((await db.selectFrom(table).select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
	const audit = Number(
		(await db.selectFrom('audit_log').where('action', '=', 'request.file').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n
	);
	return { requests: await count('request'), fileAudits: audit, emails: await count('email_outbox') };
}

describe('admission of a filing', () => {
	it('refused: 503 with Retry-After and nothing written; the retry with the same key files once', async () => {
		const { voterId, electionId } = await fixture();
		const admitter = new Admitter(() => ({ maxInFlight: 1, retryAfterSeconds: 5 }));
		const handle = admissionHandle(admitter);
		let filings = 0;
		const resolve = async () => {
			filings++;
			const result = await submitVoterCardRequest(
				db,
				{ voterId, channel: 'portal', idempotencyKey: KEY, electionId, rounds: [1], delivery: 'in-person', address: null, proxy: null },
				{ kind: 'voter', id: voterId },
				NOW
			);
			if (!result.ok) throw new Error(result.refusal.code);
			return Response.json({ requests: result.requests.map((r) => r.reference), replayed: result.replayed }, { status: result.replayed ? 200 : 201 });
		};

		// The process is full: another filing holds the only place.
		const held = admitter.tryAdmit('finish');
		const refused = await handle({ event: filingEvent(), resolve });
		expect(refused.status).toBe(503);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(5);
		expect((await refused.json()).error).toMatchObject({ code: 'overloaded', retryAfterSeconds: Number(refused.headers.get('retry-after')) });
		expect(filings).toBe(0);
		expect(await counts()).toEqual({ requests: 0, fileAudits: 0, emails: 0 });

		// The place is free again: the retry with the same key files, a second retry replays.
		if (held.admitted) held.release();
		const first = await handle({ event: filingEvent(), resolve });
		expect(first.status).toBe(201);
		const again = await handle({ event: filingEvent(), resolve });
		expect(again.status).toBe(200);
		expect((await again.json()).requests).toEqual((await first.json()).requests);
		const after = await counts();
		expect(after.requests).toBe(1);
		expect(after.fileAudits).toBe(1);
		// The filing sends its confirmation: the refusal above would have shown one had it filed.
		expect(after.emails).toBe(1);
		expect(admitter.inFlight).toBe(0);
	});
});
