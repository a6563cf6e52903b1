import { error, fail, redirect } from '@sveltejs/kit';
import { emailSchema, parseForm } from '$lib/forms/requests';
import { findVoterRecord } from '$lib/server/db/queries/voters';
import { voterContext } from '$lib/server/flows/context';
import { nextConfirmationAllowedAt, removeEmail, requestEmailConfirmation } from '$lib/server/services/voter-email';
import type { Actions, PageServerLoad } from './$types';

/** The optional e-mail address for notifications; used only once confirmed through the link sent to it. */
export const load: PageServerLoad = async (event) => {
	const ctx = voterContext(event);
	const record = await findVoterRecord(ctx.db, ctx.voterId);
	if (!record) error(404, 'Not found');
	// A link is on its way: say when a new one may be asked for, if not yet.
	const resendAt = record.email_pending ? await nextConfirmationAllowedAt(ctx.db, { voterId: ctx.voterId, email: record.email_pending }, ctx.now) : null;
	return {
		value: record.email_pending ?? (record.email_confirmed_at ? (record.email ?? '') : ''),
		hasEmail: record.email !== null || record.email_pending !== null,
		resendAt: resendAt?.toString() ?? null
	};
};

export const actions: Actions = {
	ulozit: async (event) => {
		const ctx = voterContext(event);
		const parsed = parseForm(emailSchema, await event.request.formData(), ['email']);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const origin = event.url.origin;
		const result = await requestEmailConfirmation(
			ctx.db,
			{
				voterId: ctx.voterId,
				email: parsed.data.email,
				confirmUrl: (token) => `${origin}/muj-zaznam/email/potvrdit?token=${encodeURIComponent(token)}`
			},
			ctx.actor,
			ctx.now
		);
		if (!result.ok && result.error === 'too-soon') {
			// Nothing sent; what was typed stays, with the time a new link may be asked for.
			return fail(429, { values: { email: parsed.data.email }, errors: {}, retryAt: result.retryAt.toString() });
		}
		if (!result.ok) error(404, 'Not found');
		redirect(303, '/muj-zaznam?email=odeslano');
	},
	odebrat: async (event) => {
		const ctx = voterContext(event);
		const result = await removeEmail(ctx.db, { voterId: ctx.voterId }, ctx.actor, ctx.now);
		if (!result.ok) error(404, 'Not found');
		redirect(303, '/muj-zaznam?email=odebrano');
	}
};
