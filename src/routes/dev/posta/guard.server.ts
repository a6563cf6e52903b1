import { error } from '@sveltejs/kit';
import { config } from '$lib/server/config';

/** The mail catcher's pages exist only in development and test; in production they are a 404. */
export function devOnly(): void {
	if (config().APP_ENV === 'production') error(404, 'Not found');
}
