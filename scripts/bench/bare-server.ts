/**
 * The yardstick of npm run bench: the same filing as the portal's — validate the body,
 * insert the request and its audit entry, commit — through a bare node:http server and a
 * pg pool of the portal's size, with nothing else: no framework, no session, no rules.
 * The portal's throughput is reported as a share of this one's.
 *
 * Run by scripts/bench.ts as a child process: DATABASE_URL, PORT, POOL_MAX in the environment;
 * it sends { type: 'ready' } once it listens.
 */
import http from 'node:http';
import pg from 'pg';
import { z } from 'zod';
import { newReference } from '../../src/lib/server/reference';
import { handlePoolErrors } from '../../src/lib/server/db/pool-errors';

const pool = handlePoolErrors(new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX ?? 10) }), () => {});

const body = z.strictObject({
	kind: z.literal('voter-card'),
	electionId: z.uuid(),
	rounds: z.array(z.union([z.literal(1), z.literal(2)])).min(1).max(2).optional(),
	delivery: z.enum(['post', 'in-person', 'proxy']),
	address: z.strictObject({ line: z.string().min(1).max(200), city: z.string().min(1).max(100), postalCode: z.string().max(20), country: z.string().regex(/^[A-Z]{2}$/) }).optional(),
	proxyName: z.string().min(1).max(200).optional()
});

function reply(res: http.ServerResponse, status: number, payload: unknown) {
	const text = JSON.stringify(payload);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
	res.end(text);
}

async function file(voterId: string, key: string, input: z.infer<typeof body>) {
	const client = await pool.connect();
	try {
		await client.query('BEGIN');
		const reference = newReference('voter-card');
		const inserted = await client.query<{ id: string; office_id: string }>(
			`INSERT INTO request (reference, kind, voter_id, election_id, round, office_id, channel, delivery,
				delivery_address_line, delivery_city, delivery_postal_code, delivery_country_code, proxy_name, received_at, idempotency_key)
			 SELECT $1, 'voter-card', v.id, $2, 1, coalesce(v.special_district_office_id, v.municipal_office_id), 'portal', $3, $4, $5, $6, $7, $8, now(), $9
			 FROM voter v WHERE v.id = $10
			 RETURNING id, office_id`,
			[reference, input.electionId, input.delivery, input.address?.line ?? null, input.address?.city ?? null, input.address?.postalCode ?? null, input.address?.country ?? null, input.proxyName ?? null, key, voterId]
		);
		const row = inserted.rows[0];
		if (!row) {
			await client.query('ROLLBACK');
			return null;
		}
		await client.query(
			`INSERT INTO audit_log (at, actor_kind, actor_id, office_id, action, entity_type, entity_id, after)
			 VALUES (now(), 'voter', $1, $2, 'request.file', 'request', $3, $4)`,
			[voterId, row.office_id, row.id, JSON.stringify({ reference, kind: 'voter-card', electionId: input.electionId, round: 1, state: 'received' })]
		);
		await client.query('COMMIT');
		return reference;
	} catch (error) {
		await client.query('ROLLBACK').catch(() => {});
		throw error;
	} finally {
		client.release();
	}
}

const server = http.createServer((req, res) => {
	if (req.method !== 'POST' || req.url !== '/requests') return reply(res, 404, { error: 'not found' });
	const chunks: Buffer[] = [];
	let size = 0;
	req.on('data', (c: Buffer) => {
		size += c.length;
		if (size <= 16_384) chunks.push(c);
	});
	req.on('end', () => {
		if (size > 16_384) return reply(res, 413, { error: 'too large' });
		let parsed;
		try {
			parsed = body.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
		} catch {
			return reply(res, 400, { error: 'invalid json' });
		}
		const voterId = String(req.headers['x-voter-id'] ?? '');
		const key = String(req.headers['idempotency-key'] ?? '');
		if (!parsed.success || !/^[0-9a-f-]{36}$/.test(voterId) || !key) return reply(res, 400, { error: 'invalid input' });
		file(voterId, key, parsed.data).then(
			(reference) => (reference ? reply(res, 201, { requests: [{ reference, round: 1, state: 'received' }], replayed: false }) : reply(res, 404, { error: 'no voter' })),
			(error: Error) => reply(res, 500, { error: error.message })
		);
	});
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.({ type: 'ready' }));
process.on('message', (m: { type: string }) => {
	if (m.type === 'exit') server.close(() => void pool.end().then(() => process.exit(0)));
});
// The parent is gone (killed or crashed): stop serving.
process.on('disconnect', () => process.exit(0));
