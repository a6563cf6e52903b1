import { error, fail, redirect } from '@sveltejs/kit';
import { getElectionForAdmin, updateElectionAsAdmin } from '$lib/server/services/admin-elections';
import { adminContext, countryNames, text, texts } from '../../admin-server';
import { electionValues, parseElectionForm } from '../../election-form';
import type { Actions, PageServerLoad } from './$types';

async function election(ctx: ReturnType<typeof adminContext>, id: string) {
	const found = await getElectionForAdmin(ctx.db, ctx.actor, id, ctx.now);
	if (!found) error(404, 'Not found');
	return found;
}

/** Editing an election; a change that moves a deadline already passed is confirmed on a second step. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const ctx = adminContext(locals);
	const e = await election(ctx, params.id);
	return {
		election: { id: e.id, type: e.type, titleCs: e.titleCs, titleEn: e.titleEn, version: e.version },
		rounds: e.firstDays.length,
		correspondenceConfigurable: e.correspondenceConfigurable,
		hasVoterCards: e.hasVoterCards,
		votingAbroad: e.votingAbroad,
		values: electionValues(e),
		countryNames: countryNames()
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const ctx = adminContext(locals);
		const e = await election(ctx, params.id);
		const form = await request.formData();
		const parsed = parseElectionForm(form, e.type);
		const version = text(form, 'version', 40);
		const confirmed = texts(form, 'confirmed', 80);
		const values: Record<string, string> = { ...parsed.values, version };
		if (!parsed.data) return fail(400, { values, errors: parsed.errors });
		const result = await updateElectionAsAdmin(ctx.db, { id: e.id, version, confirmed, ...parsed.data }, ctx.actor, ctx.now);
		switch (result.kind) {
			case 'forbidden':
				error(403, 'Forbidden');
			case 'not-found':
				error(404, 'Not found');
			case 'invalid':
				return fail(400, { values, errors: result.errors });
			case 'changed-meanwhile':
				return fail(409, { values, errors: {}, problem: 'changed-meanwhile' });
			case 'confirm':
				// The second step: the deadlines that have passed and move, to be confirmed.
				return { values, confirm: result.movedDeadlines };
			case 'ok':
				redirect(303, `/urad/sprava/volby/${e.id}?upraveno=1`);
		}
	}
};
