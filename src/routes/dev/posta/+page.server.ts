import { fail, redirect } from '@sveltejs/kit';
import { emailSchema, parseForm } from '$lib/forms/requests';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { CAUGHT_MESSAGES_MAX, caughtMessages } from '$lib/server/mail';
import { queueTestEmail } from '$lib/server/services/notifications';
import { devOnly } from './guard.server';
import type { Actions, PageServerLoad } from './$types';

/** Development and test: the messages the in-process mail catcher received, newest first. */
export const load: PageServerLoad = ({ url }) => {
	devOnly();
	return {
		max: CAUGHT_MESSAGES_MAX,
		queuedTo: url.searchParams.get('odeslano'),
		messages: caughtMessages().map((message) => ({
			id: message.id,
			to: message.envelopeTo.join(', ') || message.to,
			subject: message.subject,
			receivedAt: message.receivedAt.toString()
		}))
	};
};

export const actions: Actions = {
	/** A test message through the outbox and the job queue, like any voter notification. */
	default: async ({ request }) => {
		devOnly();
		const parsed = parseForm(emailSchema, await request.formData(), ['email']);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		await queueTestEmail(db(), parsed.data.email, { kind: 'system' }, clock().now());
		redirect(303, `/dev/posta?odeslano=${encodeURIComponent(parsed.data.email)}`);
	}
};
