import { fail, redirect } from '@sveltejs/kit';
import { findVoterRecord } from '$lib/server/db/queries/voters';
import { voterContext } from '$lib/server/flows/context';
import { confirmEmail } from '$lib/server/services/voter-email';
import type { Actions, PageServerLoad } from './$types';

/**
 * The link from the confirmation e-mail. Opening it changes nothing (mail scanners open
 * links); the voter confirms with a button, logged in as the voter the link was sent for.
 */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const record = await findVoterRecord(ctx.db, ctx.voterId);
	return { token: event.url.searchParams.get('token') ?? '', pending: record?.email_pending ?? null };
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = voterContext(event);
		const token = (await event.request.formData()).get('token');
		const result = await confirmEmail(ctx.db, { voterId: ctx.voterId, token: typeof token === 'string' ? token : '' }, ctx.actor, ctx.now);
		if (result.ok) redirect(303, '/muj-zaznam?email=potvrzeno');
		return fail(400, { error: result.error });
	}
};
