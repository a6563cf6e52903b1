import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { freeText } from '$lib/forms/free-text';
import { refusalText } from '$lib/forms/refusal-messages';
import { addressSchema, UUID_PATTERN } from '$lib/forms/requests';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';
import { apiError, issueList, readJsonBody } from '$lib/server/api/json-api';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { submitVoterCardRequest } from '$lib/server/services/requests';
import type { RequestHandler } from './$types';

/**
 * POST /api/voter/requests — a voter card request (§56, §57) as JSON, for API clients and the
 * load benchmark (npm run bench). The same service as the check-answers page
 * (/volicsky-prukaz/kontrola), the same session cookie and the same rules; only the way
 * the answers arrive differs: in one document instead of a page per question.
 *
 *   Idempotency-Key: <16–64 of A–Z a–z 0–9 _ -, drawn once per request by the client>
 *   { "kind": "voter-card", "electionId": "<uuid>", "rounds": [1],
 *     "delivery": "post" | "in-person" | "proxy",
 *     "address": { "line", "city", "postalCode", "country" },   // delivery "post" only
 *     "proxyName": "..." }                                        // delivery "proxy" only
 *
 * 201 { requests: [{ reference, round, state }], replayed: false } — filed;
 * 200 the same with replayed: true — the key filed this before (a retry after a lost answer);
 * 400 invalid JSON or input, 401 not logged in as a voter, 409 already filed, 413 too large,
 * 415 not JSON, 422 refused by the law (the body names the rule and the deadline), 429.
 */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{16,64}$/;

const voterCardBody = z
	.strictObject({
		kind: z.literal('voter-card'),
		electionId: z.string().regex(UUID_PATTERN, 'electionId must be a UUID'),
		/** §57(5): round 1, round 2 or both of a two-round election; [1] when absent. */
		rounds: z
			.array(z.union([z.literal(1), z.literal(2)]))
			.min(1)
			.max(2)
			.refine((r) => new Set(r).size === r.length, 'rounds must not repeat')
			.optional(),
		/** §57(2) */
		delivery: z.enum(['post', 'in-person', 'proxy']),
		address: z.strictObject({ line: z.string(), city: z.string(), postalCode: z.string(), country: z.string() }).pipe(addressSchema).optional(),
		proxyName: freeText('proxyName holds control or bidi characters').min(1).max(200).optional()
	})
	.superRefine((body, ctx) => {
		if (body.delivery === 'post' && !body.address) ctx.addIssue({ code: 'custom', path: ['address'], message: 'address is required for delivery "post"' });
		if (body.delivery !== 'post' && body.address) ctx.addIssue({ code: 'custom', path: ['address'], message: 'address is only for delivery "post"' });
		if (body.delivery === 'proxy' && !body.proxyName) ctx.addIssue({ code: 'custom', path: ['proxyName'], message: 'proxyName is required for delivery "proxy"' });
		if (body.delivery !== 'proxy' && body.proxyName) ctx.addIssue({ code: 'custom', path: ['proxyName'], message: 'proxyName is only for delivery "proxy"' });
	});

export const POST: RequestHandler = async ({ request, locals }) => {
	const now = clock().now();
	if (!locals.voter) return apiError(401, 'login-required', m.rel_api_login_required());
	const key = request.headers.get('idempotency-key') ?? '';
	if (!IDEMPOTENCY_KEY.test(key)) return apiError(400, 'idempotency-key', m.rel_api_idempotency_key());
	const body = await readJsonBody(request);
	if (!body.ok) return body.response;
	const parsed = voterCardBody.safeParse(body.value);
	if (!parsed.success) return apiError(400, 'invalid-input', m.rel_api_invalid_input(), { issues: issueList(parsed.error.issues) });
	const input = parsed.data;

	const result = await submitVoterCardRequest(
		db(),
		{
			voterId: locals.voter.id,
			channel: 'portal',
			idempotencyKey: key,
			electionId: input.electionId,
			rounds: input.rounds ?? [1],
			delivery: input.delivery,
			address: input.address ?? null,
			proxy: input.proxyName ? { name: input.proxyName } : null
		},
		{ kind: 'voter', id: locals.voter.id },
		now
	);
	if (!result.ok) {
		const { refusal } = result;
		const status = refusal.code === 'already-filed' ? 409 : refusal.code === 'invalid-input' ? 400 : 422;
		return apiError(status, refusal.code, refusalText(refusal, 'voter-card', getLocale()), {
			section: refusal.section,
			...(refusal.deadline ? { deadline: refusal.deadline } : {}),
			...(refusal.references ? { references: refusal.references } : {})
		});
	}
	return json(
		{ requests: result.requests.map((r) => ({ reference: r.reference, round: r.round, state: 'received' })), replayed: result.replayed },
		{ status: result.replayed ? 200 : 201, headers: { 'Cache-Control': 'no-store' } }
	);
};
