import type { LayoutServerLoad } from './$types';

/** Who is logged in, for the header's name and logout button (auth: hooks.server.ts). */
export const load: LayoutServerLoad = ({ locals }) => {
	const identity = locals.session?.eidIdentity;
	const name = locals.staff
		? locals.staff.displayName
		: locals.voter
			? `${locals.voter.givenName} ${locals.voter.familyName}`
			: identity
				? `${identity.givenName} ${identity.familyName}`
				: null;
	return { user: locals.session ? { name } : null };
};
