import { error } from '@sveltejs/kit';
import { findCaughtMessage } from '$lib/server/mail';
import { devOnly } from '../guard.server';
import type { PageServerLoad } from './$types';

/** One caught message: its headers and text as the recipient would read them. */
export const load: PageServerLoad = ({ params }) => {
	devOnly();
	const message = findCaughtMessage(params.id);
	if (!message) error(404, 'Not found');
	return {
		message: {
			from: message.from,
			to: message.to || message.envelopeTo.join(', '),
			subject: message.subject,
			receivedAt: message.receivedAt.toString(),
			text: message.text,
			partTypes: message.partTypes,
			html: message.html
		}
	};
};
