/**
 * What every voter page and action starts from: the logged-in voter (checked here again,
 * besides the guard in hooks.server.ts), the session that keeps the flow's draft, and the
 * one reading of the clock for the request.
 */
import { redirect } from '@sveltejs/kit';
import type { Temporal } from 'temporal-polyfill';
import type { z } from 'zod';
import { getLocale } from '../../paraglide/runtime';
import { clock } from '../clock';
import type { Db } from '../db/index';
import { db } from '../db/runtime';
import {
	deleteRequestDraft,
	findRequestDraft,
	updateRequestDraftIdempotencyKey,
	upsertRequestDraftAnswers
} from '../db/queries/request-drafts';
import type { RequestDraftFlow } from '../db/schema';
import type { Actor } from '../services/audit';

export interface VoterContext {
	db: Db;
	voterId: string;
	sessionId: string;
	actor: Actor;
	now: Temporal.Instant;
	locale: 'cs' | 'en';
	/** A test identity sees rehearsals besides the real elections (issue 14). */
	testIdentity: boolean;
}

export interface LocalsLike {
	voter: { id: string; testIdentity?: boolean } | null;
	session: { id: string } | null;
}

/** The voter of the request, or a 303 to the login that comes back here afterwards. */
export function voterContext(event: { locals: LocalsLike; url: URL }): VoterContext {
	const { voter, session } = event.locals;
	if (!voter || !session) {
		redirect(303, `/prihlaseni?zpet=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	}
	return {
		db: db(),
		voterId: voter.id,
		sessionId: session.id,
		actor: { kind: 'voter', id: voter.id },
		now: clock().now(),
		locale: getLocale() === 'en' ? 'en' : 'cs',
		testIdentity: voter.testIdentity === true
	};
}

export interface Draft<T> {
	answers: T;
	idempotencyKey: string | null;
}

/** The flow's answers so far; anything that no longer fits the schema is dropped. */
export async function readDraft<S extends z.ZodType>(ctx: VoterContext, flow: RequestDraftFlow, schema: S): Promise<Draft<z.infer<S>>> {
	const row = await findRequestDraft(ctx.db, ctx.sessionId, ctx.voterId, flow);
	const parsed = schema.safeParse(row?.answers ?? {});
	const empty = schema.parse({});
	return { answers: parsed.success ? parsed.data : empty, idempotencyKey: row?.idempotency_key ?? null };
}

export async function writeDraft(ctx: VoterContext, flow: RequestDraftFlow, answers: Record<string, unknown>): Promise<void> {
	await upsertRequestDraftAnswers(ctx.db, {
		sessionId: ctx.sessionId,
		voterId: ctx.voterId,
		flow,
		answers,
		at: new Date(ctx.now.epochMilliseconds)
	});
}

/** The check page's idempotency key: drawn once per set of answers and kept in the draft. */
export async function idempotencyKeyFor(ctx: VoterContext, flow: RequestDraftFlow): Promise<string> {
	const key = await updateRequestDraftIdempotencyKey(ctx.db, {
		sessionId: ctx.sessionId,
		voterId: ctx.voterId,
		flow,
		key: newIdempotencyKey(),
		at: new Date(ctx.now.epochMilliseconds)
	});
	if (!key) throw new Error('The draft disappeared while drawing its idempotency key');
	return key;
}

export function newIdempotencyKey(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(18));
	return Buffer.from(bytes).toString('base64url');
}

export async function clearDraft(ctx: VoterContext, flow: RequestDraftFlow): Promise<void> {
	await deleteRequestDraft(ctx.db, ctx.sessionId, ctx.voterId, flow);
}
