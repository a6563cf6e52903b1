import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { getLocale } from '$lib/paraglide/runtime';
import { requireStaff } from '$lib/server/auth/guards';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import {
	ACCEPTED_LIST_LIMIT,
	SYNCHRONOUS_RENDER_LIMIT,
	getPackageOverview,
	issuePackages,
	renderBatch,
	startBatchRendering
} from '$lib/server/services/packages';
import { EMBASSY_ROLES, staffActorFrom } from '$lib/server/services/staff-actor';
import { channelText, deliveryText } from '../texts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
	const result = await getPackageOverview(db(), { electionId: params.electionId }, actor, clock().now());
	if (result.kind === 'forbidden') error(403);
	// §57a(1): an election without correspondence voting has no packages to show.
	if (result.kind !== 'ok') error(404);
	const locale = getLocale();
	return {
		rehearsal: result.election.rehearsal,
		election: { id: result.election.id, title: locale === 'en' ? result.election.title_en : result.election.title_cs },
		roundCount: result.election.rounds.length,
		rounds: result.rounds,
		counts: result.counts,
		accepted: result.accepted.map((r) => ({
			id: r.id,
			reference: r.reference,
			voter: `${r.given_name} ${r.family_name}`,
			birthDate: r.birth_date,
			round: r.round,
			delivery: deliveryText(r.delivery),
			channel: channelText(r.channel),
			receivedAt: r.received_at
		})),
		batches: result.batches.map((b) => ({
			id: b.id,
			createdAt: b.created_at,
			createdBy: b.created_by_name,
			count: b.package_count,
			firstSlip: b.first_slip,
			lastSlip: b.last_slip,
			status: b.status
		}))
	};
};

const issueSchema = z.object({
	scope: z.enum(['vse', 'vybrane']),
	requestIds: z.array(z.uuid()).max(ACCEPTED_LIST_LIMIT)
});

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const actor = staffActorFrom(requireStaff(locals, EMBASSY_ROLES));
		const form = await request.formData();
		const parsed = issueSchema.safeParse({ scope: form.get('akce'), requestIds: form.getAll('zadost') });
		const selected = form.getAll('zadost').filter((v): v is string => typeof v === 'string');
		if (!parsed.success) return fail(400, { values: { selected }, errors: { zadost: 'none-selected' as const } });
		const { scope, requestIds } = parsed.data;
		if (scope === 'vybrane' && requestIds.length === 0) {
			return fail(400, { values: { selected }, errors: { zadost: 'none-selected' as const } });
		}
		const now = clock().now();
		const result = await issuePackages(
			db(),
			{ electionId: params.electionId, requestIds: scope === 'vse' ? null : requestIds },
			actor,
			now
		);
		if (result.kind === 'forbidden') error(403);
		if (result.kind === 'not-found' || result.kind === 'correspondence-not-allowed') error(404);
		if (result.kind === 'nothing-to-issue') return fail(409, { values: { selected }, errors: { zadost: 'nothing-to-issue' as const } });
		if (result.kind === 'already-issued') return fail(409, { values: { selected }, errors: { zadost: 'already-issued' as const }, alreadyIssued: result.issued });
		// Small batches are rendered while the clerk waits; larger ones in the background, with progress.
		if (result.count <= SYNCHRONOUS_RENDER_LIMIT) await renderBatch(db(), { batchId: result.batchId }, actor, () => clock().now());
		else void startBatchRendering(db(), result.batchId, actor, () => clock().now());
		redirect(303, `/urad/zastupitelsky-urad/balicky/davka/${result.batchId}?vydano=${result.count}`);
	}
};
