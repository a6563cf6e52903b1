import { error, redirect } from '@sveltejs/kit';
import { cookieName, isLocale } from '$lib/paraglide/runtime';
import { returnPath } from '$lib/server/return-path';
import type { RequestHandler } from './$types';

/** Switches the language without JavaScript: stores the choice and goes back (never off the portal). */
export const GET: RequestHandler = ({ params, url, cookies }) => {
	if (!isLocale(params.locale)) error(404, 'Neznámý jazyk / Unknown language');
	cookies.set(cookieName, params.locale, { path: '/', httpOnly: false, sameSite: 'lax', maxAge: 60 * 60 * 24 * 365 });
	redirect(303, returnPath(url.searchParams.get('zpet'), '/'));
};
