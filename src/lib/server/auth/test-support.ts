/**
 * For tests: a minimal browser (cookie jar, manual redirects) that logs in at the
 * development eID, so that database tests exercise the real provider, tokens and checks.
 */
import type { DevLoa } from './dev-eid-page';

class CookieJar {
	private readonly cookies = new Map<string, string>();

	store(setCookies: string[]): void {
		for (const line of setCookies) {
			const [pair, ...attributes] = line.split(';');
			const eq = pair?.indexOf('=') ?? -1;
			if (!pair || eq < 0) continue;
			const name = pair.slice(0, eq).trim();
			const value = pair.slice(eq + 1).trim();
			const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
			if (expired || value === '') this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
	}

	header(): string {
		return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
	}
}

export interface DevEidChoice {
	/** An accountId of TEST_IDENTITIES */
	identity: string;
	loa: DevLoa;
	/** Cancel at the eID instead of logging in. */
	cancel?: boolean;
}

/**
 * Follows the authorization request through the development eID's pages and returns the
 * URL the eID redirects the browser to (the portal's callback with code, state and iss).
 */
export async function loginAtDevEid(authorizationUrl: URL, choice: DevEidChoice, redirectUri: string): Promise<URL> {
	const jar = new CookieJar();
	let url = authorizationUrl.href;
	let init: RequestInit = { method: 'GET' };
	let submitted = false;
	for (let hop = 0; hop < 12; hop++) {
		const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header() } });
		jar.store(response.headers.getSetCookie());
		const location = response.headers.get('location');
		if (response.status >= 300 && response.status < 400 && location) {
			const next = new URL(location, url);
			if (next.href.startsWith(redirectUri)) return next;
			url = next.href;
			init = { method: 'GET' };
			continue;
		}
		const html = await response.text();
		if (response.status === 200 && html.includes('name="identita"')) {
			// A second login page after submitting would be a broken flow, not something to retry.
			if (submitted) throw new Error('the development eID asked for the login a second time');
			submitted = true;
			const page = new URL(url);
			const action = choice.cancel ? 'zrusit' : 'prihlasit';
			url = new URL(`${page.pathname}/${action}`, page).href;
			init = {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ identita: choice.identity, uroven: choice.loa }).toString()
			};
			continue;
		}
		throw new Error(`development eID answered ${response.status} at ${url}: ${html.slice(0, 300)}`);
	}
	throw new Error('too many redirects at the development eID');
}
