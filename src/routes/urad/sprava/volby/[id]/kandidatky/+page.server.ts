import { error, fail, redirect } from '@sveltejs/kit';
import { listCandidateLists } from '$lib/server/db/queries/district-results';
import { findElectionById } from '$lib/server/db/queries/elections';
import { importCandidateLists } from '$lib/server/services/district-results';
import { isUuid } from '$lib/server/services/calendar';
import { adminContext } from '../../admin-server';
import type { Actions, PageServerLoad } from './$types';

/** Issue 17: the election's candidate lists, imported as CSV by the administrator. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const ctx = adminContext(locals);
	const election = isUuid(params.id) ? await findElectionById(ctx.db, params.id) : undefined;
	if (!election) error(404, 'Not found');
	return {
		election: { id: election.id, titleCs: election.title_cs, titleEn: election.title_en },
		lists: await listCandidateLists(ctx.db, election.id),
		imported: url.searchParams.has('nahrano')
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const ctx = adminContext(locals);
		const form = await request.formData();
		const raw = form.get('csv');
		const csv = typeof raw === 'string' ? raw.slice(0, 200_000) : '';
		const result = await importCandidateLists(ctx.db, { electionId: params.id, csv }, ctx.actor, ctx.now);
		switch (result.kind) {
			case 'forbidden':
				error(403, 'Forbidden');
			case 'not-found':
				error(404, 'Not found');
			case 'invalid':
				return fail(400, { values: { csv }, errors: result.errors.slice(0, 20), problem: null });
			case 'results-exist':
				return fail(409, { values: { csv }, errors: [], problem: 'results-exist' as const });
			case 'imported':
				redirect(303, `/urad/sprava/volby/${params.id}/kandidatky?nahrano=1`);
		}
	}
};
