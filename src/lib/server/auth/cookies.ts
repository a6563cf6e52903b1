import type { Cookies } from '@sveltejs/kit';
import type { Config } from '../config';
import { secureCookies } from './settings';

/**
 * The portal's own cookie names. Browsers do not separate cookies by port, so on a developer
 * machine the portal and the development eID (another port, same host) see each other's
 * cookies: these names must never collide with the eID's (dev-eid.ts names its own `dev_eid_*`).
 */
export const SESSION_COOKIE = 'vp_session';
/** Binds an eID login attempt to the browser that started it (login CSRF). */
export const EID_STATE_COOKIE = 'vp_eid_state';

/**
 * No Max-Age: a browser session cookie, gone when the browser closes (public terminals);
 * the server enforces the idle and absolute limits itself (session.ts).
 */
export function setSessionCookie(cookies: Cookies, token: string, cfg: Config): void {
	cookies.set(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(cfg) });
}

export function deleteSessionCookie(cookies: Cookies, cfg: Config): void {
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(cfg) });
}

/** Lax, so that it comes back with the eID's top-level redirect to the callback. */
export function setEidStateCookie(cookies: Cookies, state: string, maxAgeSeconds: number, cfg: Config): void {
	cookies.set(EID_STATE_COOKIE, state, {
		path: '/prihlaseni',
		httpOnly: true,
		sameSite: 'lax',
		secure: secureCookies(cfg),
		maxAge: maxAgeSeconds
	});
}

export function deleteEidStateCookie(cookies: Cookies, cfg: Config): void {
	cookies.delete(EID_STATE_COOKIE, { path: '/prihlaseni', httpOnly: true, sameSite: 'lax', secure: secureCookies(cfg) });
}
