import type { LayoutServerLoad } from './$types';

/**
 * Who is logged in, for the header's name and logout button (auth: hooks.server.ts). `staff`
 * marks a staff member's session (also one still waiting for the second factor: a staff
 * session never has an eID subject): its logout is /urad/odhlaseni, and inside the staff
 * workspace the staff bar (/urad layout) shows the name and the one logout button instead.
 */
export const load: LayoutServerLoad = ({ locals, url }) => {
	// Read the URL so that SvelteKit runs this again on every navigation, client-side ones too:
	// who is logged in changes between two pages (the staff login ends with a link, a session
	// expires), and a header kept from the page before would show the wrong person or none.
	void url.pathname;
	const identity = locals.session?.eidIdentity;
	const name = locals.staff
		? locals.staff.displayName
		: locals.voter
			? `${locals.voter.givenName} ${locals.voter.familyName}`
			: identity
				? `${identity.givenName} ${identity.familyName}`
				: null;
	const staff = locals.staff !== null || (locals.session !== null && locals.session.eidSubject === null && locals.voter === null);
	return { user: locals.session ? { name, staff } : null };
};
