/**
 * The check-answers page's submission, the same for every flow: the form carries the
 * idempotency key drawn when the page was rendered. A key that already filed something
 * (double click, reload of the POST, network retry) goes to the same confirmation; a key that
 * no longer matches the draft (the answers changed in another tab) shows the answers again.
 */
import { error, fail, redirect } from '@sveltejs/kit';
import { submitSchema } from '../../forms/requests';
import { findRequestsByIdempotencyKey, findRequestsByReferences } from '../db/queries/requests';
import type { RequestDraftFlow, RequestKind } from '../db/schema';
import { normalizeReference } from '../reference';
import type { SubmitResult } from '../services/requests';
import { clearDraft, type VoterContext } from './context';

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
