import { error, redirect } from '@sveltejs/kit';
import { cookieName, isLocale } from '$lib/paraglide/runtime';
import type { RequestHandler } from './$types';

/** Switches the language without JavaScript: stores the choice and goes back. */
export const GET: RequestHandler = ({ params, url, cookies }) => {
	if (!isLocale(params.locale)) error(404, 'Neznámý jazyk / Unknown language');
	cookies.set(cookieName, params.locale, { path: '/', httpOnly: false, sameSite: 'lax', maxAge: 60 * 60 * 24 * 365 });
	const back = url.searchParams.get('zpet') ?? '/';
	// Only same-site paths: never an open redirect.
	redirect(303, back.startsWith('/') && !back.startsWith('//') && !back.startsWith('/\\') ? back : '/');
};
