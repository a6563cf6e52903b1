/**
 * The check-answers page's submission, the same for every flow: the form carries the
 * idempotency key drawn when the page was rendered. A key that already filed something
 * (double click, reload of the POST, network retry) goes to the same confirmation; a key that
 * no longer matches the draft (the answers changed in another tab) shows the answers again.
 */
import { error, fail, redirect } from '@sveltejs/kit';
import { submitSchema } from '../../forms/requests';
import { findRequestsByIdempotencyKey, findRequestsByReferences } from '../db/queries/requests';
import type { RequestDraftFlow, RequestKind, Voter } from '../db/schema';
import { normalizeReference } from '../reference';
import type { SubmitResult } from '../services/requests';
import { findVoterById } from '../db/queries/voters';
import { clearDraft, idempotencyKeyFor, voterContext, type VoterContext } from './context';
import { openStep, type FlowDef, type FlowState, type OpenStep, type StepEvent } from './flow';
import { allAnswered } from './steps';

export function confirmationUrl(donePath: string, references: readonly string[]): string {
	return `${donePath}?${references.map((r) => `zadost=${encodeURIComponent(r)}`).join('&')}`;
}

export async function submitFromCheckPage(
	ctx: VoterContext,
	opts: {
		flow: RequestDraftFlow;
		kind: RequestKind;
		form: FormData;
		draftKey: string | null;
		complete: boolean;
		paths: { check: string; done: string };
		file: (idempotencyKey: string) => Promise<SubmitResult>;
	}
) {
	const parsed = submitSchema.safeParse({ idempotencyKey: opts.form.get('idempotencyKey') });
	if (!parsed.success) redirect(303, opts.paths.check);
	const key = parsed.data.idempotencyKey;

	const earlier = await findRequestsByIdempotencyKey(ctx.db, ctx.voterId, opts.kind, key);
	if (earlier.length) redirect(303, confirmationUrl(opts.paths.done, earlier.map((r) => r.reference)));
	if (!opts.complete || opts.draftKey !== key) redirect(303, opts.paths.check);

	const result = await opts.file(key);
	if (result.ok) {
		await clearDraft(ctx, opts.flow);
		redirect(303, confirmationUrl(opts.paths.done, result.requests.map((r) => r.reference)));
	}
	return fail(400, { refusal: result.refusal });
}

/** The requests a confirmation page names, only the voter's own; none is a 404. */
export async function loadConfirmation(ctx: VoterContext, url: URL, kind: RequestKind) {
	const references = url.searchParams
		.getAll('zadost')
		.slice(0, 4)
		.map(normalizeReference)
		.filter((r): r is string => r !== null);
	const rows = (await findRequestsByReferences(ctx.db, ctx.voterId, references)).filter((r) => r.kind === kind);
	if (rows.length === 0) error(404, 'Not found');
	return rows.map((r) => ({
		reference: r.reference,
		round: r.round,
		state: r.state,
		electionTitle: ctx.locale === 'en' ? r.election_title_en : r.election_title_cs
	}));
}

/** The check-answers page: the flow's state once every question is answered, the voter, and the key the form files with. */
export async function openCheckStep<S extends FlowState, E extends S>(
	event: Omit<StepEvent, 'request'>,
	def: FlowDef<S, E>
): Promise<OpenStep<E> & { voter: Voter | undefined; idempotencyKey: string }> {
	const step = await openStep(event, def, 'check');
	const [voter, idempotencyKey] = await Promise.all([findVoterById(step.ctx.db, step.ctx.voterId), idempotencyKeyFor(step.ctx, def.flow)]);
	return { ...step, voter, idempotencyKey };
}

/** Who is asking, as the check-answers page shows it. */
export function voterSummary(voter: Voter): { name: string; birthDate: string } {
	return { name: `${voter.given_name} ${voter.family_name}`, birthDate: voter.birth_date };
}

/**
 * The check-answers page's action: files the draft once every question that applies is
 * answered (and `ready`, the flow's own condition, holds); see submitFromCheckPage.
 */
export function checkAction<S extends FlowState, E extends S>(
	def: FlowDef<S, E>,
	opts: { ready?: (state: S) => boolean; file: (ctx: VoterContext, state: S, idempotencyKey: string) => Promise<SubmitResult> }
) {
	return async (event: StepEvent) => {
		const ctx = voterContext(event);
		const state = await def.load(ctx);
		return submitFromCheckPage(ctx, {
			flow: def.flow,
			kind: def.kind,
			form: await event.request.formData(),
			draftKey: state.idempotencyKey,
			complete: (opts.ready?.(state) ?? true) && allAnswered(def.steps, state),
			paths: def.paths,
			file: (idempotencyKey) => opts.file(ctx, state, idempotencyKey)
		});
	};
}

/** The confirmation page's load: the requests just filed, named in its address. */
export function confirmationLoad(def: Pick<FlowDef<FlowState>, 'kind'>) {
	return async (event: Omit<StepEvent, 'request'>) => ({ requests: await loadConfirmation(voterContext(event), event.url, def.kind) });
}
