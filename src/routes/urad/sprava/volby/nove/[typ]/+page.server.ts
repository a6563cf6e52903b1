import { error, fail, redirect } from '@sveltejs/kit';
import { DEFAULT_EXCLUDED_COUNTRIES_2025, ELECTION_TYPE_RULES, hasVoterCards } from '$lib/domain';
import { createElectionAsAdmin } from '$lib/server/services/admin-elections';
import { defaultTitles } from '$lib/server/services/elections';
import { adminContext, countryNames } from '../../admin-server';
import { newElectionValues, parseElectionForm, typeFromSlug } from '../../election-form';
import type { Actions, PageServerLoad } from './$types';

function typeOf(slug: string) {
	const type = typeFromSlug(slug);
	if (!type) error(404, 'Not found');
	return type;
}

/** A new election, step 2 of 2: its dates and settings, only those its type has. */
export const load: PageServerLoad = ({ locals, params }) => {
	adminContext(locals);
	const type = typeOf(params.typ);
	const rules = ELECTION_TYPE_RULES[type];
	return {
		type,
		rounds: rules.rounds,
		correspondenceConfigurable: rules.correspondenceConfigurable,
		hasVoterCards: hasVoterCards({ type }),
		votingAbroad: rules.votingAbroad,
		defaultTitles: { cs: defaultTitles(type, 'RRRR').cs, en: defaultTitles(type, 'YYYY').en },
		values: newElectionValues(type, DEFAULT_EXCLUDED_COUNTRIES_2025),
		countryNames: countryNames()
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const ctx = adminContext(locals);
		const type = typeOf(params.typ);
		const parsed = parseElectionForm(await request.formData(), type);
		if (!parsed.data) return fail(400, { values: parsed.values, errors: parsed.errors });
		const result = await createElectionAsAdmin(ctx.db, { type, ...parsed.data }, ctx.actor, ctx.now);
		if (result.kind === 'forbidden') error(403, 'Forbidden');
		if (result.kind === 'invalid') return fail(400, { values: parsed.values, errors: result.errors });
		redirect(303, `/urad/sprava/volby/${result.id}?vytvoreno=1`);
	}
};
