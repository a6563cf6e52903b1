import { fail, redirect } from '@sveltejs/kit';
import { ELECTION_TYPES, type ElectionType } from '$lib/domain';
import { adminContext, text } from '../admin-server';
import { ELECTION_SLUGS } from '../admin-text';
import type { Actions, PageServerLoad } from './$types';

/** A new election, step 1 of 2: which type (the next page asks only what the type has). */
export const load: PageServerLoad = ({ locals }) => {
	adminContext(locals);
	return { types: ELECTION_TYPES };
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		adminContext(locals);
		const form = await request.formData();
		const type = text(form, 'type', 40);
		if (!ELECTION_TYPES.includes(type as ElectionType)) return fail(400, { values: { type }, errors: { type: 'required' } });
		redirect(303, `/urad/sprava/volby/nove/${ELECTION_SLUGS[type as ElectionType]}`);
	}
};
